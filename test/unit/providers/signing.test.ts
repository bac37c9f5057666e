import { describe, expect, it } from 'vitest';
import { createHmac, createVerify, generateKeyPairSync } from 'node:crypto';
import { wonderNonce, wonderRequestTime, wonderSign, wonderSigningMessage, wonderVerify } from '../../../electron/main/services/providers/wonder/sign';
import { hypercardSign, hypercardSigningString, hypercardVerify } from '../../../electron/main/services/providers/hypercard/sign';
import { splitMonths } from '../../../electron/main/services/providers/hypercard/inquiry';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

describe('Wonder signature (SPEC §1.2)', () => {
  it('follows the HMAC chain step by step', () => {
    const nonce = 'AbCdEfGh12345678';
    const time = '20240501120123';
    const k1 = createHmac('sha256', nonce).update(time).digest();
    const k2 = createHmac('sha256', k1).update('Wonder-RSA-SHA256').digest();
    const body = '{"file_url":"https://x/y.csv"}';
    const expected = createHmac('sha256', k2).update(`POST\n/svc/payment/api/v1/openapi/x?a=1\n${body}`).digest('hex');
    expect(wonderSigningMessage(nonce, time, 'post', '/svc/payment/api/v1/openapi/x?a=1', body)).toBe(expected);
    // No body: no trailing newline.
    const noBody = createHmac('sha256', k2).update('GET\n/p').digest('hex');
    expect(wonderSigningMessage(nonce, time, 'GET', '/p', '')).toBe(noBody);
  });

  it('signs with RSA-SHA256 over the hex message; headers have the published formats', () => {
    const now = new Date(Date.UTC(2024, 4, 1, 12, 1, 23));
    const h = wonderSign({ appId: 'app-1', privateKeyPem: privateKey, method: 'POST', uri: '/a', body: '{}', now, nonce: 'AbCdEfGh12345678' });
    expect(h.Credential).toBe('app-1/20240501120123/Wonder-RSA-SHA256');
    expect(h['X-Request-ID']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const msg = wonderSigningMessage('AbCdEfGh12345678', '20240501120123', 'POST', '/a', '{}');
    expect(createVerify('RSA-SHA256').update(msg).verify(publicKey, h.Signature, 'base64')).toBe(true);
    expect(wonderVerify({ publicKeyPem: publicKey, credential: h.Credential, nonce: h.Nonce, signature: h.Signature, method: 'POST', uri: '/a', body: '{}' })).toBe(true);
    // One changed byte of the body breaks it.
    expect(wonderVerify({ publicKeyPem: publicKey, credential: h.Credential, nonce: h.Nonce, signature: h.Signature, method: 'POST', uri: '/a', body: '{ }' })).toBe(false);
  });

  it('nonce is 16 alphanumerics, request time is UTC yyyyMMddHHmmss', () => {
    for (let i = 0; i < 50; i++) expect(wonderNonce()).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(wonderRequestTime(new Date('2025-12-31T23:59:59.999Z'))).toBe('20251231235959');
  });
});

describe('HyperCard signature (SPEC §5.1)', () => {
  it('sorts header and body fields by name, drops signature and empty values', () => {
    expect(hypercardSigningString({ version: '1.0', nonce: 'abc', 'api-key': 'k', timestamp: 5, card_id: 'c', empty: '', signature: 'x', end_time: '102022' })).toBe(
      'api-key=k&card_id=c&end_time=102022&nonce=abc&timestamp=5&version=1.0',
    );
  });

  it('headers verify with the public key; lang takes part when sent', () => {
    const body = { card_id: 'c1', start_time: '012022', end_time: '062022' };
    const h = hypercardSign({ apiKey: 'm1', privateKeyPem: privateKey, body, now: 1_700_000_000_000, nonce: 'abcdefghij', lang: 'en' });
    expect(h.timestamp).toBe('1700000000');
    expect(h.nonce).toMatch(/^[A-Za-z0-9]{10}$/);
    const { signature, 'Content-Type': _ct, ...fields } = h;
    expect(hypercardVerify(publicKey, { ...fields, ...body }, signature)).toBe(true);
    const { lang: _l, ...withoutLang } = fields;
    expect(hypercardVerify(publicKey, { ...withoutLang, ...body }, signature)).toBe(false);
  });
});

describe('HyperCard month ranges', () => {
  it('six months is one call; seven is two; windows are consecutive and inclusive', () => {
    expect(splitMonths('012022', '062022')).toEqual([{ start_time: '012022', end_time: '062022' }]);
    expect(splitMonths('012022', '072022')).toEqual([
      { start_time: '012022', end_time: '062022' },
      { start_time: '072022', end_time: '072022' },
    ]);
    expect(splitMonths('112021', '102022')).toEqual([
      { start_time: '112021', end_time: '042022' },
      { start_time: '052022', end_time: '102022' },
    ]);
    expect(splitMonths('032024', '032024')).toEqual([{ start_time: '032024', end_time: '032024' }]);
  });

  it('refuses reversed or malformed months', () => {
    expect(() => splitMonths('022022', '012022')).toThrow(/before/);
    expect(() => splitMonths('132022', '012023')).toThrow(/MMyyyy/);
    expect(() => splitMonths('2022-01', '012023')).toThrow(/MMyyyy/);
  });
});
