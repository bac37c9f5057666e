/**
 * Import tasks: appending a file to an existing batch (row ids kept, one history line), cancelling
 * a running import (nothing stays), and an import interrupted by a crash (its rows are removed when
 * the batch is next opened, the batch's own rows kept).
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER } from './helpers';

afterEach(() => cleanupTempDirs());

const rowsOf = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `payment,${prefix}-${i},,,${(i % 90) + 1}.00,tok_${String(i).padStart(24, '0')},,,,,r`);

describe('import tasks', () => {
  it('appends to an existing batch', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const { batchId } = await importFile(h, writeFile(dir, 'a.csv', [WONDER_HEADER, ...rowsOf(3, 'A')].join('\n')), { name: 'Base' });
    const first = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    const file = writeFile(dir, 'b.csv', [WONDER_HEADER, ...rowsOf(2, 'B')].join('\n'));
    const preview = await h.call('import.preview', { file: { kind: 'path', path: file }, profile: 'wonder' });
    const started = await h.call('import.start', { file: { kind: 'path', path: file }, profile: 'wonder', mapping: preview.mapping, amountUnit: 'major', target: { kind: 'append', batchId } });
    expect(started.batchId).toBe(batchId);
    expect((await h.finished(started.taskId)).outcome).toBe('done');
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.rows.map((r) => r.cells.referenceNumber)).toEqual(['A-0', 'A-1', 'A-2', 'B-0', 'B-1']);
    expect(w.rows.slice(0, 3).map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect((await h.call('history.list', { limit: 1 }))[0]!.detail.text).toBe('Added b.csv to "Base" — 2 rows, 0 errors');
    // a batch of another provider is refused
    expect((await h.fail('import.start', { file: { kind: 'path', path: file }, profile: 'epay', mapping: {}, amountUnit: 'minor', target: { kind: 'append', batchId } })).message).toMatch(/Wonder batch/);
    h.close();
  });

  it('shows the first rows read-only while the rest are still being imported', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const file = writeFile(dir, 'big.csv', [WONDER_HEADER, ...rowsOf(60_000, 'F')].join('\n'));
    const preview = await h.call('import.preview', { file: { kind: 'path', path: file }, profile: 'wonder' });
    const started = await h.call('import.start', { file: { kind: 'path', path: file }, profile: 'wonder', mapping: preview.mapping, amountUnit: 'major', target: { kind: 'new', name: 'Big' } });
    // wait for the early window (after the first rows), bounded in time rather than in turns of the loop: a loaded machine takes longer
    const until = Date.now() + 30_000;
    while (Date.now() < until && !h.events.some((e) => e.name === 'rows.changed')) await new Promise((r) => setTimeout(r, 2));
    expect(h.events.some((e) => e.name === 'import.finished')).toBe(false);
    const early = await h.call('rows.window', { batchId: started.batchId, offset: 0, limit: 50 });
    expect(early.rows).toHaveLength(50);
    expect(early.readOnly).toBe(true);
    expect((await h.fail('rows.edit', { batchId: started.batchId, changes: [{ rowId: early.rows[0]!.id, column: 'remark', value: 'x' }] })).message).toMatch(/still being imported/);
    expect((await h.finished(started.taskId)).rows).toBe(60_000);
    const late = await h.call('rows.window', { batchId: started.batchId, offset: 59_990, limit: 50 });
    expect(late).toMatchObject({ total: 60_000, readOnly: false });
    expect(late.rows[9]!.line).toBe(60_001); // the file's line (the header is line 1)
    h.close();
  });

  it('a cancelled import leaves nothing behind', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const file = writeFile(dir, 'big.csv', [WONDER_HEADER, ...rowsOf(60_000, 'C')].join('\n'));
    const preview = await h.call('import.preview', { file: { kind: 'path', path: file }, profile: 'wonder' });
    const started = await h.call('import.start', { file: { kind: 'path', path: file }, profile: 'wonder', mapping: preview.mapping, amountUnit: 'major', target: { kind: 'new', name: 'Cancelled' } });
    expect(await h.call('import.cancel', { taskId: started.taskId })).toEqual({ cancelled: true });
    const fin = await h.finished(started.taskId);
    expect(fin.outcome).toBe('cancelled');
    expect((await h.call('batches.list', {})).map((b) => b.name)).not.toContain('Cancelled');
    expect((h.services.db.prepare('SELECT count(*) AS n FROM batch_rows').get() as { n: number }).n).toBe(0);
    h.close();
  });

  it('rows of an import interrupted by a crash are removed on the next open; the batch keeps its own', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const { batchId } = await importFile(h, writeFile(dir, 'a.csv', [WONDER_HEADER, ...rowsOf(3, 'A')].join('\n')));
    h.close();
    // what a kill in the middle of an append leaves: rows past the marker
    const db = new Database(join(dir, 'batchdesk.sqlite'));
    const max = (db.prepare('SELECT max(position) AS p FROM batch_rows').get() as { p: number }).p;
    db.prepare("INSERT INTO batch_rows (id, batch_id, position, idempotency_key, cells, created_at, updated_at) VALUES ('0190c3e2-0000-7000-8000-000000000001', ?, ?, 'k-1', '[]', 'x', 'x')").run(batchId, max + 1024);
    db.prepare('UPDATE batches SET importing_from = ? WHERE id = ?').run(max + 1, batchId);
    db.close();
    const h2 = harness(dir);
    const w = await h2.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.total).toBe(3);
    expect((await h2.call('history.list', { limit: 1 }))[0]!.action).toBe('import.interrupted');
    h2.close();
  });
});
