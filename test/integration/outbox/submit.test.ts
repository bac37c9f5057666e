import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outboxEnv, type OutboxEnv } from '../../helpers/outboxEnv';
import { epayRows, insertBatch, jpmmpsRows, sibsRows } from '../../helpers/outboxRows';
import { cleanupTempDirs } from '../../helpers/tmp';
import { FINAL_STATUSES } from '../../../electron/main/services/providers/types';

let env: OutboxEnv;
beforeAll(async () => {
  env = await outboxEnv();
});
afterAll(async () => {
  await env.close();
  cleanupTempDirs();
});
afterEach(() => env.sandbox.setFaults({}));

describe('outbox against the sandbox over HTTP', () => {
  it('ePay: 1,201 rows go out as 3 requests of ≤ 500 and every row gets the provider answer', async () => {
    const { batchId } = insertBatch(env.db, 'epay', epayRows(1201, { salt: 11 }));
    const conn = env.connection('epay');
    const c = env.outbox.confirmation(batchId, conn);
    expect(c.rows).toBe(1201);
    expect(c.sandbox).toBe(true);
    expect(c.totals).toHaveLength(1);
    expect(c.totals[0]!.currency).toBe('DKK');
    env.outbox.submit(batchId, conn, { token: c.token });
    const end = await env.outbox.run(batchId, conn, { until: 'accepted' });
    expect(end).toBe('accepted');
    const r = env.outbox.report(batchId);
    expect(r.items.every((i) => ['accepted', 'pending', 'succeeded', 'failed'].includes(i.status))).toBe(true);
    const batches = env.sandbox.ledger.requests('epay');
    expect(batches.processed).toBeGreaterThanOrEqual(3);
    const units = env.outbox.store.units(batchId);
    expect(units.map((u) => env.outbox.store.unitRows(u.id).length)).toEqual([500, 500, 201]);
  });

  it('refuses a second submission of the same batch (the DB claim)', async () => {
    const { batchId } = insertBatch(env.db, 'epay', epayRows(3, { salt: 12 }));
    const conn = env.connection('epay');
    const c = env.outbox.confirmation(batchId, conn);
    env.outbox.submit(batchId, conn, { token: c.token });
    expect(() => env.outbox.submit(batchId, conn, { token: c.token })).toThrow(/already submitted/);
  });

  it('refuses a batch with errors, and a confirmation that no longer matches the rows', () => {
    const bad = epayRows(2, { salt: 13 });
    bad[1]![1] = '10.95';
    const { batchId } = insertBatch(env.db, 'epay', bad);
    expect(() => env.outbox.confirmation(batchId, env.connection('epay'))).toThrow(/1 error/);
    const ok = insertBatch(env.db, 'epay', epayRows(2, { salt: 14 }));
    const c = env.outbox.confirmation(ok.batchId, env.connection('epay'));
    env.db.prepare('UPDATE batch_rows SET cells = ? WHERE id = ?').run(JSON.stringify(epayRows(1, { salt: 15, amount: () => 999 })[0]), ok.rowIds[0]);
    expect(() => env.outbox.submit(ok.batchId, env.connection('epay'), { token: c.token })).toThrow(/changed after the confirmation/);
  });

  it('SIBS and JPMMPS: each row follows to a final status', async () => {
    for (const [profile, rows] of [
      ['sibs', sibsRows(12, { salt: 21 })],
      ['jpmmps', jpmmpsRows(12, { salt: 22 })],
    ] as const) {
      const { batchId } = insertBatch(env.db, profile, rows);
      const conn = env.connection(profile);
      const c = env.outbox.confirmation(batchId, conn);
      env.outbox.submit(batchId, conn, { token: c.token });
      const end = await env.outbox.run(batchId, conn, { until: 'final' });
      expect(end).toBe('final');
      const r = env.outbox.report(batchId);
      expect(r.final).toBe(true);
      expect(r.items.every((i) => FINAL_STATUSES.has(i.status))).toBe(true);
      expect(r.items.filter((i) => i.status === 'succeeded').length).toBeGreaterThan(0);
      expect(env.sandbox.ledger.duplicates(profile)).toEqual([]);
    }
  });
});
