/**
 * Wonder request signing (SPEC §1.2): Credential `{AppID}/{yyyyMMddHHmmss UTC}/Wonder-RSA-SHA256`,
 * a 16-character alphanumeric Nonce, and Signature = base64(RSA-SHA256(privateKey, hex(HMAC chain))).
 */
import { createHmac, createSign, createVerify, randomBytes, randomUUID } from 'node:crypto';

export const WONDER_ALGORITHM = 'Wonder-RSA-SHA256';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function wonderRequestTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** 16 random alphanumeric characters (rejection sampling: no modulo bias). */
export function wonderNonce(): string {
  let s = '';
  while (s.length < 16) {
    for (const b of randomBytes(32)) {
      if (b < 248 && s.length < 16) s += ALNUM[b % 62];
    }
  }
  return s;
}

/** Steps 1-4: the lowercase hex message that is RSA-signed. */
export function wonderSigningMessage(nonce: string, requestTime: string, method: string, uri: string, body: string): string {
  const k1 = createHmac('sha256', nonce).update(requestTime).digest();
  const k2 = createHmac('sha256', k1).update(WONDER_ALGORITHM).digest();
  let content = method.toUpperCase() + '\n' + uri;
  if (body.length > 0) content += '\n' + body;
  return createHmac('sha256', k2).update(content).digest('hex');
}

export interface WonderSignedHeaders {
  Credential: string;
  Nonce: string;
  Signature: string;
  'Content-Type': 'application/json';
  'X-Request-ID': string;
}

/** Headers for one request; `uri` is the path with its query string exactly as sent. */
export function wonderSign(input: { appId: string; privateKeyPem: string; method: string; uri: string; body: string; now?: Date; nonce?: string }): WonderSignedHeaders {
  const time = wonderRequestTime(input.now ?? new Date());
  const nonce = input.nonce ?? wonderNonce();
  const msg = wonderSigningMessage(nonce, time, input.method, input.uri, input.body);
  const signature = createSign('RSA-SHA256').update(msg).sign(input.privateKeyPem, 'base64');
  return { Credential: `${input.appId}/${time}/${WONDER_ALGORITHM}`, Nonce: nonce, Signature: signature, 'Content-Type': 'application/json', 'X-Request-ID': randomUUID() };
}

/** Verifies a Wonder signature (webhooks; tests). */
export function wonderVerify(input: { publicKeyPem: string; credential: string; nonce: string; signature: string; method: string; uri: string; body: string }): boolean {
  const time = input.credential.split('/')[1] ?? '';
  const msg = wonderSigningMessage(input.nonce, time, input.method, input.uri, input.body);
  return createVerify('RSA-SHA256').update(msg).verify(input.publicKeyPem, input.signature, 'base64');
}
