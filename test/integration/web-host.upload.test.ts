/**
 * `POST /upload?name=` on the real host over HTTP on 127.0.0.1: the store's size limit at its edge
 * (exactly the limit kept, one byte more refused with 413 and nothing kept), the name and method
 * rules, the same Host/Origin/token checks as /rpc, a store failure as a logged internal error,
 * and no upload route at all when the host has no store (Electron mode).
 */
import { request } from 'node:http';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { startHost, type Host } from '../../electron/main/web/host';
import type { Logger } from '../../electron/main/ipc/wrap';
import { UploadStore } from '../../electron/main/services/files/uploads';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

const LIMIT = 64;
let host: Host;
let bare: Host;
let services: Services;
let store: UploadStore;
const logged: Parameters<Logger>[] = [];

beforeAll(async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Batchdesk</title>');
  services = createServices({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  store = new UploadStore(LIMIT);
  const handlers = createHandlers(services, () => {});
  host = await startHost({ handlers, rendererDir: join(dir, 'renderer'), uploads: store, log: (...a) => logged.push(a) });
  bare = await startHost({ handlers, rendererDir: join(dir, 'renderer') });
  folder = dirname((await store.save('first.csv', Readable.from([Buffer.from('x')]))).path);
});

afterAll(async () => {
  await host.close();
  await bare.close();
  store.clear();
  services.close();
  cleanupTempDirs();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(method: string, path: string, body: string | undefined, headers: Record<string, string>, h: Host = host): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.port, method, path, headers: { Host: `127.0.0.1:${h.port}`, ...headers } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const bearer = (h: Host = host) => ({ Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/octet-stream' });
const upload = (name: string, body: string, extra: Record<string, string> = {}) => send('POST', `/upload?name=${encodeURIComponent(name)}`, body, { ...bearer(), ...extra });

interface Stored {
  ok: true;
  value: { file: { kind: 'upload'; id: string; name: string }; size: number };
}

let folder = '';
/** Files in the store's private folder. */
const storedFiles = (): string[] => readdirSync(folder);

describe('POST /upload: the size limit', () => {
  it(`keeps a file of exactly ${LIMIT} bytes, byte for byte, and answers a ref with exactly the contract's fields`, async () => {
    const body = 'a,b\n' + 'x'.repeat(LIMIT - 4);
    const r = await upload('march.csv', body);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const v = JSON.parse(r.body) as Stored;
    expect(Object.keys(v)).toEqual(['ok', 'value']);
    expect(v.ok).toBe(true);
    expect(v.value).toEqual({ file: { kind: 'upload', id: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/), name: 'march.csv' }, size: LIMIT });
    const kept = store.get(v.value.file.id);
    expect(readFileSync(kept.path, 'utf8')).toBe(body);
  });

  it(`refuses ${LIMIT + 1} bytes with 413, the store's message, Connection: close, and keeps nothing`, async () => {
    const before = storedFiles().length;
    const r = await upload('big.csv', 'x'.repeat(LIMIT + 1));
    expect(r.status).toBe(413);
    expect(r.headers.connection).toBe('close');
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'file.too_large', message: expect.stringMatching(/^The file is larger than \d+ MB\. Split the batch into smaller files\.$/) } });
    expect(storedFiles().length).toBe(before);
  });

  it('an empty file is kept (the import then says it is empty)', async () => {
    const r = await upload('empty.csv', '');
    expect(r.status).toBe(200);
    expect((JSON.parse(r.body) as Stored).value.size).toBe(0);
  });
});

describe('POST /upload: name, method and access', () => {
  it('keeps only the last part of a path as the name', async () => {
    const r = await upload('C:\\Users\\me\\april.csv', 'x');
    expect((JSON.parse(r.body) as Stored).value.file.name).toBe('april.csv');
  });

  it.each([
    ['no ?name=', '/upload'],
    ['an empty name', '/upload?name='],
    ['a name of spaces', '/upload?name=%20%20'],
  ])('refuses %s with 400 and says what to send', async (_what, path) => {
    const r = await send('POST', path, 'x', bearer());
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'bad_input', message: "Send the file's name as ?name=." } });
  });

  it('a one-character name is enough', async () => {
    expect((await upload('a', 'x')).status).toBe(200);
  });

  it.each(['GET', 'PUT'])('answers %s with 405 as JSON', async (method) => {
    const r = await send(method, '/upload?name=a.csv', method === 'GET' ? undefined : 'x', bearer());
    expect(r.status).toBe(405);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'bad_input', message: 'Use POST to upload a file.' } });
  });

  it('checks Host, Origin, Sec-Fetch-Site and the whole token before it stores anything', async () => {
    const before = storedFiles().length;
    expect((await upload('a.csv', 'x', { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await upload('a.csv', 'x', { Host: `localhost:${host.port + 1}` })).status).toBe(403);
    expect((await upload('a.csv', 'x', { 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    expect((await upload('a.csv', 'x', { Authorization: `Bearer ${host.token.slice(0, -1)}` })).status).toBe(401);
    expect((await upload('a.csv', 'x', { Authorization: '' })).status).toBe(401);
    expect(storedFiles().length).toBe(before);
    expect((await upload('a.csv', 'x', { Origin: `http://127.0.0.1:${host.port}`, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });

  it('a store that cannot write is an internal error, logged, and the host goes on', async () => {
    rmSync(folder, { recursive: true, force: true });
    try {
      const r = await upload('b.csv', 'y');
      expect(r.status).toBe(500);
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error. Details are in the log.' } });
      expect(logged.some(([level, message, detail]) => level === 'error' && message === 'web host request failed' && (detail as { code?: string }).code === 'ENOENT')).toBe(true);
    } finally {
      mkdirSync(folder, { mode: 0o700 });
    }
    expect((await upload('c.csv', 'z')).status).toBe(200);
  });
});

describe('the other routes of a host with an upload store', () => {
  it('still serve the page, the events and /rpc', async () => {
    const page = await send('GET', '/', undefined, bearer());
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Batchdesk</title>');
    expect((await send('POST', '/', 'x', bearer())).status).toBe(405);
    const rpc = await send('POST', '/rpc/batches.list', '{}', { ...bearer(), 'Content-Type': 'application/json' });
    expect(JSON.parse(rpc.body)).toEqual({ ok: true, value: [] });
  });
});

describe('a host without an upload store', () => {
  it('has no /upload route: POST is not allowed, GET finds no file', async () => {
    const post = await send('POST', '/upload?name=a.csv', 'x', bearer(bare), bare);
    expect(post.status).toBe(405);
    expect(post.body).toBe('Method not allowed');
    const get = await send('GET', '/upload?name=a.csv', undefined, bearer(bare), bare);
    expect(get.status).toBe(404);
  });
});
