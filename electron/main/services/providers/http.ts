/**
 * The one HTTP client of the main process: every provider call goes through `request`, with a
 * timeout and an AbortSignal. It never retries (the outbox decides, after writing the attempt down)
 * and it tells apart "the provider answered" from "we do not know whether it got the request".
 */

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Exact bytes to send (signatures and body hashes are computed over this text). */
  body?: string;
  /** Default 30 s; JPMMPS asks for ≥ 90 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
  elapsedMs: number;
}

/**
 * A call whose answer never arrived. `kind`:
 * - `timeout`: no complete answer within the time limit — the provider may have processed it;
 * - `network`: connection refused/reset/dropped — may or may not have reached the provider;
 * - `aborted`: cancelled by us (pause, shutdown) — may have reached the provider.
 * `maybeSent` is false only when the connection was refused (nothing can have been processed).
 */
export class TransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network' | 'aborted',
    readonly maybeSent: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

function causeCode(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== 'object' || depth > 5) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  // undici wraps the socket error as `cause`; several addresses tried give an AggregateError.
  const errors = (e as { errors?: unknown }).errors;
  if (Array.isArray(errors)) for (const x of errors) { const c = causeCode(x, depth + 1); if (c) return c; }
  return causeCode((e as { cause?: unknown }).cause, depth + 1) ?? (typeof code === 'string' ? code : undefined);
}

/** Host and path only: query strings may carry references, never secrets, but keep messages short. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'the provider';
  }
}

export async function request(req: HttpRequest): Promise<HttpResponse> {
  const timeoutMs = req.timeoutMs ?? 30_000;
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, timeoutMs);
  const onAbort = () => ctl.abort();
  if (req.signal) {
    if (req.signal.aborted) ctl.abort();
    else req.signal.addEventListener('abort', onAbort, { once: true });
  }
  const started = performance.now();
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers ?? {},
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal: ctl.signal,
      redirect: 'error',
    });
    const text = await res.text();
    let json: unknown;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.status, headers: res.headers, text, json, elapsedMs: performance.now() - started };
  } catch (e) {
    const where = describeUrl(req.url);
    if (timedOut) throw new TransportError('timeout', true, `No answer from ${where} within ${Math.round(timeoutMs / 1000)} s.`);
    if (req.signal?.aborted) throw new TransportError('aborted', true, `The call to ${where} was cancelled.`);
    const code = causeCode(e);
    // Refused / unknown host: the request never left this machine, so nothing can have been charged.
    const badPort = /bad port/i.test(String((e as { cause?: { message?: unknown } }).cause?.message ?? ''));
    const notSent = badPort || code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH';
    throw new TransportError('network', !notSent, notSent ? `Cannot reach ${where}${code ? ` (${code})` : badPort ? ' (a port that network software refuses to use; check the base URL)' : ''}.` : `The connection to ${where} broke before an answer arrived${code ? ` (${code})` : ''}.`);
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const v = headers.get('retry-after');
  if (v === null || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v.trim()) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Joins a base URL (which may carry a path prefix) and an absolute API path. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}
