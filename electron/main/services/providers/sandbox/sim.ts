/**
 * What every provider simulator shares: the request as the server read it, the answer it gives,
 * the context (clock, seed, ledger, outcome settings), JSON body parsing and rate limiting.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock, IdMaker } from './random';
import type { Ledger, SandboxProviderId } from './ledger';
import type { OutcomeConfig } from './outcomes';

export interface SimRequest {
  method: string;
  /** The request target exactly as sent (with the provider prefix and query), e.g. what Wonder signs. */
  rawUrl: string;
  /** The path below the provider prefix, e.g. `/public/api/v1/mit/batch`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON (Content-Type: application/json). */
  json?: unknown;
}

export type GenericError = 'not_found' | 'method_not_allowed' | 'too_large' | 'rate_limited' | 'server_error';

export interface ProviderSim {
  readonly id: SandboxProviderId;
  handle(req: SimRequest): SimResponse | Promise<SimResponse>;
  /** The provider's own body for errors the server raises (unknown path, injected 429/500...). */
  error(kind: GenericError, message: string, retryAfterSeconds?: number): SimResponse;
  /** Stops background work (Wonder's file downloads) when the server closes. */
  close?(): Promise<void>;
}

export interface SimContext {
  clock: Clock;
  seed: number;
  ledger: Ledger;
  outcomes: OutcomeConfig;
  ids: IdMaker;
}

export function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  if (Array.isArray(v)) return v[0];
  return v;
}

export function bearer(req: SimRequest): string | undefined {
  const auth = header(req, 'authorization');
  const m = auth === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(auth);
  return m ? m[1] : undefined;
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

export function jsonBody(req: SimRequest): JsonBody {
  if (req.body.length === 0) return { ok: false, message: 'The request body is empty; a JSON object is expected.' };
  try {
    return { ok: true, value: JSON.parse(req.body.toString('utf8')) as unknown };
  } catch (e) {
    return { ok: false, message: `The request body is not valid JSON: ${(e as Error).message}` };
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Strict ISO-8601 date-time with a zone (Z or ±hh:mm), as the providers send them. */
export const ISO_DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoDateTime(v: unknown): v is string {
  return typeof v === 'string' && ISO_DATETIME_RE.test(v) && !Number.isNaN(Date.parse(v));
}

export function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Token bucket keyed by whatever the limit is per (merchant, resource id...). `take` returns 0 when
 * allowed, else the ms until a token is free (the Retry-After).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    readonly capacity: number,
    /** ms to refill one token */
    readonly refillMs: number,
  ) {}

  take(key: string): { waitMs: number; remaining: number; resetAt: number } {
    const now = this.clock.now();
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    const refilled = Math.min(this.capacity, b.tokens + (now - b.at) / this.refillMs);
    b.at = now;
    if (refilled >= 1) {
      b.tokens = refilled - 1;
      this.buckets.set(key, b);
      return { waitMs: 0, remaining: Math.floor(b.tokens), resetAt: now + Math.ceil((this.capacity - b.tokens) * this.refillMs) };
    }
    b.tokens = refilled;
    this.buckets.set(key, b);
    // (the epsilon keeps float dust from turning 1000 ms into 1001 ms, i.e. Retry-After 2 instead of 1)
    const waitMs = Math.ceil((1 - refilled) * this.refillMs - 1e-6);
    return { waitMs, remaining: 0, resetAt: now + waitMs };
  }
}

/** Minor units of a JSON number given in major units, or null when it has more decimals than allowed. */
export function majorNumberToMinor(v: unknown, exponent: number): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const s = String(v);
  if (/e/i.test(s)) return null;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const frac = m[3] ?? '';
  if (frac.length > exponent) return null;
  const minor = Number(m[2]! + frac.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor)) return null;
  return m[1] === '-' ? -minor : minor;
}

export function minorToMajorNumber(minor: number, exponent: number): number {
  return Number((minor / 10 ** exponent).toFixed(exponent));
}

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Same JSON content, key order and whitespace aside (a resend re-serialised by another library). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
