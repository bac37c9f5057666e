/**
 * CSV bytes → RawTable. Encoding, delimiter, line ending and decimal comma are detected here;
 * papaparse does the field parsing with the detected delimiter. Limits are enforced while parsing.
 */
import Papa from 'papaparse/papaparse.js';
import { FormatError } from '../errors';
import type { Cell, RawTable, TableSource } from '../types';
import { decodeText, decodeUtf16, decodeWindows1252, type Decoded } from './encoding';
import { maskPans } from '../mask';
import { headerRowIndex, MAX_ROWS_ABOVE_HEADER, rowsAboveHeaderIssue } from '../header';
import { IssueList } from '../issues';

export interface CsvLimits {
  /** Maximum file size in bytes. Default 512 MiB. */
  maxBytes?: number;
  /** Maximum rows including the header (Excel's sheet limit). Default 1,048,576. */
  maxRows?: number;
  /** Maximum characters in one cell (Excel's limit). Default 32,767. */
  maxCellChars?: number;
}

export interface ParseCsvOptions {
  limits?: CsvLimits;
  /**
   * Receives the rows while the file is parsed: `start` once with the header and the source (all
   * detection done), then `row` for each data row right after it is read; what `row` returns is
   * stored in place of the parsed cells. Lets an importer convert each row while it is still in
   * cache (and in place), instead of walking a million cold rows afterwards.
   */
  sink?: CsvRowSink;
  /** Called every 32,768 records or so with the characters read so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Recognises the header row (the importer knows the profile's column names). When given and the
   * first row is not a header but one of the next ten is, the rows above it (a title, notes) are
   * skipped with a warning. Without it, or when no row qualifies, the first row is the header.
   */
  isHeader?: (cells: readonly string[]) => boolean;
  /** The clerk's choice in the import's locale options; each left out is detected. */
  encoding?: NonNullable<TableSource['encoding']>;
  delimiter?: NonNullable<TableSource['delimiter']>;
  decimalComma?: boolean;
}


/** Bytes decoded as the clerk chose (a BOM matching the choice is skipped). */
function decodeAs(bytes: Uint8Array, encoding: NonNullable<TableSource['encoding']>): Decoded {
  const bom8 = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') return { text: new TextDecoder('utf-8').decode(bom8 ? bytes.subarray(3) : bytes), encoding, basis: 'valid', invalidSequences: 0 };
  if (encoding === 'windows-1252') return { text: decodeWindows1252(bytes), encoding, basis: 'valid', invalidSequences: 0 };
  const le = encoding === 'utf-16le';
  const bom = le ? bytes[0] === 0xff && bytes[1] === 0xfe : bytes[0] === 0xfe && bytes[1] === 0xff;
  return { text: decodeUtf16(bytes, le, bom ? 2 : 0), encoding, basis: 'valid', invalidSequences: 0 };
}

/** Non-blank records before the header row, decided on the first records of the text. */
function rowsAboveHeader(text: string, delimiter: Delimiter, newline: string, isHeader: (cells: readonly string[]) => boolean): number {
  const head = Papa.parse(text, { delimiter, newline, quoteChar: '"', escapeChar: '"', preview: 4 * (MAX_ROWS_ABOVE_HEADER + 1) });
  // blank lines are skipped anyway: only non-blank records count
  const rows = head.data.filter((fields) => fields.some((f) => f !== '')).map((fields) => fields.map((f) => f.trim()));
  return headerRowIndex(rows, isHeader);
}

export interface CsvRowSink {
  start(header: string[], source: TableSource): void;
  row(fields: string[], rowNumber: number): Cell[];
}

/** Rows sampled (after the header) to decide whether numbers use a decimal comma. */
const DECIMAL_SAMPLE_ROWS = 2000;

export const CSV_DEFAULT_LIMITS: Required<CsvLimits> = Object.freeze({
  maxBytes: 512 * 1024 * 1024,
  maxRows: 1_048_576,
  maxCellChars: 32_767,
});

type Delimiter = NonNullable<TableSource['delimiter']>;
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];
const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Excel-style column letter for messages (1 → A, 28 → AB). */
export function columnLetter(index0: number): string {
  let n = index0 + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

interface Sniffed {
  delimiter: Delimiter;
  lineEnding: TableSource['lineEnding'];
}

/**
 * Delimiter by consistency: per logical line (quoted newlines do not end a line) count each candidate
 * outside quotes; the header must contain it and the following lines should have the same count.
 */
export function sniffDelimiter(text: string, maxLines = 30, maxChars = 256 * 1024): Sniffed {
  const end = Math.min(text.length, maxChars);
  const lines: number[][] = [];
  let counts = [0, 0, 0, 0];
  let inQuotes = false;
  let lineEnding: TableSource['lineEnding'];
  let lineHasContent = false;
  let i = 0;
  for (; i < end && lines.length < maxLines; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      inQuotes = !inQuotes;
      lineHasContent = true;
      continue;
    }
    if (inQuotes) continue;
    if (c === 10 || c === 13) {
      if (lineEnding === undefined) lineEnding = c === 13 ? (text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r') : '\n';
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (lineHasContent) lines.push(counts);
      counts = [0, 0, 0, 0];
      lineHasContent = false;
      continue;
    }
    lineHasContent = true;
    if (c === 44) counts[0]!++;
    else if (c === 59) counts[1]!++;
    else if (c === 9) counts[2]!++;
    else if (c === 124) counts[3]!++;
  }
  // the last line is complete only if we reached the end of the text
  if (lineHasContent && i >= text.length) lines.push(counts);
  let best: Delimiter = ',';
  let bestScore = -1;
  let bestHeader = 0;
  for (let d = 0; d < 4; d++) {
    // The header is the first line holding the delimiter: a title or notes may sit above the table
    // (the same eleven rows the header search looks at), and a title rarely holds the delimiter.
    let k = 0;
    while (k < lines.length && k <= MAX_ROWS_ABOVE_HEADER && lines[k]![d] === 0) k++;
    // a delimiter first seen below the top needs lines under it to show it is the table's
    if (k >= lines.length || k > MAX_ROWS_ABOVE_HEADER || (k > 0 && k + 1 >= lines.length)) continue;
    const h = lines[k]![d]!;
    let consistent = 0;
    for (let l = k + 1; l < lines.length; l++) if (lines[l]![d] === h) consistent++;
    const score = lines.length > k + 1 ? consistent / (lines.length - k - 1) : 1;
    if (score > bestScore || (score === bestScore && h > bestHeader)) {
      best = DELIMITERS[d]!;
      bestScore = score;
      bestHeader = h;
    }
  }
  return { delimiter: best, lineEnding };
}

const DECIMAL_COMMA = /^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$/;
const DECIMAL_DOT = /^[-+]?\d+\.\d+$/;

/** European Excel: numbers like `12,50` / `1.234,50` and no `12.50`-style numbers in a sample. */
function detectDecimalComma(rows: readonly Cell[][], delimiter: Delimiter): boolean {
  if (delimiter === ',') return false;
  let comma = 0;
  let dot = 0;
  const n = Math.min(rows.length, 2000);
  for (let r = 0; r < n; r++) {
    const row = rows[r]!;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (typeof v !== 'string' || v.length === 0 || v.length > 24) continue;
      const t = v.trim();
      if (DECIMAL_COMMA.test(t)) comma++;
      else if (DECIMAL_DOT.test(t) && t.length - t.indexOf('.') - 1 !== 3) dot++;
    }
  }
  return comma > 0 && comma > dot;
}

/**
 * Excel's delimiter hint: a first line `sep=;` (also `sep=,`, `sep=<tab>`, `sep=|`, optionally in
 * quotes). Returns the delimiter and how many characters to skip (the line and its line break), or
 * null when the text does not start with one we support.
 */
export function declaredSeparator(text: string): { delimiter: Delimiter; skip: number } | null {
  let i = 0;
  const quoted = text.charCodeAt(0) === 34;
  if (quoted) i++;
  if (text.slice(i, i + 4).toLowerCase() !== 'sep=') return null;
  i += 4;
  const d = text[i] as Delimiter | undefined;
  if (d === undefined || !DELIMITERS.includes(d)) return null;
  i++;
  if (quoted) {
    if (text.charCodeAt(i) !== 34) return null;
    i++;
  }
  const c = text.charCodeAt(i);
  if (c === 13) i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
  else if (c === 10) i++;
  else if (i < text.length) return null;
  return { delimiter: d, skip: i };
}

/**
 * null when the text uses one line ending throughout (or none, or only the sniffed one); otherwise
 * the most frequent ending, for `source.lineEnding`. Reads the text with native indexOf scans and
 * allocates nothing: the common pure-LF / pure-CRLF file pays no copy.
 */
export function mixedLineEndings(text: string, sniffed: TableSource['lineEnding']): TableSource['lineEnding'] | null {
  if (sniffed === undefined) return null;
  if (sniffed === '\n' && text.indexOf('\r') < 0) return null;
  if (sniffed === '\r' && text.indexOf('\n') < 0) return null;
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  let nextR = text.indexOf('\r');
  let nextN = text.indexOf('\n');
  while (nextR >= 0 || nextN >= 0) {
    if (nextR < 0 || (nextN >= 0 && nextN < nextR)) {
      lf++;
      nextN = text.indexOf('\n', nextN + 1);
    } else if (nextN === nextR + 1) {
      crlf++;
      nextR = text.indexOf('\r', nextN + 1);
      nextN = text.indexOf('\n', nextN + 1);
    } else {
      cr++;
      nextR = text.indexOf('\r', nextR + 1);
    }
  }
  const kinds = (crlf > 0 ? 1 : 0) + (lf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
  if (kinds < 2) return null;
  if (crlf >= lf && crlf >= cr) return '\r\n';
  return lf >= cr ? '\n' : '\r';
}

/** More than a tenth of the first 4,096 characters are NUL, U+FFFD or control characters. */
export function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 4096);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13)) bad++;
  }
  return n > 0 && bad > n * 0.1;
}

export function tooManyRows(maxRows: number): FormatError {
  return new FormatError('csv.too_many_rows', `The file has more than ${formatCount(maxRows)} rows (header included). Split it into smaller files.`);
}

/**
 * Reads CSV bytes into a RawTable. Throws FormatError for what cannot be read at all: empty file, no
 * header, over a limit, an unclosed quote, binary content (e.g. an .xlsx renamed .csv).
 */
/**
 * The bytes of a CSV file, or a hand-over of them: `take()` gives the caller's only reference away,
 * so the bytes can be freed once decoded (a million-row file's bytes are some 120 MB).
 */
export type CsvBytes = Uint8Array | { take(): Uint8Array };

const NO_BYTES = new Uint8Array(0);

export function parseCsv(input: CsvBytes, opts: ParseCsvOptions = {}): RawTable {
  let bytes = input instanceof Uint8Array ? input : input.take();
  const limits = { ...CSV_DEFAULT_LIMITS, ...(opts.limits ?? {}) };
  if (bytes.length > limits.maxBytes) {
    throw new FormatError(
      'csv.too_large',
      `The file is ${formatCount(bytes.length)} bytes; the limit is ${formatCount(limits.maxBytes)} bytes. Split it into smaller files.`,
    );
  }
  if (bytes.length === 0) throw new FormatError('csv.empty', 'The file is empty. Export the sheet again with its header row and data.');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new FormatError('csv.not_csv', 'This is an Excel workbook (.xlsx), not a CSV file. Open it as .xlsx, or save it from Excel as CSV.');
  }

  let decoded: Decoded | null = opts.encoding !== undefined ? decodeAs(bytes, opts.encoding) : decodeText(bytes);
  // From here on only the text is needed: drop the bytes (when handed over) and the decode result,
  // which would keep the first copy of the text alive after a line-ending normalisation.
  if (!(input instanceof Uint8Array)) bytes = NO_BYTES;
  const { encoding, basis, invalidSequences } = decoded;
  let text = decoded.text;
  decoded = null;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (looksBinary(text)) {
    throw new FormatError('csv.binary', 'The file does not contain readable text. Check that it is a CSV export (e.g. "CSV UTF-8" from Excel).');
  }

  // bounded: a misplaced quote on every row of a million would otherwise keep a million warnings
  const issues = new IssueList();
  if (encoding === 'windows-1252') {
    issues.push({
      row: null,
      column: null,
      severity: 'warning',
      code: 'csv.encoding.windows_1252',
      message: 'The file is not UTF-8; it was read as Windows-1252 (Western European Excel "CSV"). Check that accented characters look right, or save it as "CSV UTF-8" next time.',
    });
  } else if (invalidSequences > 0) {
    const n = invalidSequences;
    issues.push({
      row: null,
      column: null,
      severity: 'warning',
      code: 'csv.encoding.invalid_utf8',
      message: `The file is UTF-8 but ${formatCount(n)} byte sequence${n === 1 ? ' is' : 's are'} not valid UTF-8 (shown as �; the cells holding them are listed). Correct those cells and save the file as "CSV UTF-8" again.`,
    });
  } else if (basis === 'guess') {
    issues.push({
      row: null,
      column: null,
      severity: 'warning',
      code: 'csv.encoding.utf16_without_bom',
      message: `The file looks like ${encoding.toUpperCase()} text without a byte-order mark; it was read as such. Check that the text looks right.`,
    });
  }

  // Excel's `sep=;` first line names the delimiter (and is not the header).
  const declared = declaredSeparator(text);
  if (declared !== null) text = text.slice(declared.skip);
  const sniffed = sniffDelimiter(text);
  const delimiter = opts.delimiter ?? (declared !== null ? declared.delimiter : sniffed.delimiter);
  let lineEnding = sniffed.lineEnding;
  // papaparse splits records on one line ending only. A file with mixed endings (CRLF rows with LF
  // rows appended by another tool) would merge rows into cells: normalise those to LF first.
  const mixed = mixedLineEndings(text, lineEnding);
  if (mixed !== null) {
    text = text.replace(/\r\n?/g, '\n');
    lineEnding = mixed;
  }
  const newline = mixed !== null ? '\n' : (lineEnding ?? '\n');

  // Decimal comma or point, decided on the first rows before the real parse so that rows can be
  // converted as they are read. Not in comma-separated files: a decimal comma there is quoted, and the
  // amount rule reports it with a fix.
  const decimalComma =
    opts.decimalComma ??
    (delimiter !== ',' &&
    detectDecimalComma(Papa.parse(text, { delimiter, newline, quoteChar: '"', escapeChar: '"', preview: DECIMAL_SAMPLE_ROWS + 1, skipEmptyLines: true }).data.slice(1), delimiter));
  const source: TableSource = { kind: 'csv', encoding: encoding, delimiter, decimalComma };
  // The importer reports (and removes) NULs cell by cell; one native scan tells whether to look.
  if (text.indexOf('\u0000') >= 0) source.nul = true;
  if (invalidSequences > 0) source.invalidUtf8 = invalidSequences;
  if (lineEnding !== undefined) source.lineEnding = lineEnding;
  const sink = opts.sink;
  const onProgress = opts.onProgress;
  let titleRows = opts.isHeader ? rowsAboveHeader(text, delimiter, newline, opts.isHeader) : 0;
  const skippedTitleRows = titleRows;

  let header: string[] | null = null;
  const rows: Cell[][] = [];
  // The file line each data row starts on (as a text editor numbers them): a quoted cell with line
  // breaks, blank lines, title rows and Excel's `sep=` line all move it away from the row count.
  const lines: number[] = [];
  const lineChar = newline[newline.length - 1]!;
  let line = declared !== null ? 2 : 1;
  let lineCursor = 0;
  let ragged = 0;
  let firstRagged = 0;
  let rowCount = 0; // physical records seen, header included
  let blankInside = 0;
  let pendingBlank = 0;
  let failure: FormatError | null = null;
  const maxCell = limits.maxCellChars;
  const maxRows = limits.maxRows;

  // The rare cases live in functions of their own: the per-row callback stays small enough for
  // V8 to inline the importer's conversion into it (measured: `npm run bench`, CSV import).
  const where = () => (header === null ? 'the header row' : `data row ${formatCount(rows.length + pendingBlank + 1)}`);
  /** Papa's findings for a row; false when the parse must stop (an unclosed quote). */
  const quoteErrors = (errors: readonly { code: string }[]): boolean => {
    for (const e of errors) {
      if (e.code === 'MissingQuotes') {
        failure = new FormatError('csv.unclosed_quote', `A quoted field in ${where()} is never closed ("…" without the closing quote), so the rest of the file would be read as one cell. Fix the quote and export again.`);
        return false;
      }
    }
    if (header !== null && errors.some((e) => e.code === 'InvalidQuotes')) {
      issues.push({ row: rows.length + 1, column: null, severity: 'warning', code: 'csv.malformed_quotes', message: 'This row has a misplaced quote character; check that its cells were split correctly.' });
    }
    return true;
  };
  const cellTooLong = (fields: readonly string[], c: number) => {
    const colName = header && header[c] ? `"${header[c]}" (column ${columnLetter(c)})` : `column ${columnLetter(c)}`;
    failure = new FormatError('csv.cell_too_long', maskPans(`In ${where()}, ${colName} has ${formatCount(fields[c]!.length)} characters; the limit is ${formatCount(maxCell)}. A stray quote may have merged many lines into one cell: check that row.`));
  };
  /** A non-blank record before the header: a title row to skip, or the header itself. */
  const headerOrTitle = (fields: readonly string[]) => {
    if (titleRows > 0) {
      titleRows--;
      return;
    }
    // copied (not substrings of the file's text), so holding on to the header does not keep the whole text alive
    header = JSON.parse(JSON.stringify(fields.map((h) => h.trim()))) as string[];
    sink?.start(header, source);
  };
  const extraCells = (fields: readonly string[], from: number) => {
    for (let c = from; c < fields.length; c++) {
      if (fields[c] !== '') {
        if (ragged === 0) firstRagged = rows.length + 1;
        ragged++;
        return;
      }
    }
  };

  Papa.parse(text, {
    delimiter,
    newline,
    quoteChar: '"',
    escapeChar: '"',
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    step: (result, parser) => {
      if (failure) return;
      const rowLine = line;
      const end = result.meta.cursor;
      for (let i = text.indexOf(lineChar, lineCursor); i >= 0 && i < end; i = text.indexOf(lineChar, i + 1)) line++;
      lineCursor = end;
      const fields = result.data;
      // quote errors are reported before the row is counted, as the row they belong to
      if (result.errors.length > 0 && !quoteErrors(result.errors)) {
        parser.abort();
        return;
      }
      let empty = true;
      for (let c = 0; c < fields.length; c++) {
        const n = fields[c]!.length;
        if (n !== 0) {
          empty = false;
          if (n > maxCell) {
            cellTooLong(fields, c);
            parser.abort();
            return;
          }
        }
      }
      if (empty) {
        if (header !== null) pendingBlank++;
        return;
      }
      rowCount++;
      if ((rowCount & 0x7fff) === 0 && onProgress !== undefined) onProgress(result.meta.cursor, text.length);
      if (rowCount > maxRows) {
        failure = tooManyRows(maxRows);
        parser.abort();
        return;
      }
      if (header === null) {
        headerOrTitle(fields);
        return;
      }
      if (pendingBlank > 0) {
        blankInside += pendingBlank;
        pendingBlank = 0;
      }
      if (fields.length > header.length) extraCells(fields, header.length);
      rows.push(sink ? sink.row(fields, rows.length + 1) : fields);
      lines.push(rowLine);
    },
  });
  if (failure) throw failure;
  if (header === null) throw new FormatError('csv.no_header', 'The file has no header row: the first line must name the columns (e.g. Action, Amount, …).');
  const headerRow: string[] = header;

  if (skippedTitleRows > 0) {
    issues.push(rowsAboveHeaderIssue(skippedTitleRows));
  }
  if (blankInside > 0) {
    issues.push({ row: null, column: null, severity: 'warning', code: 'csv.blank_lines_skipped', message: `${formatCount(blankInside)} blank line${blankInside === 1 ? ' was' : 's were'} skipped.` });
  }
  if (ragged > 0) {
    issues.push({
      row: firstRagged,
      column: null,
      severity: 'warning',
      code: 'csv.extra_cells',
      message: `${formatCount(ragged)} row${ragged === 1 ? ' has' : 's have'} more cells than the header (first: data row ${firstRagged}); the extra cells are ignored. An unquoted ${DELIMITER_NAMES[delimiter]} inside a value is the usual cause.`,
    });
  }
  if (rows.length === 0) {
    issues.push({ row: null, column: null, severity: 'warning', code: 'csv.no_rows', message: 'The file has a header but no data rows.' });
  }

  // Messages never carry a full card number (a header cell can be one when the header row is missing).
  for (const issue of issues.items) issue.message = maskPans(issue.message);
  const omitted = issues.omitted();
  return { header: headerRow, rows, lines, source, issues: issues.items, ...(omitted.length > 0 ? { omitted } : {}) };
}
