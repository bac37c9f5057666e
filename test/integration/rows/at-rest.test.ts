/**
 * Card data at rest: after importing, editing, undoing and exporting masked, the SQLite file and
 * its WAL hold no card number and no CVC in clear (the bytes are searched, also as UTF-16 text);
 * a sealed value changed on disk is refused and the rest of the batch still opens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER } from './helpers';

afterEach(() => cleanupTempDirs());

const PANS = ['4111111111111111', '5555555555554444', '378282246310005'];
const CVCS = ['8642', '9753'];

function bytesOfStore(dir: string): Buffer[] {
  return ['batchdesk.sqlite', 'batchdesk.sqlite-wal', 'batchdesk.sqlite-journal'].map((f) => join(dir, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f));
}

function containsText(buf: Buffer, text: string): boolean {
  return buf.includes(Buffer.from(text, 'utf8')) || buf.includes(Buffer.from(text, 'utf16le'));
}

describe('card data at rest', () => {
  it('never writes a PAN or CVC in clear to the SQLite file or its WAL', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const file = writeFile(dir, 'cards.csv', [
      WONDER_HEADER,
      `payment,C-1,,,10.00,,${PANS[0]},05,30,${CVCS[0]},`,
      `payment,C-2,,,11.00,,${PANS[1]},06,31,${CVCS[1]},`,
    ].join('\n'));
    const { batchId } = await importFile(h, file);
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    await h.call('rows.edit', { batchId, changes: [{ rowId: w.rows[0]!.id, column: 'cardNumber', value: PANS[2]! }] });
    await h.call('rows.undo', { batchId });
    await h.call('rows.redo', { batchId });
    await h.call('rows.delete', { batchId, rowIds: [w.rows[1]!.id] });
    await h.call('rows.undo', { batchId });
    await h.call('rows.reveal', { batchId, rowId: w.rows[0]!.id, reason: 'checking the test' });
    await h.call('batches.export', { batchId });
    // while open (WAL not yet checkpointed) and after closing
    const open = bytesOfStore(dir);
    expect(open.length).toBeGreaterThanOrEqual(2);
    h.close();
    for (const buf of [...open, ...bytesOfStore(dir)]) {
      for (const secret of [...PANS, ...CVCS]) expect(containsText(buf, secret), secret).toBe(false);
    }
    // and the data is really there, sealed: a new process reads it back
    const h2 = harness(dir);
    const again = await h2.call('rows.reveal', { batchId, rowId: w.rows[0]!.id, reason: 'checking the test' });
    expect(again.cardNumber).toBe(PANS[2]);
    h2.close();
  });

  it('refuses a sealed value changed on disk, and still opens the rest of the batch', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const file = writeFile(dir, 'cards.csv', [WONDER_HEADER, `payment,T-1,,,10.00,,${PANS[0]},05,30,,`, `payment,T-2,,,12.00,,${PANS[1]},05,30,,`].join('\n'));
    const { batchId } = await importFile(h, file);
    h.close();
    const db = new Database(join(dir, 'batchdesk.sqlite'));
    const row = db.prepare('SELECT id, sealed FROM batch_rows WHERE line = 2').get() as { id: string; sealed: Buffer };
    const bad = Buffer.from(row.sealed);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    db.prepare('UPDATE batch_rows SET sealed = ? WHERE id = ?').run(bad, row.id);
    // a foreign row (cells not JSON) does not block opening either
    db.prepare("UPDATE batch_rows SET cells = 'not json' WHERE line = 3").run();
    db.close();
    const h2 = harness(dir);
    const w = await h2.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.total).toBe(2);
    expect(w.rows[0]!.cells.cardNumber).toBe('');
    expect(w.rows[0]!.findings.some((f) => f.severity === 'error')).toBe(true);
    expect(h2.services.rows.open(batchId).damaged).toBe(2);
    h2.close();
  });
});
