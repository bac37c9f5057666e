import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../shared/formats/csv';
import { importTable, normalizeHeader } from '../../../shared/formats/import';
import { epay, jpmmps, sibs, wonder } from '../../../shared/formats/profiles';
import { validateRows } from '../../../shared/formats/validate';
import type { Cell, RawTable } from '../../../shared/formats/types';
import { assertNoPanInMessages, codes, ctx, fixture } from './helpers';

function table(header: string[], rows: Cell[][], decimalComma = false): RawTable {
  return { header, rows, source: { kind: 'xlsx', sheet: 'Sheet1', sheets: ['Sheet1'], decimalComma }, issues: [] };
}

describe('importTable header matching', () => {
  it('normalizes case, spaces and punctuation', () => {
    expect(normalizeHeader(' Original Transaction ID ')).toBe('originaltransactionid');
    expect(normalizeHeader('originalTransaction.id')).toBe('originaltransactionid');
    expect(normalizeHeader('original_transaction-id')).toBe('originaltransactionid');
  });

  it('accepts labels, human aliases and API field names, reports unknown columns as warnings', () => {
    const t = table(['ACTION', 'amount', 'token', 'Card number', 'exp_month', 'Expiry-Year', 'Notes', 'Colour'], [['payment', '10.00', 'tok_1', '', '', '', 'hi', 'red']]);
    const r = importTable(wonder, t, ctx());
    expect(r.mapping).toEqual([0, null, null, null, 1, 2, 3, 4, 5, null, 6]);
    expect(r.unknownColumns).toEqual(['Colour']);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'import.unknown_column', severity: 'warning', row: null })]);
    expect(r.rows).toEqual([['payment', '', '', '', '10.00', 'tok_1', '', '', '', '', 'hi']]);
  });

  it('missing required column → error (row null); missing Token ID and Card Number → error', () => {
    const r = importTable(wonder, table(['Reference Number'], [['x']]), ctx());
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.column, i.row])).toEqual([
      ['import.missing_column', 'Action', null],
      ['import.missing_column', 'Amount', null],
      ['import.missing_column', 'Token ID', null],
    ]);
  });

  it('a second column with the same meaning is ignored with a warning', () => {
    const r = importTable(epay, table(['subscriptionId', 'Subscription ID', 'amount', 'notificationUrl'], [['a', 'b', '1', 'u']]), ctx());
    expect(codes(r.issues)).toEqual(['import.duplicate_column']);
    expect(r.rows[0]![0]).toBe('a');
  });

  it('SIBS dotted API paths from a real file, with decimal commas converted', () => {
    const r = importTable(sibs, parseCsv(fixture('sibs-dotted-headers-pt.csv')), ctx());
    expect(r.unknownColumns).toEqual([]);
    expect(r.rows[0]!.slice(0, 3)).toEqual(['CARD-MIT-0001', '29.90', 'EUR']);
    expect(r.rows[0]![5]).toBe('2026-04-16T10:15:30.000Z');
    expect(codes(r.issues)).toContain('import.decimal_comma');
    expect(validateRows(sibs, r.rows, ctx()).filter((i) => i.severity === 'error')).toEqual([]);
  });
});

describe('importTable conversions', () => {
  it('German Excel CSV: decimal comma amounts become 1234.50, months get their zero back', () => {
    const r = importTable(wonder, parseCsv(fixture('wonder-excel-de-1252-semicolon.csv')), ctx());
    expect(r.rows.map((x) => x[4])).toEqual(['1234.50', '12.5', '10.00']);
    expect(r.rows[1]![7]).toBe('05');
    const month = r.issues.find((i) => i.code === 'import.leading_zero_restored')!;
    expect(month).toMatchObject({ row: 2, column: 'Expiry Month', severity: 'warning', fix: '05' });
    expect(codes(r.issues)).toEqual(expect.arrayContaining(['csv.encoding.windows_1252', 'import.decimal_comma']));
    expect(validateRows(wonder, r.rows, ctx())).toEqual([]);
  });

  it('scientific-notation card numbers from Excel are errors that do not echo the PAN', () => {
    const r = importTable(wonder, parseCsv(fixture('wonder-scientific-card.csv')), ctx());
    const sci = r.issues.filter((i) => i.code === 'import.excel_scientific');
    expect(sci).toHaveLength(1);
    expect(sci[0]).toMatchObject({ row: 1, column: 'Card Number', severity: 'error' });
    expect(sci[0]!.message).toMatch(/Text/);
    expect(r.rows[1]![6]).toBe('5555555555554444');
  });

  it('decimal-comma scientific text (4,11111E+15) too', () => {
    const r = importTable(jpmmps, table(['partnerReference', 'storedPaymentOptionReference', 'presentationAmount', 'presentationCurrCode'], [['4,11111E+15', 'spo', '1', 'EUR']]), ctx());
    expect(r.issues[0]).toMatchObject({ code: 'import.excel_scientific', column: 'partnerReference' });
  });

  it('numeric XLSX cells in ID/card columns are errors; the card is masked in the message', () => {
    const r = importTable(
      wonder,
      table(['Action', 'Amount', 'Card Number', 'Expiry Month', 'Expiry Year', 'Reference Number', 'CVC'], [['payment', 10, 4111111111111110, 5, 27, 1001, 12]]),
      ctx(),
    );
    const excel = r.issues.filter((i) => i.code === 'import.excel_number');
    expect(excel.map((i) => i.column)).toEqual(['Reference Number', 'Card Number', 'CVC']);
    expect(excel.every((i) => i.severity === 'error')).toBe(true);
    expect(excel[1]!.message).toContain('411111…1110');
    assertNoPanInMessages(r.issues);
    expect(r.rows[0]).toEqual(['payment', '1001', '', '', '10', '', '4111111111111110', '05', '27', '12', '']);
    expect(r.issues.find((i) => i.code === 'import.leading_zero_restored')).toMatchObject({ column: 'Expiry Month', fix: '05' });
  });

  it('XLSX numbers in amount columns: exact, no float artefacts, currency decimals per row', () => {
    const r = importTable(
      sibs,
      table(['merchantTransactionId', 'amount', 'currency'], [['a', 0.1 + 0.2, 'EUR'], ['b', 1.1 * 3, 'eur'], ['c', 0.1 + 0.7, 'KWD'], ['d', 29.9, 'EUR'], ['e', 1e21, 'EUR'], ['f', 1.0005, 'KWD']]),
      ctx(),
    );
    expect(r.rows.map((x) => x[1])).toEqual(['0.30', '3.30', '0.800', '29.9', '1000000000000000000000', '1.0005']);
  });

  it('XLSX numbers in ePay minor-unit amounts stay integers', () => {
    const r = importTable(epay, table(['subscriptionId', 'amount', 'notificationUrl'], [['s', 1095, 'https://x.example'], ['s', 1095.0000000000002, 'https://x.example']]), ctx());
    expect(r.rows.map((x) => x[1])).toEqual(['1095', '1095']);
  });

  it('booleans, nulls and whitespace', () => {
    const r = importTable(jpmmps, table(['partnerReference', 'useDifferentBillingAddress', 'custom1', 'localTime'], [['  p-1 ', true, null, 91506]]), ctx());
    expect(r.rows[0]![0]).toBe('p-1');
    expect(r.rows[0]![8]).toBe('true');
    expect(r.rows[0]![11]).toBe('');
    expect(r.rows[0]![10]).toBe('091506');
  });


  it('repeated short values (actions, months, years, currencies) keep their text when shared between rows', () => {
    const csv = [
      'Action,Amount,Card Number,Expiry Month,Expiry Year',
      'payment,1.00,4111111111111111,05,28',
      'payment,2.00,4111111111111111,05,28',
      'Payment,3.00,4111111111111111,1a,2028',
      'refund,4.00,4111111111111111, 5,x9',
    ].join('\n');
    const r = importTable(wonder, parseCsv(new TextEncoder().encode(csv)), ctx());
    const col = (i: number) => r.rows.map((row) => row[i]);
    expect(col(0)).toEqual(['payment', 'payment', 'Payment', 'refund']);
    expect(col(7)).toEqual(['05', '05', '1a', '05']);
    expect(col(8)).toEqual(['28', '28', '2028', 'x9']);
    const numbers = importTable(epay, table(['subscriptionId', 'amount', 'currency', 'instantCapture'], [['s', '1', 'EUR', 'OFF'], ['s', '2', 'EUR', 7]]), ctx());
    expect(numbers.rows.map((row) => [row[2], row[4]])).toEqual([
      ['EUR', 'OFF'],
      ['EUR', '7'],
    ]);
  });
  it('UTF-16 "Unicode text" file imports and validates clean', () => {
    const r = importTable(wonder, parseCsv(fixture('wonder-excel-unicode-text-utf16le.txt')), ctx());
    expect(r.issues).toEqual([]);
    expect(validateRows(wonder, r.rows, ctx())).toEqual([]);
  });

  it('UTF-8 BOM file: the void without original transaction is found by validation', () => {
    const r = importTable(wonder, parseCsv(fixture('wonder-excel-utf8-bom-crlf.csv')), ctx());
    expect(codes(validateRows(wonder, r.rows, ctx()))).toEqual(['wonder.original_transaction_id.required']);
  });
});
