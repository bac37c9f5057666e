import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readXlsx, writeXlsx } from '../../electron/main/services/files/xlsx';
import { parseSheetChunks } from '../../electron/main/services/files/xlsx/read';
import type { Cell } from '../../shared/formats/types';
import { importAndValidate } from '../../shared/formats/validate';
import { importFile } from '../../electron/main/services/files/importFile';
import { jpmmps } from '../../shared/formats/profiles';
import { ctx } from '../unit/formats/helpers';
import { isFormatError } from '../../shared/formats/errors';
import { buildZip, sheetXml, sstXml, withZip64End, workbookItems } from '../fixtures/xlsx/zipkit';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'batchdesk-xlsx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isFormatError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a FormatError');
}

const HEADER = ['Action', 'Reference', 'Merchant ID', 'Amount', 'Card Number', 'MM', 'YY', 'CVC', 'Customer ID', 'Active', 'Remark'];
const TEXT = [false, true, true, false, true, true, true, true, true, false, false];

function wonderRow(i: number): Cell[] {
  return [
    i % 2 ? 'charge' : 'refund',
    `00${i}`,
    `m-${i}`,
    i + 0.25,
    '4111111111111111',
    '04',
    '27',
    '012',
    '00123',
    i % 3 === 0,
    i % 5 === 0 ? null : `note ${i}`,
  ];
}

describe('our writer -> exceljs reader', () => {
  it('keeps values, types and text columns as text', async () => {
    const path = join(dir, 'ours.xlsx');
    const rows = Array.from({ length: 50 }, (_, i) => wonderRow(i + 1));
    const res = await writeXlsx(path, { name: 'Batch', header: HEADER, rows, textColumns: TEXT });
    expect(res.rows).toBe(50);
    expect(res.bytes).toBeGreaterThan(0);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Batch']);
    const ws = wb.getWorksheet('Batch')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    expect(ws.getCell('A1').font?.bold).toBe(true);
    for (let i = 1; i <= 50; i++) {
      const want = wonderRow(i);
      const got = (ws.getRow(i + 1).values as unknown[]).slice(1);
      while (got.length < want.length) got.push(undefined);
      expect(got.map((v) => (v === undefined ? null : v))).toEqual(want);
    }
    // Text columns are strings with the Text (@) format, even when they look numeric.
    for (const ref of ['B2', 'E2', 'F2', 'G2', 'H2', 'I2']) {
      expect(typeof ws.getCell(ref).value).toBe('string');
      expect(ws.getCell(ref).numFmt).toBe('@');
    }
    expect(ws.getCell('E2').value).toBe('4111111111111111');
    expect(ws.getCell('I2').value).toBe('00123');
    expect(ws.getCell('D2').value).toBe(1.25);
    expect(ws.getCell('J4').value).toBe(true);
  });

  it('forces numbers in text columns to text and escapes markup and awkward characters', async () => {
    const path = join(dir, 'escape.xlsx');
    const tricky = ['a & b <c> "d" \'e\'', '  leading and trailing  ', 'line1\nline2', 'tab\there', 'emoji 💳 ok', 'ümlaut €'];
    await writeXlsx(path, {
      name: 'Odd & <Name>',
      header: ['Card', 'Text'],
      rows: tricky.map((t, i) => [4111111111111111 + i * 0, t]),
      textColumns: [true],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Odd & <Name>');
    tricky.forEach((t, i) => {
      expect(ws.getCell(`A${i + 2}`).value).toBe('4111111111111111');
      expect(ws.getCell(`B${i + 2}`).value).toBe(t);
    });
  });
});

describe('exceljs writer -> our reader', () => {
  it('reads shared strings, numbers, booleans, gaps, rich text, errors, formulas and picks sheets by name', async () => {
    const path = join(dir, 'exceljs.xlsx');
    const wb = new ExcelJS.Workbook();
    const first = wb.addWorksheet('Intro');
    first.getCell('A1').value = 'Read me';
    const ws = wb.addWorksheet('Batch Rows');
    ws.getCell('A1').value = 'Reference';
    ws.getCell('B1').value = 'Amount';
    ws.getCell('C1').value = 'Card Number';
    ws.getCell('D1').value = 'Flag';
    ws.getCell('E1').value = 'Remark';
    ws.getCell('A2').value = '00123';
    ws.getCell('B2').value = 12.5;
    ws.getCell('C2').value = '4111111111111111';
    ws.getCell('D2').value = true;
    ws.getCell('E2').value = { richText: [{ text: 'bold ', font: { bold: true } }, { text: 'and plain' }] };
    // row 3: gap in the middle (A and C only)
    ws.getCell('A3').value = 'REF-3';
    ws.getCell('C3').value = 4111111111111111; // Excel damage: a card number stored as a number
    ws.getCell('D3').value = false;
    // rows 4-5 empty, row 6 has values
    ws.getCell('A6').value = 'REF-6 & <co>';
    ws.getCell('B6').value = { formula: 'B2*2', result: 25 };
    ws.getCell('E6').value = { error: '#N/A' };
    ws.getCell('A7').value = 'REF-7';
    ws.getCell('B7').value = -0.000123;
    ws.getCell('E7').value = 'line1\nline2';
    const third = wb.addWorksheet('Other');
    third.getCell('B2').value = 'x';
    await wb.xlsx.writeFile(path);

    const first1 = await readXlsx(path);
    expect(first1.source).toEqual({ kind: 'xlsx', sheet: 'Intro', sheets: ['Intro', 'Batch Rows', 'Other'] });
    expect(first1.header).toEqual(['Read me']);
    expect(first1.rows).toEqual([]);

    const t = await readXlsx(path, { sheet: 'Batch Rows' });
    expect(t.source.sheet).toBe('Batch Rows');
    expect(t.header).toEqual(['Reference', 'Amount', 'Card Number', 'Flag', 'Remark']);
    expect(t.rows).toEqual([
      ['00123', 12.5, '4111111111111111', true, 'bold and plain'],
      ['REF-3', null, 4111111111111111, false, null],
      // rows 4-5 are empty: skipped, like blank lines in a CSV, and reported once
      ['REF-6 & <co>', 25, null, null, '#N/A'],
      ['REF-7', -0.000123, null, null, 'line1\nline2'],
    ]);
    expect(t.issues).toEqual([
      // a workbook of several sheets says which one was read
      { row: null, column: null, severity: 'warning', code: 'xlsx.sheet_read', message: 'Read sheet "Batch Rows", as named (2 of 3 sheets).' },
      { row: null, column: null, severity: 'warning', code: 'xlsx.blank_rows_skipped', message: '2 blank rows were skipped.' },
    ]);

    // Excel compares sheet names case-insensitively; so do we.
    expect((await readXlsx(path, { sheet: 'batch rows' })).source.sheet).toBe('Batch Rows');
    // header is the first non-empty row, wherever it is
    const other = await readXlsx(path, { sheet: 'Other' });
    expect(other.header).toEqual(['', 'x']);
  });

  it('refuses an unknown sheet and lists the sheets', async () => {
    const path = join(dir, 'exceljs.xlsx');
    const err = await readXlsx(path, { sheet: 'Nope' }).catch((e: unknown) => e);
    expect(isFormatError(err) && err.code).toBe('xlsx.sheet_not_found');
    expect((err as Error).message).toContain('"Intro", "Batch Rows", "Other"');
  });

  it('reads what exceljs streams with inline (t="str") strings', async () => {
    const path = join(dir, 'exceljs-stream.xlsx');
    const w = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: true });
    const ws = w.addWorksheet('S');
    ws.addRow(['ID', 'N']).commit();
    for (let i = 0; i < 1000; i++) ws.addRow([`0${i}`, i * 1.5]).commit();
    ws.commit();
    await w.commit();
    const t = await readXlsx(path);
    expect(t.header).toEqual(['ID', 'N']);
    expect(t.rows.length).toBe(1000);
    expect(t.rows[999]).toEqual(['0999', 999 * 1.5]);
  });
});

describe('our writer -> our reader', () => {
  it('round-trips characters XML cannot carry directly, and skips blank rows as the CSV reader does', async () => {
    const path = join(dir, 'self.xlsx');
    const values = ['bell\u0007 and nul\u0000', 'cr\r\nlf', 'literal _x000D_ stays', '_x005F_ too', 'lone \uD800 surrogate', 'a'.repeat(32_767), '\uFFFE'];
    const rows: Cell[][] = values.map((v, i) => [`R${i}`, v]);
    rows.splice(2, 0, [null, null], [null, ''], []);
    rows.push([null], []); // trailing empty rows are dropped
    const res = await writeXlsx(path, { name: 'S', header: ['Ref', 'Value'], rows });
    expect(res.rows).toBe(rows.length);
    const t = await readXlsx(path);
    expect(t.header).toEqual(['Ref', 'Value']);
    // a lone surrogate is written as U+FFFD; a NUL is never written (no export holds one)
    const want: Cell[][] = values.map((v, i) => [`R${i}`, v.replace('\uD800', '\uFFFD').replace('\u0000', '')]);
    expect(t.rows).toEqual(want);
    expect(t.issues.map((i) => [i.code, i.message])).toEqual([['xlsx.blank_rows_skipped', '3 blank rows were skipped.']]);
  });

  it('accepts async row sources and text columns given by header label', async () => {
    const path = join(dir, 'async.xlsx');
    async function* gen(): AsyncGenerator<Cell[]> {
      for (let i = 0; i < 20_000; i++) yield [i, `0${i}`, i % 2 === 0, 4111111111111111];
    }
    const res = await writeXlsx(path, { name: 'Big', header: ['N', 'Id', 'Even', 'Card'], rows: gen(), textColumns: ['Card'] });
    expect(res.rows).toBe(20_000);
    const t = await readXlsx(path);
    expect(t.rows.length).toBe(20_000);
    expect(t.rows[0]).toEqual([0, '00', true, '4111111111111111']);
    expect(t.rows[19_999]).toEqual([19_999, '019999', false, '4111111111111111']);
  });

  it('refuses bad sheet names and over-long cells, leaving no file behind', async () => {
    const sub = await mkdtemp(join(dir, 'w-'));
    const path = join(sub, 'bad.xlsx');
    expect(await codeOf(writeXlsx(path, { name: 'a/b', header: ['x'], rows: [] }))).toBe('xlsx.write.bad_sheet_name');
    expect(await codeOf(writeXlsx(path, { name: 'x'.repeat(32), header: ['x'], rows: [] }))).toBe('xlsx.write.bad_sheet_name');
    const err = await writeXlsx(path, { name: 'S', header: ['Remark'], rows: [['ok'], ['x'.repeat(40_000)]] }).catch((e: unknown) => e);
    expect(isFormatError(err) && err.code).toBe('xlsx.write.cell_too_long');
    expect((err as Error).message).toContain('A3 (Remark)');
    expect(await readdir(sub)).toEqual([]);
  });
});

describe('reader details (hand-made workbooks)', () => {
  it('handles prefixes, missing refs, inline/str/error/bool cells, entities, CDATA, phonetic runs and _x escapes', async () => {
    const body =
      '<x:row r="3"><x:c r="B3" t="s"><x:v>0</x:v></x:c><x:c r="D3" t="inlineStr"><x:is><x:t>Amount</x:t></x:is></x:c></x:row>' +
      '<x:row><x:c t="s"><x:v>1</x:v></x:c><x:c><x:v>1E-3</x:v></x:c><x:c t="str"><x:f>A1</x:f><x:v>fx &amp; co</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>' +
      '<x:row r="5"><x:c r="A5" t="inlineStr"><x:is><x:r><x:t>ri</x:t></x:r><x:r><x:t xml:space="preserve">ch </x:t></x:r><x:rPh><x:t>PHONETIC</x:t></x:rPh></x:is></x:c><x:c r="B5" t="inlineStr"><x:is><x:t><![CDATA[<raw> & ]]>&#x41;&#66;</x:t></x:is></x:c><x:c r="C5" s="3"/><x:c r="D5" t="inlineStr"><x:is><x:t>a_x000D__x000A_b_x005F_x0041_</x:t></x:is></x:c></x:row>' +
      '<x:row r="9" spans="1:4"><x:c r="C9" s="1"/></x:row>';
    const xml = `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>${body}</x:sheetData></x:worksheet>`;
    const sst = sstXml(['Reference', 'first']).replace('<si><t>first</t></si>', '<si><r><t>fi</t></r><r><t>rst</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh></si>');
    const path = join(dir, 'hand.xlsx');
    await writeFile(path, buildZip(workbookItems([{ name: 'Only', xml }], sst)));
    const t = await readXlsx(path);
    expect(t.header).toEqual(['', 'Reference', '', 'Amount']);
    expect(t.rows).toEqual([
      ['first', 0.001, 'fx & co', '#DIV/0!', true],
      ['rich ', '<raw> & AB', null, 'a\r\nb_x0041_'],
    ]);
  });

  it('skips all-empty rows between data rows with one warning, as CSV does; leading and trailing ones silently', async () => {
    const inl = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
    const body =
      '<row r="1"/><row r="2"><c r="A2" s="1"/></row>' + // blank before the header: not counted
      `<row r="3">${inl('A3', 'Reference')}${inl('B3', 'Amount')}</row>` +
      '<row r="4"><c r="A4"><v>1</v></c><c r="B4"><v>10</v></c></row>' +
      '<row r="5"/>' + // written but empty
      `<row r="6">${inl('A6', '')}<c r="B6" s="2"/></row>` + // only empty text and a styled cell
      // rows 7-8 absent from the sheet altogether
      '<row r="9"><c r="A9"><v>2</v></c></row>' +
      '<row r="10"><c r="B10"><v>30</v></c></row>' +
      '<row r="11"/><row r="14"><c r="A14" s="1"/></row>'; // trailing: not counted
    const path = join(dir, 'blank-rows.xlsx');
    await writeFile(path, buildZip(workbookItems([{ name: 'S', xml: sheetXml(body) }])));
    const t = await readXlsx(path);
    expect(t.header).toEqual(['Reference', 'Amount']);
    expect(t.rows).toEqual([
      [1, 10],
      [2, null],
      [null, 30],
    ]);
    expect(t.issues).toEqual([{ row: null, column: null, severity: 'warning', code: 'xlsx.blank_rows_skipped', message: '4 blank rows were skipped.' }]);

    const one = join(dir, 'blank-row.xlsx');
    await writeFile(one, buildZip(workbookItems([{ name: 'S', xml: sheetXml(`<row r="1">${inl('A1', 'Ref')}</row><row r="2"><c r="A2"><v>1</v></c></row><row r="4"><c r="A4"><v>2</v></c></row>`) }])));
    expect((await readXlsx(one)).issues.map((i) => i.message)).toEqual(['1 blank row was skipped.']);

    const none = join(dir, 'no-blank-rows.xlsx');
    await writeFile(none, buildZip(workbookItems([{ name: 'S', xml: sheetXml(`<row r="2">${inl('A2', 'Ref')}</row><row r="3"><c r="A3"><v>1</v></c></row><row r="5"/>`) }])));
    expect((await readXlsx(none)).issues).toEqual([]);
  });

  it("detects Excel's 1904 date system: date cells of an old-Mac workbook are read as the dates Excel shows", async () => {
    const header = ['partnerReference', 'storedPaymentOptionReference', 'presentationAmount', 'presentationCurrCode', 'localDate', 'localTime'];
    const row = ['P-1', 'spo-1', 3.99, 'EUR', new Date(Date.UTC(2026, 10, 30)), '151506'];
    const dateCol = jpmmps.columns.findIndex((c) => c.key === 'localDate');
    for (const date1904 of [true, false]) {
      // exceljs writes <workbookPr date1904="1"/> and the serial of the day in that system
      const wb = new ExcelJS.Workbook();
      wb.properties.date1904 = date1904;
      const ws = wb.addWorksheet('Batch');
      ws.addRow(header);
      ws.addRow(row);
      const path = join(dir, `dates-${date1904}.xlsx`);
      await wb.xlsx.writeFile(path);
      const t = await readXlsx(path);
      expect(t.rows[0]![4]).toBe(date1904 ? 44894 : 46356);
      expect(t.source.date1904 === true).toBe(date1904);
      const r = importAndValidate(jpmmps, t, ctx());
      expect(r.rows[0]![dateCol]).toBe('2026-11-30');
      expect(r.issues.map((i) => [i.code, i.fix])).toEqual([['import.excel_date', '2026-11-30']]);
      expect(r.issues[0]!.message.includes('1904 date system')).toBe(date1904);
    }
    // the attribute as other writers spell it
    const path = join(dir, 'dates-true-word.xlsx');
    const sheet = sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>localDate</t></is></c></row><row r="2"><c r="A2"><v>59</v></c></row>');
    await writeFile(path, buildZip(workbookItems([{ name: 'S', xml: sheet }], undefined, { workbookPr: '<workbookPr date1904="true" defaultThemeVersion="124226"/>' })));
    const t = await readXlsx(path);
    expect(t.source.date1904).toBe(true);
    expect(importAndValidate(jpmmps, t, ctx()).rows[0]![dateCol]).toBe('1904-02-29');
  });

  it('finds the header row under a title in a real workbook, through importFile', async () => {
    const inl = (ref: string, t: string) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
    const body =
      `<row r="1">${inl('A1', 'December renewals')}</row>` +
      `<row r="3">${inl('A3', 'Action')}${inl('B3', 'Amount')}${inl('C3', 'Token ID')}</row>` +
      `<row r="4">${inl('A4', 'payment')}<c r="B4"><v>12.5</v></c>${inl('C4', 'tok_1')}</row>`;
    const path = join(dir, 'title.xlsx');
    await writeFile(path, buildZip(workbookItems([{ name: 'Batch', xml: sheetXml(body) }])));
    const r = await importFile(path, { profile: 'wonder', ctx: ctx() });
    expect(r.rows).toEqual([['payment', '', '', '', '12.5', 'tok_1', '', '', '', '', '']]);
    expect(r.issues.map((i) => i.code)).toEqual(['import.rows_above_header']);
  });

  it('without a recognisable header row, the first row stays the header and no row is lost (short and long sheets)', async () => {
    const inl = (ref: string, t: string) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
    for (const count of [3, 30]) {
      let body = `<row r="1">${inl('A1', 'Kind')}${inl('B1', 'Quantity')}</row>`;
      for (let i = 0; i < count; i++) body += `<row r="${i + 3}">${inl(`A${i + 3}`, 'payment')}<c r="B${i + 3}"><v>${i + 1}</v></c></row>`;
      const path = join(dir, `no-header-${count}.xlsx`);
      await writeFile(path, buildZip(workbookItems([{ name: 'S', xml: sheetXml(body) }])));
      const r = await importFile(path, { profile: 'wonder', ctx: ctx() });
      expect(r.rows.length).toBe(count);
      expect(r.unknownColumns).toEqual(['Kind', 'Quantity']);
      expect(r.issues.map((i) => i.code)).toContain('xlsx.blank_rows_skipped'); // row 2, between the header and the data
      expect(r.issues.map((i) => i.code)).not.toContain('import.rows_above_header');
    }
  });

  it('reports reading progress through a large sheet, in order, up to its size', async () => {
    const path = join(dir, 'progress.xlsx');
    const rows = Array.from({ length: 60_000 }, (_, i) => ['payment', `INV-${i}`, `${(i % 90) + 1}.00`, `tok_${i}`, 'a remark long enough to make the sheet large']);
    await writeXlsx(path, { name: 'Batch', header: ['Action', 'Reference Number', 'Amount', 'Token ID', 'Remark'], rows });
    const seen: [number, number][] = [];
    const t = await readXlsx(path, { onProgress: (done, total) => seen.push([done, total]) });
    expect(t.rows.length).toBe(60_000);
    expect(seen.length).toBeGreaterThanOrEqual(2); // every 4 MiB of sheet XML
    for (let i = 0; i < seen.length; i++) {
      expect(seen[i]![0]).toBeLessThanOrEqual(seen[i]![1]);
      if (i > 0) expect(seen[i]![0]).toBeGreaterThan(seen[i - 1]![0]);
    }
  });

  it('reads the same rows whatever the chunking (tags and entities split across chunks)', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>v&amp;${i}&#x263A;</t></is></c><c r="C${i + 1}"><v>${i}.5</v></c><!-- c > --></row>`).join('');
    const xml = sheetXml(rows);
    const whole = parseSheetChunks([xml]);
    expect(whole.header).toEqual(['v&0☺', '', '0.5']);
    expect(whole.rows.length).toBe(39);
    expect(whole.rows[38]).toEqual(['v&39☺', null, 39.5]);
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: string[] = [];
      for (let i = 0; i < xml.length; i += size) chunks.push(xml.slice(i, i + size));
      expect(parseSheetChunks(chunks)).toEqual(whole);
    }
  });

  it('reads stored (uncompressed) parts and ZIP64 end records', async () => {
    const xml = sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>Ref</t></is></c></row><row r="2"><c r="A2"><v>42</v></c></row>');
    const items = workbookItems([{ name: 'S', xml }]).map((it) => ({ ...it, method: 0 }));
    const path = join(dir, 'zip64.xlsx');
    await writeFile(path, withZip64End(buildZip(items)));
    const t = await readXlsx(path);
    expect(t.header).toEqual(['Ref']);
    expect(t.rows).toEqual([[42]]);
  });

  it('reads an empty sheet as an empty table with an issue', async () => {
    const path = join(dir, 'empty.xlsx');
    await writeFile(path, buildZip(workbookItems([{ name: 'Blank', xml: sheetXml('<row r="1"><c r="A1" s="2"/></row>') }])));
    const t = await readXlsx(path);
    expect(t.header).toEqual([]);
    expect(t.rows).toEqual([]);
    expect(t.issues.map((i) => i.code)).toEqual(['xlsx.sheet.empty']);
  });
});
