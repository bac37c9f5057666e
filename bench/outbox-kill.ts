/**
 * SIGKILL the submitting process at random points (default 25 times per provider), start it again
 * each time, then let it finish: duplicates (sandbox ledger), lost rows, every row final or
 * needs_review. Run: `npx tsx bench/outbox-kill.ts [--kills 25] [--rows 3000] [--providers epay,sibs,wonder]`
 */
import { spawn } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../electron/main/services/db/database';
import { Outbox } from '../electron/main/services/outbox';
import { sandboxConnection, startSandbox } from '../electron/main/services/providers/sandbox';
import type { ProfileId } from '../shared/formats/types';
import { epayRows, insertBatch, jpmmpsRows, sibsRows, wonderRows } from '../test/helpers/outboxRows';
import { compareWithLedger } from '../test/helpers/outboxCheck';
import { cleanupTempDirs, tempDir } from '../test/helpers/tmp';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { kills: { type: 'string' }, rows: { type: 'string' }, providers: { type: 'string' } } });
const KILLS = Number(values.kills ?? 25);
const ROWS = Number(values.rows ?? 3000);
const PROVIDERS = (values.providers ?? 'epay,sibs,wonder').split(',') as ProfileId[];
const makeRows: Record<ProfileId, (n: number) => string[][]> = {
  epay: (n) => epayRows(n, { salt: 901 }),
  sibs: (n) => sibsRows(Math.min(n, 400), { salt: 902 }),
  jpmmps: (n) => jpmmpsRows(Math.min(n, 300), { salt: 903 }),
  wonder: (n) => wonderRows(n, { salt: 904 }),
};

const dir = tempDir('batchdesk-bench-kill-');
const file = join(dir, 'batchdesk.sqlite');
const db = openDatabase(file);
const sandbox = await startSandbox({ seed: 77, outcomes: { settleMs: [300, 2000] } });
const outbox = new Outbox(db);
try {
  for (const p of PROVIDERS) {
    const rows = makeRows[p](ROWS);
    const { batchId } = insertBatch(db, p, rows);
    const env = { ...process.env, BATCHDESK_TEST_CONNECTION: JSON.stringify(sandboxConnection(p, sandbox)) };
    const run = () => {
      const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/outboxChild.ts'), file, batchId], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
      return { proc, done: new Promise<number | null>((r) => proc.on('exit', (code) => r(code))) };
    };
    sandbox.setFaults({ [p]: { rate: 0.1, kinds: ['drop', 'latency', '500'], latencyMs: [50, 300] } });
    let killed = 0;
    let finishedEarly = false;
    for (let i = 0; i < KILLS; i++) {
      const c = run();
      // Random points from the start-up to well into the run (sending, reconciling, polling).
      const t = setTimeout(() => c.proc.kill('SIGKILL'), 400 + Math.floor(Math.random() * 3000));
      const code = await c.done;
      clearTimeout(t);
      if (code === null) killed++;
      if (code === 0) {
        finishedEarly = true;
        break;
      }
    }
    sandbox.setFaults({});
    const last = run();
    const code = await last.done;
    const f = compareWithLedger(db, outbox, sandbox.ledger, p, batchId);
    const r = outbox.report(batchId);
    console.log(
      `${p.padEnd(7)} ${String(r.rows).padStart(5)} rows  SIGKILLs ${killed}${finishedEarly ? ' (finished before all kills)' : ''}  final run exit ${code}  final=${r.final}  duplicates ${f.duplicates}  lost ${f.lost}  needs_review ${f.needsReview}  ledger duplicates ${sandbox.ledger.duplicates(p).length}`,
    );
  }
} finally {
  await sandbox.close();
  db.close();
  cleanupTempDirs();
}
