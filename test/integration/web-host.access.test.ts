/**
 * Who may talk to the browser harness, over real HTTP on 127.0.0.1: only our Host names, only our
 * own Origin, only same-origin or user-initiated fetches, and only the whole token (never a prefix,
 * never a longer string), by cookie or bearer. Also the RPC body limit at its edge, the routes'
 * methods and the static files' caching.
 */
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Emit, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { startHost, type Host } from '../../electron/main/web/host';
import type { Logger } from '../../electron/main/ipc/wrap';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

const LIMIT = 256;
let host: Host;
let services: Services;
const logged: Parameters<Logger>[] = [];

beforeAll(async () => {
  const dir = tempDir();
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Batchdesk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  services = createServices({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  const ref: { current?: Host } = {};
  const emit: Emit = (name, payload) => ref.current?.emit(name, payload);
  host = ref.current = await startHost({ handlers: createHandlers(services, emit), rendererDir, maxBodyBytes: LIMIT, log: (...a) => logged.push(a) });
});

afterAll(async () => {
  await host.close();
  services.close();
  cleanupTempDirs();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string, port = host.port): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
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

const bearer = (t = host.token) => ({ Authorization: `Bearer ${t}` });
const json = { 'Content-Type': 'application/json' };
const list = (headers: Record<string, string> = {}) => raw('POST', '/rpc/batches.list', { ...bearer(), ...json, ...headers }, '{}');
const FORBIDDEN = { ok: false, error: { code: 'forbidden', message: 'Requests from other origins or hosts are refused.' } };
const NO_TOKEN = "Batchdesk: open the URL that `npm run web` printed (it carries this run's access token).";

describe('Host and Origin (DNS rebinding, CSRF)', () => {
  it('accepts 127.0.0.1 and localhost on its own port', async () => {
    expect((await list()).status).toBe(200);
    expect((await list({ Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it.each([
    (p: number) => `127.0.0.1:${p + 1}`,
    (p: number) => `localhost:${p + 1}`,
    () => '127.0.0.1',
    () => 'localhost',
    (p: number) => `[::1]:${p}`,
    (p: number) => `127.0.0.2:${p}`,
    (p: number) => `evil.example:${p}`,
    (p: number) => `127.0.0.1:${p}.evil.example`,
  ])('refuses Host %#', async (hostName) => {
    const r = await list({ Host: hostName(host.port) });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual(FORBIDDEN);
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('accepts its own Origin, exactly', async () => {
    expect((await list({ Origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
    expect((await list({ Host: `localhost:${host.port}`, Origin: `http://localhost:${host.port}` })).status).toBe(200);
  });

  it.each([
    (p: number) => `http://localhost:${p}`, // the other name of this host: not the page's origin
    (p: number) => `https://127.0.0.1:${p}`,
    (p: number) => `http://127.0.0.1:${p}/`,
    (p: number) => `http://127.0.0.1:${p + 1}`,
    () => 'null',
    () => '',
    () => 'http://evil.example',
  ])('refuses Origin %#', async (origin) => {
    const r = await list({ Origin: origin(host.port) });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual(FORBIDDEN);
  });

  it.each(['same-origin', 'none'])('accepts Sec-Fetch-Site: %s', async (site) => {
    expect((await list({ 'Sec-Fetch-Site': site })).status).toBe(200);
  });

  it.each(['same-site', 'cross-site', 'SAME-ORIGIN', ''])('refuses Sec-Fetch-Site: %j', async (site) => {
    const r = await list({ 'Sec-Fetch-Site': site });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual(FORBIDDEN);
  });

  it('checks the origin before the token: a foreign page learns nothing about it', async () => {
    const r = await raw('GET', `/?t=${host.token}`, { Origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
  });
});

describe('the token', () => {
  const cookieName = () => `batchdesk_token_${host.port}`;

  it('a bearer token or the cookie must be the whole token', async () => {
    expect((await list()).status).toBe(200);
    expect((await list({ Authorization: '', Cookie: `${cookieName()}=${host.token}` })).status).toBe(200);
  });

  it.each([
    ['a prefix', (t: string) => t.slice(0, -1)],
    ['half of it', (t: string) => t.slice(0, t.length / 2)],
    ['its first character', (t: string) => t.slice(0, 1)],
    ['one character more', (t: string) => `${t}x`],
    ['another of the same length', (t: string) => (t[0] === 'A' ? 'B' : 'A') + t.slice(1)],
    ['nothing', () => ''],
  ])('refuses %s, as bearer, cookie and link, with 401 (never an internal error)', async (_what, wrong) => {
    const t = wrong(host.token);
    const viaBearer = await list({ Authorization: `Bearer ${t}` });
    expect(viaBearer.status).toBe(401);
    expect(viaBearer.body).toBe(NO_TOKEN);
    expect((await list({ Authorization: '', Cookie: `${cookieName()}=${t}` })).status).toBe(401);
    const link = await raw('GET', `/?t=${encodeURIComponent(t)}`);
    expect(link.status).toBe(401);
    expect(link.body).toBe('This link is not valid for the running Batchdesk host. Use the URL it printed.');
    expect(link.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    (t: string) => ({ Authorization: `bearer ${t}` }),
    (t: string) => ({ Authorization: `Bearer  ${t}` }),
    (t: string) => ({ Authorization: `Basic ${t}` }),
    (t: string) => ({ Authorization: t }),
    (t: string) => ({ Authorization: '', Cookie: `batchdesk_token_${host.port + 1}=${t}` }),
    (t: string) => ({ Authorization: '', Cookie: `xbatchdesk_token_${host.port}=${t}` }),
    (t: string) => ({ Authorization: '', Cookie: `batchdesk_token=${t}` }),
    (t: string) => ({ Authorization: '', Cookie: `${t}` }),
  ])('refuses the token sent the wrong way (%#)', async (headers) => {
    expect((await list(headers(host.token))).status).toBe(401);
  });

  it('finds its cookie among others, spaces around', async () => {
    expect((await list({ Authorization: '', Cookie: `theme=dark;  ${cookieName()}=${host.token} ; other=1` })).status).toBe(200);
  });

  it('a token with "=" in it still matches as a cookie', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'r'));
    writeFileSync(join(dir, 'r', 'index.html'), 'x');
    const other = await startHost({ handlers: createHandlers(services, () => {}), rendererDir: join(dir, 'r'), token: 'a=b=c' });
    try {
      const login = await raw('GET', '/?t=a%3Db%3Dc', {}, undefined, other.port);
      expect(login.headers['set-cookie']).toEqual([`batchdesk_token_${other.port}=a=b=c; HttpOnly; SameSite=Strict; Path=/`]);
      expect((await raw('GET', '/', { Cookie: `batchdesk_token_${other.port}=a=b=c` }, undefined, other.port)).status).toBe(200);
      expect((await raw('GET', '/', { Cookie: `batchdesk_token_${other.port}=a=b` }, undefined, other.port)).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('the link trades the token for the cookie only on GET /', async () => {
    const login = await raw('GET', `/?t=${host.token}`);
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe('/');
    expect(login.headers['cache-control']).toBe('no-store');
    expect(login.headers['set-cookie']).toEqual([`${cookieName()}=${host.token}; HttpOnly; SameSite=Strict; Path=/`]);
    expect((await raw('POST', `/?t=${host.token}`)).status).toBe(401);
    expect((await raw('GET', `/index.html?t=${host.token}`)).status).toBe(401);
    expect((await raw('GET', '/?t=')).status).toBe(401);
  });

  it('without a token nothing is served, not even the page', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/events', '/rpc/batches.list']) {
      const r = await raw('GET', path);
      expect(r.status, path).toBe(401);
      expect(r.body).toBe(NO_TOKEN);
      expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });
});

describe('RPC requests', () => {
  it('takes JSON with a charset, and an empty body as no input', async () => {
    expect(JSON.parse((await list({ 'Content-Type': 'application/json; charset=utf-8' })).body)).toEqual({ ok: true, value: [] });
    expect(JSON.parse((await raw('POST', '/rpc/batches.list', { ...bearer(), ...json }, '')).body)).toEqual({ ok: true, value: [] });
    expect(JSON.parse((await raw('POST', '/rpc/batches%2Elist', { ...bearer(), ...json }, '{}')).body)).toEqual({ ok: true, value: [] });
  });

  it.each([undefined, 'text/plain', 'text/json', 'multipart/form-data'])('refuses Content-Type %j', async (type) => {
    const headers: Record<string, string> = { ...bearer() };
    if (type !== undefined) headers['Content-Type'] = type;
    const r = await raw('POST', '/rpc/batches.list', headers, '{}');
    expect(r.status).toBe(415);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'bad_input', message: 'Send the input as application/json.' } });
  });

  it(`accepts a body of exactly ${LIMIT} bytes and refuses one byte more`, async () => {
    const at = '{}' + ' '.repeat(LIMIT - 2);
    expect(Buffer.byteLength(at)).toBe(LIMIT);
    const ok = await raw('POST', '/rpc/batches.list', { ...bearer(), ...json }, at);
    expect(ok.status).toBe(200);
    const over = await raw('POST', '/rpc/batches.list', { ...bearer(), ...json }, at + ' ');
    expect(over.status).toBe(413);
    expect(over.headers.connection).toBe('close');
    expect(JSON.parse(over.body)).toEqual({ ok: false, error: { code: 'bad_input', message: `The request is larger than ${LIMIT} bytes.` } });
  });

  it('refuses an oversized body sent in many pieces', async () => {
    const r = await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, method: 'POST', path: '/rpc/batches.list', headers: { Host: `127.0.0.1:${host.port}`, ...bearer(), ...json } }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      });
      req.on('error', () => {}); // the host may close the connection while we still write
      for (let i = 0; i < 20; i++) req.write(' '.repeat(100));
      req.end('{}');
      setTimeout(() => reject(new Error('no answer')), 10_000).unref();
    });
    expect(r.status).toBe(413);
  });

  it('names an unknown channel, and answers other methods with 405', async () => {
    const r = await raw('POST', '/rpc/nope', { ...bearer(), ...json }, '{}');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'unknown_channel', message: 'There is no channel named "nope".' } });
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const m = await raw(method, '/rpc/batches.list', { ...bearer(), ...json });
      expect(m.status).toBe(405);
      expect(JSON.parse(m.body)).toEqual({ ok: false, error: { code: 'bad_input', message: 'Use POST for /rpc calls.' } });
    }
  });
});

describe('static files and other routes', () => {
  it('the page is never cached, assets for an hour, privately', async () => {
    for (const path of ['/', '/index.html']) {
      const r = await raw('GET', path, bearer());
      expect(r.status).toBe(200);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    }
    const js = await raw('GET', '/assets/app.js', bearer());
    expect(js.headers['cache-control']).toBe('private, max-age=3600');
    expect(js.body).toBe('console.log(1)');
    expect(js.headers['content-security-policy']).toMatch(/default-src 'none'/);
  });

  it('HEAD gives the headers without the body', async () => {
    const r = await raw('HEAD', '/assets/app.js', bearer());
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(r.headers['content-type']).toMatch(/javascript/);
  });

  it('folders, missing files and other methods are refused', async () => {
    for (const path of ['/assets', '/assets/', '/missing.html']) {
      const r = await raw('GET', path, bearer());
      expect(r.status, path).toBe(404);
      expect(r.body).toBe('Not found');
    }
    for (const [method, path] of [['DELETE', '/'], ['POST', '/'], ['PUT', '/assets/app.js'], ['POST', '/events']]) {
      const r = await raw(method!, path!, bearer());
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.body).toBe('Method not allowed');
    }
  });

  it('a request target it cannot read is answered as JSON, logged, and the host goes on', async () => {
    const r = await raw('GET', '//', bearer());
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error. Details are in the log.' } });
    expect(logged.some(([level, message]) => level === 'error' && message === 'web host request failed')).toBe(true);
    expect((await list()).status).toBe(200);
  });
});

describe('events', () => {
  it('streams each event as one server-sent event frame, and close() ends the stream', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'r'));
    const h = await startHost({ handlers: createHandlers(services, () => {}), rendererDir: join(dir, 'r') });
    let closing: Promise<void> | undefined;
    const got = new Promise<{ type: string | undefined; data: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: h.port, path: '/events', headers: { Host: `127.0.0.1:${h.port}`, Authorization: `Bearer ${h.token}` } }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          data += c;
          if (data === ': connected\n\n') h.emit('batches.changed', { reason: 'created', id: 'b1' });
          else if (data.endsWith('}\n\n')) closing = h.close(); // the host ends the stream itself
        });
        res.on('end', () => resolve({ type: res.headers['content-type'], data }));
      });
      req.on('error', reject);
      req.end();
      setTimeout(() => reject(new Error('the stream did not end')), 10_000).unref();
    });
    const { type, data } = await got;
    await closing;
    expect(type).toBe('text/event-stream');
    expect(data).toBe(': connected\n\nevent: batches.changed\ndata: {"reason":"created","id":"b1"}\n\n');
  });

  it('refuses to emit a payload that breaks the contract', () => {
    expect(() => host.emit('batches.changed', { reason: 'exploded', id: 'b1' } as never)).toThrow();
  });
});
