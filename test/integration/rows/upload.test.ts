/**
 * Web mode's upload: `POST /upload?name=` on the real host (127.0.0.1, real HTTP) stores the bytes
 * in a private temp file and answers a file ref; the same token, host and origin checks as /rpc.
 * The ref then imports like a path.
 */
import { request } from 'node:http';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Emit, type Services } from '../../../electron/main/services';
import { createHandlers } from '../../../electron/main/ipc/handlers';
import { startHost, type Host } from '../../../electron/main/web/host';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { WONDER_HEADER } from './helpers';

let host: Host;
let services: Services;
const events: { name: string; payload: unknown }[] = [];

beforeEach(async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Batchdesk</title>');
  services = createServices({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  const ref: { current?: Host } = {};
  const emit: Emit = (name, payload) => {
    events.push({ name, payload });
    ref.current?.emit(name, payload);
  };
  host = ref.current = await startHost({ handlers: createHandlers(services, emit), rendererDir: join(dir, 'renderer'), uploads: services.uploads });
});

afterEach(async () => {
  await host.close();
  services.close();
  cleanupTempDirs();
});

function post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method: 'POST', path, headers: { Host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('POST /upload', () => {
  it('stores the upload privately, answers a file ref, and the ref imports', async () => {
    const csv = `${WONDER_HEADER}\npayment,U-1,,,12.50,tok_aaaaaaaaaaaaaaaaaaaaaaaa,,,,,\n`;
    const r = await post('/upload?name=' + encodeURIComponent('C:\\Users\\me\\march.csv'), csv, { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream' });
    expect(r.status).toBe(200);
    const value = (JSON.parse(r.body) as { ok: true; value: { file: { kind: 'upload'; id: string; name: string }; size: number } }).value;
    expect(value.file.kind).toBe('upload');
    expect(value.file.name).toBe('march.csv');
    expect(value.size).toBe(Buffer.byteLength(csv));
    expect(statSync(services.uploads.get(value.file.id).path).mode & 0o777).toBe(0o600);

    const rpc = (name: string, input: unknown) => post(`/rpc/${name}`, JSON.stringify(input), { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }).then((x) => JSON.parse(x.body) as { ok: boolean; value: Record<string, unknown> });
    const preview = await rpc('import.preview', { file: value.file, profile: 'wonder' });
    expect(preview.ok).toBe(true);
    expect(preview.value.file).toEqual({ name: 'march.csv', size: value.size });
    const started = await rpc('import.start', { file: value.file, profile: 'wonder', mapping: preview.value.mapping, amountUnit: 'major', target: { kind: 'new', name: 'Uploaded' } });
    expect(started.ok).toBe(true);
    for (let i = 0; i < 100 && !events.some((e) => e.name === 'import.finished'); i++) await new Promise((res) => setTimeout(res, 20));
    expect(events.find((e) => e.name === 'import.finished')?.payload).toMatchObject({ outcome: 'done', rows: 1 });
  });

  it('refuses without the token, from another origin, and without a name', async () => {
    expect((await post('/upload?name=a.csv', 'x', {})).status).toBe(401);
    expect((await post('/upload?name=a.csv', 'x', { Authorization: `Bearer ${host.token}`, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('/upload', 'x', { Authorization: `Bearer ${host.token}` })).status).toBe(400);
    const unknown = await post('/rpc/import.preview', JSON.stringify({ file: { kind: 'upload', id: 'AAAAAAAAAAAAAAAAAAAAAAAA', name: 'x.csv' }, profile: 'wonder' }), { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/Choose the file again/) } });
  });
});
