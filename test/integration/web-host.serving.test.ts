/**
 * The browser harness as a server, over real HTTP: it listens on 127.0.0.1 only (not on other
 * loopback or any-interface addresses), on the port asked for or fails clearly when that is taken,
 * keeps its default 8 MiB RPC body limit at the edge, never serves a file outside the renderer
 * folder even when the path hides a `/` as %2F, and hands calls to the handlers as `via: 'http'`
 * with results held to the contract (extra fields stripped, failures logged, never leaked).
 */
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { startHost, type Host } from '../../electron/main/web/host';
import type { CallContext, Handlers, Logger } from '../../electron/main/ipc/wrap';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

let host: Host;
let services: Services;
let rendererDir: string;
let handlers: Handlers;
const contexts: CallContext[] = [];
const logged: Parameters<Logger>[] = [];

beforeAll(async () => {
  const dir = tempDir();
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Batchdesk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  // Beside the renderer folder, with a name that starts like it: must never be served.
  mkdirSync(join(dir, 'renderer-private'));
  writeFileSync(join(dir, 'renderer-private', 'key.txt'), 'private');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  services = createServices({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  const real = createHandlers(services, () => {});
  handlers = {
    ...real,
    'app.info': (input, ctx) => {
      contexts.push(ctx);
      return { ...(real['app.info'](input, ctx) as object), dbKey: 's3cr3t' } as never;
    },
    'batches.list': () => {
      throw new Error('disk on fire at /home/clerk/store.db');
    },
  };
});

// A host per test: what startHost sets up (address, default limit, logger) then counts for the
// test that uses it. No maxBodyBytes: the default limit is under test.
beforeEach(async () => {
  contexts.length = 0;
  logged.length = 0;
  host = await startHost({ handlers, rendererDir, log: (...a) => logged.push(a) });
});

afterEach(async () => {
  await host.close();
});

afterAll(() => {
  services.close();
  cleanupTempDirs();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer, port = host.port): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const bearer = (h: Host = host) => ({ Authorization: `Bearer ${h.token}` });
const json = { 'Content-Type': 'application/json' };

/** Whether a TCP connection to address:port is accepted. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('where it listens', () => {
  it('accepts connections on 127.0.0.1 only: not on 127.0.0.2 (another loopback address) nor ::1', async () => {
    expect(await accepts('127.0.0.1', host.port)).toBe(true);
    expect(await accepts('127.0.0.2', host.port)).toBe(false);
    expect(await accepts('::1', host.port)).toBe(false);
  });

  it('listens on the port it is given, and fails clearly when that port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', () => ok()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(startHost({ handlers: createHandlers(services, () => {}), rendererDir, port: taken })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await new Promise<void>((ok) => blocker.close(() => ok()));
    }
    const h = await startHost({ handlers: createHandlers(services, () => {}), rendererDir, port: taken });
    try {
      expect(h.port).toBe(taken);
      expect(h.url).toBe(`http://127.0.0.1:${taken}/`);
      expect((await raw('GET', '/', bearer(h), undefined, taken)).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('each run has its own random token, and a given token is used as it is', async () => {
    const a = await startHost({ handlers: createHandlers(services, () => {}), rendererDir });
    const b = await startHost({ handlers: createHandlers(services, () => {}), rendererDir, token: 'given-token' });
    try {
      expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(a.token).not.toBe(host.token);
      expect(b.token).toBe('given-token');
      expect(b.openUrl).toBe(`http://127.0.0.1:${b.port}/?t=given-token`);
      expect((await raw('GET', '/', { Authorization: 'Bearer given-token' }, undefined, b.port)).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('the default RPC body limit, 8 MiB', () => {
  const LIMIT = 8 * 1024 * 1024;

  it('accepts exactly 8 MiB and refuses one byte more with 413', async () => {
    const at = Buffer.alloc(LIMIT, ' ');
    at.write('{}', 0);
    const ok = await raw('POST', '/rpc/app.info', { ...bearer(), ...json }, at);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true });
    const over = await raw('POST', '/rpc/app.info', { ...bearer(), ...json }, Buffer.concat([at, Buffer.from(' ')])).catch((e: NodeJS.ErrnoException) => ({ status: -1, headers: {}, body: e.code ?? '' }));
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body)).toEqual({ ok: false, error: { code: 'bad_input', message: `The request is larger than ${LIMIT} bytes.` } });
  });
});

/** Error answers are short plain text (never sniffed as HTML) with the same security headers. */
function expectPlain(r: Reply, status: number, body: string): void {
  expect(r.status).toBe(status);
  expect(r.body).toBe(body);
  expect(r.headers['content-type']).toMatch(/^text\/plain(; charset=utf-8)?$/);
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  expect(r.headers['cache-control']).toBe('no-store');
}

describe('plain-text error answers', () => {
  it('a missing file, a folder, a malformed escape: 404 Not found', async () => {
    for (const path of ['/missing.js', '/assets', '/%E0%A4%A']) expectPlain(await raw('GET', path, bearer()), 404, 'Not found');
  });

  it('another method on a page: 405', async () => {
    expectPlain(await raw('DELETE', '/', bearer()), 405, 'Method not allowed');
  });

  it('a link with a wrong token: 401 that says which URL to use, and no cookie', async () => {
    const r = await raw('GET', `/?t=${host.token.slice(1)}`);
    expectPlain(r, 401, 'This link is not valid for the running Batchdesk host. Use the URL it printed.');
    expect(r.headers['set-cookie']).toBeUndefined();
  });
});

describe('files outside the renderer folder', () => {
  it.each([
    '/..%2Fsecret.txt',
    '/..%2fsecret.txt',
    '/assets%2F..%2F..%2Fsecret.txt',
    '/..%2Frenderer-private%2Fkey.txt',
    '/%2E%2E%2Frenderer-private/key.txt',
    '/..%5Csecret.txt',
  ])('%s is not found', async (path) => {
    const r = await raw('GET', path, bearer());
    expect(r.status).toBe(404);
    expect(r.body).toBe('Not found');
  });

  it('the answer is the same Not found as for a missing file', async () => {
    expectPlain(await raw('GET', '/..%2Fsecret.txt', bearer()), 404, 'Not found');
  });

  it('a %2F inside the folder still finds the file', async () => {
    const r = await raw('GET', '/assets%2Fapp.js', bearer());
    expect(r.status).toBe(200);
    expect(r.body).toBe('console.log(1)');
  });
});

describe('connections', () => {
  it('a body that is not JSON is refused and the connection stays usable; an oversized one closes it', async () => {
    const bad = await raw('POST', '/rpc/app.info', { ...bearer(), ...json }, '{"a":');
    expect(bad.status).toBe(400);
    expect(bad.headers.connection).not.toBe('close');
    const h = await startHost({ handlers, rendererDir, maxBodyBytes: 4 });
    try {
      expect((await raw('POST', '/rpc/app.info', { ...bearer(h), ...json }, '{  }', h.port)).status).toBe(200);
      const over = await raw('POST', '/rpc/app.info', { ...bearer(h), ...json }, '{   }', h.port);
      expect(over.status).toBe(413);
      expect(over.headers.connection).toBe('close');
    } finally {
      await h.close();
    }
  });

  it('the event stream is never cached', async () => {
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/events', headers: { Host: `127.0.0.1:${host.port}`, ...bearer() } }, (res) => {
        resolve(res.headers);
        req.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    expect(headers['content-type']).toBe('text/event-stream');
    expect(headers['cache-control']).toBe('no-store');
  });

  it('close() ends at once, even with a request stalled half-way through its body (quitting never hangs)', async () => {
    const h = await startHost({ handlers, rendererDir });
    let closed: Promise<void> | undefined;
    const cut = new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path: '/rpc/app.info', headers: { Host: `127.0.0.1:${h.port}`, ...bearer(h), ...json, 'Content-Length': '100' } }, () => resolve('answered'));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.write('{"a":', () => setTimeout(() => (closed = h.close()), 50));
    });
    expect(await cut).toBe('ECONNRESET');
    await closed;
  });
});

describe('calls over HTTP', () => {
  it('reach the handler as via "http", and the answer carries only the contract’s fields', async () => {
    const r = await raw('POST', '/rpc/app.info', { ...bearer(), ...json }, '{}');
    expect(r.status).toBe(200);
    expect(contexts).toEqual([{ via: 'http' }]);
    expect(r.body).not.toContain('s3cr3t');
    const v = JSON.parse(r.body) as { ok: true; value: Record<string, unknown> };
    expect(v.ok).toBe(true);
    expect(Object.keys(v.value).sort()).toEqual(['dataDir', 'mode', 'name', 'schemaVersion', 'version']);
  });

  it('a handler that fails answers an internal error without its details, and logs them through the host’s logger', async () => {
    const r = await raw('POST', '/rpc/batches.list', { ...bearer(), ...json }, '{}');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error in batches.list. Details are in the log.' } });
    expect(r.body).not.toContain('store.db');
    expect(logged).toHaveLength(1);
    expect(logged[0]![0]).toBe('error');
    expect(logged[0]![1]).toBe('Handler batches.list failed');
    expect(String(logged[0]![2])).toContain('disk on fire');
  });
});
