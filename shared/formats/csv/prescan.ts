/**
 * Checks made on a CSV file's bytes while it is still being read, so that a file that will be
 * refused costs no more than the bytes read so far: binary content is recognised from the first
 * chunk, and records are counted chunk by chunk against the row limit, with the parser's own rules
 * (papaparse: a quote opens a quoted field only at the start of a field; inside one, `""` is a quote
 * and a quote closes the field only before the delimiter or a line break, spaces allowed between;
 * blank records do not count; CR, LF and CRLF all end a record, as after parseCsv's line-ending
 * normalisation).
 */
import { FormatError } from '../errors';
import { decodeText } from './encoding';
import { declaredSeparator, looksBinary, sniffDelimiter, tooManyRows } from './parse';

/** Bytes read before anything is decided: enough for the delimiter sniff (256K characters). */
export const CSV_HEAD_BYTES = 1 << 20;

const BOM = [0xef, 0xbb, 0xbf];

const enum S {
  FieldStart,
  Unquoted,
  Quoted,
  /** a quote inside a quoted field: an escaped quote, the end of the field, or a stray quote */
  QuoteInQuoted,
  /** spaces after such a quote */
  SpacesAfterQuote,
}

/** Counts non-blank records in UTF-8 / Windows-1252 bytes fed in chunks (ASCII structure only). */
export class RecordCounter {
  records = 0;
  private state = S.FieldStart;
  private content = false;
  /** UTF-8 BOM bytes matched at the start of the file so far; -1 once past it (or none). */
  private bom = 0;

  constructor(
    readonly delimiter: number,
    /** Records the parser never sees (Excel's `sep=` line). */
    readonly skipped = 0,
  ) {}

  /** Non-blank records so far, as the parser counts them (header and title rows included). */
  get count(): number {
    return Math.max(0, this.records + (this.content ? 1 : 0) - this.skipped);
  }

  feed(bytes: Uint8Array): void {
    const d = this.delimiter;
    let i = 0;
    let state = this.state;
    let content = this.content;
    // a BOM is not content (the decoder drops it), even when it arrives split over chunks
    while (this.bom >= 0 && i < bytes.length) {
      if (this.bom === 3) this.bom = -1;
      else if (bytes[i] === BOM[this.bom]) {
        this.bom++;
        i++;
      } else {
        if (this.bom > 0) {
          content = true; // the start of a BOM that is not one: text
          state = S.Unquoted;
        }
        this.bom = -1;
      }
    }
    let records = this.records;
    const n = bytes.length;
    for (; i < n; i++) {
      const b = bytes[i]!;
      switch (state) {
        case S.FieldStart:
          if (b === 34) state = S.Quoted;
          else if (b === d) break;
          else if (b === 10 || b === 13) {
            if (content) records++;
            content = false;
          } else {
            content = true;
            state = S.Unquoted;
          }
          break;
        case S.Unquoted: {
          // the common case: run to the end of the field in a tight loop
          let c = b;
          while (c !== d && c !== 10 && c !== 13 && ++i < n) c = bytes[i]!;
          if (i === n) break;
          if (c === d) state = S.FieldStart;
          else {
            records++;
            content = false;
            state = S.FieldStart;
          }
          break;
        }
        case S.Quoted: {
          if (b === 34) {
            state = S.QuoteInQuoted;
            break;
          }
          content = true;
          const q = bytes.indexOf(34, i + 1);
          if (q < 0) i = n;
          else {
            i = q;
            state = S.QuoteInQuoted;
          }
          break;
        }
        case S.QuoteInQuoted:
          if (b === 34) {
            content = true; // "" is a quote
            state = S.Quoted;
          } else if (b === 32) state = S.SpacesAfterQuote;
          else if (b === d) state = S.FieldStart;
          else if (b === 10 || b === 13) {
            if (content) records++;
            content = false;
            state = S.FieldStart;
          } else {
            content = true; // a stray quote: the field goes on
            state = S.Quoted;
          }
          break;
        case S.SpacesAfterQuote:
          if (b === 32) break;
          if (b === d) state = S.FieldStart;
          else if (b === 10 || b === 13) {
            if (content) records++;
            content = false;
            state = S.FieldStart;
          } else {
            content = true;
            state = b === 34 ? S.QuoteInQuoted : S.Quoted;
          }
          break;
      }
    }
    this.state = state;
    this.content = content;
    this.records = records;
  }
}

/**
 * The first bytes of a CSV file (`head`; `complete` when that is the whole file): throws csv.binary
 * for content that is not text, and returns a counter for the records of the whole file (fed with
 * `head` already), or null when the bytes are UTF-16 (counted by the parser instead).
 */
export function prescanCsvHead(head: Uint8Array): RecordCounter | null {
  const decoded = decodeText(head);
  let text = decoded.text;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (looksBinary(text)) {
    throw new FormatError('csv.binary', 'The file does not contain readable text. Check that it is a CSV export (e.g. "CSV UTF-8" from Excel).');
  }
  if (decoded.encoding === 'utf-16le' || decoded.encoding === 'utf-16be') return null;
  const declared = declaredSeparator(text);
  // the same decision parseCsv makes on the whole text (the sniff reads at most its first 256K characters)
  const delimiter = declared !== null ? declared.delimiter : sniffDelimiter(text).delimiter;
  const counter = new RecordCounter(delimiter.charCodeAt(0), declared !== null ? 1 : 0);
  counter.feed(head);
  return counter;
}

/** Throws csv.too_many_rows once `counter` has seen more records than `maxRows`. */
export function checkRecordLimit(counter: RecordCounter, maxRows: number): void {
  if (counter.count > maxRows) throw tooManyRows(maxRows);
}
