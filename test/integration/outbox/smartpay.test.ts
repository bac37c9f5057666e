/**
 * A JPMMPS batch submitted over the SmartPay contract (SPEC §4B) against the sandbox over HTTP on
 * 127.0.0.1: /payment/mit with the merchantKey and a modificationId, then status lookups
 * (which carry the merchant key) until every row is final.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEnv, type OutboxEnv } from '../../helpers/outboxEnv';
import { insertBatch, jpmmpsRows } from '../../helpers/outboxRows';
import { cleanupTempDirs } from '../../helpers/tmp';
import { parseConnection } from '../../../electron/main/services/providers/connection';
import { FINAL_STATUSES } from '../../../electron/main/services/providers/types';
import { SANDBOX_CREDENTIALS } from '../../../electron/main/services/providers/sandbox/credentials';

let env: OutboxEnv;
beforeAll(async () => {
  env = await outboxEnv();
});
afterAll(async () => {
  await env.close();
  cleanupTempDirs();
});

describe('JPMMPS SmartPay through the outbox', () => {
  it('every row follows to a final status, nothing charged twice', { timeout: 120_000 }, async () => {
    const kc = env.connection('jpmmps');
    const conn = parseConnection({ provider: 'jpmmps', baseUrl: kc.baseUrl, sandbox: true, credentials: { contract: 'smartpay', merchantKey: SANDBOX_CREDENTIALS.jpmmps.merchantKey, origin: SANDBOX_CREDENTIALS.jpmmps.origin } });
    const { batchId } = insertBatch(env.db, 'jpmmps', jpmmpsRows(6, { salt: 31 }));
    const c = env.outbox.confirmation(batchId, conn);
    env.outbox.submit(batchId, conn, { token: c.token });
    const end = await env.outbox.run(batchId, conn, { until: 'final' });
    expect(end).toBe('final');
    const r = env.outbox.report(batchId);
    expect(r.items.every((i) => FINAL_STATUSES.has(i.status))).toBe(true);
    expect(r.items.filter((i) => i.status === 'succeeded').length).toBeGreaterThan(0);
    expect(env.sandbox.ledger.duplicates('jpmmps')).toEqual([]);
  });
});
