/**
 * NUL characters and undecodable bytes in a file imported into a batch: each damaged cell carries
 * its finding in the editor (an error in ID and amount columns, a warning in free text), the
 * finding goes when the cell is retyped, and the export never holds a NUL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cleanupTempDirs } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER, type Harness } from './helpers';

let open: Harness[] = [];
afterEach(() => {
  for (const h of open) h.close();
  open = [];
  cleanupTempDirs();
});

const TOKEN = 'tok_aaaaaaaaaaaaaaaaaaaaaaaa';

describe('damaged text in a batch', () => {
  it('NUL in Remark is a warning, a stray byte in Reference Number an error; retyping clears them; the export has no NUL', async () => {
    const h = harness();
    open.push(h);
    // UTF-8 file (a valid é elsewhere keeps it UTF-8), a NUL in row 1's Remark, a lone 0xff in row 2's reference
    const bytes = Buffer.concat([
      Buffer.from(`${WONDER_HEADER}\r\npayment,SUB-1,,,10.00,${TOKEN},,,,,caf\u00e9 a`, 'utf8'),
      Buffer.from([0]),
      Buffer.from(`b\r\npayment,SUB-`, 'utf8'),
      Buffer.from([0xff]),
      Buffer.from(`2,,,11.00,${TOKEN},,,,,cr\u00e8me\r\n`, 'utf8'),
    ]);
    const { batchId, finished } = await importFile(h, writeFile(h.dataDir, 'damaged.csv', bytes));
    expect(finished).toMatchObject({ outcome: 'done', rows: 2 });
    let w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    const of = (i: number) => w.rows[i]!.findings.map((f) => [f.code, f.column, f.severity]);
    expect(of(0)).toEqual([['import.nul_character', 'remark', 'warning']]);
    expect(of(1)).toEqual([['import.invalid_utf8', 'referenceNumber', 'error']]);
    expect(w.rows[1]!.findings[0]!.message).toMatch(/^Reference Number has a character that could not be read/);

    await h.call('rows.edit', { batchId, changes: [{ rowId: w.rows[1]!.id, column: 'referenceNumber', value: 'SUB-2' }] });
    w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(of(1)).toEqual([]);

    const ex = await h.call('batches.export', { batchId });
    const written = readFileSync(ex.files[0]!);
    expect(written.includes(0)).toBe(false);
    expect(written.toString('utf8')).toContain(',café ab\r\n');
  });

  it('clean text gives no such finding', async () => {
    const h = harness();
    open.push(h);
    const { batchId } = await importFile(h, writeFile(h.dataDir, 'clean.csv', `${WONDER_HEADER}\r\npayment,SUB-1,,,10.00,${TOKEN},,,,,crème brûlée\r\n`));
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 10 });
    expect(w.rows[0]!.findings).toEqual([]);
  });
});
