/**
 * SIGKILL the submitting process at random moments (bounded here; bench/outbox-kill.ts does 20+),
 * start it again each time: no row is charged twice, every row ends final or needs_review.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEnv, type OutboxEnv } from '../../helpers/outboxEnv';
import { epayRows, insertBatch, sibsRows } from '../../helpers/outboxRows';
import { compareWithLedger } from '../../helpers/outboxCheck';
import { cleanupTempDirs } from '../../helpers/tmp';
import { sandboxConnection } from '../../../electron/main/services/providers/sandbox';
import type { ProfileId } from '../../../shared/formats/types';

let env: OutboxEnv;
beforeAll(async () => {
  env = await outboxEnv({ sandbox: { seed: 5, outcomes: { settleMs: [200, 1200] } } });
});
afterAll(async () => {
  await env.close();
  cleanupTempDirs();
});

function child(batchId: string, profile: ProfileId): { proc: ChildProcess; done: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../helpers/outboxChild.ts'), env.file, batchId], {
    cwd: join(import.meta.dirname, '../../..'),
    env: { ...process.env, BATCHDESK_TEST_CONNECTION: JSON.stringify(sandboxConnection(profile, env.sandbox)) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const done = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, done };
}

describe('killing the submitting process', () => {
  for (const [profile, rows, kills] of [
    ['epay', epayRows(1600, { salt: 41 }), 4],
    ['sibs', sibsRows(80, { salt: 42 }), 4],
  ] as const) {
    it(`${profile}: ${kills} SIGKILLs at random points, then resume → 0 duplicates, all final`, { timeout: 240_000 }, async () => {
      env.sandbox.setFaults({ [profile]: { rate: 0.1, kinds: ['drop', 'latency'], latencyMs: [50, 300] } });
      const { batchId } = insertBatch(env.db, profile, rows);
      let killed = 0;
      for (let i = 0; i < kills; i++) {
        const c = child(batchId, profile);
        // Kill somewhere in the first seconds: while sending, reconciling or polling.
        const at = 700 + Math.floor(Math.random() * 2500);
        const t = setTimeout(() => c.proc.kill('SIGKILL'), at);
        const code = await c.done;
        clearTimeout(t);
        if (code === null) killed++;
        if (code === 0) break;
      }
      env.sandbox.setFaults({});
      const last = child(batchId, profile);
      expect(await last.done).toBe(0);
      expect(killed).toBeGreaterThan(0);
      const f = compareWithLedger(env.db, env.outbox, env.sandbox.ledger, profile, batchId);
      expect(f.contradictions).toEqual([]);
      expect(f.duplicates).toBe(0);
      expect(f.lost).toBe(0);
      expect(env.sandbox.ledger.duplicates(profile)).toEqual([]);
      expect(env.outbox.report(batchId).final).toBe(true);
    });
  }
});
