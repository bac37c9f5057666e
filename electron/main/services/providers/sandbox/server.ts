/**
 * The sandbox's HTTP server (node:http, 127.0.0.1 only). One prefix per provider
 * (`/epay/...`, `/sibs/...`); each request is read in full, run through the fault plan, handed to
 * the provider's simulator, and answered (or, for a `drop` fault, processed and never answered).
 * `/_sandbox/ledger` (GET) and `/_sandbox/faults` (PUT) let a test in another process read what
 * was charged and change the faults.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Faults, FaultsConfig } from './faults';
import type { Ledger, SandboxProviderId } from './ledger';
import type { ProviderSim, SimResponse } from './sim';

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface ServerParts {
  port: number;
  sims: ReadonlyMap<SandboxProviderId, ProviderSim>;
  faults: Faults;
  ledger: Ledger;
  /** Extra info served at GET /_sandbox (base URLs...). */
  describe: () => unknown;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new TooLarge());
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: SimResponse): void {
  if (res.destroyed) return;
  const body = r.json === undefined ? '' : JSON.stringify(r.json);
  res.writeHead(r.status, { ...(r.json === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }), 'Content-Length': String(Buffer.byteLength(body)), ...r.headers });
  res.end(body);
}

/** A JSON fault plan from HTTP: `match` arrives as a string and becomes a RegExp. */
function faultsFromJson(v: unknown): FaultsConfig {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError('faults must be an object keyed by provider (or "all")');
  const out: FaultsConfig = {};
  for (const [k, cfg] of Object.entries(v as Record<string, unknown>)) {
    if (cfg === null) continue;
    const c = cfg as Record<string, unknown>;
    (out as Record<string, unknown>)[k] = { ...c, ...(typeof c['match'] === 'string' ? { match: new RegExp(c['match']) } : {}) };
  }
  return out;
}

export async function startServer(parts: ServerParts): Promise<RunningServer> {
  const closing = new AbortController();
  const sockets = new Set<Socket>();
  let port = parts.port;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      closing.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/_sandbox' && req.method === 'GET') return send(res, { status: 200, json: parts.describe() });
    if (path === '/_sandbox/ledger' && req.method === 'GET') return send(res, { status: 200, json: parts.ledger.snapshot() });
    if (path === '/_sandbox/faults' && req.method === 'PUT') {
      try {
        parts.faults.set(faultsFromJson(JSON.parse((await readBody(req, 64 * 1024)).toString('utf8'))));
        return send(res, { status: 204 });
      } catch (e) {
        return send(res, { status: 400, json: { error: `Invalid fault plan: ${(e as Error).message}` } });
      }
    }
    return send(res, { status: 404, json: { error: `No sandbox control endpoint ${req.method} ${path}` } });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only this machine's own names: a web page on another host name (DNS rebinding) is refused.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, { status: 421, json: { error: 'The sandbox answers only on 127.0.0.1.' } });
    const rawUrl = req.url ?? '/';
    let url: URL;
    try {
      url = new URL(rawUrl, `http://127.0.0.1:${port}`);
    } catch {
      return send(res, { status: 400, json: { error: 'Malformed request target.' } });
    }
    const method = req.method ?? 'GET';
    const first = url.pathname.split('/')[1] ?? '';
    if (first === '_sandbox') return control(req, res, url.pathname.replace(/\/+$/, ''));
    const sim = parts.sims.get(first as SandboxProviderId);
    if (!sim) return send(res, { status: 404, json: { error: `Unknown provider prefix /${first}; the sandbox serves ${[...parts.sims.keys()].map((k) => `/${k}`).join(', ')}.` } });
    const id = sim.id;
    parts.ledger.requestReceived(id);
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (e) {
      if (e instanceof TooLarge) {
        send(res, sim.error('too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
        res.on('finish', () => req.socket.destroy());
      }
      return;
    }
    const path = url.pathname.slice(first.length + 1) || '/';
    const fault = parts.faults.decide(id, method, path);
    if (fault) parts.ledger.faultApplied(id, fault.kind);
    if (fault?.kind === 'latency') await sleep(fault.latencyMs);
    if (closing.signal.aborted) return;
    if (fault?.kind === '429') return send(res, sim.error('rate_limited', `Too many requests (sandbox fault); retry after ${fault.retryAfterSeconds} s.`, fault.retryAfterSeconds));
    if (fault?.kind === '500') return send(res, sim.error('server_error', 'Internal server error (sandbox fault); the request was not processed.'));
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    let response: SimResponse;
    try {
      response = await sim.handle({ method, rawUrl, path, query: url.searchParams, headers: req.headers, body });
    } catch (e) {
      process.emitWarning(`sandbox ${id}: ${(e as Error).message}`);
      response = sim.error('server_error', 'Internal server error.');
    }
    parts.ledger.requestProcessed(id);
    if (fault?.kind === 'drop') {
      // Processed in full; the answer is lost on the way back.
      req.socket.destroy();
      return;
    }
    send(res, response);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      process.emitWarning(`sandbox: ${(e as Error).message}`);
      if (!res.headersSent) send(res, { status: 500, json: { error: 'Internal sandbox error.' } });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(parts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
