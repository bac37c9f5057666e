/**
 * Every count of an XLSX workbook that grows with its input has a limit of its own, checked while
 * streaming: shared-string entries, cells, rows, columns, per-cell findings. Each is tested at the
 * boundary both ways with a small injected limit; the workbooks are crafted here, not committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readXlsx, type XlsxLimits } from '../../electron/main/services/files/xlsx';
import { isFormatError, type FormatError } from '../../shared/formats/errors';
import { buildZip, deflateParts, sheetXml, sstXml, stylesXml, workbookItems } from '../fixtures/xlsx/zipkit';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'batchdesk-xlsx-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(content: Buffer): Promise<string> {
  const p = join(dir, `f${n++}.xlsx`);
  await writeFile(p, content);
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

function inline(ref: string, text: string): string {
  return `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
}

function colName(col: number): string {
  let s = '';
  for (let k = col; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

async function workbook(body: string, sst?: string, styles?: string): Promise<string> {
  return file(buildZip(workbookItems([{ name: 'S', xml: sheetXml(body) }], sst, styles !== undefined ? { styles } : {})));
}

async function read(path: string, limits: Partial<XlsxLimits>, textColumns?: (h: readonly string[]) => (string | null)[]) {
  return readXlsx(path, { limits, ...(textColumns ? { textColumns } : {}) });
}

describe('shared-string entries', () => {
  // empty entries cost no characters, so only their own count stops them
  const sst = (count: number) => `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si/>'.repeat(count - 1)}<si><t>Ref</t></si></sst>`;
  const body = `<row r="1"><c r="A1" t="s"><v>4</v></c></row>`;

  it('accepts exactly maxSharedStrings entries and refuses one more', async () => {
    const ok = await read(await workbook(body, sst(5)), { maxSharedStrings: 5 });
    expect(ok.header).toEqual(['Ref']);
    const e = await refusal(read(await workbook(body, sst(6)), { maxSharedStrings: 5 }));
    expect(e.code).toBe('xlsx.too_many_strings');
    expect(e.message).toMatch(/table of texts holds more than 5 entries/);
  });

  it('refuses millions of empty <si/> at the default limit, in bounded time and memory', async () => {
    // 17 Mi empty entries (the default admits 16 Mi), varied so that the part deflates like real
    // text (well under the 200:1 ratio limit), as in the workbook that once aborted V8.
    const total = 17 * 1024 * 1024;
    function* parts(): Generator<string> {
      yield '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
      let seed = 7;
      const block = 65_536;
      for (let done = 0; done < total; done += block) {
        let s = '';
        for (let k = 0; k < block; k++) {
          seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
          s += (seed >>> 16) & 1 ? '<si/>' : (seed >>> 17) & 1 ? '<si></si>' : '<si />';
        }
        yield s;
      }
      yield '</sst>';
    }
    const pre = await deflateParts(parts());
    const path = await file(buildZip(workbookItems([{ name: 'S', xml: sheetXml(body) }], pre)));
    const started = Date.now();
    const before = process.memoryUsage().rss;
    const e = await refusal(readXlsx(path));
    expect(e.code).toBe('xlsx.too_many_strings');
    expect(e.message).toMatch(/more than 16,777,216 entries/);
    // 16 Mi slots of 8 bytes: well under half a GiB more, and seconds, not a V8 abort
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});

describe('cells, rows and columns', () => {
  const header = `<row r="1">${inline('A1', 'Ref')}${inline('B1', 'Amount')}</row>`;
  const rows = (count: number) => Array.from({ length: count }, (_, i) => `<row r="${i + 2}">${inline(`A${i + 2}`, `R${i}`)}<c r="B${i + 2}"><v>${i}</v></c></row>`).join('');

  it('cells: 3 data rows of 2 columns are 6 cells; accepted at maxCells 6, refused at 5', async () => {
    const path = await workbook(header + rows(3));
    expect((await read(path, { maxCells: 6 })).rows).toHaveLength(3);
    const e = await refusal(read(path, { maxCells: 5 }));
    expect(e.code).toBe('xlsx.too_many_cells');
    expect(e.message).toMatch(/more than 5 cells/);
  });

  it('cells: short rows count as wide as the header (they are padded to it)', async () => {
    const path = await workbook(header + `<row r="2">${inline('A2', 'only A')}</row>`);
    expect((await read(path, { maxCells: 2 })).rows).toEqual([['only A', null]]);
    expect((await refusal(read(path, { maxCells: 1 }))).code).toBe('xlsx.too_many_cells');
  });

  it('rows: the last row number at maxRows is accepted, one past it refused', async () => {
    const path = await workbook(header + rows(3)); // rows 2..4
    expect((await read(path, { maxRows: 4 })).rows).toHaveLength(3);
    const e = await refusal(read(path, { maxRows: 3 }));
    expect(e.code).toBe('xlsx.too_many_rows');
    expect(e.message).toMatch(/row numbered 4, past the limit of 3 rows/);
  });

  it('rows: rows without numbers count one by one', async () => {
    const body = `<row>${inline('', 'Ref')}</row>` + '<row><c t="inlineStr"><is><t>x</t></is></c></row>'.repeat(4);
    const path = await workbook(body);
    expect((await read(path, { maxRows: 5 })).rows).toHaveLength(4);
    expect((await refusal(read(path, { maxRows: 4 }))).code).toBe('xlsx.too_many_rows');
  });

  it('columns: a cell in the last allowed column is accepted, one further refused', async () => {
    const path = await workbook(`<row r="1">${inline('A1', 'Ref')}${inline('E1', 'Far')}</row>`);
    expect((await read(path, { maxColumns: 5 })).header).toEqual(['Ref', '', '', '', 'Far']);
    const e = await refusal(read(path, { maxColumns: 4 }));
    expect(e.code).toBe('xlsx.too_many_columns');
    expect(e.message).toMatch(/column E of row 1, past the limit of 4 columns/);
  });

  it('columns: cells without a reference count on from the previous one', async () => {
    const path = await workbook(`<row r="1">${'<c t="inlineStr"><is><t>h</t></is></c>'.repeat(3)}</row>`);
    expect((await read(path, { maxColumns: 3 })).header).toEqual(['h', 'h', 'h']);
    expect((await refusal(read(path, { maxColumns: 2 }))).code).toBe('xlsx.too_many_columns');
  });

  it("columns: Excel's own limit (XFD) stays, whatever limit is asked for", async () => {
    const path = await workbook(`<row r="1">${inline('A1', 'Ref')}${inline(`${colName(16_384)}1`, 'XFD')}</row>`);
    expect((await read(path, { maxColumns: 1_000_000 })).header).toHaveLength(16_384);
    const beyond = await workbook(`<row r="1">${inline('XFE1', 'beyond')}</row>`);
    expect((await refusal(read(beyond, { maxColumns: 1_000_000 }))).code).toBe('xlsx.corrupt');
  });
});

describe('sheets listed by the workbook', () => {
  it('as many sheets as zip entries are allowed is accepted; one more is refused', async () => {
    const sheets = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `S${i}`, xml: sheetXml(`<row r="1">${inline('A1', 'Ref')}</row>`) }));
    // 3 sheets + 4 other parts = 7 zip entries
    expect((await readXlsx(await file(buildZip(workbookItems(sheets(3)))), { limits: { maxEntries: 7 } })).source.sheets).toHaveLength(3);
    const items = workbookItems(sheets(3));
    const wb = items.find((i) => i.name === 'xl/workbook.xml')!;
    wb.data = String(wb.data).replace('</sheets>', '<sheet name="Ghost1" sheetId="9" r:id="rId9"/><sheet name="Ghost2" sheetId="10" r:id="rId10"/><sheet name="Ghost3" sheetId="11" r:id="rId11"/><sheet name="Ghost4" sheetId="12" r:id="rId12"/><sheet name="Ghost5" sheetId="13" r:id="rId13"/></sheets>');
    const e = await refusal(readXlsx(await file(buildZip(items)), { limits: { maxEntries: 7 } }));
    expect(e.code).toBe('xlsx.corrupt');
    expect(e.message).toMatch(/lists more than 7 sheets/);
  });
});

describe('per-cell findings', () => {
  // Remark is a text column; each of its cells holds a date (style 1: yyyy-mm-dd)
  const styles = stylesXml([0, 'yyyy-mm-dd']);
  const textColumns = (h: readonly string[]) => h.map((x) => (x === 'Remark' ? 'Remark' : null));
  const body = (count: number) =>
    `<row r="1">${inline('A1', 'Remark')}</row>` + Array.from({ length: count }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" s="1"><v>${46_000 + i}</v></c></row>`).join('');

  it('lists maxFindings findings; past it, one finding counts the rest exactly', async () => {
    const atLimit = await read(await workbook(body(3), undefined, styles), { maxFindings: 3 }, textColumns);
    expect(atLimit.issues.map((i) => i.code)).toEqual(['xlsx.date_in_text_column', 'xlsx.date_in_text_column', 'xlsx.date_in_text_column']);
    const over = await read(await workbook(body(5), undefined, styles), { maxFindings: 3 }, textColumns);
    expect(over.issues.map((i) => i.code)).toEqual(['xlsx.date_in_text_column', 'xlsx.date_in_text_column', 'xlsx.date_in_text_column', 'xlsx.date_in_text_column.more']);
    expect(over.issues[3]!.message).toMatch(/^2 more dates in text columns were read as Excel shows them; only the first 3 are listed/);
    // every cell is still read as Excel shows it, listed or not
    expect(over.rows.map((r) => r[0])).toEqual(['2025-12-09', '2025-12-10', '2025-12-11', '2025-12-12', '2025-12-13']);
  });
});

describe('two zip parts with one name', () => {
  const items = () => workbookItems([{ name: 'S', xml: sheetXml(`<row r="1">${inline('A1', 'Ref')}</row>`) }], sstXml(['x']));

  it('refuses a workbook whose sheet part appears twice', async () => {
    const list = items();
    list.push({ name: 'xl/worksheets/sheet1.xml', data: sheetXml(`<row r="1">${inline('A1', 'Other rows')}</row>`) });
    const e = await refusal(readXlsx(await file(buildZip(list))));
    expect(e.code).toBe('xlsx.duplicate_part');
    expect(e.message).toMatch(/contains the part xl\/worksheets\/sheet1\.xml twice, so different programs would show different contents/);
  });

  it('refuses names that differ only in case or slashes (part names are case-insensitive)', async () => {
    const list = items();
    list.push({ name: 'XL/SharedStrings.xml', data: sstXml(['y']) });
    const e = await refusal(readXlsx(await file(buildZip(list))));
    expect(e.code).toBe('xlsx.duplicate_part');
    expect(e.message).toMatch(/as xl\/sharedStrings\.xml and XL\/SharedStrings\.xml/);
    const list2 = items();
    list2.push({ name: '\\xl\\workbook.xml', data: '<workbook/>' });
    expect((await refusal(readXlsx(await file(buildZip(list2))))).code).toBe('xlsx.duplicate_part');
  });

  it('reads the same workbook without the twin', async () => {
    expect((await readXlsx(await file(buildZip(items())))).header).toEqual(['Ref']);
  });
});
