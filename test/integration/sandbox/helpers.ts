/** Small HTTP helpers for the sandbox tests (real HTTP through fetch). */
import { createHmac, createSign, randomBytes, randomUUID } from 'node:crypto';

export interface Reply {
  status: number;
  headers: Headers;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- provider bodies are checked field by field in the tests
}

export async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {}): Promise<Reply> {
  const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? null : JSON.parse(text) };
}

/** Resolves to the error when the request fails at the network level (reset, dropped answer). */
export async function networkFailure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the request to fail at the network level, but it was answered');
}

export function epayEntry(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subscriptionId: randomUUID(),
    amount: 1095,
    currency: 'DKK',
    reference: `ref-${randomUUID().slice(0, 8)}`,
    instantCapture: 'OFF',
    textOnStatement: 'Sandbox renewal',
    notificationUrl: 'https://example.com/epay/notification',
    attributes: { row: 1 },
    ...over,
  };
}

/**
 * Signs a Wonder request as SPEC §1.2 describes (written here from SPEC, independently of the
 * sandbox's verifier, so the two check each other).
 */
export function wonderHeaders(opts: { appId: string; privateKeyPem: string; method: string; url: string; body?: string; at?: number; nonce?: string }): Record<string, string> {
  const d = new Date(opts.at ?? Date.now());
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  const nonce = opts.nonce ?? randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 16);
  const u = new URL(opts.url);
  const uri = u.pathname + u.search;
  const k1 = createHmac('sha256', nonce).update(time).digest();
  const k2 = createHmac('sha256', k1).update('Wonder-RSA-SHA256').digest();
  const content = `${opts.method.toUpperCase()}\n${uri}${opts.body ? `\n${opts.body}` : ''}`;
  const msg = createHmac('sha256', k2).update(content).digest('hex');
  const signature = createSign('RSA-SHA256').update(msg).sign(opts.privateKeyPem, 'base64');
  return { Credential: `${opts.appId}/${time}/Wonder-RSA-SHA256`, Nonce: nonce, Signature: signature, 'Content-Type': 'application/json', 'X-Request-ID': randomUUID() };
}

/** HyperCard headers + signature (SPEC §5.1), again written from SPEC independently of the sandbox. */
export function hypercardHeaders(opts: { apiKey: string; privateKeyPem: string; body: Record<string, string>; at?: number; nonce?: string; lang?: string }): Record<string, string> {
  const h: Record<string, string> = {
    timestamp: String(Math.floor((opts.at ?? Date.now()) / 1000)),
    nonce: opts.nonce ?? randomBytes(5).toString('hex'),
    'api-key': opts.apiKey,
    version: '1.0',
    ...(opts.lang ? { lang: opts.lang } : {}),
  };
  const all: Record<string, string> = { ...h, ...opts.body };
  const text = Object.keys(all).filter((k) => all[k] !== '').sort().map((k) => `${k}=${all[k]}`).join('&');
  return { ...h, signature: createSign('RSA-SHA256').update(text).sign(opts.privateKeyPem, 'base64') };
}
