import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manualClock, sandboxConnection, SandboxStateError, startSandbox } from '../../../electron/main/services/providers/sandbox';
import { withTempDir } from '../cliHarness';
import { call, epayEntry } from './helpers';

describe('sandbox state file', () => {
  it('keeps transactions, idempotency keys and the ledger across a restart', async () => {
    await withTempDir(async (dir) => {
      const stateFile = join(dir, 'sandbox-state.json');
      const clock = manualClock();
      const first = await startSandbox({ seed: 8, clock, s3: false, stateFile, port: 0 });
      const epay = sandboxConnection('epay', first);
      const auth = { Authorization: `Bearer ${epay.credentials['apiKey'] as string}` };
      const batch = { transactions: [epayEntry({ reference: 'keep-1' }), epayEntry({ reference: 'keep-2' })] };
      const created = await call(`${epay.baseUrl}/public/api/v1/mit/batch`, { headers: { ...auth, 'Idempotency-Key': 'key-keep' }, body: batch });
      const sibs = sandboxConnection('sibs', first).credentials as Record<string, string>;
      const sibsHeaders = { Authorization: `Bearer ${sibs['bearerToken']}`, 'X-IBM-Client-Id': sibs['clientId']! };
      const mit = {
        merchant: { terminalId: sibs['terminalId'], channel: 'web', merchantTransactionId: 'KEEP-MIT-1' },
        transaction: { transactionTimestamp: new Date(clock.now()).toISOString(), paymentType: 'MIT', paymentMethod: ['CARD'], amount: { value: 10, currency: 'EUR' } },
        originalTransaction: { id: 'txCIT-elsewhere', datetime: '2026-01-01T10:00:00.000Z' },
      };
      const sibsCreated = await call(`${first.providers.sibs}/api/v2/payments`, { headers: sibsHeaders, body: mit });
      expect(sibsCreated.status).toBe(200);
      const chargesBefore = first.ledger.charges().length;
      await first.close();

      clock.advance(15_000);
      const second = await startSandbox({ seed: 8, clock, s3: false, stateFile });
      try {
        expect(second.ledger.charges()).toHaveLength(chargesBefore);
        const base2 = second.providers.epay;
        const tx = await call(`${base2}/public/api/v1/transactions/${created.json.transactions[0].transaction.id}`, { headers: auth });
        expect(tx.status).toBe(200);
        expect(['SUCCESS', 'FAILED']).toContain(tx.json.transaction.state);
        const replay = await call(`${base2}/public/api/v1/mit/batch`, { headers: { ...auth, 'Idempotency-Key': 'key-keep' }, body: batch });
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(replay.json).toEqual(created.json);
        const dup = await call(`${second.providers.sibs}/api/v2/payments`, { headers: sibsHeaders, body: mit });
        expect(dup.json.returnStatus.statusCode).toBe('E0409');
        const found = await call(`${second.providers.sibs}/api/v2/payments/status?merchantTransactionId=KEEP-MIT-1`, { headers: sibsHeaders });
        expect(found.json.transactionID).toBe(sibsCreated.json.transactionID);
        expect(second.ledger.charges()).toHaveLength(chargesBefore);
        // ids made after the restart do not repeat earlier ones
        clock.advance(1000);
        const more = await call(`${base2}/public/api/v1/mit/batch`, { headers: auth, body: { transactions: [epayEntry({ reference: 'keep-3' })] } });
        const ids = second.ledger.charges('epay').map((c) => c.providerRef);
        expect(new Set(ids).size).toBe(ids.length);
        expect(more.status).toBe(200);
      } finally {
        await second.close();
      }
    });
  });

  it('refuses to start on a damaged state file, with a message', async () => {
    await withTempDir(async (dir) => {
      const stateFile = join(dir, 'bad.json');
      await writeFile(stateFile, '{"version": 1, "ids": 3, "ledg');
      await expect(startSandbox({ s3: false, stateFile })).rejects.toThrow(SandboxStateError);
      await writeFile(stateFile, JSON.stringify({ version: 99 }));
      await expect(startSandbox({ s3: false, stateFile })).rejects.toThrow(/another version/);
    });
  });
});
