/**
 * Nothing acknowledged is lost: a child process edits a batch on a real SQLite file and is killed
 * with SIGKILL at random moments, ten times; after each kill the batch is reopened and every edit
 * the child had acknowledged is there, with its undo history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../cliHarness';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER } from './helpers';

afterEach(() => cleanupTempDirs());

const CHILD = join(ROOT, 'test', 'integration', 'rows', 'crash-child.ts');

function runAndKill(dataDir: string, batchId: string, iteration: number, killAfterAcks: number): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, batchId, String(iteration)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    const acked = new Map<string, string>();
    let buf = '';
    let acks = 0;
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^ACK (\S+) (\S+)$/.exec(line);
        if (!m) continue;
        acked.set(m[1]!, m[2]!);
        if (++acks === killAfterAcks) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed (${code}): ${err}`));
      else resolve(acked);
    });
  });
}

describe('crash safety', () => {
  it('every acknowledged edit survives SIGKILL at random points (x10), and so does the undo history', async () => {
    const dir = tempDir();
    const setup = harness(dir);
    const rows = Array.from({ length: 40 }, (_, i) => `payment,K-${i},,,${i + 1}.00,tok_${String(i).padStart(24, '0')},,,,,start`);
    const { batchId } = await importFile(setup, writeFile(dir, 'k.csv', [WONDER_HEADER, ...rows].join('\n')));
    setup.close();
    const expected = new Map<string, string>();
    for (let it = 0; it < 10; it++) {
      const acked = await runAndKill(dir, batchId, it, 5 + Math.floor(Math.random() * 120));
      for (const [k, v] of acked) expected.set(k, v);
      const h = harness(dir);
      try {
        const w = await h.call('rows.window', { batchId, offset: 0, limit: 100 });
        const byId = new Map(w.rows.map((r) => [r.id, r.cells.remark]));
        for (const [rowId, value] of expected) {
          const stored = byId.get(rowId)!;
          // the acknowledged value, or a later edit of the same row that was written but not yet acknowledged
          const [, itS, kS] = /^it(\d+)-(\d+)$/.exec(stored) ?? [];
          const [, itE, kE] = /^it(\d+)-(\d+)$/.exec(value)!;
          expect(stored === value || Number(itS) > Number(itE) || (Number(itS) === Number(itE) && Number(kS) > Number(kE)), `row ${rowId}: ${stored} vs acked ${value}`).toBe(true);
          expected.set(rowId, stored);
        }
        const sum = await h.call('batches.summary', { batchId });
        expect(sum.canUndo).toBe(true);
      } finally {
        h.close();
      }
    }
    // the undo history is intact after ten crashes: undoing reverts the last edit
    const h = harness(dir);
    const before = await h.call('rows.window', { batchId, offset: 0, limit: 100 });
    const u = await h.call('rows.undo', { batchId });
    expect(u.changedRowIds).toHaveLength(1);
    const after = await h.call('rows.window', { batchId, offset: 0, limit: 100 });
    const changed = after.rows.filter((r, i) => r.cells.remark !== before.rows[i]!.cells.remark);
    expect(changed).toHaveLength(1);
    h.close();
  }, 240_000);
});
