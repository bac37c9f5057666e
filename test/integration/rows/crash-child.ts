/**
 * Child process for the crash test: edits a batch as fast as it can and prints `ACK <row> <value>`
 * after each edit has been answered. The parent SIGKILLs it at a random moment.
 * argv: <dataDir> <batchId> <iteration>
 */
import { createServices } from '../../../electron/main/services';

const [dataDir, batchId, iteration] = process.argv.slice(2) as [string, string, string];
const s = createServices({ dataDir, mode: 'web', version: 'crash-test' });
const w = s.rows.window({ batchId, offset: 0, limit: 2000 });
process.stdout.write('READY\n');
for (let k = 0; k < 100_000; k++) {
  const row = w.rows[k % w.rows.length]!;
  const value = `it${iteration}-${k}`;
  // one edit per step; every few steps a two-cell edit and an undo+redo, so the journal sees all kinds
  s.rows.edit({ batchId, changes: [{ rowId: row.id, column: 'remark', value }] });
  if (k % 7 === 3) {
    s.rows.undo(batchId);
    s.rows.redo(batchId);
  }
  process.stdout.write(`ACK ${row.id} ${value}\n`);
}
