/**
 * A date or time typed in Excel into a text column (Remark, a reference) is read as the text Excel
 * shows, with a warning naming the cell; in other columns the serial number stays as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../../electron/main/services/files/importFile';
import { readXlsx } from '../../electron/main/services/files/xlsx';
import { buildZip, sheetXml, stylesXml, workbookItems } from '../fixtures/xlsx/zipkit';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'batchdesk-xlsx-dates-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const t = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
const num = (ref: string, v: number, s?: number) => `<c r="${ref}"${s !== undefined ? ` s="${s}"` : ''}><v>${v}</v></c>`;

// style index → number format: 0 General, 1 m/d/yyyy (id 14), 2 yyyy-mm-dd, 3 m/d/yyyy h:mm (id 22),
// 4 dd/mm/yyyy, 5 0.00 (not a date), 6 h:mm:ss (id 21)
const STYLES = stylesXml([0, 14, 'yyyy-mm-dd', 22, 'dd/mm/yyyy', '0.00', 21]);
const MAY_DAY = 46508; // 2027-05-01 in the 1900 date system

async function wonderBook(rows: string[], opts: { date1904?: boolean; styles?: string | null } = {}): Promise<string> {
  const header = `<row r="1">${['Action', 'Reference Number', 'Amount', 'Token ID', 'Remark'].map((h, i) => t(`${'ABCDE'[i]}1`, h)).join('')}</row>`;
  const body = rows.map((cells, i) => `<row r="${i + 2}">${cells.replace(/#/g, String(i + 2))}</row>`).join('');
  const p = join(dir, `d${n++}.xlsx`);
  const styles = opts.styles === null ? {} : { styles: opts.styles ?? STYLES };
  await writeFile(p, buildZip(workbookItems([{ name: 'Batch', xml: sheetXml(header + body) }], undefined, { ...styles, ...(opts.date1904 ? { workbookPr: '<workbookPr date1904="1"/>' } : {}) })));
  return p;
}

const base = (remark: string, ref = t('B#', 'REF-#')) => `${t('A#', 'payment')}${ref}${num('C#', 10)}${t('D#', 'tok_abc')}${remark}`;

describe('dates in text columns', () => {
  it('a date under a language-dependent built-in format (id 31, as Japanese or Chinese Excel saves 2027年5月1日) reads in ISO form with its warning', async () => {
    const styles = stylesXml([0, 31, 32]);
    const r = await importFile(await wonderBook([base(num('E#', MAY_DAY, 1)), base(num('E#', 0.5, 2))], { styles }), { profile: 'wonder' });
    expect(r.rows.map((x) => x[10])).toEqual(['2027-05-01', '12:00:00']);
    const dates = r.issues.filter((i) => i.code === 'xlsx.date_in_text_column');
    expect(dates.map((i) => [i.row, i.column, i.severity])).toEqual([
      [1, 'Remark', 'warning'],
      [2, 'Remark', 'warning'],
    ]);
    expect(dates[0]!.message).toBe(
      'Cell E2 holds a date or time (Excel keeps it as a number) in a format that depends on Excel\'s language; Remark is text, so it is read as "2027-05-01". Check it; to keep the exact text, format the column as Text and type it again.',
    );
  });

  it('a Remark typed as a date reads as Excel shows it, with a warning naming the cell', async () => {
    const r = await importFile(await wonderBook([base(num('E#', MAY_DAY, 2)), base(num('E#', MAY_DAY, 1)), base(num('E#', MAY_DAY + 0.5, 3)), base(num('E#', MAY_DAY, 4)), base(num('E#', 0.5, 6))]), { profile: 'wonder' });
    expect(r.rows.map((x) => x[10])).toEqual(['2027-05-01', '5/1/2027', '5/1/2027 12:00', '01/05/2027', '12:00:00']);
    const dates = r.issues.filter((i) => i.code === 'xlsx.date_in_text_column');
    expect(dates.map((i) => [i.row, i.column, i.severity])).toEqual([
      [1, 'Remark', 'warning'],
      [2, 'Remark', 'warning'],
      [3, 'Remark', 'warning'],
      [4, 'Remark', 'warning'],
      [5, 'Remark', 'warning'],
    ]);
    expect(dates[0]!.message).toBe(
      'Cell E2 holds a date or time (Excel keeps it as a number); Remark is text, so it is read as "2027-05-01", as Excel shows it. Check it; to keep the exact text, format the column as Text and type it again.',
    );
    expect(dates[4]!.message).toMatch(/^Cell E6 /);
    // warnings only: the batch stays exportable
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('a reference typed as a date reads as Excel shows it (not the serial number)', async () => {
    const r = await importFile(await wonderBook([base(t('E#', ''), num('B#', MAY_DAY, 4))]), { profile: 'wonder' });
    expect(r.rows[0]![1]).toBe('01/05/2027');
    expect(r.issues.find((i) => i.code === 'xlsx.date_in_text_column')).toMatchObject({ row: 1, column: 'Reference Number' });
    expect(r.issues.find((i) => i.code === 'import.excel_number')).toBeUndefined();
  });

  it('honours the 1904 date system', async () => {
    const r = await importFile(await wonderBook([base(num('E#', MAY_DAY - 1462, 2))], { date1904: true }), { profile: 'wonder' });
    expect(r.rows[0]![10]).toBe('2027-05-01');
  });

  it('numbers with a non-date format, or no styles at all, keep the behaviour of before', async () => {
    const r = await importFile(await wonderBook([base(num('E#', 12.5, 5)), base(num('E#', MAY_DAY))]), { profile: 'wonder' });
    expect(r.rows.map((x) => x[10])).toEqual(['12.5', '46508']);
    expect(r.issues.filter((i) => i.code === 'xlsx.date_in_text_column')).toEqual([]);
    const none = await importFile(await wonderBook([base(num('E#', MAY_DAY, 2))], { styles: null }), { profile: 'wonder' });
    expect(none.rows[0]![10]).toBe('46508');
  });

  it('an amount that carries a date format stays a number (columns that are not text are not touched)', async () => {
    const r = await importFile(await wonderBook([`${t('A#', 'payment')}${t('B#', 'R')}${num('C#', 129.9, 2)}${t('D#', 'tok_abc')}`]), { profile: 'wonder' });
    expect(r.rows[0]![4]).toBe('129.9');
    expect(r.issues.filter((i) => i.code === 'xlsx.date_in_text_column')).toEqual([]);
  });

  it('the reader keeps serial numbers when it is not told which columns are text', async () => {
    const tbl = await readXlsx(await wonderBook([base(num('E#', MAY_DAY, 2))]));
    expect(tbl.rows[0]![4]).toBe(MAY_DAY);
  });

  it('only cellXfs styles count (not cellStyleXfs), and a date style on a text cell changes nothing', async () => {
    const r = await importFile(await wonderBook([base(`<c r="E#" s="2" t="inlineStr"><is><t>as typed</t></is></c>`)]), { profile: 'wonder' });
    expect(r.rows[0]![10]).toBe('as typed');
    expect(r.issues.filter((i) => i.code === 'xlsx.date_in_text_column')).toEqual([]);
  });
});
