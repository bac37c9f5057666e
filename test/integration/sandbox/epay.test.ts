import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { manualClock, sandboxConnection, startSandbox, type Sandbox } from '../../../electron/main/services/providers/sandbox';
import { call, epayEntry, networkFailure } from './helpers';

const clock = manualClock();
let sb: Sandbox;
let base: string;
let auth: Record<string, string>;

beforeAll(async () => {
  sb = await startSandbox({ seed: 7, clock, s3: false, outcomes: { settleMs: [2000, 6000], declineRate: 0.3 } });
  const conn = sandboxConnection('epay', sb);
  base = conn.baseUrl;
  auth = { Authorization: `Bearer ${conn.credentials['apiKey'] as string}` };
});
afterAll(() => sb.close());

/** Moves past the 1 batch/s limit between calls that are not about the limit. */
const nextSecond = () => clock.advance(1000);

describe('ePay sandbox', () => {
  it('refuses a missing or wrong API key with 401 and the general error body', async () => {
    const none = await call(`${base}/public/api/v1/mit/batch`, { body: { transactions: [epayEntry()] } });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ success: false, errorCode: 'UNAUTHORIZED' });
    const wrong = await call(`${base}/public/api/v1/mit/batch`, { headers: { Authorization: 'Bearer nope' }, body: { transactions: [epayEntry()] } });
    expect(wrong.status).toBe(401);
    expect(sb.ledger.charges('epay')).toHaveLength(0);
  });

  it('accepts a batch and answers per entry, in order, with an error for the invalid one', async () => {
    nextSecond();
    const entries = [epayEntry({ reference: 'order-1' }), epayEntry({ amount: 10.5, reference: 'order-2' }), epayEntry({ currency: null, reference: 'order-3' })];
    const r = await call(`${base}/public/api/v1/mit/batch`, { headers: { ...auth, 'Idempotency-Key': randomUUID() }, body: { transactions: entries } });
    expect(r.status).toBe(200);
    expect(r.json.transactions).toHaveLength(3);
    const [a, b, c] = r.json.transactions;
    expect(a.error).toBeNull();
    expect(a.transaction).toMatchObject({ reference: 'order-1', amount: 1095, currency: 'DKK', state: 'PENDING', errorCode: null });
    expect(a.transaction.id).toMatch(/^[A-Z0-9]{11}$/);
    expect(b.transaction).toBeNull();
    expect(b.error).toMatchObject({ errorCode: 'VALIDATION_ERROR', errors: { amount: [expect.stringContaining('[int]')] } });
    expect(c.transaction.currency).toBe('DKK'); // null ⇒ the subscription's currency
    expect(r.headers.get('x-ratelimit-limit')).toBe('1');
  });

  it('validates the batch size: 1 and 500 entries pass, 0 and 501 are 422 VALIDATION_ERROR', async () => {
    for (const n of [0, 501]) {
      nextSecond();
      const r = await call(`${base}/public/api/v1/mit/batch`, { headers: auth, body: { transactions: Array.from({ length: n }, () => epayEntry()) } });
      expect(r.status).toBe(422);
      expect(r.json).toMatchObject({ errorCode: 'VALIDATION_ERROR', message: 'Input validation errors', errors: { transactions: [expect.any(String)] } });
    }
    nextSecond();
    const max = await call(`${base}/public/api/v1/mit/batch`, { headers: auth, body: { transactions: Array.from({ length: 500 }, (_, i) => epayEntry({ reference: `max-${i}` })) } });
    expect(max.status).toBe(200);
    expect(max.json.transactions.every((t: { error: unknown }) => t.error === null)).toBe(true);
  });

  it('reports each field problem in the per-field error arrays', async () => {
    nextSecond();
    const bad = { subscriptionId: 'not-a-uuid', amount: 0, currency: 'dkk', instantCapture: 'NOW', textOnStatement: 'x'.repeat(40), notificationUrl: 'nowhere' };
    const r = await call(`${base}/public/api/v1/mit/batch`, { headers: auth, body: { transactions: [bad, epayEntry({ textOnStatement: 'x'.repeat(39) })] } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.transactions[0].error.errors).sort()).toEqual(['amount', 'currency', 'instantCapture', 'notificationUrl', 'subscriptionId', 'textOnStatement']);
    expect(r.json.transactions[1].error).toBeNull(); // 39 characters is still fine
  });

  it('answers invalid JSON with 400 and the general error body', async () => {
    nextSecond();
    const r = await call(`${base}/public/api/v1/mit/batch`, { headers: auth, rawBody: '{"transactions": [' });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ success: false, errorCode: 'INVALID_JSON' });
  });

  it('limits batches to 1 per second with 429 RATE_LIMIT_REACHED and Retry-After', async () => {
    nextSecond();
    const ok = await call(`${base}/public/api/v1/mit/batch`, { headers: auth, body: { transactions: [epayEntry()] } });
    expect(ok.status).toBe(200);
    clock.advance(400);
    const limited = await call(`${base}/public/api/v1/mit/batch`, { headers: auth, body: { transactions: [epayEntry()] } });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ success: false, errorCode: 'RATE_LIMIT_REACHED' });
    expect(Number(limited.headers.get('retry-after'))).toBe(1);
    clock.advance(600);
    expect((await call(`${base}/public/api/v1/mit/batch`, { headers: auth, body: { transactions: [epayEntry()] } })).status).toBe(200);
  });

  it('replays the stored response for a repeated Idempotency-Key without charging again', async () => {
    nextSecond();
    const key = randomUUID();
    const body = { transactions: [epayEntry({ reference: 'idem-1' }), epayEntry({ reference: 'idem-2' })] };
    const first = await call(`${base}/public/api/v1/mit/batch`, { headers: { ...auth, 'Idempotency-Key': key }, body });
    const before = sb.ledger.charges('epay').length;
    nextSecond();
    const again = await call(`${base}/public/api/v1/mit/batch`, { headers: { ...auth, 'Idempotency-Key': key }, body });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(sb.ledger.charges('epay').length).toBe(before);
    expect(sb.ledger.key('epay', key)[0]).toMatchObject({ received: 2, processed: 1, replayed: 1, bodyMismatch: 0 });
    // Same key, different body: SPEC says the stored response comes back; the ledger flags the misuse.
    nextSecond();
    const other = await call(`${base}/public/api/v1/mit/batch`, { headers: { ...auth, 'Idempotency-Key': key }, body: { transactions: [epayEntry({ reference: 'idem-3' })] } });
    expect(other.json).toEqual(first.json);
    expect(sb.ledger.charges('epay').length).toBe(before);
    expect(sb.ledger.key('epay', key)[0]!.bodyMismatch).toBe(1);
    // After 24 h the key is forgotten: the same request is processed anew.
    clock.advance(24 * 60 * 60 * 1000);
    const later = await call(`${base}/public/api/v1/mit/batch`, { headers: { ...auth, 'Idempotency-Key': key }, body });
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(sb.ledger.charges('epay').length).toBe(before + 2);
  });

  it('processes a request whose answer is dropped; the replay with the same key returns it', async () => {
    nextSecond();
    const key = randomUUID();
    const body = { transactions: [epayEntry({ reference: 'dropped-1' })] };
    sb.setFaults({ epay: { rate: 1, kinds: ['drop'], count: 1 } });
    await networkFailure(call(`${base}/public/api/v1/mit/batch`, { headers: { ...auth, 'Idempotency-Key': key }, body }));
    expect(sb.ledger.charges('epay').filter((c) => c.merchantRef === 'dropped-1')).toHaveLength(1);
    nextSecond();
    const replay = await call(`${base}/public/api/v1/mit/batch`, { headers: { ...auth, 'Idempotency-Key': key }, body });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.transactions[0].transaction.id).toBe(sb.ledger.charges('epay').find((c) => c.merchantRef === 'dropped-1')!.providerRef);
    expect(sb.ledger.duplicates('epay').filter((d) => d.key === 'dropped-1')).toEqual([]);
    sb.setFaults({});
  });

  it('injected 500, 429 and reset are refused before processing', async () => {
    for (const kind of ['500', '429', 'reset'] as const) {
      nextSecond();
      sb.setFaults({ epay: { rate: 1, kinds: [kind], count: 1, retryAfterSeconds: 3 } });
      const before = sb.ledger.charges('epay').length;
      const p = call(`${base}/public/api/v1/mit/batch`, { headers: auth, body: { transactions: [epayEntry()] } });
      if (kind === 'reset') await networkFailure(p);
      else {
        const r = await p;
        expect(r.status).toBe(Number(kind));
        expect(r.json.errorCode).toBe(kind === '429' ? 'RATE_LIMIT_REACHED' : 'INTERNAL_SERVER_ERROR');
        if (kind === '429') expect(r.headers.get('retry-after')).toBe('3');
      }
      expect(sb.ledger.charges('epay').length).toBe(before);
    }
    sb.setFaults({});
  });

  it('moves a transaction PENDING → PROCESSING → final, read at most every 12 s', async () => {
    nextSecond();
    const r = await call(`${base}/public/api/v1/mit/batch`, { headers: auth, body: { transactions: Array.from({ length: 40 }, (_, i) => epayEntry({ reference: `async-${i}` })) } });
    const ids: string[] = r.json.transactions.map((t: { transaction: { id: string } }) => t.transaction.id);
    const first = await call(`${base}/public/api/v1/transactions/${ids[0]}`, { headers: auth });
    expect(first.status).toBe(200);
    expect(first.json.transaction.state).toBe('PENDING');
    clock.advance(11_000);
    const tooSoon = await call(`${base}/public/api/v1/transactions/${ids[0]}`, { headers: auth });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.headers.get('retry-after')).toBe('1');
    clock.advance(1000);
    const states = [];
    for (const id of ids) {
      const t = await call(`${base}/public/api/v1/transactions/${id}`, { headers: auth });
      expect(t.status).toBe(200);
      states.push(t.json.transaction);
    }
    expect(states.every((t) => t.state === 'SUCCESS' || t.state === 'FAILED')).toBe(true);
    const failed = states.filter((t) => t.state === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    expect(states.some((t) => t.state === 'SUCCESS')).toBe(true);
    for (const f of failed) expect(typeof f.errorCode).toBe('string');
    expect((await call(`${base}/public/api/v1/transactions/NOPE0000000`, { headers: auth })).status).toBe(404);
  });

  it('a magic amount forces its decline; same seed, same outcome', async () => {
    nextSecond();
    const r = await call(`${base}/public/api/v1/mit`, { headers: auth, body: epayEntry({ amount: 51 }) });
    expect(r.status).toBe(200);
    clock.advance(12_000);
    const t = await call(`${base}/public/api/v1/transactions/${r.json.transaction.id}`, { headers: auth });
    expect(t.json.transaction).toMatchObject({ state: 'FAILED', errorCode: 'INSUFFICIENT_FUNDS' });
  });
});
