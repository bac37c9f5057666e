/**
 * The browser harness: the same handler map as Electron IPC, served over HTTP on 127.0.0.1 only,
 * on a random port, guarded by a per-run secret token. It serves the built renderer, answers
 * `POST /rpc/<channel>` with the contract's Result, and streams typed events at `GET /events`
 * (server-sent events). Requests from other origins or hosts are refused (DNS rebinding, CSRF).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { dispatch, type Handlers, type Logger } from '../ipc/wrap';
import { events as eventSchemas, type EventName, type EventPayload } from '../../../shared/contract';
import { SECURITY_HEADERS, mimeType } from '../security';
import { AppError } from '../services/errors';
import type { UploadStore } from '../services/files/uploads';

export interface HostOptions {
  handlers: Handlers;
  rendererDir: string;
  port?: number;
  token?: string;
  log?: Logger;
  /** Largest accepted RPC body. */
  maxBodyBytes?: number;
  /** Where `POST /upload` keeps uploaded files (web mode's `<input type=file>`); without it, 404. */
  uploads?: UploadStore;
}

export interface Host {
  url: string;
  /** The URL to open: carries the token once; the host trades it for an HttpOnly cookie. */
  openUrl: string;
  port: number;
  token: string;
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  close(): Promise<void>;
}

/** Decode a URL path segment; a malformed escape is the client's error, not ours. */
function decodePath(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8', extra);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return; // drain and drop the rest; the 413 answer closes the connection
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(Object.assign(new Error(`Request body over ${limit} bytes`), { status: 413 }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolveBody(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

export async function startHost(opts: HostOptions): Promise<Host> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const log: Logger = opts.log ?? (() => {});
  const maxBody = opts.maxBodyBytes ?? 8 * 1024 * 1024;
  const rendererRoot = resolve(opts.rendererDir);
  const clients = new Set<ServerResponse>();
  let port = 0;
  // Browsers share cookies across ports of one host: name the cookie after the port so two
  // harnesses (two data folders) do not log each other out.
  const cookieName = () => `batchdesk_token_${port}`;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  /** Host must be ours (defeats DNS rebinding); Origin, when sent, must be ours (defeats CSRF). */
  function originOk(req: IncomingMessage): boolean {
    const host = req.headers.host;
    if (!host || !allowedHosts().has(host)) return false;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) return false;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
    return true;
  }

  function authed(req: IncomingMessage): boolean {
    return sameToken(cookieToken(req, cookieName()), token) || sameToken(bearerToken(req), token);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const rel = pathname === '/' ? 'index.html' : decodePath(pathname.slice(1));
    if (rel === null) return send(res, 404, 'Not found', 'text/plain');
    const file = normalize(join(rendererRoot, rel));
    if (file !== rendererRoot && !file.startsWith(rendererRoot + sep)) return send(res, 404, 'Not found', 'text/plain');
    try {
      const st = await stat(file);
      if (!st.isFile()) return send(res, 404, 'Not found', 'text/plain');
      const body = await readFile(file);
      const cache = rel === 'index.html' ? 'no-store' : 'private, max-age=3600';
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': mimeType(file), 'Cache-Control': cache });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      send(res, 404, 'Not found', 'text/plain');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!originOk(req)) return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'Requests from other origins or hosts are refused.' } });
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);

    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('t')) {
      if (!sameToken(url.searchParams.get('t') ?? undefined, token)) {
        return send(res, 401, 'This link is not valid for the running Batchdesk host. Use the URL it printed.', 'text/plain; charset=utf-8');
      }
      return send(res, 302, '', 'text/plain', {
        Location: '/',
        'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    if (!authed(req)) {
      return send(
        res,
        401,
        'Batchdesk: open the URL that `npm run web` printed (it carries this run\'s access token).',
        'text/plain; charset=utf-8',
      );
    }

    if (url.pathname.startsWith('/rpc/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'bad_input', message: 'Use POST for /rpc calls.' } });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(res, 415, { ok: false, error: { code: 'bad_input', message: 'Send the input as application/json.' } });
      }
      let input: unknown;
      try {
        const body = await readBody(req, maxBody);
        input = body.length ? JSON.parse(body) : {};
      } catch (e) {
        const status = (e as { status?: number }).status ?? 400;
        return sendJson(
          res,
          status,
          { ok: false, error: { code: 'bad_input', message: status === 413 ? `The request is larger than ${maxBody} bytes.` : 'The request body is not valid JSON.' } },
          status === 413 ? { Connection: 'close' } : {},
        );
      }
      const name = decodePath(url.pathname.slice('/rpc/'.length));
      if (name === null) return sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: 'The channel name in the URL is not valid.' } });
      const result = await dispatch(opts.handlers, name, input, { via: 'http' }, log);
      return sendJson(res, 200, result);
    }

    if (url.pathname === '/upload' && opts.uploads) {
      // A file chosen with <input type=file>: the raw bytes as the body, the file's name in ?name=.
      // Same origin, host and token checks as /rpc (above); answers a file ref for import.preview.
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'bad_input', message: 'Use POST to upload a file.' } });
      const name = url.searchParams.get('name') ?? '';
      if (name.trim() === '') return sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: "Send the file's name as ?name=." } });
      try {
        const stored = await opts.uploads.save(name, req);
        return sendJson(res, 200, { ok: true, value: { file: { kind: 'upload', id: stored.id, name: stored.name }, size: stored.size } });
      } catch (e) {
        if (e instanceof AppError) return sendJson(res, e.code === 'file.too_large' ? 413 : 400, { ok: false, error: { code: e.code, message: e.message } }, { Connection: 'close' });
        throw e;
      }
    }

    if (url.pathname === '/events' && req.method === 'GET') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }

    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(req, res, url.pathname);
    return send(res, 405, 'Method not allowed', 'text/plain');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log('error', 'web host request failed', e);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error. Details are in the log.' } });
      else res.end();
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The web host did not get a TCP port.');
  port = address.port;
  const url = `http://127.0.0.1:${port}/`;

  return {
    url,
    openUrl: `${url}?t=${token}`,
    port,
    token,
    emit(name, payload) {
      const data = eventSchemas[name].parse(payload);
      const frame = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const c of clients) c.write(frame);
    },
    close: () =>
      new Promise<void>((done) => {
        for (const c of clients) c.end();
        clients.clear();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
