/**
 * RawTable (CSV or XLSX grid) → rows in a profile's column order. Matches headers (case, spaces and
 * punctuation ignored; labels, human aliases and API field names all work), converts cells to text
 * and reports what spreadsheets damage: IDs stored as numbers, `4.11111E+15`, months without their
 * leading zero, decimal commas, float artefacts. Rule validation is validateRows' job, not this.
 */
import type { Cell, Issue, RawTable, TableSource } from './types';
import type { ColumnDef, Profile, ValidationContext } from './profile';
import { currencyExponent, numberToPlainString, spreadsheetNumberToAmount } from './money';
import { maskPan } from './profiles/common';
import { maskPans } from './mask';
import { headerRowIndex, MAX_ROWS_ABOVE_HEADER, rowsAboveHeaderIssue } from './header';
import { PROFILES } from './profiles';
export { reportTextDamage } from './textDamage';
import { CellSet, IssueList, type OmittedIssues } from './issues';

export interface ImportResult {
  /** One string[] per data row, in the profile's column order, cells trimmed. */
  rows: string[][];
  /** File-level and conversion issues (not rule validation); at most ISSUES_PER_CODE per code. */
  issues: Issue[];
  /** Findings counted but not kept in `issues` (beyond ISSUES_PER_CODE of a code). */
  omitted: OmittedIssues[];
  /** For each profile column, the index of the file column it was read from, or null. */
  mapping: (number | null)[];
  /** File headers that match no profile column (ignored). */
  unknownColumns: string[];
  /** What the reader found out about the file (kind, encoding, delimiter, sheet…). */
  source: TableSource;
  /** Cells whose import finding explains what the rules find there: the rules skip them. */
  causes: CellSet;
}

/** `Original Transaction ID`, `original_transaction_id`, `originalTransaction.id` → `originaltransactionid`. */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const aliasCache = new WeakMap<Profile, Map<string, number>>();

/** Normalized header → profile column index, for a profile's labels, keys and aliases. */
export function headerIndex(profile: Profile): Map<string, number> {
  let m = aliasCache.get(profile);
  if (m) return m;
  m = new Map();
  // labels and keys first so that an alias never shadows another column's own name
  profile.columns.forEach((c, i) => {
    for (const name of [c.label, c.key]) {
      const n = normalizeHeader(name);
      if (!m!.has(n)) m!.set(n, i);
    }
  });
  profile.columns.forEach((c, i) => {
    for (const a of c.aliases) {
      const n = normalizeHeader(a);
      if (!m!.has(n)) m!.set(n, i);
    }
  });
  aliasCache.set(profile, m);
  return m;
}

/** How many cells of a row name one of the profile's columns (label, API name or alias). */
export function headerScore(profile: Profile, cells: readonly Cell[]): number {
  const index = headerIndex(profile);
  let score = 0;
  for (const c of cells) {
    if (typeof c !== 'string') continue;
    const t = c.trim();
    if (t !== '' && t.length <= 100 && index.has(normalizeHeader(t))) score++;
  }
  return score;
}

/** A header row names at least two of the profile's columns (or its only one). */
export function looksLikeHeader(profile: Profile, cells: readonly Cell[]): boolean {
  return headerScore(profile, cells) >= Math.min(2, profile.columns.length);
}

/**
 * A grid whose first row is not the header but one of the next ten is (a title, a date or notes
 * above the table, as spreadsheets often have): the rows above the header are dropped, with a
 * warning. Otherwise the table as it is. (CSV files get the same treatment while being parsed.)
 */
export function locateHeader(profile: Profile, table: RawTable): RawTable {
  const candidates = [table.header, ...table.rows.slice(0, MAX_ROWS_ABOVE_HEADER)];
  const k = headerRowIndex<readonly Cell[]>(candidates, (cells) => looksLikeHeader(profile, cells));
  if (k === 0) return table;
  return {
    header: table.rows[k - 1]!.map((c) => textOf(c)),
    rows: table.rows.slice(k),
    ...(table.lines ? { lines: table.lines.slice(k) } : {}),
    source: table.source,
    issues: [...table.issues, rowsAboveHeaderIssue(k)],
  };
}

function aOrAn(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** How many of `names` (non-empty headers) name distinct columns of the profile. */
function columnsMatched(profile: Profile, names: readonly string[]): number {
  const index = headerIndex(profile);
  const seen = new Set<number>();
  for (const h of names) {
    const i = index.get(normalizeHeader(h));
    if (i !== undefined) seen.add(i);
  }
  return seen.size;
}

/**
 * A wrong profile gets a hint: when another provider's columns match more of the file's headers
 * than the chosen one's, and at least half of them, a whole-file warning names that provider.
 */
export function otherProfileHint(profile: Profile, header: readonly string[]): Issue | null {
  const names = header.map((h) => (h ?? '').trim()).filter((h) => h !== '' && h.length <= 100);
  if (names.length < 2) return null;
  const own = columnsMatched(profile, names);
  let best: Profile | null = null;
  let bestScore = 0;
  for (const p of Object.values(PROFILES)) {
    if (p.id === profile.id) continue;
    const score = columnsMatched(p, names);
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  if (best === null || bestScore <= own || bestScore * 2 < names.length) return null;
  return {
    row: null,
    column: null,
    severity: 'warning',
    code: 'import.other_profile',
    message: `This looks like ${aOrAn(best.provider)} ${best.provider} file (${bestScore} of its ${names.length} columns are ${best.provider} columns, ${own} ${own === 1 ? 'is' : 'are'} ${profile.provider}'s): check it as ${best.provider}.`,
  };
}

export interface ColumnMatch {
  mapping: (number | null)[];
  unknownColumns: string[];
  issues: Issue[];
}

export function matchColumns(profile: Profile, header: readonly string[]): ColumnMatch {
  const index = headerIndex(profile);
  const mapping: (number | null)[] = profile.columns.map(() => null);
  const unknownColumns: string[] = [];
  const issues: Issue[] = [];
  header.forEach((raw, fileCol) => {
    const h = (raw ?? '').trim();
    if (h === '') return;
    const target = index.get(normalizeHeader(h));
    if (target === undefined) {
      unknownColumns.push(h);
      issues.push({ row: null, column: null, severity: 'warning', code: 'import.unknown_column', message: maskPans(`Column "${h}" is not ${aOrAn(profile.provider)} ${profile.provider} column and is ignored.`) });
      return;
    }
    if (mapping[target] !== null) {
      const first = header[mapping[target]!]!;
      issues.push({
        row: null,
        column: profile.columns[target]!.label,
        severity: 'warning',
        code: 'import.duplicate_column',
        message: maskPans(`Columns "${first.trim()}" and "${h}" both mean ${profile.columns[target]!.label}; the first one is used and "${h}" is ignored.`),
      });
      return;
    }
    mapping[target] = fileCol;
  });
  profile.columns.forEach((c, i) => {
    if (c.required && mapping[i] === null) {
      issues.push({ row: null, column: c.label, severity: 'error', code: 'import.missing_column', message: `The file has no "${c.label}" column, which ${profile.provider} requires. Add it (or rename the column that holds it).` });
    }
  });
  for (const group of profile.requiredColumnGroups) {
    const idx = group.map((k) => profile.columns.findIndex((c) => c.key === k));
    if (idx.every((i) => i < 0 || mapping[i] === null)) {
      const labels = idx.filter((i) => i >= 0).map((i) => profile.columns[i]!.label);
      issues.push({ row: null, column: labels[0] ?? null, severity: 'error', code: 'import.missing_column', message: `The file needs a ${labels.map((l) => `"${l}"`).join(' or ')} column.` });
    }
  }
  return { mapping, unknownColumns, issues };
}

/** The issue itself when its message has no card number; else a copy with the number masked. */
function maskIssue(issue: Issue): Issue {
  const message = maskPans(issue.message);
  return message === issue.message ? issue : { ...issue, message };
}

const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;
const DECIMAL_COMMA_AMOUNT = /^([-+]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/;

/** `1.234,50` → `1234.50`, `12,5` → `12.5`; anything else unchanged. */
export function convertDecimalComma(s: string): string {
  if (s.indexOf(',') < 0 && s.indexOf('.') < 0) return s;
  const m = DECIMAL_COMMA_AMOUNT.exec(s);
  if (!m) return s;
  const int = m[2]!.replace(/\./g, '');
  return m[1]! + int + (m[3] !== undefined ? '.' + m[3] : '');
}

const enum Kind {
  Text,
  /** Text from a small set (an enum, a currency code): repeated values share one string. */
  Shared,
  Id,
  Pan,
  Amount,
  Month,
  Year,
  Time,
  Date,
  DateTime,
}

function kindOf(c: ColumnDef): Kind {
  if (c.type === 'amount') return Kind.Amount;
  if (c.type === 'month') return Kind.Month;
  if (c.type === 'year') return Kind.Year;
  if (c.type === 'time') return Kind.Time;
  if (c.type === 'date') return Kind.Date;
  if (c.type === 'datetime') return Kind.DateTime;
  if (c.sensitive === 'pan') return Kind.Pan;
  if (c.textInSpreadsheet) return Kind.Id;
  if (c.type === 'enum' || c.type === 'currency') return Kind.Shared;
  return Kind.Text;
}

/**
 * For each header cell, the label of the profile column it names when that column holds text
 * (free text, references, codes), else null: where the XLSX reader reads a date typed in Excel as
 * the text Excel shows, instead of its serial number.
 */
export function textColumnLabels(profile: Profile, header: readonly string[]): (string | null)[] {
  const index = headerIndex(profile);
  return header.map((h) => {
    const i = index.get(normalizeHeader((h ?? '').trim()));
    if (i === undefined) return null;
    const kind = kindOf(profile.columns[i]!);
    return kind === Kind.Text || kind === Kind.Shared || kind === Kind.Id ? profile.columns[i]!.label : null;
  });
}

/** `00` … `99`: two-digit months and years share these strings instead of a copy per row. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** The shared string for a two-digit value (`05`), else `t` itself. */
function twoDigits(t: string): string {
  if (t.length !== 2) return t;
  const a = t.charCodeAt(0) - 48;
  const b = t.charCodeAt(1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? TWO_DIGITS[a * 10 + b]! : t;
}

/**
 * The shared copy of a short cell value, so that a million rows of `payment` or `EUR` hold one
 * string, not a million (about 24 bytes each; with months and years some 70 MB on a million Wonder
 * rows, which also keeps V8 from a full garbage collection during the import). A column keeps at
 * most 64 distinct values; later new values are stored as they are.
 */
class SharedStrings {
  private readonly values: string[];
  constructor(seed: readonly string[]) {
    this.values = [...seed];
  }

  get(t: string): string {
    const values = this.values;
    for (let i = 0; i < values.length; i++) if (values[i] === t) return values[i]!;
    if (t.length <= 16 && values.length < 64) values.push(t);
    return t;
  }
}

const DAY_MS = 86_400_000;
/** 1899-12-30: serial 0 of Excel's 1900 date system, for serials from 61 (1900-03-01) on. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** 9999-12-31, Excel's last date. */
const EXCEL_MAX_SERIAL = 2_958_465;

/** 1904-01-01: serial 0 of Excel's 1904 date system. */
const EXCEL_1904_EPOCH_MS = Date.UTC(1904, 0, 1);
/** 9999-12-31 in the 1904 date system (1,462 days fewer). */
const EXCEL_1904_MAX_SERIAL = 2_957_003;

/**
 * An Excel date serial → `yyyy-MM-dd`, or null when it is not a date Excel can show. The fraction
 * (time of day) is dropped.
 * - 1900 date system (the default): Excel counts the non-existent 1900-02-29 (serial 60, Lotus
 *   1-2-3's leap-year bug), so serials from 61 on are one day ahead of a plain count from
 *   1899-12-31; serial 60 itself is no real date.
 * - 1904 date system (`date1904`, workbooks from old Mac Excel): a plain count of days from
 *   1904-01-01 (serial 0).
 */
export function excelSerialToDate(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial)) return null;
  let ms: number;
  if (date1904) {
    if (serial < 0 || serial >= EXCEL_1904_MAX_SERIAL + 1) return null;
    ms = EXCEL_1904_EPOCH_MS + Math.floor(serial) * DAY_MS;
  } else {
    if (serial < 1 || serial >= EXCEL_MAX_SERIAL + 1) return null;
    const day = Math.floor(serial);
    if (day === 60) return null;
    ms = EXCEL_EPOCH_MS + (day < 60 ? day + 1 : day) * DAY_MS;
  }
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

function textOf(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') {
    const n = v.length;
    if (n === 0) return v;
    const a = v.charCodeAt(0);
    const b = v.charCodeAt(n - 1);
    return a <= 32 || b <= 32 || a === 0xa0 || b === 0xa0 || a === 0xfeff ? v.trim() : v;
  }
  if (typeof v === 'number') return numberToPlainString(v);
  return v ? 'true' : 'false';
}

/**
 * Converts raw rows (as a reader delivers them) into profile rows, one at a time: the engine of
 * importTable, also driven row by row while a CSV file is being parsed (importCsvAndValidate), so
 * each row is converted while its cells are still in cache.
 */
export interface RowImporter {
  mapping: (number | null)[];
  unknownColumns: string[];
  /** Converts one raw row (data row number `rowNumber`, from 1). May reuse `raw` as the result. */
  convert(raw: Cell[], rowNumber: number): string[];
  /** Issues from the header match and the conversions so far, plus the summaries; call once at the end. */
  finish(): IssueList;
  /** Cells whose import finding is the cause of whatever the rules find there (scientific notation). */
  readonly causes: CellSet;
}

export function createRowImporter(profile: Profile, header: readonly string[], source: TableSource, ctx: ValidationContext): RowImporter {
  const match = matchColumns(profile, header);
  const { mapping, unknownColumns } = match;
  // bounded: a million rows of `5` in Expiry Month would otherwise keep a million warnings
  const issues = new IssueList();
  const causes = new CellSet();
  const hint = otherProfileHint(profile, header);
  if (hint) issues.push(hint);
  for (const i of match.issues) issues.push(i);
  const cols = profile.columns;
  const ncol = cols.length;
  const kinds = cols.map(kindOf);
  const labels = cols.map((c) => c.label);
  const decimalComma = source.decimalComma === true;
  const date1904 = source.date1904 === true;
  const amountIdx = cols.findIndex((c) => c.key === profile.amount.column);
  const currencyIdx = profile.amount.currencyColumn ? cols.findIndex((c) => c.key === profile.amount.currencyColumn) : -1;
  const unit = profile.amount.unit === 'context' ? ctx.amountUnit : profile.amount.unit;
  const defaultExponent = currencyExponent(ctx.currency) ?? 2;
  const shared = cols.map((c) => (kindOf(c) === Kind.Shared ? new SharedStrings(c.enumValues ?? []) : null));
  const src = mapping.map((m) => (m === null ? -1 : m));
  // Same columns in the same order: rows can be converted in place (cell c only feeds cell c).
  const inPlace = src.every((s, c) => s === c);
  let decimalCommaConverted = 0;

  /** Excel's scientific notation in an ID or card cell (`4.11111E+15`): the digits are lost. */
  function scientific(c: number, t: string, rowNumber: number, kind: Kind): void {
    // cheap test first: such a cell starts with a digit or sign and ends with a digit
    const first = t.charCodeAt(0);
    const last = t.charCodeAt(t.length - 1);
    if (t.length > 40 || last < 48 || last > 57 || !((first >= 48 && first <= 57) || first === 43 || first === 45)) return;
    if ((t.indexOf('E') > 0 || t.indexOf('e') > 0) && SCIENTIFIC.test(t)) {
      causes.add(rowNumber, labels[c]!);
      if (issues.isFull('import.excel_scientific')) return issues.countOmitted('import.excel_scientific', 'error');
      issues.push({
        row: rowNumber,
        column: labels[c]!,
        severity: 'error',
        code: 'import.excel_scientific',
        message: maskPans(`${labels[c]} shows ${kind === Kind.Pan ? 'a number' : `"${t}"`} in scientific notation: Excel stored it as a number and the digits are lost. Format the ${labels[c]} column as Text, re-enter the values and export again.`),
      });
    }
  }

  /**
   * Month, Year, Time: a value that lost its leading zero in a spreadsheet (`5`, `91506`) is
   * restored with a warning and its fix; two-digit months and years share their strings.
   */
  function timePart(c: number, kind: Kind, t: string, rowNumber: number, fromNumber: boolean): string {
    const width = kind === Kind.Time ? 6 : 2;
    if (t.length > 0 && t.length < width && /^\d+$/.test(t) && !(kind !== Kind.Time && t === '0')) {
      const fixed = t.padStart(width, '0');
      if (issues.isFull('import.leading_zero_restored')) {
        issues.countOmitted('import.leading_zero_restored', 'warning');
        return fixed;
      }
      issues.push({
        row: rowNumber,
        column: labels[c]!,
        severity: 'warning',
        code: 'import.leading_zero_restored',
        message: maskPans(`${labels[c]} "${t}" lost its leading zero${fromNumber ? ' (stored as a number)' : ''}; read as ${fixed}. Format the column as Text to keep it.`),
        fix: fixed,
      });
      return fixed;
    }
    return kind !== Kind.Time ? twoDigits(t) : t;
  }

  function convert(raw: Cell[], rowNumber: number): string[] {
    const row: string[] = inPlace ? (raw as string[]) : new Array(ncol);
    for (let c = 0; c < ncol; c++) {
      const s = src[c]!;
      const v = s < 0 ? undefined : raw[s];
      const kind = kinds[c]!;
      if (typeof v === 'string') {
        // Text cells (every CSV cell): trimmed, then only what this column's kind needs.
        const t = textOf(v);
        if (!inPlace || t !== v) row[c] = t;
        if (kind === Kind.Text || t.length === 0) continue;
        switch (kind) {
          case Kind.Shared:
            if (t.length <= 16) row[c] = shared[c]!.get(t);
            break;
          case Kind.Id:
          case Kind.Pan:
            scientific(c, t, rowNumber, kind);
            break;
          case Kind.Amount:
            if (decimalComma && c === amountIdx) {
              const converted = convertDecimalComma(t);
              if (converted !== t) decimalCommaConverted++;
              row[c] = converted;
            }
            break;
          case Kind.Month:
          case Kind.Year:
          case Kind.Time:
            row[c] = timePart(c, kind, t, rowNumber, false);
            break;
          // Date, DateTime: the text as it is
        }
        continue;
      }
      if (typeof v !== 'number') {
        row[c] = textOf(v); // empty, or a boolean
        continue;
      }
      // Numbers (XLSX cells)
      switch (kind) {
        case Kind.Id:
        case Kind.Pan: {
          row[c] = numberToPlainString(v);
          const shown = kind === Kind.Pan ? maskPan(row[c]!) : row[c]!;
          issues.push({
            row: rowNumber,
            column: labels[c]!,
            severity: 'error',
            code: 'import.excel_number',
            message: maskPans(`Excel stored ${labels[c]} as a number (${shown}), so digits may be lost (Excel keeps only 15 significant digits and drops leading zeros). Format the ${labels[c]} column as Text, re-enter the values and export again.`),
          });
          break;
        }
        case Kind.Month:
        case Kind.Year:
        case Kind.Time:
          row[c] = timePart(c, kind, numberToPlainString(v), rowNumber, true);
          break;
        case Kind.Date: {
          const date = excelSerialToDate(v, date1904);
          row[c] = date ?? numberToPlainString(v);
          if (date !== null) {
            issues.push({
              row: rowNumber,
              column: labels[c]!,
              severity: 'warning',
              code: 'import.excel_date',
              message: maskPans(`Excel stored ${labels[c]} as a date (serial number ${numberToPlainString(v)}${date1904 ? ' in the 1904 date system' : ''}); read as ${date}. Check it, and format the ${labels[c]} column as Text with dates written yyyy-MM-dd to be sure.`),
              fix: date,
            });
          }
          break;
        }
        case Kind.DateTime:
          row[c] = numberToPlainString(v);
          issues.push({
            row: rowNumber,
            column: labels[c]!,
            severity: 'error',
            code: 'import.excel_datetime',
            message: maskPans(`Excel stored ${labels[c]} as a date-time number (${row[c]}), which has no time zone and no milliseconds, so the exact value is lost. Format the ${labels[c]} column as Text and enter the ISO 8601 value exactly, e.g. 2026-04-16T10:15:30.000Z.`),
          });
          break;
        case Kind.Amount: {
          let exponent = defaultExponent;
          if (currencyIdx >= 0 && src[currencyIdx]! >= 0) {
            const cur = raw[src[currencyIdx]!]; // in place, possibly already trimmed: same value
            if (typeof cur === 'string' && cur.trim() !== '') exponent = currencyExponent(cur.trim().toUpperCase()) ?? defaultExponent;
          }
          row[c] = spreadsheetNumberToAmount(v, unit === 'minor' ? 0 : exponent);
          break;
        }
        default:
          row[c] = numberToPlainString(v); // Text, Shared
      }
    }
    if (inPlace && row.length !== ncol) row.length = ncol; // extra cells are ignored; short rows padded above
    return row;
  }

  return {
    mapping,
    unknownColumns,
    convert,
    causes,
    finish() {
      if (decimalCommaConverted > 0) {
        issues.push({
          row: null,
          column: amountIdx >= 0 ? labels[amountIdx]! : null,
          severity: 'warning',
          code: 'import.decimal_comma',
          message: `The file uses decimal commas (European Excel); ${decimalCommaConverted.toLocaleString('en-US')} amount${decimalCommaConverted === 1 ? ' was' : 's were'} converted, e.g. 1.234,50 → 1234.50. Check a few amounts.`,
        });
      }
      return issues;
    },
  };
}

/**
 * Reads a table into profile rows. Never throws for content; missing required columns, unknown
 * columns and spreadsheet damage are issues.
 *
 * The table is consumed: when the file's columns are already in the profile's order (the usual
 * case for an exported file), each row array of `table.rows` is converted in place and becomes the
 * result row, instead of a second copy of every row (a million-row file would otherwise be held
 * twice). Do not read `table.rows` afterwards; use the result.
 */
export function importTable(
  profile: Profile,
  table: RawTable,
  ctx: ValidationContext,
): ImportResult {
  table = locateHeader(profile, table);
  const importer = createRowImporter(profile, table.header, table.source, ctx);
  const out: string[][] = new Array(table.rows.length);
  for (let r = 0; r < table.rows.length; r++) out[r] = importer.convert(table.rows[r]!, r + 1);
  return finishImport(table, importer, out);
}

/** The ImportResult of a finished row importer: the reader's findings first (masked), then its own. */
export function finishImport(table: Pick<RawTable, 'issues' | 'source' | 'omitted'>, importer: RowImporter, rows: string[][]): ImportResult {
  // The reader's own findings (CSV/XLSX) may quote cells or headers too: mask them as well.
  const list = new IssueList();
  for (const i of table.issues) list.push(maskIssue(i));
  if (table.omitted) list.addOmitted(table.omitted);
  const own = importer.finish();
  list.addOmitted(own.omitted());
  return {
    rows,
    issues: list.items.concat(own.items),
    omitted: list.omitted(),
    mapping: importer.mapping,
    unknownColumns: importer.unknownColumns,
    source: table.source,
    causes: importer.causes,
  };
}
