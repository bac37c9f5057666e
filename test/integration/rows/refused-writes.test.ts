/**
 * A full disk or a data file locked by another process refuses the edit with a message saying so;
 * nothing acknowledged is lost, memory keeps what is stored, and editing resumes when the cause is
 * gone. Disk full is SQLite's own SQLITE_FULL (max_page_count reached), the lock a second
 * connection holding the write lock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER } from './helpers';

afterEach(() => cleanupTempDirs());

async function batchWithRows(dir: string) {
  const h = harness(dir);
  const rows = Array.from({ length: 20 }, (_, i) => `payment,D-${i},,,${i + 1}.00,tok_${String(i).padStart(24, '0')},,,,,x`);
  const { batchId } = await importFile(h, writeFile(dir, 'd.csv', [WONDER_HEADER, ...rows].join('\n')));
  const w = await h.call('rows.window', { batchId, offset: 0, limit: 50 });
  return { h, batchId, w };
}

describe('refused writes', () => {
  it('disk full: the edit is refused, saying so; nothing changes; it works once there is room', async () => {
    const dir = tempDir();
    const { h, batchId, w } = await batchWithRows(dir);
    await h.call('rows.edit', { batchId, changes: [{ rowId: w.rows[0]!.id, column: 'remark', value: 'saved before' }] });
    const db = h.services.db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = 'y'.repeat(30_000);
    const err = await h.fail('rows.edit', { batchId, changes: w.rows.map((r) => ({ rowId: r.id, column: 'remark', value: big })) });
    expect(err.code).toBe('db.full');
    expect(err.message).toMatch(/disk is full.*not saved.*Free some disk space/);
    const still = await h.call('rows.window', { batchId, offset: 0, limit: 2 });
    expect(still.rows[0]!.cells.remark).toBe('saved before');
    expect(still.rows[1]!.cells.remark).toBe('x');
    db.pragma('max_page_count = 1073741823');
    const ok = await h.call('rows.edit', { batchId, changes: [{ rowId: w.rows[1]!.id, column: 'remark', value: 'after' }] });
    expect(ok.txn).not.toBeNull();
    h.close();
  });

  it('locked by another process: refused with a message; resumes when the lock is released', async () => {
    const dir = tempDir();
    const { h, batchId, w } = await batchWithRows(dir);
    const other = new Database(join(dir, 'batchdesk.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    h.services.db.pragma('busy_timeout = 200');
    const err = await h.fail('rows.edit', { batchId, changes: [{ rowId: w.rows[0]!.id, column: 'remark', value: 'while locked' }] });
    expect(err.code).toBe('db.locked');
    expect(err.message).toMatch(/Another program is using the Batchdesk data file.*not saved/);
    expect((await h.call('rows.window', { batchId, offset: 0, limit: 1 })).rows[0]!.cells.remark).toBe('x');
    other.exec('ROLLBACK');
    other.close();
    const ok = await h.call('rows.edit', { batchId, changes: [{ rowId: w.rows[0]!.id, column: 'remark', value: 'unlocked' }] });
    expect(ok.txn).not.toBeNull();
    expect((await h.call('rows.window', { batchId, offset: 0, limit: 1 })).rows[0]!.cells.remark).toBe('unlocked');
    h.close();
  });
});
