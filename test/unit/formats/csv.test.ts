import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../shared/formats/csv';
import { declaredSeparator, mixedLineEndings } from '../../../shared/formats/csv/parse';
import { decodeText, decodeWindows1252, utf8Census } from '../../../shared/formats/csv/encoding';
import { wonder } from '../../../shared/formats/profiles/wonder';
import { fixture, formatError } from './helpers';

const WONDER_HEADER = wonder.columns.map((c) => c.label);
const enc = new TextEncoder();


describe('parseCsv on real exports', () => {
  it('Excel German "CSV": semicolon, Windows-1252, decimal comma, CRLF', () => {
    const t = parseCsv(fixture('wonder-excel-de-1252-semicolon.csv'));
    expect(t.source).toMatchObject({ kind: 'csv', encoding: 'windows-1252', delimiter: ';', lineEnding: '\r\n', decimalComma: true });
    expect(t.header).toEqual(WONDER_HEADER);
    expect(t.rows).toHaveLength(3);
    expect(t.rows[0]![4]).toBe('1.234,50');
    expect(t.rows[0]![10]).toBe('Jahresabo Müller €');
    expect(t.rows[1]![10]).toBe('Größe L');
    expect(t.issues.map((i) => i.code)).toContain('csv.encoding.windows_1252');
  });

  it('Excel "Unicode text": UTF-16LE with BOM, tab separated', () => {
    const t = parseCsv(fixture('wonder-excel-unicode-text-utf16le.txt'));
    expect(t.source).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', lineEnding: '\r\n', decimalComma: false });
    expect(t.header).toEqual(WONDER_HEADER);
    expect(t.rows[0]![5]).toBe('tok_東京');
    expect(t.rows[0]![10]).toBe('日本語のメモ');
    expect(t.rows[1]![6]).toBe('5555555555554444');
    expect(t.issues).toEqual([]);
  });

  it('Excel "CSV UTF-8": BOM stripped, CRLF, comma', () => {
    const t = parseCsv(fixture('wonder-excel-utf8-bom-crlf.csv'));
    expect(t.source).toMatchObject({ encoding: 'utf-8-bom', delimiter: ',', lineEnding: '\r\n' });
    expect(t.header[0]).toBe('Action');
    expect(t.rows).toHaveLength(2);
  });

  it('pipe delimited, LF, quoted JSON with doubled quotes', () => {
    const t = parseCsv(fixture('epay-pipe-lf.csv'));
    expect(t.source).toMatchObject({ encoding: 'utf-8', delimiter: '|', lineEnding: '\n' });
    expect(t.rows[0]![7]).toBe('{"customer":"42"}');
    expect(t.rows[1]![2]).toBe('');
  });

  it('quoted multi-line cells and embedded quotes', () => {
    const t = parseCsv(fixture('wonder-quoted-multiline.csv'));
    expect(t.rows).toHaveLength(2);
    expect(t.rows[0]![10]).toBe('Line one\nLine two, with comma');
    expect(t.rows[1]![10]).toBe('He said "hello"');
  });

  it('UTF-16LE without BOM, recognised by its NUL bytes', () => {
    const t = parseCsv(fixture('wonder-utf16le-nobom.csv'));
    expect(t.source.encoding).toBe('utf-16le');
    expect(t.header).toEqual(WONDER_HEADER);
    expect(t.issues.map((i) => i.code)).toContain('csv.encoding.utf16_without_bom');
  });

  it('UTF-16BE with BOM', () => {
    const text = 'Action,Amount\r\npayment,10.00\r\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes[0] = 0xfe;
    bytes[1] = 0xff;
    for (let i = 0; i < text.length; i++) {
      bytes[2 + i * 2] = text.charCodeAt(i) >> 8;
      bytes[3 + i * 2] = text.charCodeAt(i) & 0xff;
    }
    const t = parseCsv(bytes);
    expect(t.source.encoding).toBe('utf-16be');
    expect(t.rows).toEqual([['payment', '10.00']]);
  });

  it('SIBS Portuguese Excel export with dotted API headers', () => {
    const t = parseCsv(fixture('sibs-dotted-headers-pt.csv'));
    expect(t.source).toMatchObject({ delimiter: ';', encoding: 'windows-1252', decimalComma: true });
    expect(t.rows[0]![3]).toBe('Subscrição mensal');
  });
});

describe('parseCsv detection details', () => {
  it('Windows-1252 table covers 0x80–0x9F', () => {
    expect(decodeWindows1252(new Uint8Array([0x80, 0x8a, 0x93, 0x94, 0x99, 0x9f, 0xe9, 0x41]))).toBe('€Š“”™Ÿé' + 'A');
  });

  it('delimiter by consistency, ignoring delimiters inside quotes', () => {
    const t = parseCsv(enc.encode('a;b;c\n"x,y,z";2;3\n"1,2";5;6\n'));
    expect(t.source.delimiter).toBe(';');
    expect(t.rows[0]).toEqual(['x,y,z', '2', '3']);
  });

  it('comma files with decimal points are not decimal-comma', () => {
    const t = parseCsv(enc.encode('Action;Amount\npayment;10.50\n'));
    expect(t.source.decimalComma).toBe(false);
  });

  it('CR-only line endings (old Mac Excel)', () => {
    const t = parseCsv(enc.encode('a,b\r1,2\r3,4\r'));
    expect(t.source.lineEnding).toBe('\r');
    expect(t.rows).toEqual([['1', '2'], ['3', '4']]);
  });

  it('mixed line endings: the brief\'s example keeps both rows apart', () => {
    const t = parseCsv(enc.encode('Action,Amount,Token ID\r\npayment,10,t1\npayment,11,t2\n'));
    expect(t.rows).toEqual([
      ['payment', '10', 't1'],
      ['payment', '11', 't2'],
    ]);
  });

  it('mixed line endings: CRLF export with 40 LF rows appended → every row, no merged cells', () => {
    const t = parseCsv(fixture('wonder-crlf-then-lf-appended.csv'));
    expect(t.header).toEqual(WONDER_HEADER);
    expect(t.rows).toHaveLength(42);
    expect(t.source.lineEnding).toBe('\n'); // 40 LF vs 3 CRLF: the dominant one
    expect(t.rows[0]![5]).toBe('tok_crlf_1');
    expect(t.rows[1]![5]).toBe('tok_crlf_2');
    expect(t.rows[1]![10]).toBe('second');
    for (let i = 0; i < 40; i++) {
      expect(t.rows[2 + i]).toEqual(['payment', `INV-${9100 + i}`, '', '', `${20 + i}.00`, `tok_lf_${i}`, '', '', '', '', `appended ${i}`]);
    }
    for (const row of t.rows) for (const cell of row) expect(String(cell)).not.toMatch(/[\r\n]/);
    expect(t.issues).toEqual([]);
  });

  it('mixed line endings after the sniffed lines (LF rows 31+), and a stray bare CR', () => {
    const lines = ['a,b'];
    for (let i = 1; i <= 35; i++) lines.push(`${i},x${i}`);
    const text = lines.slice(0, 32).join('\r\n') + '\r\n' + lines.slice(32).join('\n') + '\r36,x36\r\n';
    const t = parseCsv(enc.encode(text));
    expect(t.source.lineEnding).toBe('\r\n');
    expect(t.rows).toHaveLength(36);
    expect(t.rows[34]).toEqual(['35', 'x35']);
    expect(t.rows[35]).toEqual(['36', 'x36']);
  });

  it('mixed line endings: a quoted CRLF inside a cell becomes LF (accepted), cells stay intact', () => {
    const t = parseCsv(enc.encode('a,b\r\n1,"two\r\nlines"\n3,4\n'));
    expect(t.rows).toEqual([
      ['1', 'two\nlines'],
      ['3', '4'],
    ]);
  });

  it('pure CRLF and pure LF files are not flagged as mixed', () => {
    expect(mixedLineEndings('a,b\r\n1,2\r\n', '\r\n')).toBeNull();
    expect(mixedLineEndings('a,b\n1,2\n', '\n')).toBeNull();
    expect(mixedLineEndings('a,b\r1,2\r', '\r')).toBeNull();
    expect(mixedLineEndings('a,b\r\n1,2\n3,4\n', '\r\n')).toBe('\n');
    expect(mixedLineEndings('a,b\r\n1,2\r\n3,4\n', '\r\n')).toBe('\r\n');
    expect(mixedLineEndings('a,b\r1,2\r\n', '\r')).toBe('\r\n');
    const t = parseCsv(fixture('wonder-excel-utf8-bom-crlf.csv'));
    expect(t.source.lineEnding).toBe('\r\n');
  });

  it('Excel "sep=;" first line: honoured as the delimiter and skipped', () => {
    // semicolon declared, but the data would sniff as comma (more commas than semicolons per line)
    const t = parseCsv(enc.encode('sep=;\r\nAction;Amount;Remark\r\npayment;10,50;a,b,c\r\nrefund;1,00;d,e,f\r\n'));
    expect(t.source.delimiter).toBe(';');
    expect(t.source.lineEnding).toBe('\r\n');
    expect(t.header).toEqual(['Action', 'Amount', 'Remark']);
    expect(t.rows).toEqual([
      ['payment', '10,50', 'a,b,c'],
      ['refund', '1,00', 'd,e,f'],
    ]);
    expect(t.issues).toEqual([]);
  });

  it('"sep=;" fixture: Wonder header read, Remark commas stay in their cells', () => {
    const t = parseCsv(fixture('wonder-excel-sep-line.csv'));
    expect(t.source.delimiter).toBe(';');
    expect(t.header).toEqual(WONDER_HEADER);
    expect(t.rows.map((r) => r[10])).toEqual(['a, b, c, d', 'e, f, g, h']);
    expect(t.issues).toEqual([]);
  });

  it('"sep=" variants: comma, tab, pipe, quoted, LF, upper case; other text is no declaration', () => {
    expect(parseCsv(enc.encode('sep=,\na;b,c\n1;2,3\n')).header).toEqual(['a;b', 'c']);
    expect(parseCsv(enc.encode('\ufeffSEP=|\na|b\n1|2\n')).rows).toEqual([['1', '2']]);
    expect(parseCsv(enc.encode('"sep=\t"\r\na\tb\r\n1\t2\r\n')).source.delimiter).toBe('\t');
    expect(declaredSeparator('sep=;')).toEqual({ delimiter: ';', skip: 5 });
    expect(declaredSeparator('sep=:\n')).toBeNull();
    expect(declaredSeparator('sep=;x\n')).toBeNull();
    expect(declaredSeparator('separator,b\n')).toBeNull();
    expect(declaredSeparator('Action,Amount\n')).toBeNull();
  });

  it('skips blank lines and reports interior ones; reports extra cells', () => {
    const t = parseCsv(enc.encode('\na,b\n1,2\n\n3,4,5\n\n'));
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([['1', '2'], ['3', '4', '5']]);
    expect(t.issues.map((i) => i.code)).toEqual(['csv.blank_lines_skipped', 'csv.extra_cells']);
  });

  it('header only → warning, not an error', () => {
    const t = parseCsv(enc.encode('Action,Amount\r\n'));
    expect(t.rows).toEqual([]);
    expect(t.issues.map((i) => i.code)).toEqual(['csv.no_rows']);
  });
});

describe('parseCsv guards', () => {
  it('empty file', () => {
    expect(formatError(() => parseCsv(new Uint8Array(0))).code).toBe('csv.empty');
  });

  it('no header (only blank lines)', () => {
    expect(formatError(() => parseCsv(enc.encode('\r\n\r\n,,\r\n'))).code).toBe('csv.no_header');
  });

  it('byte size limit, configurable', () => {
    const e = formatError(() => parseCsv(enc.encode('a,b\n1,2\n'), { limits: { maxBytes: 4 } }));
    expect(e.code).toBe('csv.too_large');
    expect(e.message).toContain('limit');
  });

  it('row limit (header included)', () => {
    const e = formatError(() => parseCsv(enc.encode('a\n1\n2\n3\n'), { limits: { maxRows: 3 } }));
    expect(e.code).toBe('csv.too_many_rows');
    expect(parseCsv(enc.encode('a\n1\n2\n'), { limits: { maxRows: 3 } }).rows).toHaveLength(2);
  });

  it('default row limit is Excel’s 1,048,576', () => {
    const e = formatError(() => parseCsv(enc.encode('a\n' + '1\n'.repeat(1_048_576))));
    expect(e.code).toBe('csv.too_many_rows');
  });

  it('cell over 32,767 characters names row and column', () => {
    const e = formatError(() => parseCsv(enc.encode(`Action,Remark\npayment,ok\npayment,"${'x'.repeat(32_768)}"\n`)));
    expect(e.code).toBe('csv.cell_too_long');
    expect(e.message).toContain('data row 2');
    expect(e.message).toContain('"Remark" (column B)');
  });

  it('unclosed quote', () => {
    expect(formatError(() => parseCsv(enc.encode('a,b\n1,"oops\n2,3\n'))).code).toBe('csv.unclosed_quote');
  });

  it('an .xlsx renamed .csv and binary junk', () => {
    expect(formatError(() => parseCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).code).toBe('csv.not_csv');
    expect(formatError(() => parseCsv(new Uint8Array([1, 2, 3, 0, 0, 7, 8, 0, 5, 6, 0, 1]))).code).toBe('csv.binary');
  });
});

describe('utf8Census (per file: damaged UTF-8 or Windows-1252)', () => {
  it('counts valid multi-byte sequences and invalid bytes; overlong, surrogate and truncated forms are invalid', () => {
    const b = (...xs: number[]) => Uint8Array.from(xs);
    expect(utf8Census(b(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80))).toEqual({ valid: 3, invalid: 0 });
    expect(utf8Census(b(0xe9, 0x20, 0xff))).toEqual({ valid: 0, invalid: 2 });
    expect(utf8Census(b(0xc0, 0x80))).toEqual({ valid: 0, invalid: 2 }); // overlong NUL
    expect(utf8Census(b(0xed, 0xa0, 0x80))).toEqual({ valid: 0, invalid: 3 }); // a surrogate
    expect(utf8Census(b(0xe2, 0x82))).toEqual({ valid: 0, invalid: 2 }); // truncated at the end
  });

  it('decodeText: as many valid sequences as invalid bytes is UTF-8 with damage; one fewer is Windows-1252', () => {
    const damaged = decodeText(Uint8Array.from([0x61, 0xc3, 0xa9, 0xe9]));
    expect([damaged.encoding, damaged.invalidSequences, damaged.text]).toEqual(['utf-8', 1, 'aé\ufffd']);
    const cp1252 = decodeText(Uint8Array.from([0x61, 0xc3, 0xa9, 0xe9, 0xe9]));
    expect([cp1252.encoding, cp1252.invalidSequences, cp1252.text]).toEqual(['windows-1252', 0, 'aÃ©éé']);
  });
});

describe('decodeText: text that cannot be one string', () => {
  const ascii = enc.encode('a'.repeat(100));
  it('at most maxUnits characters decode; one more is csv.too_large with a message saying what to do (UTF-8, with BOM, Windows-1252)', () => {
    expect(decodeText(ascii, 100).text).toHaveLength(100);
    const e = formatError(() => decodeText(ascii, 99));
    expect(e.code).toBe('csv.too_large');
    expect(e.message).toBe('The file holds 100 characters of text; at most 99 can be read at once. Split it into smaller files.');
    // multi-byte UTF-8 counts characters, not bytes: 50 × "é" is 100 bytes, 50 characters
    expect(decodeText(enc.encode('é'.repeat(50)), 50).text).toHaveLength(50);
    expect(formatError(() => decodeText(enc.encode('é'.repeat(50)), 49)).code).toBe('csv.too_large');
    const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...ascii]);
    expect(decodeText(bom, 100).text).toHaveLength(100);
    expect(formatError(() => decodeText(bom, 99)).code).toBe('csv.too_large');
    const cp1252 = Uint8Array.from([...ascii.subarray(1), 0xe9]);
    expect(decodeText(cp1252, 100).encoding).toBe('windows-1252');
    expect(formatError(() => decodeText(cp1252, 99)).code).toBe('csv.too_large');
  });
});
