import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Emit, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { startHost, type Host } from '../../electron/main/web/host';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

let host: Host;
let services: Services;
let secretFile: string;

beforeEach(async () => {
  const dir = tempDir();
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Batchdesk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  secretFile = join(dir, 'secret.txt');
  writeFileSync(secretFile, 'do not serve');
  services = createServices({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  const ref: { current?: Host } = {};
  const emit: Emit = (name, payload) => ref.current?.emit(name, payload);
  host = ref.current = await startHost({ handlers: createHandlers(services, emit), rendererDir, maxBodyBytes: 64 * 1024 });
});

afterEach(async () => {
  await host.close();
  services.close();
  cleanupTempDirs();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP so tests can set any Host/Origin header, as a hostile page or DNS-rebinding would. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path, headers: { Host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const auth = () => ({ Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' });
const rpc = (name: string, input: unknown, extra: Record<string, string> = {}) => raw('POST', `/rpc/${name}`, { ...auth(), ...extra }, JSON.stringify(input));

describe('browser harness', () => {
  it('listens on 127.0.0.1 only, with a fresh token per run', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
    expect(host.openUrl).toBe(`${host.url}?t=${host.token}`);
  });

  it('trades the token in the URL for an HttpOnly SameSite=Strict cookie that authorises calls', async () => {
    const r = await raw('GET', `/?t=${host.token}`);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^batchdesk_token_${host.port}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await raw('GET', '/', { Cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Batchdesk</title>');
    expect(page.headers['content-security-policy']).toMatch(/connect-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const list = await raw('POST', '/rpc/batches.list', { Cookie: cookie.split(';')[0]!, 'Content-Type': 'application/json', Origin: host.url.slice(0, -1) }, '{}');
    expect(JSON.parse(list.body)).toEqual({ ok: true, value: [] });
  });

  it('refuses a wrong token, no token, other origins and other Host names', async () => {
    expect((await raw('GET', '/?t=guess')).status).toBe(401);
    expect((await raw('GET', '/')).status).toBe(401);
    expect((await raw('POST', '/rpc/batches.list', { 'Content-Type': 'application/json' }, '{}')).status).toBe(401);
    const foreign = await rpc('batches.list', {}, { Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toEqual({ ok: false, error: { code: 'forbidden', message: 'Requests from other origins or hosts are refused.' } });
    expect((await rpc('batches.list', {}, { Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await rpc('batches.list', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  });

  it('answers bad requests with clear errors and keeps what was saved', async () => {
    const created = JSON.parse((await rpc('batches.create', { name: 'Keep me', profile: 'sibs' })).body) as { ok: boolean };
    expect(created.ok).toBe(true);
    const bad = await rpc('batches.create', { name: '', profile: 'sibs' });
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body)).toEqual({ ok: false, error: { code: 'bad_input', message: 'Give the batch a name.' } });
    const notJson = await raw('POST', '/rpc/batches.create', auth(), '{"name":');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toBe('The request body is not valid JSON.');
    const form = await raw('POST', '/rpc/batches.create', { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/x-www-form-urlencoded' }, 'name=x');
    expect(form.status).toBe(415);
    const big = await raw('POST', '/rpc/batches.create', auth(), JSON.stringify({ name: 'x'.repeat(100_000), profile: 'sibs' }));
    expect(big.status).toBe(413);
    expect((await raw('GET', '/rpc/batches.list', auth())).status).toBe(405);
    const list = JSON.parse((await rpc('batches.list', {})).body) as { value: { name: string }[] };
    expect(list.value.map((b) => b.name)).toEqual(['Keep me']);
  });

  it('answers malformed URL escapes as client errors, not internal ones', async () => {
    expect((await raw('GET', '/%E0%A4%A', auth())).status).toBe(404);
    const r = await raw('POST', '/rpc/%E0%A4%A', auth(), '{}');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'bad_input', message: 'The channel name in the URL is not valid.' } });
  });

  it('serves only files inside the renderer folder', async () => {
    const js = await raw('GET', '/assets/app.js', auth());
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/text\/javascript/);
    expect((await raw('GET', '/../secret.txt', auth())).status).toBe(404);
    expect((await raw('GET', '/%2e%2e/secret.txt', auth())).status).toBe(404);
    expect((await raw('GET', '/assets/%2e%2e/%2e%2e/secret.txt', auth())).status).toBe(404);
    expect((await raw('GET', '/nope.js', auth())).status).toBe(404);
  });

  it('streams typed events to authorised clients', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: '/events', headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}` } },
        (res) => {
          let data = '';
          let created: Promise<Reply> | null = null;
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            data += c;
            if (!created && data.includes('connected')) created = rpc('batches.create', { name: 'Evented', profile: 'jpmmps' });
            if (created && data.includes('event: batches.changed')) {
              void created.then(() => {
                req.destroy();
                resolve(data);
              }, reject);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    const frame = await received;
    const line = frame.split('\n').find((l) => l.startsWith('data: '))!;
    expect(JSON.parse(line.slice(6))).toMatchObject({ reason: 'created', id: expect.any(String) });
  });
});
