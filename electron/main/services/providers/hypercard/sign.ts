/**
 * HyperCard signature (SPEC §5.1): every header field and body field except `signature` and empty
 * values, sorted by name (ASCII), joined as `name=value` with `&`, signed SHA256withRSA, base64.
 * Nested objects/arrays are not specified by HyperCard: we sign their compact JSON text (our choice;
 * the inquiry body has only strings).
 */
import { createSign, createVerify, randomBytes } from 'node:crypto';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function hypercardNonce(): string {
  let s = '';
  while (s.length < 10) for (const b of randomBytes(20)) if (b < 248 && s.length < 10) s += ALNUM[b % 62];
  return s;
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function hypercardSigningString(fields: Record<string, unknown>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature' && valueText(fields[k]) !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${valueText(fields[k])}`)
    .join('&');
}

export interface HypercardHeaders {
  timestamp: string;
  nonce: string;
  'api-key': string;
  version: string;
  signature: string;
  'Content-Type': 'application/json';
  lang?: string;
}

export function hypercardSign(input: { apiKey: string; privateKeyPem: string; body: Record<string, unknown>; now?: number; nonce?: string; lang?: string; version?: string }): HypercardHeaders {
  const headers: Omit<HypercardHeaders, 'signature' | 'Content-Type'> = {
    timestamp: String(Math.floor((input.now ?? Date.now()) / 1000)),
    nonce: input.nonce ?? hypercardNonce(),
    'api-key': input.apiKey,
    version: input.version ?? '1.0',
    ...(input.lang ? { lang: input.lang } : {}),
  };
  const text = hypercardSigningString({ ...headers, ...input.body });
  const signature = createSign('RSA-SHA256').update(text).sign(input.privateKeyPem, 'base64');
  return { ...headers, signature, 'Content-Type': 'application/json' };
}

export function hypercardVerify(publicKeyPem: string, fields: Record<string, unknown>, signature: string): boolean {
  return createVerify('RSA-SHA256').update(hypercardSigningString(fields)).verify(publicKeyPem, signature, 'base64');
}
