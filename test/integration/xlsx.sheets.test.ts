/**
 * Which sheet of a workbook is read: the one the clerk sees on opening it (the active tab, when
 * visible), else the first visible one; a hidden sheet only when named. Several sheets: say which.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readXlsx } from '../../electron/main/services/files/xlsx';
import { importFile } from '../../electron/main/services/files/importFile';
import { isFormatError, type FormatError } from '../../shared/formats/errors';
import { buildZip, sheetXml, workbookItems } from '../fixtures/xlsx/zipkit';
import { runCli } from './cliHarness';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'batchdesk-xlsx-sheets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const row = (r: number, cells: string[]) => `<row r="${r}">${cells.map((v) => `<c t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;
const sheetOf = (title: string) => sheetXml(row(1, ['Name']) + row(2, [title]));

type Sheet = { name: string; state?: 'visible' | 'hidden' | 'veryHidden' };

async function book(sheets: Sheet[], activeTab?: number): Promise<string> {
  const p = join(dir, `b${n++}.xlsx`);
  await writeFile(p, buildZip(workbookItems(sheets.map((s) => ({ ...s, xml: sheetOf(s.name) })), undefined, activeTab !== undefined ? { activeTab } : {})));
  return p;
}

async function refusal(p: Promise<unknown>): Promise<FormatError> {
  try {
    await p;
  } catch (e) {
    if (isFormatError(e)) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

describe('the sheet read by default', () => {
  it('a hidden first sheet is skipped for the active, visible one, and the notice says so', async () => {
    const t = await readXlsx(await book([{ name: 'Old', state: 'hidden' }, { name: 'Batch' }, { name: 'Notes' }], 1));
    expect(t.source.sheet).toBe('Batch');
    expect(t.rows).toEqual([['Batch']]);
    expect(t.issues).toEqual([
      { row: null, column: null, severity: 'warning', code: 'xlsx.sheet_read', message: 'Read sheet "Batch" (2 of 3 sheets; "Old" is hidden). To check another sheet, name it as the sheet to read.' },
    ]);
  });

  it('the active tab is read even when it is not the first', async () => {
    const t = await readXlsx(await book([{ name: 'A' }, { name: 'B' }, { name: 'C' }], 2));
    expect(t.source.sheet).toBe('C');
    expect(t.issues[0]!.message).toBe('Read sheet "C" (3 of 3 sheets). To check another sheet, name it as the sheet to read.');
  });

  it('without a workbook view, the first visible sheet', async () => {
    const t = await readXlsx(await book([{ name: 'Gone', state: 'veryHidden' }, { name: 'Old', state: 'hidden' }, { name: 'Batch' }]));
    expect(t.source.sheet).toBe('Batch');
    expect(t.issues[0]!.message).toBe('Read sheet "Batch" (3 of 3 sheets; "Gone" and "Old" are hidden). To check another sheet, name it as the sheet to read.');
  });

  it('an active tab that is hidden (or past the sheets) falls back to the first visible sheet', async () => {
    expect((await readXlsx(await book([{ name: 'A' }, { name: 'Secret', state: 'veryHidden' }], 1))).source.sheet).toBe('A');
    expect((await readXlsx(await book([{ name: 'X', state: 'hidden' }, { name: 'Y' }], 7))).source.sheet).toBe('Y');
  });

  it('one sheet: no notice', async () => {
    const t = await readXlsx(await book([{ name: 'Only' }]));
    expect(t.source.sheet).toBe('Only');
    expect(t.issues).toEqual([]);
  });

  it('every sheet hidden: refused, naming them', async () => {
    const e = await refusal(readXlsx(await book([{ name: 'A', state: 'hidden' }, { name: 'B', state: 'veryHidden' }])));
    expect(e.code).toBe('xlsx.no_visible_sheet');
    expect(e.message).toMatch(/Every sheet of this workbook is hidden \("A", "B"\)/);
  });
});

describe('odd workbooks', () => {
  it('an active tab that is a chart sheet falls back to the first visible worksheet', async () => {
    const items = workbookItems([{ name: 'Data', xml: sheetOf('Data') }, { name: 'Chart', xml: sheetOf('Chart') }], undefined, { activeTab: 1 });
    const rels = items.find((i) => i.name === 'xl/_rels/workbook.xml.rels')!;
    rels.data = String(rels.data).replace(/relationships\/worksheet" Target="worksheets\/sheet2\.xml"/, 'relationships/chartsheet" Target="worksheets/sheet2.xml"');
    const p = join(dir, `c${n++}.xlsx`);
    await writeFile(p, buildZip(items));
    const t = await readXlsx(p);
    expect(t.source.sheet).toBe('Data');
    expect(t.issues[0]!.message).toBe('Read sheet "Data" (1 of 2 sheets). To check another sheet, name it as the sheet to read.');
  });

  it('thousands of hidden sheets: the notice names ten and counts the rest', async () => {
    const sheets: Sheet[] = [...Array.from({ length: 1500 }, (_, i) => ({ name: `H${i}`, state: 'hidden' as const })), { name: 'Batch' }];
    const t = await readXlsx(await book(sheets));
    expect(t.source.sheet).toBe('Batch');
    const msg = t.issues[0]!.message;
    expect(msg).toMatch(/^Read sheet "Batch" \(1,501 of 1,501 sheets; "H0", "H1", .*"H9" and 1,490 others are hidden\)\./);
    expect(msg.length).toBeLessThan(300);
    const e = await refusal(readXlsx(await book(sheets), { sheet: 'Nope' }));
    expect(e.message).toMatch(/Its sheets are: "H0", .*"H9" and 1,491 more\. Choose one of these\.$/);
  });
});

describe('a sheet named by the clerk', () => {
  it('a hidden sheet is read only when named, and the notice says it is hidden', async () => {
    const p = await book([{ name: 'Old', state: 'hidden' }, { name: 'Batch' }], 1);
    const t = await readXlsx(p, { sheet: 'old' });
    expect(t.source.sheet).toBe('Old');
    expect(t.rows).toEqual([['Old']]);
    expect(t.issues[0]!.message).toBe('Read the hidden sheet "Old", as named (1 of 2 sheets).');
    const v = await readXlsx(await book([{ name: 'Batch' }, { name: 'VBA', state: 'veryHidden' }]), { sheet: 'VBA' });
    expect(v.issues[0]!.message).toBe('Read the very hidden sheet "VBA", as named (2 of 2 sheets).');
  });

  it('a visible sheet named: the notice names the others that are hidden', async () => {
    const t = await readXlsx(await book([{ name: 'Old', state: 'hidden' }, { name: 'Batch' }], 1), { sheet: 'Batch' });
    expect(t.issues[0]!.message).toBe('Read sheet "Batch", as named (2 of 2 sheets; "Old" is hidden).');
  });
});

describe('end to end: the batch the clerk sees is the batch validated and exported', () => {
  const HEADER = ['Action', 'Reference Number', 'Amount', 'Token ID'];
  async function wonderBook(): Promise<string> {
    const p = join(dir, `w${n++}.xlsx`);
    const old = sheetXml(row(1, HEADER) + row(2, ['payment', 'OLD-1', '999', 'tok_old']));
    const batch = sheetXml(row(1, HEADER) + row(2, ['payment', 'NEW-1', '10.00', 'tok_new']) + row(3, ['payment', 'NEW-2', '12.00', 'tok_new2']));
    await writeFile(p, buildZip(workbookItems([{ name: 'Old', state: 'hidden', xml: old }, { name: 'Batch', xml: batch }], undefined, { activeTab: 1 })));
    return p;
  }

  it('importFile reads the visible sheet, not the hidden first one', async () => {
    const r = await importFile(await wonderBook(), { profile: 'wonder' });
    expect(r.rows.map((x) => x[1])).toEqual(['NEW-1', 'NEW-2']);
    expect(r.issues.find((i) => i.code === 'xlsx.sheet_read')?.message).toBe('Read sheet "Batch" (2 of 2 sheets; "Old" is hidden). To check another sheet, name it as the sheet to read.');
  });

  it('the CLI prints which sheet it read (table and JSON), and --sheet reads the hidden one', async () => {
    const p = await wonderBook();
    const table = await runCli(['validate', p, '--profile', 'wonder']);
    expect(table.stdout).toMatch(/xlsx\.sheet_read\s+Read sheet "Batch" \(2 of 2 sheets; "Old" is hidden\)/);
    expect(table.stdout).toMatch(/2 rows/);
    const json = JSON.parse((await runCli(['validate', p, '--profile', 'wonder', '--json'])).stdout) as { rows: number; issues: { code: string; message: string }[] };
    expect(json.rows).toBe(2);
    expect(json.issues.map((i) => i.code)).toContain('xlsx.sheet_read');
    const hidden = JSON.parse((await runCli(['validate', p, '--profile', 'wonder', '--json', '--sheet', 'Old'])).stdout) as { rows: number; issues: { code: string; message: string }[] };
    expect(hidden.rows).toBe(1);
    expect(hidden.issues.find((i) => i.code === 'xlsx.sheet_read')?.message).toBe('Read the hidden sheet "Old", as named (1 of 2 sheets).');
  });
});
