/**
 * ePay keeps an Idempotency-Key's answer for 24 h; Batchdesk replays an unanswered request only
 * while its first attempt is at most 23 h old. Both sides of that boundary, over the real sandbox:
 * the answer to the first request is dropped after ePay processed it (the outcome is unknown), then
 * the unit's first attempt is dated back in SQLite and the sandbox's clock moved on by as much
 * (the same time passing for both), and the batch is resumed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEnv, type OutboxEnv } from '../../helpers/outboxEnv';
import { epayRows, insertBatch } from '../../helpers/outboxRows';
import { cleanupTempDirs } from '../../helpers/tmp';
import { EPAY_REPLAY_WINDOW_MS } from '../../../electron/main/services/providers/epay/connector';

let env: OutboxEnv;
let shift = 0;
beforeAll(async () => {
  env = await outboxEnv({ sandbox: { seed: 23, clock: { now: () => Date.now() + shift }, outcomes: { settleMs: [100, 300] } } });
});
afterAll(async () => {
  await env.close();
  cleanupTempDirs();
});

/** Submits a 3-row ePay batch whose one request is processed by the sandbox but answered with a dropped connection. */
async function unknownOutcome(salt: number): Promise<{ batchId: string; key: string }> {
  const { batchId } = insertBatch(env.db, 'epay', epayRows(3, { salt }));
  const conn = env.connection('epay');
  env.outbox.submit(batchId, conn, { token: env.outbox.confirmation(batchId, conn).token });
  env.sandbox.setFaults({ epay: { rate: 1, kinds: ['drop'], count: 1, match: /^POST / } });
  const ac = new AbortController();
  const end = await env.outbox.run(batchId, conn, {
    until: 'accepted',
    signal: ac.signal,
    onChange: () => {
      if (env.outbox.store.units(batchId).some((u) => u.state === 'unknown')) ac.abort();
    },
  });
  env.sandbox.setFaults({});
  expect(end).toBe('aborted');
  const [unit] = env.outbox.store.units(batchId);
  expect(unit!.state).toBe('unknown');
  // ePay did process it: its charges exist although Batchdesk never saw the answer.
  expect(charged(salt)).toBeGreaterThan(0);
  return { batchId, key: unit!.idempotency_key };
}

function charged(salt: number): number {
  return env.sandbox.ledger.charges('epay').filter((c) => c.merchantRef.startsWith(`E-${salt}-`)).length;
}

function ageFirstAttempt(batchId: string, ms: number): void {
  env.db.prepare('UPDATE outbox_units SET first_attempt_at = ? WHERE batch_id = ?').run(Date.now() - ms, batchId);
  shift += ms;
}

describe('ePay: an unknown outcome and the 24 h idempotency window', () => {
  it('a minute inside 23 h: replayed with the same key, answered from ePay\'s stored result, nothing charged twice', { timeout: 60_000 }, async () => {
    const { batchId, key } = await unknownOutcome(231);
    ageFirstAttempt(batchId, EPAY_REPLAY_WINDOW_MS - 60_000);
    const before = { ...env.sandbox.ledger.key('epay', key)[0]! };
    const chargedBefore = charged(231);
    expect(await env.outbox.run(batchId, env.connection('epay'), { until: 'accepted' })).toBe('accepted');
    const after = env.sandbox.ledger.key('epay', key)[0]!;
    expect(after.received).toBe(before.received + 1);
    expect(after.replayed).toBe(before.replayed + 1);
    expect(after.processed).toBe(1);
    const r = env.outbox.report(batchId);
    expect(r.counts.needs_review).toBe(0);
    expect(r.items.every((i) => i.providerRef !== null)).toBe(true);
    expect(charged(231)).toBe(chargedBefore);
    expect(env.sandbox.ledger.duplicates('epay')).toEqual([]);
  });

  it('ePay unreachable for longer than other providers wait (20 min): still waiting, says so, then replayed when it answers', { timeout: 60_000 }, async () => {
    const { batchId, key } = await unknownOutcome(233);
    ageFirstAttempt(batchId, 20 * 60_000);
    const conn = env.connection('epay');
    env.sandbox.setFaults({ epay: { rate: 1, kinds: ['reset'], match: /^POST / } });
    const resets = () => env.sandbox.ledger.requests('epay').faults.reset ?? 0;
    const before = resets();
    const ac = new AbortController();
    await env.outbox.run(batchId, conn, { until: 'accepted', signal: ac.signal, onChange: () => resets() > before && ac.abort() });
    env.sandbox.setFaults({});
    expect(env.outbox.store.units(batchId)[0]!.state).toBe('unknown');
    const waiting = env.outbox.report(batchId);
    expect(waiting.counts.needs_review).toBe(0);
    expect(waiting.note).toMatch(/Waiting for the provider to find out what happened to a request whose answer was lost.*nothing is sent again/);
    // After 15 minutes without an answer ePay is asked again within 5 minutes, not every few seconds;
    // the test then lets that time pass by moving the unit's next try to now.
    const next = env.outbox.store.units(batchId)[0]!.next_at - Date.now();
    expect(next).toBeLessThanOrEqual(5 * 60_000);
    env.db.prepare('UPDATE outbox_units SET next_at = 0 WHERE batch_id = ?').run(batchId);
    expect(await env.outbox.run(batchId, conn, { until: 'accepted' })).toBe('accepted');
    const done = env.outbox.report(batchId);
    expect(done.counts.needs_review).toBe(0);
    expect(done.note).toBeNull();
    expect(env.sandbox.ledger.key('epay', key)[0]!.processed).toBe(1);
    expect(env.sandbox.ledger.duplicates('epay')).toEqual([]);
  });

  it('a minute past 23 h: needs review with the reason, and no request at all is sent to ePay', { timeout: 60_000 }, async () => {
    const { batchId, key } = await unknownOutcome(232);
    ageFirstAttempt(batchId, EPAY_REPLAY_WINDOW_MS + 60_000);
    const keyBefore = env.sandbox.ledger.key('epay', key)[0]!.received;
    const requestsBefore = env.sandbox.ledger.requests('epay').received;
    const chargedBefore = charged(232);
    expect(await env.outbox.run(batchId, env.connection('epay'), { until: 'final' })).toBe('final');
    expect(env.sandbox.ledger.requests('epay').received).toBe(requestsBefore);
    expect(env.sandbox.ledger.key('epay', key)[0]!.received).toBe(keyBefore);
    const r = env.outbox.report(batchId);
    expect(r.counts.needs_review).toBe(3);
    expect(charged(232)).toBe(chargedBefore);
    for (const i of r.items) expect(i.reason).toMatch(/ePay did not answer and its idempotency window \(24 h\) has passed; check these rows in the ePay backoffice before sending them again/);
    // Final: nothing more is read or sent for it, however long the app keeps running.
    expect(await env.outbox.run(batchId, env.connection('epay'), { until: 'final' })).toBe('final');
    expect(env.sandbox.ledger.requests('epay').received).toBe(requestsBefore);
  });
});
