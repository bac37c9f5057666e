/** Limits of the sandbox, each checked just inside (accepted) and just outside (refused). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { manualClock, SANDBOX_HYPERCARD_CARD_IDS, sandboxConnection, startSandbox, WONDER_PATHS, type Sandbox } from '../../../electron/main/services/providers/sandbox';
import { call, epayEntry, hypercardHeaders, wonderHeaders } from './helpers';

const clock = manualClock();
let sb: Sandbox;
let epayAuth: Record<string, string>;
let jpm: Record<string, string>;

beforeAll(async () => {
  sb = await startSandbox({ seed: 13, clock, s3: false });
  epayAuth = { Authorization: `Bearer ${sandboxConnection('epay', sb).credentials['apiKey'] as string}` };
  jpm = sandboxConnection('jpmmps', sb).credentials as Record<string, string>;
});
afterAll(() => sb.close());

const batch = (headers: Record<string, string>, transactions: unknown[]) => call(`${sb.providers.epay}/public/api/v1/mit/batch`, { headers: { ...epayAuth, ...headers }, body: { transactions } });

describe('sandbox boundaries', () => {
  it('ePay: amount 1 is accepted, 0 and -1 are not; the Idempotency-Key lives exactly 24 h', async () => {
    clock.advance(1000);
    const r = await batch({}, [epayEntry({ amount: 1 }), epayEntry({ amount: 0 }), epayEntry({ amount: -1 })]);
    expect(r.json.transactions.map((t: { error: unknown }) => t.error === null)).toEqual([true, false, false]);
    const key = randomUUID();
    clock.advance(1000);
    await batch({ 'Idempotency-Key': key }, [epayEntry({ reference: 'ttl' })]);
    clock.advance(24 * 3600 * 1000 - 1);
    expect((await batch({ 'Idempotency-Key': key }, [epayEntry({ reference: 'ttl' })])).headers.get('idempotent-replayed')).toBe('true');
    clock.advance(1);
    expect((await batch({ 'Idempotency-Key': key }, [epayEntry({ reference: 'ttl' })])).headers.get('idempotent-replayed')).toBeNull();
  });

  it('ePay: the single MIT endpoint allows a burst of 300, then 5 per second', async () => {
    clock.advance(120_000); // a full bucket
    const statuses: number[] = [];
    for (let i = 0; i < 301; i++) statuses.push((await call(`${sb.providers.epay}/public/api/v1/mit`, { headers: epayAuth, body: epayEntry({ reference: `burst-${i}` }) })).status);
    expect(statuses.slice(0, 300).every((s) => s === 200)).toBe(true);
    expect(statuses[300]).toBe(429);
    clock.advance(200);
    expect((await call(`${sb.providers.epay}/public/api/v1/mit`, { headers: epayAuth, body: epayEntry() })).status).toBe(200);
  });

  it('JPMMPS: a token works until 1 ms before validUntil; presentationUsage 127 passes, 128 not', async () => {
    const issued = await call(`${sb.providers.jpmmps}/user/${jpm['userId']}/issue`, { body: { password: jpm['password'] } });
    const h = { 'X-Auth-Token': issued.json.token as string };
    const body = (ref: string, usage: string) => ({ partnerReference: ref, programAccno: jpm['programAccno'], accno: jpm['accno'], accnoType: jpm['accnoType'], storedPaymentOptionReference: 'spo', presentationAmount: 1.5, presentationCurrCode: 'EUR', presentationUsage: usage, useDifferentBillingAddress: false, localDate: '2026-01-15', localTime: '235959' });
    expect((await call(`${sb.providers.jpmmps}/payment/authorize`, { method: 'PUT', headers: h, body: body('U-127', 'u'.repeat(127)) })).status).toBe(201);
    expect((await call(`${sb.providers.jpmmps}/payment/authorize`, { method: 'PUT', headers: h, body: body('U-128', 'u'.repeat(128)) })).status).toBe(400);
    expect((await call(`${sb.providers.jpmmps}/payment/authorize`, { method: 'PUT', headers: h, body: { ...body('T-1', 'x'), localTime: '240000' } })).status).toBe(400);
    clock.advance(30 * 60 * 1000 - 1);
    expect((await call(`${sb.providers.jpmmps}/payment/authorize`, { method: 'PUT', headers: h, body: body('T-2', 'x') })).status).toBe(201);
    clock.advance(1);
    expect((await call(`${sb.providers.jpmmps}/payment/authorize`, { method: 'PUT', headers: h, body: body('T-3', 'x') })).status).toBe(401);
  });

  it('SmartPay: modificationId 64 characters passes, 65 not; storedPaymentOptionReference 36 passes, 37 not', async () => {
    const headers = { 'Accept-Language': 'en-US', Origin: jpm['origin']!, 'User-Agent': 'test' };
    const mit = (modificationId: string, spo = 'spo') => call(`${sb.providers.jpmmps}/payment/mit`, { headers, body: { merchantKey: jpm['merchantKey'], modificationId, storedPaymentOptionReference: spo, payment: { amount: 1, currency: 'EUR' } } });
    expect((await mit('m'.repeat(64))).status).toBe(201);
    expect((await mit('n'.repeat(65))).status).toBe(400);
    expect((await mit(randomUUID(), 's'.repeat(36))).status).toBe(201);
    expect((await mit(randomUUID(), 's'.repeat(37))).status).toBe(400);
  });

  it('Wonder: a Nonce of 16 alphanumerics passes, 15 or 17 or with a symbol not', async () => {
    const wonder = sandboxConnection('wonder', { ...sb, s3: { endpoint: 'http://127.0.0.1:9', region: 'r', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: true } }).credentials as { appId: string; privateKeyPem: string };
    const url = `${sb.providers.wonder}${WONDER_PATHS.echo}`;
    const send = (nonce: string) => call(url, { method: 'POST', headers: wonderHeaders({ ...wonder, method: 'POST', url, body: '{}', at: clock.now(), nonce }), rawBody: '{}' });
    expect((await send('A'.repeat(15) + 'b')).status).toBe(200);
    for (const n of ['A'.repeat(15), 'A'.repeat(17), 'A'.repeat(15) + '-']) expect((await send(n)).json.code, n).toBe('E000005');
  });

  it('HyperCard: a nonce of 10 characters passes, 9 and 11 not', async () => {
    const hc = sandboxConnection('hypercard', sb).credentials as { apiKey: string; privateKeyPem: string };
    const url = `${sb.providers.hypercard}/v2/openapi/card/transaction/record`;
    const body = { card_id: SANDBOX_HYPERCARD_CARD_IDS[1], start_time: '012026', end_time: '012026' };
    const send = (nonce: string) => call(url, { headers: hypercardHeaders({ ...hc, body, at: clock.now(), nonce }), body });
    expect((await send('abcdefghij')).json.code).toBe('00000');
    expect((await send('abcdefghi')).json.code).toBe('A0000');
    expect((await send('abcdefghijk')).json.code).toBe('A0000');
  });

  it('a body over 16 MiB is refused with 413 in the provider\'s shape and not processed', async () => {
    const before = sb.ledger.requests('epay');
    const r = await rawPost(`${sb.providers.epay}/public/api/v1/mit/batch`, epayAuth, Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ success: false, errorCode: 'PAYLOAD_TOO_LARGE' });
    const after = sb.ledger.requests('epay');
    expect(after.received).toBe(before.received + 1);
    expect(after.processed).toBe(before.processed);
    const ok = await rawPost(`${sb.providers.epay}/public/api/v1/transactions/NONE`, epayAuth, Buffer.alloc(0), 'GET');
    expect(ok.status).toBe(404); // the server is fine afterwards
  });
});

/** node:http POST that keeps the answer even when the server stops reading the upload. */
function rawPost(url: string, headers: Record<string, string>, body: Buffer, method = 'POST'): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = request(url, { method, headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(body.length) } }, (r) => {
      let text = '';
      r.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => res({ status: r.statusCode ?? 0, body: text })).on('error', () => res({ status: r.statusCode ?? 0, body: text }));
    });
    req.on('error', (e) => rej(e));
    req.end(body);
  });
}
