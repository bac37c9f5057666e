/**
 * Verifies Wonder's signed requests (SPEC §1.2): Credential `{AppID}/{yyyyMMddHHmmss UTC}/Wonder-RSA-SHA256`,
 * Nonce (16 alphanumerics), Signature = base64 RSASSA-PKCS1-v1_5/SHA-256 over
 *   hex(HMAC-SHA256(k2, METHOD "\n" uri ["\n" body]))  with k2 = HMAC(HMAC(Nonce, REQUEST_TIME), "Wonder-RSA-SHA256"),
 * where uri is the request target as sent (path and query) and body the exact bytes sent.
 *
 * Sandbox choices: E000001 missing header (401), E000002 bad Credential format (401, SPEC's
 * example), E000003 unknown AppID (403), E000004 time more than 30 min off (401), E000005 bad
 * Nonce (401), E000006 signature mismatch (403), E000007 missing/invalid X-Request-ID (400),
 * E000008 Nonce reused within the 30-minute window (401: a replayed request; re-sign each attempt).
 */
import { createHmac, createVerify, type KeyObject } from 'node:crypto';
import type { Clock } from './random';
import { header, UUID_RE, type SimRequest, type SimResponse } from './sim';

export const WONDER_ALGORITHM = 'Wonder-RSA-SHA256';
export const WONDER_SKEW_MS = 30 * 60 * 1000;

function wonderError(status: number, code: string, message: string): SimResponse {
  return { status, json: { code, message } };
}

/** REQUEST_TIME `yyyyMMddHHmmss` (UTC) → epoch ms, or null. */
export function parseRequestTime(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return null;
  return t;
}

/** The message Wonder signs (lowercase hex), from the request as received. */
export function wonderSigningMessage(nonce: string, requestTime: string, method: string, uri: string, body: Buffer): string {
  const k1 = createHmac('sha256', nonce).update(requestTime).digest();
  const k2 = createHmac('sha256', k1).update(WONDER_ALGORITHM).digest();
  const content = Buffer.concat([Buffer.from(`${method.toUpperCase()}\n${uri}`), body.length > 0 ? Buffer.concat([Buffer.from('\n'), body]) : Buffer.alloc(0)]);
  return createHmac('sha256', k2).update(content).digest('hex');
}

export class WonderAuth {
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly apps: ReadonlyMap<string, KeyObject>,
  ) {}

  /** null when the request is authentic, else Wonder's error answer. */
  check(req: SimRequest): SimResponse | null {
    const credential = header(req, 'credential');
    const nonce = header(req, 'nonce');
    const signature = header(req, 'signature');
    if (!credential || !nonce || !signature) return wonderError(401, 'E000001', 'Missing Credential, Nonce or Signature header.');
    const parts = credential.split('/');
    if (parts.length !== 3 || parts[0] === '' || parts[2] !== WONDER_ALGORITHM) return wonderError(401, 'E000002', 'Invalid Credential Format.');
    const [appId, requestTime] = parts as [string, string, string];
    const at = parseRequestTime(requestTime);
    if (at === null) return wonderError(401, 'E000002', 'Invalid Credential Format.');
    const key = this.apps.get(appId);
    if (!key) return wonderError(403, 'E000003', `Unknown AppID ${appId}.`);
    const now = this.clock.now();
    if (Math.abs(now - at) > WONDER_SKEW_MS) return wonderError(401, 'E000004', 'Request time is more than 30 minutes from server time: check the computer clock.');
    if (!/^[A-Za-z0-9]{16}$/.test(nonce)) return wonderError(401, 'E000005', 'Nonce must be 16 random alphanumeric characters.');
    const msg = wonderSigningMessage(nonce, requestTime, req.method, req.rawUrl, req.body);
    let ok = false;
    try {
      ok = createVerify('RSA-SHA256').update(msg).verify(key, signature, 'base64');
    } catch {
      ok = false;
    }
    if (!ok) return wonderError(403, 'E000006', 'Signature verification failed.');
    const requestId = header(req, 'x-request-id');
    if (!requestId || !UUID_RE.test(requestId)) return wonderError(400, 'E000007', 'X-Request-ID must be a UUIDv4, unique per request.');
    for (const [n, exp] of this.nonces) if (exp <= now) this.nonces.delete(n);
    const seenKey = `${appId}/${nonce}`;
    if (this.nonces.has(seenKey)) return wonderError(401, 'E000008', 'This Nonce was already used: sign every request, retries included, with a new Nonce.');
    this.nonces.set(seenKey, now + WONDER_SKEW_MS);
    return null;
  }
}
