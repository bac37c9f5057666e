/**
 * Streaming XLSX reader: zip central directory -> workbook + rels -> shared strings -> one sheet,
 * each part inflated in chunks and tokenised by the hand-written scanner.
 */
import { FormatError } from '../../../../../shared/formats/errors';
import type { Cell, Issue, RawTable, TableSource } from '../../../../../shared/formats/types';
import { MAX_COLUMNS, resolveLimits, type XlsxLimits } from './limits';
import { attr, attrs, Tag, XmlScanner, type XmlHandler } from './scanner';
import { decodeEntities, decodeText, refuseDoctype } from './xml';
import { headerRowIndex, MAX_ROWS_ABOVE_HEADER, rowsAboveHeaderIssue } from '../../../../../shared/formats/header';
import { ZipArchive, type ZipEntry } from './zip-read';
import { builtinDateFormat, compileDateFormat, formatExcelDate, isLocaleDateId, localeDateFormat, type DateFormat } from './numfmt';
import { TextDamage } from './textDamage';

export interface ReadXlsxOptions {
  /**
   * Sheet to read, by name (exact, else case-insensitive as Excel compares); hidden sheets are read
   * only when named. Default: the active sheet when visible, else the first visible one.
   */
  sheet?: string;
  /**
   * Given the header row, for each file column the label of the profile column its cells are text
   * in (free text, references), else null. A date typed into such a column is read as the text
   * Excel shows for it, with a warning; elsewhere a date stays Excel's serial number.
   */
  textColumns?: (header: readonly string[]) => readonly (string | null)[];
  limits?: Partial<XlsxLimits>;
  /**
   * Recognises the header row. When given and the first non-empty row is not a header but one of
   * the next ten is, the rows above it (a title, notes) are skipped with a warning.
   */
  isHeader?: (cells: readonly Cell[]) => boolean;
  /** Called as the sheet is read, with its bytes read so far and its (uncompressed) size. */
  onProgress?: (done: number, total: number) => void;
}

interface SheetRef {
  name: string;
  rid: string;
  /** `hidden` (Format > Hide) or `veryHidden` (only VBA can show it); visible otherwise. */
  hidden: false | 'hidden' | 'veryHidden';
}

export async function readXlsx(path: string, opts: ReadXlsxOptions = {}): Promise<RawTable> {
  const limits = resolveLimits(opts.limits);
  const zip = await ZipArchive.open(path, limits);

  // Locate the workbook through the package relationships (default xl/workbook.xml).
  let workbookPath = 'xl/workbook.xml';
  const rootRels = zip.get('_rels/.rels');
  if (rootRels) {
    const rels = await readRels(zip, rootRels);
    const office = rels.find((r) => r.type.endsWith('/officeDocument'));
    if (office) workbookPath = resolveTarget('', office.target);
  }
  const wbEntry = zip.get(workbookPath);
  if (!wbEntry) {
    throw new FormatError(
      'xlsx.not_workbook',
      'This file is a zip archive but not an Excel workbook (it has no workbook part; it may be a Word or other Office document). Choose the .xlsx file exported from Excel.',
    );
  }
  const { sheets, date1904, activeTab } = await readWorkbookInfo(zip, wbEntry, limits);
  const sheetNames = sheets.map((s) => s.name);
  if (sheets.length === 0) {
    throw new FormatError('xlsx.not_workbook', 'This workbook has no sheets. Open it in Excel, check it holds your batch, and save it again.');
  }
  const base = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
  const wbRelsEntry = zip.get(`${base}_rels/${workbookPath.slice(base.length)}.rels`);
  const wbRels = wbRelsEntry ? await readRels(zip, wbRelsEntry) : [];
  const isWorksheet = (s: SheetRef) => {
    const rel = wbRels.find((r) => r.id === s.rid);
    return !rel || rel.type.endsWith('/worksheet');
  };
  let chosen: SheetRef | undefined;
  if (opts.sheet === undefined) {
    // What the clerk sees on opening the file: the active tab, unless it is hidden or a chart.
    const active = sheets[activeTab];
    chosen = active && !active.hidden && isWorksheet(active) ? active : (sheets.find((s) => !s.hidden && isWorksheet(s)) ?? sheets.find((s) => !s.hidden));
    if (!chosen) {
      throw new FormatError(
        'xlsx.no_visible_sheet',
        `Every sheet of this workbook is hidden (${nameList(sheetNames)}), so nobody can see which rows it holds. Unhide the sheet with the batch in Excel and save, or name the sheet to read.`,
      );
    }
  } else {
    chosen = sheets.find((s) => s.name === opts.sheet) ?? sheets.find((s) => s.name.toLowerCase() === opts.sheet!.toLowerCase());
    if (!chosen) {
      throw new FormatError(
        'xlsx.sheet_not_found',
        `The workbook has no sheet named "${opts.sheet}". Its sheets are: ${nameList(sheetNames)}. Choose one of these.`,
      );
    }
  }
  const sheetRel = wbRels.find((r) => r.id === chosen!.rid);
  const sheetIndex = sheets.indexOf(chosen!);
  const sheetPath = sheetRel ? resolveTarget(base, sheetRel.target) : `${base}worksheets/sheet${sheetIndex + 1}.xml`;
  const sheetEntry = zip.get(sheetPath);
  if (!sheetEntry) {
    throw new FormatError('xlsx.corrupt', `The sheet "${chosen!.name}" is missing from the workbook file (${sheetPath}). The file is damaged; save it again from Excel.`);
  }
  const issues: Issue[] = [];
  if (sheets.length > 1 || chosen!.hidden) issues.push(sheetReadIssue(sheets, chosen!, opts.sheet !== undefined));
  if (sheetRel && !sheetRel.type.endsWith('/worksheet')) {
    issues.push({
      row: null,
      column: null,
      severity: 'error',
      code: 'xlsx.sheet.not_a_worksheet',
      message: `The sheet "${chosen!.name}" is a chart or macro sheet, not a table. Choose the sheet that holds the batch rows.`,
    });
  }

  // Shared strings before the sheet (the sheet refers to them by index).
  const sstRel = wbRels.find((r) => r.type.endsWith('/sharedStrings'));
  const sstEntry = sstRel ? zip.get(resolveTarget(base, sstRel.target)) : zip.get(`${base}sharedStrings.xml`);
  const budget = new TextBudget(limits);
  const damage = new TextDamage();
  const sst = sstEntry ? await readSharedStrings(zip, sstEntry, limits, budget, damage) : [];
  const stylesRel = wbRels.find((r) => r.type.endsWith('/styles'));
  const stylesEntry = stylesRel ? zip.get(resolveTarget(base, stylesRel.target)) : zip.get(`${base}styles.xml`);
  // Number formats matter only where a date may land in a text column.
  const dateStyles = stylesEntry && opts.textColumns ? await readDateStyles(zip, stylesEntry) : [];

  const table = new TableBuilder(limits, opts.isHeader, opts.textColumns, date1904);
  const handler = new SheetHandler(sst, limits, table, sheetEntry.name, budget, dateStyles);
  await scanPart(zip, sheetEntry, handler, damage, opts.onProgress);
  const { header, rows, lines } = table.finish();
  if (table.rowsAboveHeader > 0) issues.push(rowsAboveHeaderIssue(table.rowsAboveHeader));
  const blank = table.blankRowsIssue();
  if (blank) issues.push(blank);
  issues.push(...table.findings);
  const more = table.moreFindingsIssue();
  if (more) issues.push(more);
  if (header.length === 0 && issues.length === 0) {
    issues.push({
      row: null,
      column: null,
      severity: 'error',
      code: 'xlsx.sheet.empty',
      message: `The sheet "${chosen!.name}" is empty. ${sheets.length > 1 ? 'Choose the sheet that holds the batch rows.' : 'Check that you chose the right file.'}`,
    });
  }
  const source: TableSource = { kind: 'xlsx', sheet: chosen!.name, sheets: sheetNames };
  if (date1904) source.date1904 = true;
  if (damage.nul) source.nul = true;
  if (damage.invalidUtf8 > 0) source.invalidUtf8 = damage.invalidUtf8;
  return { header, rows, lines, source, issues };
}

// ---------------------------------------------------------------------------------------------
// Small parts

interface Rel {
  id: string;
  type: string;
  target: string;
}

async function readSmallXml(zip: ZipArchive, entry: ZipEntry): Promise<string> {
  const buf = await zip.readSmall(entry);
  const text = decodeBytes(buf);
  refuseDoctype(text, entry.name);
  return text;
}

function decodeBytes(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf);
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf);
  return new TextDecoder('utf-8').decode(buf);
}

function* tags(xml: string, wanted: string): Generator<Map<string, string>> {
  const re = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(\s[^>]*)?>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) !== null) {
    if (m[2] === wanted) {
      const region = m[3] ?? '';
      yield attrs(region, 0, region.length);
    }
  }
}

async function readRels(zip: ZipArchive, entry: ZipEntry): Promise<Rel[]> {
  const xml = await readSmallXml(zip, entry);
  const out: Rel[] = [];
  for (const a of tags(xml, 'Relationship')) {
    if (a.get('TargetMode') === 'External') continue;
    out.push({ id: decodeEntities(a.get('Id') ?? ''), type: decodeEntities(a.get('Type') ?? ''), target: decodeEntities(a.get('Target') ?? '') });
  }
  return out;
}

interface WorkbookInfo {
  sheets: SheetRef[];
  /** `<workbookPr date1904="1"/>`: dates count from 1904-01-01. */
  date1904: boolean;
  /** Index into `sheets` of the tab Excel opens on (first `workbookView@activeTab`, default 0). */
  activeTab: number;
}

async function readWorkbookInfo(zip: ZipArchive, entry: ZipEntry, limits: XlsxLimits): Promise<WorkbookInfo> {
  const xml = await readSmallXml(zip, entry);
  const sheets: SheetRef[] = [];
  for (const a of tags(xml, 'sheet')) {
    // each sheet is a part of the zip: a list longer than the parts allowed is not a real workbook
    if (sheets.length >= limits.maxEntries) {
      throw new FormatError('xlsx.corrupt', `The workbook lists more than ${limits.maxEntries.toLocaleString('en-US')} sheets, more than it may hold parts. The file is damaged or crafted; save it again from Excel.`);
    }
    const state = (a.get('state') ?? '').trim();
    sheets.push({ name: decodeText(a.get('name') ?? ''), rid: decodeEntities(a.get('id') ?? ''), hidden: state === 'hidden' || state === 'veryHidden' ? state : false });
  }
  let date1904 = false;
  for (const a of tags(xml, 'workbookPr')) {
    const v = (a.get('date1904') ?? '').trim().toLowerCase();
    date1904 = v === '1' || v === 'true';
  }
  let activeTab = 0;
  for (const a of tags(xml, 'workbookView')) {
    const n = Number((a.get('activeTab') ?? '0').trim());
    if (Number.isInteger(n) && n >= 0) activeTab = n;
    break; // the first window is the one Excel opens
  }
  return { sheets, date1904, activeTab };
}

/** Sheet names named in one message; a workbook part can list thousands, a message stays short. */
const MAX_NAMES_SHOWN = 10;

/** `"A", "B", "C"`; past MAX_NAMES_SHOWN, `… and 1,234 more`. */
function nameList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES_SHOWN).map((n) => `"${n}"`).join(', ');
  return names.length > MAX_NAMES_SHOWN ? `${shown} and ${(names.length - MAX_NAMES_SHOWN).toLocaleString('en-US')} more` : shown;
}

/** `"A"`, `"A" and "B"`, `"A", "B" and "C"`; past MAX_NAMES_SHOWN, `… and 1,234 others`. */
function quoteList(names: readonly string[]): string {
  if (names.length > MAX_NAMES_SHOWN) return `${names.slice(0, MAX_NAMES_SHOWN).map((n) => `"${n}"`).join(', ')} and ${(names.length - MAX_NAMES_SHOWN).toLocaleString('en-US')} others`;
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** Which sheet was read, of how many, and which are hidden: `Read sheet "Batch" (2 of 3 sheets; "Old" is hidden).` */
function sheetReadIssue(sheets: readonly SheetRef[], chosen: SheetRef, named: boolean): Issue {
  const others = sheets.filter((s) => s !== chosen);
  const hidden = others.filter((s) => s.hidden).map((s) => s.name);
  const notes = [`${(sheets.indexOf(chosen) + 1).toLocaleString('en-US')} of ${sheets.length.toLocaleString('en-US')} sheet${sheets.length === 1 ? '' : 's'}`];
  if (hidden.length > 0) notes.push(`${quoteList(hidden)} ${hidden.length === 1 ? 'is' : 'are'} hidden`);
  const what = chosen.hidden ? `the ${chosen.hidden === 'veryHidden' ? 'very hidden' : 'hidden'} sheet "${chosen.name}", as named` : `sheet "${chosen.name}"${named ? ', as named' : ''}`;
  const how = named ? '' : ' To check another sheet, name it as the sheet to read.';
  return { row: null, column: null, severity: 'warning', code: 'xlsx.sheet_read', message: `Read ${what} (${notes.join('; ')}).${how}` };
}

/**
 * For each cell style (`cellXfs` index) of styles.xml, its date/time format, or null when it shows
 * numbers as numbers. Built-in date ids 14-22 and 45-47, the language-dependent ones (27-36, 50-58)
 * and custom codes that contain date parts.
 */
async function readDateStyles(zip: ZipArchive, entry: ZipEntry): Promise<(DateFormat | null)[]> {
  const xml = await readSmallXml(zip, entry);
  const custom = new Map<number, string>();
  for (const a of tags(xml, 'numFmt')) custom.set(Number(a.get('numFmtId')), decodeEntities(a.get('formatCode') ?? ''));
  const start = xml.search(/<(?:\w+:)?cellXfs[\s>]/);
  if (start < 0) return [];
  const endMatch = /<\/(?:\w+:)?cellXfs\s*>/.exec(xml.slice(start));
  const region = xml.slice(start, endMatch ? start + endMatch.index : xml.length);
  const compiled = new Map<number, DateFormat | null>();
  const out: (DateFormat | null)[] = [];
  for (const a of tags(region, 'xf')) {
    const id = Number(a.get('numFmtId') ?? '0');
    let fmt = compiled.get(id);
    if (fmt === undefined) {
      const code = custom.get(id) ?? builtinDateFormat(id);
      fmt = code !== undefined ? compileDateFormat(code) : isLocaleDateId(id) ? localeDateFormat(id) : null;
      compiled.set(id, fmt);
    }
    out.push(fmt);
  }
  return out;
}

function resolveTarget(base: string, target: string): string {
  const joined = target.startsWith('/') ? target.slice(1) : base + target;
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

// ---------------------------------------------------------------------------------------------
// Streaming parts

/** Bytes of a sheet read between two progress reports. */
const PROGRESS_BYTES = 4 * 1024 * 1024;

async function scanPart(zip: ZipArchive, entry: ZipEntry, handler: XmlHandler, damage: TextDamage, onProgress?: (done: number, total: number) => void): Promise<void> {
  const scanner = new XmlScanner(handler, entry.name);
  let decoder: TextDecoder | undefined;
  let utf8 = true;
  damage.reset();
  let done = 0;
  let reported = 0;
  for await (const chunk of zip.stream(entry)) {
    done += chunk.length;
    if (onProgress !== undefined && done - reported >= PROGRESS_BYTES) {
      reported = done;
      onProgress(done, Math.max(done, entry.uncompressedSize));
    }
    if (!decoder) {
      const enc = chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk.length >= 2 && chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8';
      decoder = new TextDecoder(enc);
      utf8 = enc === 'utf-8';
    }
    const text = decoder.decode(chunk, { stream: true });
    damage.chunk(chunk, text, utf8);
    scanner.feed(text);
  }
  if (decoder) {
    const rest = decoder.decode();
    damage.chunk(Buffer.alloc(0), rest, utf8);
    scanner.feed(rest);
  }
  scanner.end();
}

function tooLong(limits: XlsxLimits, where: string, length: number): FormatError {
  return new FormatError(
    'xlsx.cell_too_long',
    `${where} holds ${length.toLocaleString('en-US')} characters; Excel allows at most ${limits.maxCellChars.toLocaleString('en-US')} per cell. The file was not made by Excel or is damaged; shorten that cell and save again.`,
  );
}

/**
 * Counts the characters of text the reader keeps (shared strings, and cell text for the rows), so
 * that a workbook cannot make us hold gigabytes of strings while staying under the byte limits.
 */
class TextBudget {
  private used = 0;

  constructor(private readonly limits: XlsxLimits) {}

  take(chars: number): void {
    this.used += chars;
    if (this.used > this.limits.maxRetainedTextChars) {
      throw new FormatError(
        'xlsx.bomb.size',
        `The workbook holds more than ${this.limits.maxRetainedTextChars.toLocaleString('en-US')} characters of text, far beyond any batch file (it may be a "zip bomb"); reading stopped before it could exhaust memory. Do not open it; ask the sender for the real file.`,
      );
    }
  }
}

class SharedStringsHandler implements XmlHandler {
  capturing = false;
  readonly strings: string[] = [];
  private buf = '';
  private inRPh = 0;
  private readonly maxRaw: number;

  constructor(
    private readonly limits: XlsxLimits,
    private readonly budget: TextBudget,
  ) {
    this.maxRaw = limits.maxCellChars * 10 + 64;
  }

  open(tag: Tag, _s: string, _a0: number, _a1: number, selfClosing: boolean): void {
    if (tag === Tag.T) {
      if (!selfClosing && this.inRPh === 0) this.capturing = true;
    } else if (tag === Tag.Si) {
      this.buf = '';
      if (selfClosing) this.push('');
    } else if (tag === Tag.RPh) {
      if (!selfClosing) this.inRPh++;
    }
  }

  close(tag: Tag): void {
    if (tag === Tag.T) this.capturing = false;
    else if (tag === Tag.Si) {
      const text = decodeText(this.buf);
      this.buf = '';
      if (text.length > this.limits.maxCellChars) throw tooLong(this.limits, `Shared text #${this.strings.length + 1}`, text.length);
      this.budget.take(text.length);
      this.push(detach(text));
    } else if (tag === Tag.RPh) this.inRPh = Math.max(0, this.inRPh - 1);
  }

  private push(text: string): void {
    if (this.strings.length >= this.limits.maxSharedStrings) {
      throw new FormatError(
        'xlsx.too_many_strings',
        `The workbook's table of texts holds more than ${this.limits.maxSharedStrings.toLocaleString('en-US')} entries, far more than any batch file (it may be a "zip bomb"); reading stopped before it could exhaust memory. Do not open it; ask the sender for the real file.`,
      );
    }
    this.strings.push(text);
  }

  text(raw: string): void {
    this.buf += raw;
    if (this.buf.length > this.maxRaw) throw tooLong(this.limits, `Shared text #${this.strings.length + 1}`, decodeText(this.buf).length);
  }
}

async function readSharedStrings(zip: ZipArchive, entry: ZipEntry, limits: XlsxLimits, budget: TextBudget, damage: TextDamage): Promise<string[]> {
  const h = new SharedStringsHandler(limits, budget);
  await scanPart(zip, entry, h, damage);
  return h.strings;
}

function columnName(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const enum CellType {
  N,
  S,
  Inline,
  B,
  /** `str`, `e`, `d` and anything else: kept as text. */
  Text,
}

function cellTypeOf(s: string, v0: number, v1: number): CellType {
  const len = v1 - v0;
  const c0 = s.charCodeAt(v0);
  if (len === 1) return c0 === 115 ? CellType.S : c0 === 98 ? CellType.B : c0 === 110 ? CellType.N : CellType.Text;
  if (len === 9 && s.startsWith('inlineStr', v0)) return CellType.Inline;
  return CellType.Text;
}

const enum Capture {
  None,
  V,
  T,
}

/**
 * A number cell shown as a date or time (its style has a date format). Lives only until its row is
 * handed to the table: there it becomes the text Excel shows (text columns) or stays a number.
 */
class ExcelDate {
  constructor(
    readonly serial: number,
    readonly format: DateFormat,
    /** The cell's A1 reference, for the warning. */
    readonly ref: string,
  ) {}
}

type SheetCell = Cell | ExcelDate;

class SheetHandler implements XmlHandler {
  capturing = false;
  private inSheetData = false;
  private rowNum = 0;
  private cells: SheetCell[] = [];
  private col = 0; // one-based column of the current/last cell
  private inCell = false;
  private cellType = CellType.N;
  private attrCol = 0;
  private attrType = CellType.N;
  private attrStyle = 0;
  private cellStyle = 0;
  private target = Capture.None;
  private vBuf = '';
  private tBuf = '';
  private hasV = false;
  private hasIs = false;
  private inIs = false;
  private inRPh = 0;
  private readonly maxRaw: number;

  constructor(
    private readonly sst: string[],
    private readonly limits: XlsxLimits,
    private readonly table: TableBuilder,
    private readonly part: string,
    private readonly budget: TextBudget,
    /** Date format of each cell style index (empty: dates are not looked for). */
    private readonly dateStyles: readonly (DateFormat | null)[] = [],
  ) {
    this.maxRaw = limits.maxCellChars * 10 + 64;
  }

  open(tag: Tag, s: string, a0: number, a1: number, selfClosing: boolean): void {
    if (!this.inSheetData) {
      if (tag === Tag.SheetData && !selfClosing) this.inSheetData = true;
      return;
    }
    switch (tag) {
      case Tag.C: {
        this.cellAttrs(s, a0, a1);
        let col = this.attrCol;
        if (col === 0) col = this.col + 1;
        if (col > this.limits.maxColumns) {
          if (col > MAX_COLUMNS) {
            throw new FormatError('xlsx.corrupt', `The sheet has a cell beyond Excel's last column (XFD) in row ${this.rowNum}. The file is damaged; save it again from Excel.`);
          }
          throw new FormatError(
            'xlsx.too_many_columns',
            `The sheet has a cell in column ${columnName(col)} of row ${this.rowNum}, past the limit of ${this.limits.maxColumns.toLocaleString('en-US')} columns. Delete the columns that are not part of the batch and save again.`,
          );
        }
        this.col = col;
        if (selfClosing) return; // formatted but empty cell
        this.inCell = true;
        this.cellType = this.attrType;
        this.cellStyle = this.attrStyle;
        this.hasV = false;
        this.hasIs = false;
        this.vBuf = '';
        this.tBuf = '';
        return;
      }
      case Tag.V:
        if (this.inCell) {
          this.hasV = true;
          if (!selfClosing) {
            this.target = Capture.V;
            this.capturing = true;
          }
        }
        return;
      case Tag.Is:
        if (this.inCell) {
          this.hasIs = true;
          if (!selfClosing) this.inIs = true;
        }
        return;
      case Tag.T:
        if (this.inIs && this.inRPh === 0 && !selfClosing) {
          this.target = Capture.T;
          this.capturing = true;
        }
        return;
      case Tag.RPh:
        if (this.inIs && !selfClosing) this.inRPh++;
        return;
      case Tag.Row: {
        const r = attr(s, a0, a1, 'r');
        const n = r !== undefined ? Number(r) : this.rowNum + 1;
        if (!Number.isInteger(n) || n < 1 || n <= this.rowNum) {
          throw new FormatError('xlsx.corrupt', `The sheet's rows are out of order or mis-numbered (row "${r}" after row ${this.rowNum}). The file is damaged; save it again from Excel.`);
        }
        if (n > this.limits.maxRows) {
          throw new FormatError(
            'xlsx.too_many_rows',
            `The sheet has a row numbered ${n.toLocaleString('en-US')}, past the limit of ${this.limits.maxRows.toLocaleString('en-US')} rows. The file is damaged or not from Excel; split the batch and save it again.`,
          );
        }
        this.rowNum = n;
        this.cells = [];
        this.col = 0;
        if (selfClosing) this.table.row(n, this.cells);
        return;
      }
    }
  }

  close(tag: Tag): void {
    if (!this.inSheetData) return;
    switch (tag) {
      case Tag.V:
      case Tag.T:
        this.target = Capture.None;
        this.capturing = false;
        return;
      case Tag.Is:
        this.inIs = false;
        return;
      case Tag.RPh:
        if (this.inRPh > 0) this.inRPh--;
        return;
      case Tag.C:
        if (this.inCell) this.finishCell();
        return;
      case Tag.Row:
        this.table.row(this.rowNum, this.cells);
        return;
      case Tag.SheetData:
        this.inSheetData = false;
        return;
    }
  }

  text(raw: string): void {
    if (this.target === Capture.V) {
      this.vBuf += raw;
      if (this.vBuf.length > this.maxRaw) throw tooLong(this.limits, `Cell ${this.ref()}`, decodeText(this.vBuf).length);
    } else if (this.target === Capture.T) {
      this.tBuf += raw;
      if (this.tBuf.length > this.maxRaw) throw tooLong(this.limits, `Cell ${this.ref()}`, decodeText(this.tBuf).length);
    }
  }

  /** Reads `r` (column only) and `t` of a `<c>` tag in one pass, without allocating. */
  private cellAttrs(s: string, a0: number, a1: number): void {
    this.attrCol = 0;
    this.attrType = CellType.N;
    this.attrStyle = 0;
    let p = a0;
    while (p < a1) {
      let ch = s.charCodeAt(p);
      if (ch <= 32) {
        p++;
        continue;
      }
      const n0 = p;
      while (p < a1 && (ch = s.charCodeAt(p)) !== 61 && ch > 32) p++;
      const n1 = p;
      while (p < a1 && s.charCodeAt(p) !== 61) p++;
      p++;
      while (p < a1 && s.charCodeAt(p) <= 32) p++;
      const quote = s.charCodeAt(p);
      if (quote !== 34 && quote !== 39) return;
      const v0 = p + 1;
      let v1 = v0;
      while (v1 < a1 && s.charCodeAt(v1) !== quote) v1++;
      p = v1 + 1;
      // local name of length 1: `r` or `t` (possibly prefixed)
      if (n1 - n0 === 1 || (n1 - n0 > 2 && s.charCodeAt(n1 - 2) === 58)) {
        const nc = s.charCodeAt(n1 - 1);
        if (nc === 114 /* r */) {
          let col = 0;
          for (let k = v0; k < v1; k++) {
            const c = s.charCodeAt(k) | 0x20;
            if (c < 97 || c > 122) break;
            col = col * 26 + (c - 96);
            if (col > MAX_COLUMNS) {
              col = MAX_COLUMNS + 1;
              break;
            }
          }
          this.attrCol = col;
        } else if (nc === 116 /* t */) {
          this.attrType = cellTypeOf(s, v0, v1);
        } else if (nc === 115 /* s */ && this.dateStyles.length !== 0) {
          let idx = 0;
          for (let k = v0; k < v1 && idx < 1e7; k++) {
            const d = s.charCodeAt(k) - 48;
            if (d < 0 || d > 9) break;
            idx = idx * 10 + d;
          }
          this.attrStyle = idx;
        }
      }
    }
  }

  private ref(): string {
    return `${columnName(this.col)}${this.rowNum}`;
  }

  private finishCell(): void {
    this.inCell = false;
    this.inIs = false;
    this.inRPh = 0;
    let value: SheetCell = null;
    const t = this.cellType;
    if (t === CellType.N) {
      if (this.hasV) {
        const text = this.vBuf.trim();
        if (text !== '') {
          const n = Number(text);
          const fmt = this.dateStyles[this.cellStyle];
          value = Number.isNaN(n) ? decodeText(text) : fmt ? new ExcelDate(n, fmt, this.ref()) : n;
        }
      }
    } else if (t === CellType.S) {
      if (this.hasV) {
        const idx = Number(this.vBuf.trim());
        const str = this.sst[idx];
        if (str === undefined) {
          throw new FormatError('xlsx.corrupt', `Cell ${this.ref()} refers to shared text #${this.vBuf.trim()}, which the workbook does not contain. The file is damaged; save it again from Excel.`);
        }
        value = str;
      }
    } else if (t === CellType.Inline) {
      if (this.hasIs) value = decodeText(this.tBuf);
      else if (this.hasV) value = decodeText(this.vBuf);
    } else if (t === CellType.B) {
      if (this.hasV) {
        const v = this.vBuf.trim();
        value = v === '1' || v === 'true';
      }
    } else if (this.hasV) {
      // 'str' (formula text), 'e' (error like #N/A), 'd' (ISO date): keep the text.
      value = decodeText(this.vBuf);
    }
    if (typeof value === 'string') {
      if (value.length > this.limits.maxCellChars) throw tooLong(this.limits, `Cell ${this.ref()}`, value.length);
      if (t !== CellType.S) {
        // Shared strings were counted once when the table was read; every other text is a new copy.
        this.budget.take(value.length);
        value = detach(value);
      }
    }
    if (value === null) return;
    const cells = this.cells;
    const idx = this.col - 1;
    while (cells.length < idx) cells.push(null);
    if (idx < cells.length) cells[idx] = value;
    else cells.push(value);
  }
}

/**
 * Returns a string that does not keep the scanned chunk alive. `slice` of a long string makes a
 * V8 "sliced string" pointing into its parent (a 64 KiB+ chunk of XML); kept in the table, those
 * would retain the whole decoded sheet. Slicing a fresh concatenation flattens it into a copy.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function isEmptyCell(c: SheetCell): boolean {
  return c === null || c === '';
}

/** A cell as the header check sees it: a date is its serial number (a header is text anyway). */
function plainCell(c: SheetCell): Cell {
  return c instanceof ExcelDate ? c.serial : c;
}

/**
 * Turns the sheet's rows into header + data rows. Like the CSV reader, all-empty rows between data
 * rows (written empty or simply absent from the sheet) are skipped and counted once as a warning;
 * empty rows before the header or after the last data row are dropped silently.
 */
class TableBuilder {
  header: string[] | null = null;
  readonly rows: Cell[][] = [];
  /** The sheet's row number of each data row (what Excel shows at the left). */
  readonly lines: number[] = [];
  /** All-empty rows skipped between data rows. */
  blankRowsSkipped = 0;
  /** Non-empty rows above the header row that were skipped (a title, notes). */
  rowsAboveHeader = 0;
  /** Per-cell findings (dates read in text columns), at most `maxFindings`. */
  readonly findings: Issue[] = [];
  private findingsOver = 0;
  private lastRow = 0;
  private cellCount = 0;
  /** Non-empty rows held back until the header row is chosen among them (only with `isHeader`). */
  private candidates: { n: number; cells: SheetCell[] }[] = [];
  /** Per file column: the profile label when its cells are text, else null (set with the header). */
  private textLabels: readonly (string | null)[] = [];

  constructor(
    private readonly limits: XlsxLimits,
    private readonly isHeader?: (cells: readonly Cell[]) => boolean,
    private readonly textColumns?: (header: readonly string[]) => readonly (string | null)[],
    private readonly date1904 = false,
  ) {}

  row(n: number, cells: SheetCell[]): void {
    const nonEmpty = cells.some((c) => !isEmptyCell(c));
    if (this.header === null) {
      if (!nonEmpty) return;
      if (this.isHeader === undefined) {
        this.setHeader(n, cells);
        return;
      }
      // the header is chosen among the first non-empty rows, once they are all here
      this.candidates.push({ n, cells });
      if (this.candidates.length > MAX_ROWS_ABOVE_HEADER) this.chooseHeader();
      return;
    }
    if (!nonEmpty) return; // counted through the gap when the next non-empty row arrives (trailing ones never are)
    this.blankRowsSkipped += n - this.lastRow - 1;
    this.lastRow = n;
    const width = this.header.length;
    while (cells.length < width) cells.push(null);
    this.count(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      if (c instanceof ExcelDate) cells[i] = this.dateCell(c, i);
    }
    this.rows.push(cells as Cell[]);
    this.lines.push(n);
  }

  /**
   * A date cell of a data row: in a text column (Remark, a reference) the text Excel shows, with a
   * warning naming the cell; elsewhere Excel's serial number, as before (date columns convert it).
   */
  private dateCell(c: ExcelDate, col: number): Cell {
    const label = this.textLabels[col] ?? null;
    if (label === null) return c.serial;
    const shown = formatExcelDate(c.serial, c.format, this.date1904);
    if (shown === null) return c.serial;
    if (this.findings.length < this.limits.maxFindings) {
      this.findings.push({
        row: this.rows.length + 1,
        column: label,
        severity: 'warning',
        code: 'xlsx.date_in_text_column',
        message: c.format.localeSpecific
          ? `Cell ${c.ref} holds a date or time (Excel keeps it as a number) in a format that depends on Excel's language; ${label} is text, so it is read as "${shown}". Check it; to keep the exact text, format the column as Text and type it again.`
          : `Cell ${c.ref} holds a date or time (Excel keeps it as a number); ${label} is text, so it is read as "${shown}", as Excel shows it. Check it; to keep the exact text, format the column as Text and type it again.`,
      });
    } else this.findingsOver++;
    return shown;
  }

  /** The one finding that counts the per-cell findings past `maxFindings`, if any. */
  moreFindingsIssue(): Issue | null {
    const n = this.findingsOver;
    if (n === 0) return null;
    return {
      row: null,
      column: null,
      severity: 'warning',
      code: 'xlsx.date_in_text_column.more',
      message: `${n.toLocaleString('en-US')} more date${n === 1 ? '' : 's'} in text columns ${n === 1 ? 'was' : 'were'} read as Excel shows ${n === 1 ? 'it' : 'them'}; only the first ${this.limits.maxFindings.toLocaleString('en-US')} are listed. Format those columns as Text in Excel and type the values again.`,
    };
  }

  /** The header among the rows held back (shared rule: headerRowIndex); the rows after it are data. */
  private chooseHeader(): void {
    const candidates = this.candidates;
    this.candidates = [];
    if (candidates.length === 0) return;
    const isHeader = this.isHeader!;
    const k = headerRowIndex(candidates, (r) => isHeader(r.cells.map(plainCell)));
    this.rowsAboveHeader = k;
    this.setHeader(candidates[k]!.n, candidates[k]!.cells);
    for (const r of candidates.slice(k + 1)) this.row(r.n, r.cells);
  }

  private setHeader(n: number, cells: readonly SheetCell[]): void {
    let end = cells.length;
    while (end > 0 && isEmptyCell(cells[end - 1]!)) end--;
    const header: string[] = [];
    for (let i = 0; i < end; i++) {
      const c = cells[i]!;
      header.push(c === null ? '' : typeof c === 'boolean' ? (c ? 'TRUE' : 'FALSE') : c instanceof ExcelDate ? (formatExcelDate(c.serial, c.format, this.date1904) ?? String(c.serial)) : String(c));
    }
    this.header = header;
    this.lastRow = n;
    if (this.textColumns) this.textLabels = this.textColumns(header);
  }

  private count(n: number): void {
    this.cellCount += Math.max(n, 1);
    if (this.cellCount > this.limits.maxCells) {
      throw new FormatError(
        'xlsx.too_many_cells',
        `The sheet holds more than ${this.limits.maxCells.toLocaleString('en-US')} cells, too many to load. Split the batch into smaller files.`,
      );
    }
  }

  finish(): { header: string[]; rows: Cell[][]; lines: number[] } {
    if (this.header === null) this.chooseHeader();
    return { header: this.header ?? [], rows: this.rows, lines: this.lines };
  }

  /** The file-level warning for skipped blank rows, if any (same wording as `csv.blank_lines_skipped`). */
  blankRowsIssue(): Issue | null {
    const n = this.blankRowsSkipped;
    if (n === 0) return null;
    return { row: null, column: null, severity: 'warning', code: 'xlsx.blank_rows_skipped', message: `${n.toLocaleString('en-US')} blank row${n === 1 ? ' was' : 's were'} skipped.` };
  }
}

/**
 * Parses worksheet XML handed over as text chunks of any size (no zip involved). Used by tests to
 * prove that tags, entities and values split across chunk boundaries are read the same.
 */
export function parseSheetChunks(chunks: Iterable<string>, sst: string[] = [], limits?: Partial<XlsxLimits>): { header: string[]; rows: Cell[][] } {
  const l = resolveLimits(limits);
  const table = new TableBuilder(l);
  const scanner = new XmlScanner(new SheetHandler(sst, l, table, 'sheet.xml', new TextBudget(l)), 'sheet.xml');
  for (const c of chunks) scanner.feed(c);
  scanner.end();
  return table.finish();
}
