/**
 * The Wonder CSV writer cell by cell: formula neutralising and quoting on the fast whole-row path as
 * on the per-cell path, trimming, card data masking (the CVC is emptied on every row, also a token
 * row without a card number), short and long rows, and chunking.
 */
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { csvCell, maskSensitiveRow, wonderCsvChunks } from '../../../shared/formats/export';
import { wonder } from '../../../shared/formats/profiles';
import { maskPanForExport } from '../../../shared/formats/profiles/common';
import { rowOf } from './helpers';

const HEADER = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark';
const token = (over: Record<string, string> = {}) => rowOf(wonder, { Action: 'payment', 'Reference Number': 'INV-1', Amount: '10.00', 'Token ID': 'tok_1', ...over });
const csv = (rows: readonly (readonly string[])[], opts = {}) => [...wonderCsvChunks(rows, opts)].join('');
/** The data lines of an export (header and the final empty line dropped). */
const lines = (rows: readonly (readonly string[])[], opts = {}) => csv(rows, opts).split('\r\n').slice(1, -1);

describe('csvCell', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['-', "'-"],
    ['@SUM(A1)', "'@SUM(A1)"],
    [' =1', "'=1"], // trimmed first, then neutralised
    ['\t=1', "'=1"],
    ['\r=1', "'=1"],
    ['10.00', '10.00'],
    ['a-b', 'a-b'],
    ['a=b', 'a=b'],
    ['x@y', 'x@y'],
    ['  7.50 ', '7.50'],
    ['\u00a0x\u00a0', 'x'],
    ['\u202fx\u202f', 'x'],
    ['\ufeffx', 'x'],
    ['   ', ''],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['a\nb', '"a\nb"'],
    ['a\rb', '"a\rb"'],
    ['=a,b', `"'=a,b"`],
    ['=1,', `"'=1,"`], // the quoting check covers the last character after the prefix
    ['-"', `"'-"""`],
    ['@\n1', `"'@\n1"`],
  ])('%j → %j', (cell, expected) => {
    expect(csvCell(cell)).toBe(expected);
  });

  it('writes nothing for a missing cell', () => {
    expect(csvCell(undefined)).toBe('');
  });
});

describe('wonderCsvChunks: every row path neutralises and quotes', () => {
  it.each(['-2+3', '=1+2', '+1', '@SUM(A1)', '-'])('a Remark starting with %j on an otherwise plain row', (remark) => {
    expect(lines([token({ Remark: remark })])).toEqual([`payment,INV-1,,,10.00,tok_1,,,,,'${remark}`]);
  });

  it.each(['Reference Number', 'Token ID', 'Original Transaction ID', 'Customer UUID'])('a %s starting with "-" or "=" is neutralised too', (col) => {
    expect(lines([token({ [col]: '-1' })])[0]).toContain(",'-1");
    expect(lines([token({ [col]: '=1' })])[0]).toContain(",'=1");
  });

  it('the first cell of a row is neutralised as well', () => {
    expect(lines([token({ Action: '=payment' })])[0]).toBe("'=payment,INV-1,,,10.00,tok_1,,,,,");
    expect(lines([token({ Action: '-payment' })])[0]).toBe("'-payment,INV-1,,,10.00,tok_1,,,,,");
    expect(lines([token({ Action: '@payment' })])[0]).toBe("'@payment,INV-1,,,10.00,tok_1,,,,,");
    expect(lines([token({ Action: '+payment' })])[0]).toBe("'+payment,INV-1,,,10.00,tok_1,,,,,");
  });

  it.each([
    ['  note', 'note'],
    ['note  ', 'note'],
    ['\tnote', 'note'],
    ['note\t', 'note'],
    ['\u00a0note', 'note'],
    ['note\u00a0', 'note'],
    ['\u202fnote', 'note'],
    ['note\u202f', 'note'],
    ['\ufeffnote', 'note'],
    ['note\ufeff', 'note'],
    ['\rnote', 'note'],
    ['note\n', 'note'],
  ])('a Remark %j is trimmed to %j on export, as validation ignores the spaces', (remark, expected) => {
    expect(lines([token({ Remark: remark })])).toEqual([`payment,INV-1,,,10.00,tok_1,,,,,${expected}`]);
  });

  it.each([
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['bare\rCR', '"bare\rCR"'],
  ])('a Remark %j is quoted per RFC 4180', (remark, expected) => {
    const text = csv([token({ Remark: remark })]);
    expect(text).toBe(`${HEADER}\r\npayment,INV-1,,,10.00,tok_1,,,,,${expected}\r\n`);
    expect(Papa.parse<string[]>(text, { newline: '\r\n' }).data[1]![10]).toBe(remark);
  });

  it('a plain row is written as it is', () => {
    expect(lines([token({ Remark: 'May renewal – 50% off' })])).toEqual(['payment,INV-1,,,10.00,tok_1,,,,,May renewal – 50% off']);
  });

  it('a row shorter than the columns gets empty cells; a longer one is cut to the columns', () => {
    expect(lines([['payment', 'INV-1', '', '', '10.00', 'tok_1']])).toEqual(['payment,INV-1,,,10.00,tok_1,,,,,']);
    expect(lines([[...token({ Remark: 'r' }), 'extra', '=evil']])).toEqual(['payment,INV-1,,,10.00,tok_1,,,,,r']);
  });
});

describe('wonderCsvChunks: card data', () => {
  const card = (over: Record<string, string> = {}) =>
    rowOf(wonder, { Action: 'payment', Amount: '12.00', 'Card Number': '4111111111111111', 'Expiry Month': '05', 'Expiry Year': '27', CVC: '123', ...over });

  it('masks the card number and empties the CVC by default', () => {
    expect(lines([card()])).toEqual(['payment,,,,12.00,,411111******1111,05,27,,']);
    expect(lines([card()], { includeFullCardNumbers: false })).toEqual(['payment,,,,12.00,,411111******1111,05,27,,']);
  });

  it('empties the CVC of a token row that has no card number', () => {
    const row = token({ CVC: '123', 'Expiry Month': '05' });
    expect(lines([row])).toEqual(['payment,INV-1,,,10.00,tok_1,,05,,,']);
    expect(csv([row])).not.toContain('123');
  });

  it('masks a card number on a row without a CVC', () => {
    expect(lines([card({ CVC: '' })])).toEqual(['payment,,,,12.00,,411111******1111,05,27,,']);
  });

  it('a row without card data keeps its other cells exactly, also after a masked row', () => {
    expect(lines([card({ Remark: 'first' }), token({ Remark: 'second' })])).toEqual(['payment,,,,12.00,,411111******1111,05,27,,first', 'payment,INV-1,,,10.00,tok_1,,,,,second']);
  });

  it('masks a 12-digit and a 19-digit card number, keeping their length', () => {
    expect(lines([card({ 'Card Number': '411111111113' })])[0]).toContain(',411111**1113,');
    expect(lines([card({ 'Card Number': '4111111111111111113' })])[0]).toContain(',411111*********1113,');
  });

  it('a masked row still neutralises and quotes its other cells', () => {
    expect(lines([card({ Remark: '-1, "x"' })])).toEqual([`payment,,,,12.00,,411111******1111,05,27,,"'-1, ""x"""`]);
  });

  it('writes full card numbers and CVCs only when asked', () => {
    expect(lines([card(), token({ CVC: '999' })], { includeFullCardNumbers: true })).toEqual(['payment,,,,12.00,,4111111111111111,05,27,123,', 'payment,INV-1,,,10.00,tok_1,,,,999,']);
  });

  it('never leaves the original row changed', () => {
    const row = card();
    const before = [...row];
    csv([row]);
    expect(row).toEqual(before);
  });
});

describe('wonderCsvChunks: chunks', () => {
  const rows = Array.from({ length: 5 }, (_, i) => token({ 'Reference Number': `R${i}` }));

  it('cuts after chunkRows lines (the header is the first line), each chunk ending with CRLF', () => {
    const chunks = [...wonderCsvChunks(rows, { chunkRows: 2 })];
    expect(chunks).toEqual([
      `${HEADER}\r\npayment,R0,,,10.00,tok_1,,,,,\r\n`,
      'payment,R1,,,10.00,tok_1,,,,,\r\npayment,R2,,,10.00,tok_1,,,,,\r\n',
      'payment,R3,,,10.00,tok_1,,,,,\r\npayment,R4,,,10.00,tok_1,,,,,\r\n',
    ]);
  });

  it('a chunk size below one is one line per chunk; the default keeps small exports in one chunk', () => {
    expect([...wonderCsvChunks(rows.slice(0, 2), { chunkRows: 0 })]).toEqual([`${HEADER}\r\npayment,R0,,,10.00,tok_1,,,,,\r\n`, 'payment,R1,,,10.00,tok_1,,,,,\r\n']);
    expect([...wonderCsvChunks(rows.slice(0, 2), { chunkRows: -5 })]).toHaveLength(2);
    expect([...wonderCsvChunks(rows)]).toHaveLength(1);
    expect([...wonderCsvChunks(Array.from({ length: 4095 }, () => rows[0]!))]).toHaveLength(1);
    expect([...wonderCsvChunks(Array.from({ length: 4096 }, () => rows[0]!))]).toHaveLength(2);
  });

  it('an empty batch is the header line alone', () => {
    expect([...wonderCsvChunks([])]).toEqual([`${HEADER}\r\n`]);
  });
});

describe('masking helpers', () => {
  it.each([
    ['4111111111111111', '411111******1111'],
    ['411111111113', '411111**1113'],
    ['12345678901', '123456*8901'],
    ['1234567890', '**********'],
    ['123', '***'],
    ['  4111111111111111 ', '411111******1111'],
    ['   ', ''],
    ['', ''],
  ])('maskPanForExport(%j) → %j', (pan, expected) => {
    expect(maskPanForExport(pan)).toBe(expected);
  });

  it('maskSensitiveRow masks the card number, empties the CVC and copies the rest', () => {
    const row = rowOf(wonder, { Action: 'payment', Amount: '1.00', 'Token ID': 't', 'Card Number': '4111111111111111', CVC: '123', Remark: 'r' });
    const copy = maskSensitiveRow(wonder.columns, row);
    expect(copy).toEqual(rowOf(wonder, { Action: 'payment', Amount: '1.00', 'Token ID': 't', 'Card Number': '411111******1111', CVC: '', Remark: 'r' }));
    expect(row[6]).toBe('4111111111111111');
    expect(maskSensitiveRow(wonder.columns, token({ CVC: '999' }))[9]).toBe('');
    expect(maskSensitiveRow(wonder.columns, token())).toEqual(token());
    expect(maskSensitiveRow(wonder.columns, ['payment'])).toEqual(['payment']);
  });
});
