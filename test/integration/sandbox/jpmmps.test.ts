import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { manualClock, sandboxConnection, startSandbox, type Sandbox } from '../../../electron/main/services/providers/sandbox';
import { call, networkFailure } from './helpers';

const clock = manualClock();
let sb: Sandbox;
let base: string;
let creds: { userId: string; password: string; programAccno: string; accno: string; accnoType: string; merchantKey: string; origin: string };

function authorizeBody(partnerReference: string, amount = 3.99, currency = 'EUR') {
  return {
    partnerReference,
    programAccno: creds.programAccno,
    accno: creds.accno,
    accnoType: creds.accnoType,
    storedPaymentOptionReference: '8ac7a4a266aab3ce0166c0602bf26dae',
    presentationAmount: amount,
    presentationCurrCode: currency,
    presentationUsage: 'Renewal',
    useDifferentBillingAddress: false,
    localDate: '2026-01-15',
    localTime: '100000',
  };
}

async function token(): Promise<string> {
  const r = await call(`${base}/user/${creds.userId}/issue`, { body: { password: creds.password } });
  expect(r.status).toBe(200);
  return r.json.token as string;
}

beforeAll(async () => {
  sb = await startSandbox({ seed: 5, clock, s3: false, outcomes: { settleMs: [1000, 4000], declineRate: 0.3 } });
  const conn = sandboxConnection('jpmmps', sb);
  base = conn.baseUrl;
  creds = conn.credentials as typeof creds;
});
afterAll(() => sb.close());

describe('JPMMPS KontoCloud sandbox', () => {
  it('issues a token for the right password only; the token expires at validUntil', async () => {
    const bad = await call(`${base}/user/${creds.userId}/issue`, { body: { password: 'wrong' } });
    expect(bad.status).toBe(401);
    expect(bad.json.responseCode).toBe('4010');
    const r = await call(`${base}/user/${creds.userId}/issue`, { body: { password: creds.password } });
    expect(r.json).toMatchObject({ responseCode: '0000', token: expect.any(String) });
    const validUntil = Date.parse(r.json.validUntil);
    expect(validUntil - clock.now()).toBe(30 * 60 * 1000);
    const t = r.json.token;
    const h = { 'X-Auth-Token': t, 'Accept-Language': 'en-US' };
    expect((await call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: authorizeBody(`TOK-${randomUUID()}`) })).status).toBe(201);
    clock.advance(30 * 60 * 1000);
    const expired = await call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: authorizeBody(`TOK-${randomUUID()}`) });
    expect(expired.status).toBe(401);
    expect(expired.json.responseDescription).toContain('expired');
    expect((await call(`${base}/payment/authorize`, { method: 'PUT', body: authorizeBody('NO-TOKEN') })).status).toBe(401);
  });

  it('authorizes on the stored payment option (201, uniqueReference) and reports status', async () => {
    const h = { 'X-Auth-Token': await token(), 'Accept-Language': 'en-US' };
    const r = await call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: authorizeBody('ORDER-1') });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ responseCode: '0000', partnerReference: 'ORDER-1', presentationAmount: 3.99, presentationCurrCode: 'EUR' });
    expect(['AUTHORIZED', 'DECLINED']).toContain(r.json.statusCode);
    const st = await call(`${base}/payment/${r.json.uniqueReference}/status?partnerReference=ORDER-1&localDate=2026-01-15&localTime=100500`, { headers: h });
    expect(st.status).toBe(200);
    expect(st.json).toMatchObject({ uniqueReference: r.json.uniqueReference, partnerReference: 'ORDER-1', statusCode: r.json.statusCode, localTime: '100500' });
    const magic = await call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: authorizeBody('ORDER-STOLEN', 0.43) });
    expect(magic.json).toMatchObject({ statusCode: 'DECLINED', paymentProviderResponse: { result: { code: '800.100.171' } } });
  });

  it('validates: whole amounts for JPY, decimals for EUR, the merchant account', async () => {
    const h = { 'X-Auth-Token': await token() };
    const jpy = await call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: authorizeBody('JPY-1', 100.5, 'JPY') });
    expect(jpy.status).toBe(400);
    expect(jpy.json.responseDescription).toContain('whole number');
    expect((await call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: authorizeBody('JPY-2', 100, 'JPY') })).status).toBe(201);
    const acc = await call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: { ...authorizeBody('ACC-1'), accno: 'SOMEONE-ELSE' } });
    expect(acc.status).toBe(403);
  });

  it('a resend with the same partnerReference returns the first answer and authorizes once', async () => {
    const h = { 'X-Auth-Token': await token() };
    sb.setFaults({ jpmmps: { rate: 1, kinds: ['drop'], count: 1, match: /^PUT / } });
    await networkFailure(call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: authorizeBody('RESEND-1') }));
    const again = await call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: authorizeBody('RESEND-1') });
    expect(again.status).toBe(201);
    expect(sb.ledger.charges('jpmmps').filter((c) => c.merchantRef === 'RESEND-1')).toHaveLength(1);
    expect(again.json.uniqueReference).toBe(sb.ledger.charges('jpmmps').find((c) => c.merchantRef === 'RESEND-1')!.providerRef);
    const conflict = await call(`${base}/payment/authorize`, { method: 'PUT', headers: h, body: authorizeBody('RESEND-1', 9.99) });
    expect(conflict.status).toBe(409);
    sb.setFaults({});
  });
});

describe('JPMMPS SmartPay sandbox', () => {
  const spHeaders = () => ({ 'Accept-Language': 'en-US', Origin: creds.origin, 'User-Agent': 'batchdesk-test' });
  const mitBody = (modificationId: string, amount = 12.5) => ({ merchantKey: creds.merchantKey, modificationId, storedPaymentOptionReference: 'spo-1', payment: { amount, currency: 'EUR' } });

  it('requires the headers, a whitelisted HTTPS Origin and the merchantKey', async () => {
    expect((await call(`${base}/payment/mit`, { body: mitBody('H-1') })).status).toBe(400);
    expect((await call(`${base}/payment/mit`, { headers: { ...spHeaders(), Origin: 'http://sandbox.batchdesk.invalid' }, body: mitBody('H-1') })).status).toBe(403);
    expect((await call(`${base}/payment/mit`, { headers: spHeaders(), body: { ...mitBody('H-1'), merchantKey: randomUUID() } })).status).toBe(401);
  });

  it('the same modificationId after a timeout returns the original result; nothing is processed twice', async () => {
    sb.setFaults({ jpmmps: { rate: 1, kinds: ['drop'], count: 1 } });
    await networkFailure(call(`${base}/payment/mit`, { headers: spHeaders(), body: mitBody('MOD-1') }));
    sb.setFaults({});
    const again = await call(`${base}/payment/mit`, { headers: spHeaders(), body: mitBody('MOD-1') });
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ modificationId: 'MOD-1', status: 'CREATED' });
    expect(sb.ledger.charges('jpmmps').filter((c) => c.merchantRef === 'MOD-1')).toHaveLength(1);
    expect(sb.ledger.key('jpmmps', 'MOD-1')[0]).toMatchObject({ received: 2, processed: 1, replayed: 1 });
    expect((await call(`${base}/payment/mit`, { headers: spHeaders(), body: mitBody('MOD-1', 99) })).status).toBe(409);
  });

  it('status moves CREATED → AUTORIZATION_INITIALIZED → AUTHORIZATION_COMPLETED or AUTHORIZATION_FAILED', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await call(`${base}/payment/mit`, { headers: spHeaders(), body: mitBody(`ST-${i}`) })).json.transactionId);
    const read = (id: string) => call(`${base}/payment/status/${id}?merchantKey=${creds.merchantKey}`, { headers: spHeaders() });
    expect((await read(ids[0]!)).json.status).toBe('CREATED');
    clock.advance(4000);
    const finals = await Promise.all(ids.map(read));
    const statuses = new Set(finals.map((f) => f.json.status));
    expect([...statuses].every((s) => s === 'AUTHORIZATION_COMPLETED' || s === 'AUTHORIZATION_FAILED')).toBe(true);
    expect(statuses.size).toBe(2);
    expect(finals.find((f) => f.json.status === 'AUTHORIZATION_FAILED')!.json.failure).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect((await call(`${base}/payment/status/${ids[0]}`, { headers: spHeaders() })).status).toBe(401);
  });
});
