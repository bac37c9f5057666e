/**
 * The summary's totals are kept incrementally after their first pass (issue 7: never a whole-batch
 * pass per keystroke): after edits, a paste past the end, inserts, deletes, undo and redo they equal
 * a fresh pass over the same rows (a new process opening the batch). An edit sends its rows back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER, type Harness } from './helpers';

let open: Harness[] = [];
afterEach(() => {
  for (const h of open) h.close();
  open = [];
  cleanupTempDirs();
});

const ROWS = [
  'payment,T-1,,,129.90,tok_aaaaaaaaaaaaaaaaaaaaaaaa,,,,,first',
  'payment,T-2,,,49,tok_bbbbbbbbbbbbbbbbbbbbbbbb,,,,,second',
  'authorize,T-3,,,5.5,tok_cccccccccccccccccccccccc,,,,,third',
  'refund,T-4,,,10,tok_dddddddddddddddddddddddd,,,,,fourth',
];

describe('summary totals, kept incrementally', () => {
  it('equal a fresh pass after edits, paste, insert, delete, undo and redo', async () => {
    const h = harness();
    open.push(h);
    const file = writeFile(h.dataDir, 's.csv', [WONDER_HEADER, ...ROWS].join('\n'));
    const { batchId } = await importFile(h, file);
    const first = await h.call('batches.summary', { batchId }); // builds the totals
    expect(first.totals).toEqual([{ currency: 'HKD', minor: '19440', text: '194.40', rows: 4 }]);
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    const id = (i: number) => w.rows[i]!.id;

    const edited = await h.call('rows.edit', { batchId, changes: [{ rowId: id(0), column: 'amount', value: '100.10' }] });
    expect(edited.rows?.map((r) => r.cells.amount)).toEqual(['100.10']);
    await h.call('rows.edit', { batchId, changes: [{ rowId: id(1), column: 'amount', value: 'abc' }, { rowId: id(2), column: 'action', value: 'payment' }] });
    await h.call('rows.paste', { batchId, text: 'payment\tP-1\t\t\t7.25\ttok_eeeeeeeeeeeeeeeeeeeeeeee', anchor: { rowId: id(3), column: 'action' } });
    await h.call('rows.paste', { batchId, text: 'refund\tP-2\t\t\t1.00\ttok_ffffffffffffffffffffffff\nrefund\tP-3\t\t\t2.00\ttok_gggggggggggggggggggggggg', anchor: { rowId: id(3), column: 'action' } });
    await h.call('rows.insert', { batchId, beforeRowId: id(0), rows: [{ action: 'authorize', amount: '3.00', tokenId: 'tok_hhhhhhhhhhhhhhhhhhhhhhhh' }] });
    await h.call('rows.delete', { batchId, rowIds: [id(2)] });
    await h.call('rows.undo', { batchId });
    await h.call('rows.undo', { batchId });
    await h.call('rows.redo', { batchId });
    const kept = await h.call('batches.summary', { batchId });
    h.close();
    open = [];

    const fresh = harness(h.dataDir);
    open.push(fresh);
    const again = await fresh.call('batches.summary', { batchId });
    expect(kept.totals).toEqual(again.totals);
    expect(kept.actions).toEqual(again.actions);
    expect(kept.rows).toBe(again.rows);
    expect(kept.batch.rowCount).toBe(again.batch.rowCount);
    // and by hand: 100.10 + (abc: none) + 5.50 (T-3: its delete undone) + 1.00 (P-2 over T-4) +
    // 2.00 (P-3, past the end) + 3.00 (the insert: undone, then redone)
    expect(kept.rows).toBe(6);
    expect(kept.totals).toEqual([{ currency: 'HKD', minor: String(10010 + 550 + 100 + 200 + 300), text: '111.60', rows: 5 }]);
  });
});
