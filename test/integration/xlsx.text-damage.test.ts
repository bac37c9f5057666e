/**
 * NUL characters and invalid UTF-8 in a workbook's cell text (shared strings or inline strings in
 * the sheet): reported by row and column as for CSV (an error in ID and amount columns, a warning
 * in free text), the NUL removed so no export holds it; clean text, and a U+FFFD the file really
 * spells, give no finding.
 */
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, withTempDir } from './cliHarness';
import { buildZip, sheetXml, sstXml, workbookItems } from '../fixtures/xlsx/zipkit';
import { TextDamage } from '../../electron/main/services/files/xlsx/textDamage';

const HEADER = ['Action', 'Reference Number', 'Original Transaction ID', 'Customer UUID', 'Amount', 'Token ID', 'Card Number', 'Expiry Month', 'Expiry Year', 'CVC', 'Remark'];
const TOKEN = 'tok_8f3a2c1d9e7b6a5f4c3d2e1f';
const COLS = 'ABCDEFGHIJK';

/** Inline-string cells; each value is raw XML text (bytes given as latin1 where a test needs them). */
const rowXml = (r: number, cells: string[]) =>
  `<row r="${r}">${cells.map((v, i) => (v === '' ? '' : `<c r="${COLS[i]}${r}" t="inlineStr"><is><t>${v}</t></is></c>`)).join('')}</row>`;
const dataRow = (ref: string, amount: string, remark: string) => ['payment', ref, '', '', amount, TOKEN, '', '', '', '', remark];

interface Report {
  issues: { row: number | null; column: string | null; severity: string; code: string }[];
}

async function validate(dir: string, sheet: Buffer | string, sst?: string): Promise<{ code: number | null; rep: Report; stderr: string; file: string }> {
  const file = join(dir, 'batch.xlsx');
  const items = workbookItems([{ name: 'Batch' }], sst);
  const sheetItem = items.find((i) => i.name === 'xl/worksheets/sheet1.xml')!;
  sheetItem.data = sheet;
  await writeFile(file, buildZip(items));
  const r = await runCli(['validate', file, '--profile', 'wonder', '--json']);
  return { code: r.code, rep: JSON.parse(r.stdout) as Report, stderr: r.stderr, file };
}

const ofCode = (rep: Report, code: string) => rep.issues.filter((i) => i.code === code).map((i) => ({ row: i.row, column: i.column, severity: i.severity }));
const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('NUL in a workbook', () => {
  it("Excel's _x0000_ escape in a shared string (Remark) and &#0; inline (Reference Number): warning and error by row; exports hold no NUL", async () => {
    await withTempDir(async (dir) => {
      const sst = sstXml([...HEADER, 'a_x0000_b']);
      // the header from shared strings 0..10, row 2's Remark is shared string 11
      const header = `<row r="1">${HEADER.map((_, i) => `<c r="${COLS[i]}1" t="s"><v>${i}</v></c>`).join('')}</row>`;
      const row2 = rowXml(2, dataRow('INV-1', '9.99', '')).replace('</row>', '<c r="K2" t="s"><v>11</v></c></row>');
      const row3 = rowXml(3, dataRow('INV-&#0;2', '9.98', 'clean'));
      const { code, rep, stderr } = await validate(dir, sheetXml(header + row2 + row3), sst);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(ofCode(rep, 'import.nul_character')).toEqual([
        { row: 1, column: 'Remark', severity: 'warning' },
        { row: 2, column: 'Reference Number', severity: 'error' },
      ]);
      // with the bad reference fixed the export goes through, and holds "ab"
      const fixedSheet = sheetXml(header + row2 + rowXml(3, dataRow('INV-2', '9.98', 'clean')));
      const fixed = await validate(dir, fixedSheet, sst);
      expect(fixed.code).toBe(0);
      const out = join(dir, 'out.csv');
      const e = await runCli(['export', fixed.file, '--profile', 'wonder', '--out', out]);
      expect(e.code).toBe(0);
      const written = await readFile(out);
      expect(written.includes(0)).toBe(false);
      expect(written.toString('utf8')).toContain(',ab\r\n');
    });
  });

  it('a raw zero byte in an Amount cell: an error by row and column', async () => {
    await withTempDir(async (dir) => {
      const sheet = Buffer.concat([latin1(sheetXml(rowXml(1, HEADER) + rowXml(2, dataRow('INV-1', '9\u00009', 'x'))))]);
      const { code, rep } = await validate(dir, sheet);
      expect(code).toBe(1);
      expect(ofCode(rep, 'import.nul_character')).toEqual([{ row: 1, column: 'Amount', severity: 'error' }]);
    });
  });
});

describe('invalid UTF-8 in a workbook', () => {
  it('a stray Windows-1252 byte: a warning in Remark, an error in Reference Number, each by row', async () => {
    await withTempDir(async (dir) => {
      // "café" with é as the single byte 0xe9 (not UTF-8); "crème" spelled correctly in UTF-8
      const xml = sheetXml(rowXml(1, HEADER) + rowXml(2, dataRow('INV-1', '9.99', 'caf\u00e9 cr\u00c3\u00a8me')) + rowXml(3, dataRow('INV-\u00ff2', '9.98', 'ok')));
      const { code, rep, stderr } = await validate(dir, latin1(xml));
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(ofCode(rep, 'import.invalid_utf8')).toEqual([
        { row: 1, column: 'Remark', severity: 'warning' },
        { row: 2, column: 'Reference Number', severity: 'error' },
      ]);
    });
  });

  it('clean UTF-8 text, and a U+FFFD the workbook really spells, give no finding', async () => {
    await withTempDir(async (dir) => {
      const xml = sheetXml(rowXml(1, HEADER) + rowXml(2, dataRow('INV-1', '9.99', 'crème brûlée \ufffd')) + rowXml(3, dataRow('INV-2', '9.98', '_x005F_x0000_ is text')));
      const { code, rep } = await validate(dir, Buffer.from(xml, 'utf8'));
      expect(code).toBe(0);
      expect(rep.issues.filter((i) => i.code.startsWith('import.'))).toEqual([]);
    });
  });
});

describe('TextDamage across chunk seams', () => {
  const feed = (chunks: Buffer[]) => {
    const d = new TextDamage();
    const dec = new TextDecoder('utf-8');
    for (const c of chunks) d.chunk(c, dec.decode(c, { stream: true }), true);
    d.chunk(Buffer.alloc(0), dec.decode(), true);
    return d;
  };
  const split = (b: Buffer, at: number) => [b.subarray(0, at), b.subarray(at)];

  it('a real U+FFFD split over two chunks at every offset is not damage; a stray byte at the seam is', () => {
    const good = Buffer.from('abc\ufffddef', 'utf8');
    for (let at = 1; at < good.length; at++) expect(feed(split(good, at)).invalidUtf8).toBe(0);
    const bad = Buffer.concat([Buffer.from('ab'), Buffer.from([0xef, 0xbf]), Buffer.from('x\ufffd', 'utf8')]);
    for (let at = 1; at < bad.length; at++) expect(feed(split(bad, at)).invalidUtf8).toBe(1);
  });

  it('_x0000_ and &#x0000; split over two chunks at every offset are seen; _x0001_ and &#10; are not NUL', () => {
    for (const s of ['ab_x0000_cd', 'ab&#x0000;cd', 'ab&#0;cd']) {
      const b = Buffer.from(s);
      for (let at = 1; at < b.length; at++) expect(feed(split(b, at)).nul).toBe(true);
    }
    for (const s of ['ab_x0001_cd', 'ab&#10;cd', 'ab&#x10;cd', '_x000_0']) expect(feed([Buffer.from(s)]).nul).toBe(false);
  });
});
