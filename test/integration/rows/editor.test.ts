/**
 * The batch editor's main-process half through the handler map, on a real SQLite file: import,
 * windows, edits, undo/redo across a restart, findings, fixes, find/replace, reveal, summary, export.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER, type Harness } from './helpers';

let open: Harness[] = [];
afterEach(() => {
  for (const h of open) h.close();
  open = [];
  cleanupTempDirs();
});
function make(dir?: string) {
  const h = harness(dir);
  open.push(h);
  return h;
}

const ROWS = [
  'payment,SUB-1,,,129.90,tok_aaaaaaaaaaaaaaaaaaaaaaaa,,,,,first',
  'payment,SUB-2,,,49,,4111111111111111,05,30,123,second',
  'authorize,SUB-3,,,5.5,,5555555555554444,12,31,,third',
  'authorize,SUB-3,,,10,tok_bbbbbbbbbbbbbbbbbbbbbbbb,,,,,dup reference',
];

describe('import into a batch', () => {
  it('previews, imports, shows masked windows with findings and remembers the mapping', async () => {
    const h = make();
    const file = writeFile(h.dataDir, 'march.csv', [WONDER_HEADER, ...ROWS].join('\r\n') + '\r\n');
    const { preview, batchId, finished } = await importFile(h, `"${file}"`, { name: 'March renewals' });
    expect(preview.mappingFrom).toBe('auto');
    expect(preview.totalRows).toBe(4);
    expect(preview.amount.suggested).toBe('major');
    expect(preview.amount.reason).toMatch(/2 amounts have decimals \(e\.g\. 129\.90\)/);
    const major = preview.amount.readings.find((r) => r.unit === 'major')!;
    expect(major.totals).toEqual([{ currency: 'HKD', minor: String(12990 + 4900 + 550 + 1000), text: '194.40', rows: 4 }]);
    const minor = preview.amount.readings.find((r) => r.unit === 'minor')!;
    expect(minor.unreadable).toBe(2); // 129.90 and 5.5 are not whole minor units
    expect(JSON.stringify(preview.sampleRows)).not.toContain('4111111111111111');
    expect(preview.sampleRows[1]![6]).toBe('411111******1111');
    expect(preview.sampleRows[1]![9]).toBe('•••');
    expect(finished).toMatchObject({ outcome: 'done', rows: 4 });

    const w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.total).toBe(4);
    // the file's lines: the header is line 1
    expect(w.rows.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(preview.sampleLines).toEqual([2, 3, 4, 5]);
    expect(w.rows[1]!.cells.cardNumber).toBe('411111******1111');
    expect(w.rows[1]!.cells.cvc).toBe('•••');
    // amounts restated once, canonical, in the batch's unit
    expect(w.rows.map((r) => r.cells.amount)).toEqual(['129.90', '49.00', '5.50', '10.00']);
    expect(w.rows[3]!.findings.map((f) => f.code)).toContain('wonder.reference_number.duplicate');
    expect(JSON.stringify(w)).not.toContain('4111111111111111');

    const history = await h.call('history.list', {});
    expect(history[0]!.detail.text).toBe('Imported march.csv into "March renewals" — 4 rows, 0 errors');

    // same headers next time: the mapping chosen is remembered
    const again = await h.call('import.preview', { file: { kind: 'path', path: file }, profile: 'wonder' });
    expect(again.mappingFrom).toBe('remembered');
  });

  it('reads a file by its content whatever its name (wonder.dat)', async () => {
    const h = make();
    const file = writeFile(h.dataDir, 'wonder.dat', [WONDER_HEADER, ROWS[0]].join('\n'));
    const { finished } = await importFile(h, file);
    expect(finished.outcome).toBe('done');
  });
});

describe('editing', () => {
  it('edits, validates incrementally (duplicates included), undoes and redoes, and the history survives a restart', async () => {
    const dir = tempDir();
    const h = make(dir);
    const file = writeFile(dir, 'b.csv', [WONDER_HEADER, ...ROWS].join('\n'));
    const { batchId } = await importFile(h, file);
    let w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    const [r1, , , r4] = w.rows;
    expect(r4!.findings.some((f) => f.code === 'wonder.reference_number.duplicate')).toBe(true);

    // fixing the duplicate reference clears the finding on that row
    const e1 = await h.call('rows.edit', { batchId, changes: [{ rowId: r4!.id, column: 'referenceNumber', value: 'SUB-4' }] });
    expect(e1.changedRowIds).toContain(r4!.id);
    w = await h.call('rows.window', { batchId, offset: 3, limit: 1 });
    expect(w.rows[0]!.findings.some((f) => f.code.endsWith('.duplicate'))).toBe(false);

    // making row 1 repeat row 4's new reference marks row 4 (the later row) again
    await h.call('rows.edit', { batchId, changes: [{ rowId: r1!.id, column: 'referenceNumber', value: 'SUB-4' }, { rowId: r1!.id, column: 'action', value: 'authorize' }] });
    w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.rows[3]!.findings.some((f) => f.code === 'wonder.reference_number.duplicate')).toBe(true);
    expect(w.rows[0]!.findings.some((f) => f.code === 'wonder.reference_number.duplicate')).toBe(false);

    // an error and its count
    const bad = await h.call('rows.edit', { batchId, changes: [{ rowId: r1!.id, column: 'amount', value: 'abc' }] });
    expect(bad.errors).toBe(1);
    const findings = await h.call('rows.findings', { batchId });
    expect(findings.perColumn.amount).toEqual({ errors: 1, warnings: 0 });

    const u = await h.call('rows.undo', { batchId });
    expect(u.errors).toBe(0);
    expect(u.canRedo).toBe(true);
    h.close();
    open = [];

    // a new process: the undo history is in the journal
    const h2 = make(dir);
    const back = await h2.call('rows.window', { batchId, offset: 0, limit: 1 });
    expect(back.rows[0]!.cells.amount).toBe('129.90');
    expect(back.rows[0]!.cells.referenceNumber).toBe('SUB-4');
    const r = await h2.call('rows.redo', { batchId });
    expect(r.errors).toBe(1);
    await h2.call('rows.undo', { batchId });
    await h2.call('rows.undo', { batchId });
    await h2.call('rows.undo', { batchId });
    const orig = await h2.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(orig.rows.map((x) => x.cells.referenceNumber)).toEqual(['SUB-1', 'SUB-2', 'SUB-3', 'SUB-3']);
    expect(orig.rows[3]!.findings.some((f) => f.code === 'wonder.reference_number.duplicate')).toBe(true);
    expect((await h2.call('rows.findings', { batchId })).warnings).toBe((await h2.call('batches.summary', { batchId })).warnings);
    const none = await h2.call('rows.undo', { batchId });
    expect(none.txn).toBeNull();
    expect(none.canUndo).toBe(false);
  });

  it('inserts, deletes, pastes TSV and undoes each as one step', async () => {
    const h = make();
    const b = await h.call('batches.create', { name: 'Empty', profile: 'wonder' });
    const pasted = await h.call('rows.paste', { batchId: b.id, text: `${WONDER_HEADER.replace(/,/g, '\t')}\r\npayment\tP-1\t\t\t10\ttok_cccccccccccccccccccccccc\t\t\t\t\t"a\tb"\r\npayment\tP-2\t\t\t20\ttok_dddddddddddddddddddddddd\t\t\t\t\t\r\n` });
    expect(pasted.rowCount).toBe(2);
    let w = await h.call('rows.window', { batchId: b.id, offset: 0, limit: 10 });
    expect(w.rows[0]!.cells.remark).toBe('a\tb');
    expect(w.rows[0]!.line).toBeNull();
    // a 2x2 block over cells, running past the end adds a row
    const block = await h.call('rows.paste', { batchId: b.id, text: 'P-9\t\nP-10\t\nP-11\t\n', anchor: { rowId: w.rows[0]!.id, column: 'referenceNumber' } });
    expect(block.rowCount).toBe(3);
    w = await h.call('rows.window', { batchId: b.id, offset: 0, limit: 10 });
    expect(w.rows.map((r) => r.cells.referenceNumber)).toEqual(['P-9', 'P-10', 'P-11']);
    await h.call('rows.undo', { batchId: b.id });
    w = await h.call('rows.window', { batchId: b.id, offset: 0, limit: 10 });
    expect(w.rows.map((r) => r.cells.referenceNumber)).toEqual(['P-1', 'P-2']);
    const ins = await h.call('rows.insert', { batchId: b.id, beforeRowId: w.rows[1]!.id, count: 2 });
    expect(ins.insertedRowIds).toHaveLength(2);
    w = await h.call('rows.window', { batchId: b.id, offset: 0, limit: 10 });
    expect(w.rows.map((r) => r.cells.referenceNumber)).toEqual(['P-1', '', '', 'P-2']);
    await h.call('rows.delete', { batchId: b.id, rowIds: [w.rows[0]!.id, w.rows[3]!.id] });
    w = await h.call('rows.window', { batchId: b.id, offset: 0, limit: 10 });
    expect(w.total).toBe(2);
    await h.call('rows.undo', { batchId: b.id });
    w = await h.call('rows.window', { batchId: b.id, offset: 0, limit: 10 });
    expect(w.rows.map((r) => r.cells.referenceNumber)).toEqual(['P-1', '', '', 'P-2']);
  });
});

describe('findings, fixes, find and replace', () => {
  it('groups findings with counts, jumps to the next error, applies a fix to all, replaces text', async () => {
    const h = make();
    const rows = Array.from({ length: 30 }, (_, i) => `PAYMENT,R-${i},,,${i + 1}.00,tok_${'e'.repeat(24)},,,,,note ${i}`);
    const file = writeFile(h.dataDir, 'x.csv', [WONDER_HEADER, ...rows].join('\n'));
    const { batchId } = await importFile(h, file);
    const f = await h.call('rows.findings', { batchId });
    const group = f.groups.find((g) => g.column === 'action');
    expect(group).toBeDefined();
    expect(group!.count).toBe(30);
    const page = await h.call('rows.findings', { batchId, code: group!.code, column: 'action', offset: 25, limit: 10 });
    expect(page.itemsTotal).toBe(30);
    expect(page.items).toHaveLength(5);
    const next = await h.call('rows.nextError', { batchId, dir: 'next' });
    expect(next.found?.index).toBe(0);
    const after = await h.call('rows.nextError', { batchId, dir: 'next', from: { rowId: next.found!.rowId, column: next.found!.column } });
    expect(after.found?.index).toBe(1);
    const prev = await h.call('rows.nextError', { batchId, dir: 'previous', from: { rowId: next.found!.rowId, column: next.found!.column } });
    expect(prev.found?.index).toBe(29);
    if (group!.fixable > 0) {
      const fixed = await h.call('rows.applyFix', { batchId, code: group!.code, column: 'action', scope: { kind: 'all' } });
      expect(fixed.affected).toBe(30);
      expect(fixed.errors).toBe(f.errors - 30);
      await h.call('rows.undo', { batchId });
    }
    const found = await h.call('rows.find', { batchId, text: 'note 1', column: 'remark' });
    expect(found.total).toBe(11); // note 1, note 10..19
    const rep = await h.call('rows.replace', { batchId, text: 'note', replacement: 'memo', column: 'remark' });
    expect(rep.affected).toBe(30);
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 1 });
    expect(w.rows[0]!.cells.remark).toBe('memo 0');
    expect((await h.fail('rows.replace', { batchId, text: '4111', replacement: 'x', column: 'cardNumber' })).message).toMatch(/cannot be replaced/);
  });

  it('reveals one card number on purpose and records it in words', async () => {
    const h = make();
    const file = writeFile(h.dataDir, 'c.csv', [WONDER_HEADER, ROWS[1]].join('\n'));
    const { batchId } = await importFile(h, file);
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 1 });
    const r = await h.call('rows.reveal', { batchId, rowId: w.rows[0]!.id, reason: 'customer called' });
    expect(r.cardNumber).toBe('4111111111111111');
    const history = await h.call('history.list', { limit: 1 });
    expect(history[0]!.action).toBe('card.reveal');
    expect(history[0]!.detail.text).toBe('Revealed card number 411111…1111 on line 2 of "Test batch" — customer called');
    expect(JSON.stringify(history)).not.toContain('4111111111111111');
  });
});

describe('summary and export', () => {
  it('sums per currency, counts actions, exports canonical amounts; a masked export says it is for review', async () => {
    const h = make();
    const file = writeFile(h.dataDir, 'e.csv', [WONDER_HEADER, ROWS[0], ROWS[1], ROWS[2]].join('\n'));
    const { batchId } = await importFile(h, file);
    const sum = await h.call('batches.summary', { batchId });
    expect(sum.rows).toBe(3);
    expect(sum.totals).toEqual([{ currency: 'HKD', minor: '18440', text: '184.40', rows: 3 }]);
    expect(sum.actions).toEqual({ payment: 2, authorize: 1 });
    const ex = await h.call('batches.export', { batchId });
    expect(ex.masked).toBe(true);
    expect(ex.files[0]).toMatch(/REVIEW-ONLY-masked\.csv$/);
    const text = readFileSync(ex.files[0]!, 'utf8');
    expect(text.split('\r\n')[0]).toMatch(/^FOR REVIEW ONLY/);
    expect(text).not.toContain('4111111111111111');
    expect(text).toContain(',5.50,');
    expect(text).toContain(',49.00,');
    const full = await h.call('batches.export', { batchId, includeFullCardNumbers: true });
    const fullText = readFileSync(full.files[0]!, 'utf8');
    expect(fullText.startsWith('Action,')).toBe(true);
    expect(fullText).toContain('4111111111111111');
  });
});
