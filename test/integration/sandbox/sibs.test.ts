import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, sandboxConnection, startSandbox, type Sandbox } from '../../../electron/main/services/providers/sandbox';
import { call, networkFailure } from './helpers';

const clock = manualClock();
let sb: Sandbox;
let base: string;
let headers: Record<string, string>;
let terminalId: string;

function mit(merchantTransactionId: string, over: { value?: number; original?: { id: string; datetime: string } } = {}) {
  return {
    merchant: { terminalId, channel: 'web', merchantTransactionId },
    transaction: { transactionTimestamp: new Date(clock.now()).toISOString(), description: 'Renewal', paymentType: 'MIT', paymentMethod: ['CARD'], amount: { value: over.value ?? 29.9, currency: 'EUR' } },
    originalTransaction: over.original ?? { id: 'txCIT123456789', datetime: '2026-04-16T10:15:30.000Z' },
    merchantInitiatedTransaction: { type: 'RCRR', amountQualifier: 'ACTUAL', validityDate: '2027-04-16T23:59:59.000Z' },
  };
}

beforeAll(async () => {
  sb = await startSandbox({ seed: 3, clock, s3: false, outcomes: { settleMs: [1000, 5000], declineRate: 0.3 } });
  const conn = sandboxConnection('sibs', sb);
  base = conn.baseUrl;
  const c = conn.credentials as { bearerToken: string; clientId: string; terminalId: string };
  headers = { Authorization: `Bearer ${c.bearerToken}`, 'X-IBM-Client-Id': c.clientId, Accept: 'application/json' };
  terminalId = c.terminalId;
});
afterAll(() => sb.close());

describe('SIBS sandbox', () => {
  it('checks the headers before the payload: 400 missing, 401 bad token, 403 wrong client id', async () => {
    const url = `${base}/api/v2/payments`;
    const missing = await call(url, { headers: { Authorization: headers['Authorization']! }, rawBody: 'not even json' });
    expect(missing.status).toBe(400);
    expect(missing.json.returnStatus.statusCode).toBe('E0400');
    expect((await call(url, { headers: { ...headers, Authorization: 'Bearer wrong' }, body: mit('A-1') })).status).toBe(401);
    expect((await call(url, { headers: { ...headers, 'X-IBM-Client-Id': 'other' }, body: mit('A-1') })).status).toBe(403);
    const badTerminal = await call(url, { headers, body: { ...mit('A-1'), merchant: { terminalId: '99999', channel: 'web', merchantTransactionId: 'A-1' } } });
    expect(badTerminal.status).toBe(401);
    expect(sb.ledger.charges('sibs')).toHaveLength(0);
  });

  it('refuses an MIT without originalTransaction, or with a bad amount, with returnStatus', async () => {
    const body = mit('V-1') as Record<string, unknown>;
    delete body['originalTransaction'];
    const r = await call(`${base}/api/v2/payments`, { headers, body });
    expect(r.status).toBe(400);
    expect(r.json.returnStatus).toMatchObject({ statusCode: 'E0400', statusMsg: 'Error' });
    expect(r.json.returnStatus.statusDescription).toContain('originalTransaction');
    const cents = await call(`${base}/api/v2/payments`, { headers, body: mit('V-2', { value: 29.901 }) });
    expect(cents.status).toBe(400);
    expect(cents.json.returnStatus.statusDescription).toContain('at most 2 decimals');
  });

  it('CIT then MIT: the MIT must carry the CIT datetime exactly', async () => {
    const cit = await call(`${base}/api/v2/payments`, {
      headers,
      body: { merchant: { terminalId, channel: 'web', merchantTransactionId: 'CIT-1' }, transaction: { transactionTimestamp: new Date(clock.now()).toISOString(), description: 'Initial', paymentType: 'AUTH', paymentMethod: ['CARD'], amount: { value: 0.0, currency: 'EUR' } } },
    });
    expect(cit.status).toBe(200);
    expect(cit.json).toMatchObject({ returnStatus: { statusCode: '000' }, paymentStatus: 'Success', token: { tokenType: 'Card' } });
    const { transactionID, transactionDateTime } = cit.json;
    const wrong = await call(`${base}/api/v2/payments/${transactionID}/mit`, { headers, body: mit('MIT-W', { original: { id: transactionID, datetime: '2020-01-01T00:00:00.000Z' } }) });
    expect(wrong.status).toBe(400);
    expect(wrong.json.returnStatus.statusDescription).toContain('match');
    const ok = await call(`${base}/api/v2/payments/${transactionID}/mit`, { headers, body: mit('MIT-OK', { original: { id: transactionID, datetime: transactionDateTime } }) });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ returnStatus: { statusCode: '000' }, paymentStatus: 'InProcessing', paymentType: 'MIT', merchant: { transactionId: 'MIT-OK' } });
  });

  it('refuses a repeated merchantTransactionId without charging again; status by id and by merchantTransactionId', async () => {
    const first = await call(`${base}/api/v2/payments`, { headers, body: mit('DUP-1') });
    expect(first.status).toBe(200);
    const again = await call(`${base}/api/v2/payments`, { headers, body: mit('DUP-1') });
    expect(again.status).toBe(400);
    expect(again.json.returnStatus.statusCode).toBe('E0409');
    expect(sb.ledger.charges('sibs').filter((c) => c.merchantRef === 'DUP-1')).toHaveLength(1);
    const byId = await call(`${base}/api/v2/payments/${first.json.transactionID}/status`, { headers });
    const byRef = await call(`${base}/api/v2/payments/status?merchantTransactionId=DUP-1`, { headers });
    expect(byId.json.transactionID).toBe(first.json.transactionID);
    expect(byRef.json.transactionID).toBe(first.json.transactionID);
    expect((await call(`${base}/api/v2/payments/nope/status`, { headers })).status).toBe(404);
  });

  it('a dropped answer still creates the MIT; status by merchantTransactionId finds it', async () => {
    sb.setFaults({ sibs: { rate: 1, kinds: ['drop'], count: 1 } });
    await networkFailure(call(`${base}/api/v2/payments`, { headers, body: mit('DROP-1') }));
    const found = await call(`${base}/api/v2/payments/status?merchantTransactionId=DROP-1`, { headers });
    expect(found.status).toBe(200);
    expect(sb.ledger.charges('sibs').filter((c) => c.merchantRef === 'DROP-1')).toHaveLength(1);
    sb.setFaults({});
  });

  it('moves InProcessing → Success or Declined (10.106.0001 with a reason) over time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await call(`${base}/api/v2/payments`, { headers, body: mit(`ASYNC-${i}`) });
      expect(r.json.paymentStatus).toBe('InProcessing');
      ids.push(r.json.transactionID);
    }
    clock.advance(5000);
    const finals = await Promise.all(ids.map((id) => call(`${base}/api/v2/payments/${id}/status`, { headers })));
    const statuses = finals.map((f) => f.json.paymentStatus);
    expect(statuses.every((s) => s === 'Success' || s === 'Declined')).toBe(true);
    expect(statuses).toContain('Success');
    const declined = finals.filter((f) => f.json.paymentStatus === 'Declined');
    expect(declined.length).toBeGreaterThan(0);
    for (const d of declined) expect(d.json.returnStatus).toMatchObject({ statusCode: '10.106.0001', statusMsg: 'Declined', statusDescription: expect.any(String) });
  });
});
