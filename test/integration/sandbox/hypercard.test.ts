import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, SANDBOX_HYPERCARD_CARD_IDS, sandboxConnection, startSandbox, type Sandbox } from '../../../electron/main/services/providers/sandbox';
import { call, hypercardHeaders } from './helpers';

// 2026-08-20 10:00 GMT+8
const clock = manualClock(Date.UTC(2026, 7, 20, 2, 0, 0));
let sb: Sandbox;
let url: string;
let creds: { apiKey: string; privateKeyPem: string };
const card = SANDBOX_HYPERCARD_CARD_IDS[0];

function inquire(body: Record<string, string>, over: Partial<Parameters<typeof hypercardHeaders>[0]> = {}) {
  return call(url, { headers: hypercardHeaders({ apiKey: creds.apiKey, privateKeyPem: creds.privateKeyPem, body, at: clock.now(), ...over }), body });
}

beforeAll(async () => {
  sb = await startSandbox({ seed: 2, clock, s3: false });
  const conn = sandboxConnection('hypercard', sb);
  url = `${conn.baseUrl}/v2/openapi/card/transaction/record`;
  creds = conn.credentials as typeof creds;
});
afterAll(() => sb.close());

describe('HyperCard sandbox: card transaction inquiry', () => {
  it('answers one statement per month with the documented row fields', async () => {
    const r = await inquire({ card_id: card, start_time: '022026', end_time: '042026' });
    expect(r.status).toBe(200);
    expect(r.json.code).toBe('00000');
    expect(r.json.msg).toBe('ok');
    expect(r.json.data.map((m: { month_year: string }) => m.month_year)).toEqual(['022026', '032026', '042026']);
    const tx = r.json.data[0].bank_tx_list[0];
    for (const k of ['tx_id', 'type', 'status', 'credit', 'debit', 'tx_amount', 'tx_currency', 'fee', 'description', 'transaction_date', 'posting_date']) expect(tx).toHaveProperty(k);
    expect(tx).toMatchObject({ type: 10, description: 'MONTHLY FEE', status: 1 });
    expect(typeof tx.tx_amount).toBe('string');
  });

  it('six months inclusive is accepted, seven are refused with A0003 (both directions of the boundary)', async () => {
    const six = await inquire({ card_id: card, start_time: '012026', end_time: '062026' });
    expect(six.json.code).toBe('00000');
    expect(six.json.data).toHaveLength(6);
    const seven = await inquire({ card_id: card, start_time: '012026', end_time: '072026' });
    expect(seven.json.code).toBe('A0003');
    expect(seven.json.msg).toContain('at most 6 months');
    const overYear = await inquire({ card_id: card, start_time: '112025', end_time: '042026' });
    expect(overYear.json.code).toBe('00000');
    const overYear7 = await inquire({ card_id: card, start_time: '102025', end_time: '042026' });
    expect(overYear7.json.code).toBe('A0003');
    expect((await inquire({ card_id: card, start_time: '052026', end_time: '042026' })).json.code).toBe('A0003');
    expect((await inquire({ card_id: card, start_time: '132026', end_time: '012027' })).json.code).toBe('A0003');
  });

  it('an unknown card is A0004; the current month has rows still in operation that settle later', async () => {
    expect((await inquire({ card_id: '00009999999999999999999', start_time: '012026', end_time: '012026' })).json.code).toBe('A0004');
    const r = await inquire({ card_id: card, start_time: '082026', end_time: '092026' });
    expect(r.json.data).toHaveLength(1); // September has not begun
    expect(r.json.data[0].statement_cycle_date).toBe('');
    const statuses = r.json.data[0].bank_tx_list.map((t: { status: number }) => t.status);
    clock.advance(40 * 24 * 3600 * 1000);
    const later = await inquire({ card_id: card, start_time: '082026', end_time: '082026' });
    expect(later.json.data[0].bank_tx_list.every((t: { status: number }) => t.status === 1 || t.status === 2)).toBe(true);
    expect(later.json.data[0].bank_tx_list.length).toBeGreaterThanOrEqual(statuses.length);
  });

  it('refuses a wrong signature, api-key, stale timestamp or a reused nonce', async () => {
    const body = { card_id: card, start_time: '012026', end_time: '012026' };
    const h = hypercardHeaders({ apiKey: creds.apiKey, privateKeyPem: creds.privateKeyPem, body, at: clock.now() });
    expect((await call(url, { headers: h, body: { ...body, end_time: '022026' } })).json).toMatchObject({ code: 'A0000', msg: 'Signature verification failed.' });
    expect((await call(url, { headers: h, body })).json.code).toBe('00000');
    expect((await call(url, { headers: h, body })).json.msg).toContain('nonce was already used');
    expect((await inquire(body, { apiKey: 'someone-else' })).json.code).toBe('A0000');
    expect((await inquire(body, { at: clock.now() - 301_000 })).json.msg).toContain('timestamp');
    expect((await inquire(body, { at: clock.now() - 299_000 })).json.code).toBe('00000');
    const withLang = await inquire(body, { lang: 'en' });
    expect(withLang.json.code).toBe('00000'); // lang, when sent, is part of the signature
    const missing = await call(url, { headers: { 'api-key': creds.apiKey }, body });
    expect(missing.json.msg).toContain('Missing headers');
  });
});
