/**
 * The record count made while a CSV file is read (to refuse an over-limit file early) must agree
 * with the parser exactly: the parser accepts a file with N records at maxRows = N and refuses it
 * at N - 1; the counter must say N, whole or fed in any chunks.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../shared/formats/csv';
import { checkRecordLimit, prescanCsvHead, RecordCounter } from '../../../shared/formats/csv/prescan';
import { formatError } from './helpers';

const enc = new TextEncoder();

/** Records as the parser counts them: the smallest maxRows it accepts. */
function parserRecords(bytes: Uint8Array): number {
  for (let max = 1; max < 100; max++) {
    try {
      parseCsv(bytes, { limits: { maxRows: max } });
      return max;
    } catch (e) {
      if ((e as { code?: string }).code !== 'csv.too_many_rows') throw e;
    }
  }
  throw new Error('no limit accepted');
}

/** The count of a counter set up from the whole text (as from a file's first MiB), fed in chunks. */
function counted(bytes: Uint8Array, chunk: number): number {
  const probe = prescanCsvHead(bytes)!;
  const counter = new RecordCounter(probe.delimiter, probe.skipped);
  for (let off = 0; off < bytes.length; off += chunk) counter.feed(bytes.subarray(off, off + chunk));
  return counter.count;
}

const CASES: Record<string, string> = {
  'plain LF': 'a,b\n1,2\n3,4\n',
  'CRLF, no final line break': 'a,b\r\n1,2\r\n3,4',
  'blank and delimiter-only lines': 'a,b\n\n,\n1,2\n\n , \n',
  'a quoted line break': 'a,b\n1,"x\ny"\n2,3',
  'escaped quotes and a line break': 'a,b\n1,"he said ""hi""\nthen"\n',
  'a stray quote inside an unquoted field': 'a,b\n1,x"y\n2,3\n',
  'a closing quote followed by text (the field goes on)': 'a,b\n1,"x"y\nz",2\n3,4\n',
  'spaces after a closing quote': 'a,b\n1,"x"  \n2,3\n',
  'a quote, a space and another quote': 'a,b\n1,"x" "y\nz"\n2,3\n',
  "Excel's sep= line": 'sep=;\na;b\n1;2\n',
  'BOM, then a blank line': '\ufeff\na,b\n1,2\n',
  'semicolons, a delimiter and a line break in quotes': 'a;b;c\n"1;x\n";2;3\n4;5;6\n',
  'mixed line endings': 'a,b\r\n1,2\n3,4\r5,6\r\n',
  'empty quoted fields make a blank record': 'a,b\n"",""\n1,2\n',
  'a CR inside quotes in an LF file': 'a,b\n1,"x\ry"\n2,3\n',
  'tab-separated with quotes': 'a\tb\n"1\t\n"\t2\n3\t4\n',
};

describe('RecordCounter agrees with the parser', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => {
      const bytes = enc.encode(text);
      const n = parserRecords(bytes);
      expect(counted(bytes, bytes.length)).toBe(n);
      expect(counted(bytes, 1)).toBe(n); // byte by byte: state carries across chunks
      expect(counted(bytes, 3)).toBe(n);
    });
  }

  it('limit: N records pass at maxRows = N and are refused at N - 1, with the parser\'s message', () => {
    const bytes = enc.encode('a,b\n1,"x\ny"\n\n2,3\n');
    const counter = prescanCsvHead(bytes)!;
    expect(counter.count).toBe(3);
    expect(() => checkRecordLimit(counter, 3)).not.toThrow();
    const err = formatError(() => checkRecordLimit(counter, 2));
    expect(err.code).toBe('csv.too_many_rows');
    expect(err.message).toBe(formatError(() => parseCsv(bytes, { limits: { maxRows: 2 } })).message);
  });

  it('binary content is refused from the first bytes; UTF-16 is left to the parser', () => {
    const zeros = new Uint8Array(4096);
    expect(formatError(() => prescanCsvHead(zeros)).code).toBe('csv.binary');
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'a,b\n1,2\n'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(prescanCsvHead(utf16)).toBeNull();
    expect(new RecordCounter(44).count).toBe(0);
  });
});
