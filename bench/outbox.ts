/**
 * Outbox figures against the sandbox over real HTTP (issue 8 "Measured"):
 *   1. throughput per provider without faults, against what its rate limit allows;
 *   2. the same with ≥ 10 % injected faults (latency, 429, 500, reset, dropped responses), followed
 *      to final: duplicates (a reference charged twice, from the sandbox ledger) and lost rows;
 *   3. p95 of the durable write made before every provider call.
 * Run: `npx tsx bench/outbox.ts [--rows 10000] [--slow-rows 1000] [--clean-rows N] [--providers epay,wonder,sibs,jpmmps] [--faults 0.15]`
 * SIBS and JPMMPS publish no limits; they go one row per request at the outbox's own pace, so their
 * default size is smaller (--slow-rows). `--clean-rows` sizes the clean throughput run apart from the
 * fault run (at 5 rows/s, 10,000 JPMMPS rows take 33 minutes each way).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../electron/main/services/db/database';
import { Outbox } from '../electron/main/services/outbox';
import { parseConnection } from '../electron/main/services/providers/connection';
import { createConnector } from '../electron/main/services/providers/registry';
import { sandboxConnection, startSandbox } from '../electron/main/services/providers/sandbox';
import type { ProfileId } from '../shared/formats/types';
import { epayRows, insertBatch, jpmmpsRows, sibsRows, wonderRows } from '../test/helpers/outboxRows';
import { compareWithLedger } from '../test/helpers/outboxCheck';
import { cleanupTempDirs, tempDir } from '../test/helpers/tmp';

const { values } = parseArgs({ options: { rows: { type: 'string' }, 'slow-rows': { type: 'string' }, 'clean-rows': { type: 'string' }, providers: { type: 'string' }, faults: { type: 'string' } } });
const ROWS = Number(values.rows ?? 10_000);
const SLOW = Number(values['slow-rows'] ?? 1000);
const CLEAN = values['clean-rows'] === undefined ? null : Number(values['clean-rows']);
const RATE = Number(values.faults ?? 0.15);
const PROVIDERS = (values.providers ?? 'epay,wonder,sibs,jpmmps').split(',') as ProfileId[];

const makeRows: Record<ProfileId, (n: number, salt: number) => string[][]> = {
  epay: (n, salt) => epayRows(n, { salt }),
  sibs: (n, salt) => sibsRows(n, { salt }),
  jpmmps: (n, salt) => jpmmpsRows(n, { salt }),
  wonder: (n, salt) => wonderRows(n, { salt }),
};

function p95(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

const dir = tempDir('batchdesk-bench-outbox-');
const db = openDatabase(join(dir, 'batchdesk.sqlite'));
const sandbox = await startSandbox({ seed: 2026, outcomes: { settleMs: [500, 3000] } });
const outbox = new Outbox(db);
const lines: string[] = [];
const writes: number[] = [];
try {
  let salt = 100;
  for (const p of PROVIDERS) {
    const n = p === 'sibs' || p === 'jpmmps' ? SLOW : ROWS;
    const conn = parseConnection(sandboxConnection(p, sandbox));
    const limits = createConnector(conn).limits;
    // 1. clean run, to "accepted"
    sandbox.setFaults({});
    const cleanRows = CLEAN ?? n;
    const clean = insertBatch(db, p, makeRows[p](cleanRows, salt++));
    const c1 = outbox.confirmation(clean.batchId, conn);
    outbox.submit(clean.batchId, conn, { token: c1.token });
    const t0 = performance.now();
    await outbox.run(clean.batchId, conn, { until: 'accepted', writeTimings: writes });
    const secs = (performance.now() - t0) / 1000;
    const rate = cleanRows / secs;
    // What the limit allows at steady state: rowsPerRequest per submitIntervalMs (ePay: 500 rows/s).
    const allowed = p === 'wonder' ? null : (limits.rowsPerRequest * 1000) / limits.submitIntervalMs * (p === 'epay' ? 1020 / 1000 : 1);
    const limitText = p === 'epay' ? 'published 1 batch/s × 500 = 500 rows/s' : p === 'wonder' ? 'one file per batch' : `unpublished; outbox pace ${(1000 / limits.submitIntervalMs).toFixed(0)} rows/s`;
    lines.push(`${p.padEnd(7)} clean   ${String(cleanRows).padStart(6)} rows  ${secs.toFixed(1).padStart(6)} s  ${rate.toFixed(1).padStart(7)} rows/s  limit: ${limitText}${allowed ? `  → ${((100 * rate) / allowed).toFixed(0)} % of it` : ''}`);
    // 2. faults, to final
    sandbox.setFaults({ [p]: { rate: RATE, kinds: ['latency', '429', '500', 'reset', 'drop'], latencyMs: [50, 400] } });
    const faulty = insertBatch(db, p, makeRows[p](n, salt++));
    const c2 = outbox.confirmation(faulty.batchId, conn);
    outbox.submit(faulty.batchId, conn, { token: c2.token });
    const before = { ...sandbox.ledger.requests(p) };
    const t1 = performance.now();
    const end = await outbox.run(faulty.batchId, conn, { until: 'final', writeTimings: writes });
    const secs2 = (performance.now() - t1) / 1000;
    sandbox.setFaults({});
    const stats = sandbox.ledger.requests(p);
    const faulted = Object.values(stats.faults).reduce((a, b) => a + b, 0) - Object.values(before.faults).reduce((a, b) => a + b, 0);
    const received = stats.received - before.received;
    const f = compareWithLedger(db, outbox, sandbox.ledger, p, faulty.batchId);
    lines.push(
      `${p.padEnd(7)} faults  ${String(n).padStart(6)} rows  ${secs2.toFixed(1).padStart(6)} s  end=${end}  faulted ${faulted}/${received} requests (${((100 * faulted) / Math.max(1, received)).toFixed(1)} %, drops ${(stats.faults.drop ?? 0) - (before.faults.drop ?? 0)})  duplicates ${f.duplicates}  lost ${f.lost}  needs_review ${f.needsReview}  succeeded ${f.succeeded}  failed ${f.failed}`,
    );
    process.stdout.write(lines.slice(-2).join('\n') + '\n');
  }
  lines.push(`durable write before each call: p95 ${p95(writes).toFixed(2)} ms over ${writes.length} writes (synchronous=FULL, WAL)`);
  console.log('\n' + lines.join('\n'));
} finally {
  await sandbox.close();
  db.close();
  cleanupTempDirs();
}
