/**
 * Row numbers are where the clerk finds the row in the file (a CSV's line, a sheet's row), and
 * rows added from another file are one undo step (a new batch's import is not undone: there is
 * nothing before it). Real SQLite file, real files, the handler map.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { buildZip, sheetXml, workbookItems } from '../../fixtures/xlsx/zipkit';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER } from './helpers';

afterEach(() => cleanupTempDirs());

const tok = (i: number) => `tok_${String(i).padStart(24, '0')}`;

describe('row numbers are the source file’s lines', () => {
  it('CSV: a title line, Excel’s sep= line, quoted cells with line breaks and blank lines all count', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const text = [
      'sep=,', // line 1
      'December renewals', // 2: a title above the header
      WONDER_HEADER, // 3
      `payment,R-1,,,10.00,${tok(1)},,,,,"a remark`, // 4 (the cell goes on over lines 5 and 6)
      'over three',
      'lines"',
      '', // 7: blank
      `payment,R-2,,,11.00,${tok(2)},,,,,plain`, // 8
      `payment,R-3,,,12.00,${tok(3)},,,,,"two`, // 9
      'lines"',
      `payment,R-4,,,13.00,${tok(4)},,,,,last`, // 11
    ].join('\r\n');
    const { preview, batchId, finished } = await importFile(h, writeFile(dir, 'lines.csv', text));
    expect(finished.outcome).toBe('done');
    expect(preview.sampleLines).toEqual([4, 8, 9, 11]);
    // the title line's warning speaks of the app's numbering, not the CLI's
    expect(preview.issues.find((i) => i.code === 'import.rows_above_header')?.message).toBe(
      'The column headers are not in the first row: the row above them (a title or notes) was skipped. The Line column shows where each row is in the file.',
    );
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.rows.map((r) => [r.cells.referenceNumber, r.line])).toEqual([
      ['R-1', 4],
      ['R-2', 8],
      ['R-3', 9],
      ['R-4', 11],
    ]);
    expect(w.rows[0]!.cells.remark).toBe('a remark\r\nover three\r\nlines');
    h.close();
  });

  it('CSV with LF endings and no title: the first data row is line 2', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const text = [WONDER_HEADER, `payment,A,,,1.00,${tok(1)},,,,,"x\ny"`, `payment,B,,,2.00,${tok(2)},,,,,z`].join('\n') + '\n';
    const { batchId } = await importFile(h, writeFile(dir, 'lf.csv', text));
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.rows.map((r) => r.line)).toEqual([2, 4]);
    h.close();
  });

  it('XLSX: the sheet’s row numbers, under a title row and across skipped blank rows', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const inl = (ref: string, t: string) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
    const dataRow = (r: number, ref: string, amount: string, t: string) => `<row r="${r}">${inl(`A${r}`, 'payment')}${inl(`B${r}`, ref)}<c r="C${r}"><v>${amount}</v></c>${inl(`D${r}`, t)}</row>`;
    const body =
      `<row r="1">${inl('A1', 'December renewals')}</row>` +
      `<row r="3">${inl('A3', 'Action')}${inl('B3', 'Reference Number')}${inl('C3', 'Amount')}${inl('D3', 'Token ID')}</row>` +
      dataRow(4, 'X-1', '12.5', tok(1)) +
      dataRow(7, 'X-2', '13.5', tok(2));
    const path = join(dir, 'title.xlsx');
    writeFile(dir, 'title.xlsx', buildZip(workbookItems([{ name: 'Batch', xml: sheetXml(body) }])));
    const { preview, batchId } = await importFile(h, path);
    expect(preview.sampleLines).toEqual([4, 7]);
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.rows.map((r) => [r.cells.referenceNumber, r.line])).toEqual([
      ['X-1', 4],
      ['X-2', 7],
    ]);
    h.close();
  });
});

describe('adding rows from another file is one undo step', () => {
  it('undo removes exactly the added rows, redo brings them back with the same ids; survives a restart', async () => {
    const dir = tempDir();
    let h = harness(dir);
    const base = [WONDER_HEADER, ...[0, 1, 2].map((i) => `payment,A-${i},,,${i + 1}.00,${tok(i)},,,,,r`)].join('\n');
    const { batchId, finished } = await importFile(h, writeFile(dir, 'a.csv', base), { name: 'Base' });
    expect(finished.outcome).toBe('done');
    // the import of a new batch is not an undo step
    expect((await h.call('batches.summary', { batchId })).canUndo).toBe(false);
    // an edit, then rows from another file (one with a card number: sealed in the journal too)
    const first = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    await h.call('rows.edit', { batchId, changes: [{ rowId: first.rows[0]!.id, column: 'remark', value: 'edited' }], label: 'edit' });
    const more = [WONDER_HEADER, `payment,B-0,,,5.00,,4111111111111111,05,30,123,card`, `payment,B-1,,,6.00,${tok(9)},,,,,b`].join('\n');
    const file = writeFile(dir, 'b.csv', more);
    const preview = await h.call('import.preview', { file: { kind: 'path', path: file }, profile: 'wonder' });
    const started = await h.call('import.start', { file: { kind: 'path', path: file }, profile: 'wonder', mapping: preview.mapping, amountUnit: 'major', target: { kind: 'append', batchId } });
    expect((await h.finished(started.taskId)).outcome).toBe('done');
    const after = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(after.rows.map((r) => r.cells.referenceNumber)).toEqual(['A-0', 'A-1', 'A-2', 'B-0', 'B-1']);
    const addedIds = after.rows.slice(3).map((r) => r.id);
    expect((await h.call('batches.summary', { batchId })).canUndo).toBe(true);

    const undone = await h.call('rows.undo', { batchId });
    expect(undone.deletedRowIds.sort()).toEqual([...addedIds].sort());
    let w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.rows.map((r) => r.cells.referenceNumber)).toEqual(['A-0', 'A-1', 'A-2']);
    expect(w.rows[0]!.cells.remark).toBe('edited'); // the edit before it is untouched

    // across a restart: redo restores the rows with their ids, lines and sealed card number
    h.close();
    h = harness(dir);
    await h.call('rows.redo', { batchId });
    w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.rows.map((r) => r.id)).toEqual([...first.rows.map((r) => r.id), ...addedIds]);
    expect(w.rows.slice(3).map((r) => r.line)).toEqual([2, 3]);
    expect(w.rows[3]!.cells.cardNumber).toBe('411111******1111');
    expect((await h.call('rows.reveal', { batchId, rowId: addedIds[0]!, reason: 'test of redo' })).cardNumber).toBe('4111111111111111');

    // undo twice: the rows, then the edit
    await h.call('rows.undo', { batchId });
    await h.call('rows.undo', { batchId });
    w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.rows.map((r) => [r.cells.referenceNumber, r.cells.remark])).toEqual([
      ['A-0', 'r'],
      ['A-1', 'r'],
      ['A-2', 'r'],
    ]);
    h.close();

    // the journal holds the card number sealed only
    const db = new Database(join(dir, 'batchdesk.sqlite'), { readonly: true });
    const journal = db.prepare('SELECT after FROM edit_journal WHERE batch_id = ?').all(batchId) as { after: string | null }[];
    db.close();
    expect(journal.length).toBeGreaterThan(0);
    expect(JSON.stringify(journal)).not.toContain('4111111111111111');
    expect(JSON.stringify(journal)).not.toContain('"123"');
  });
});
