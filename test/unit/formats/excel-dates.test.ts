import { describe, expect, it } from 'vitest';
import { excelSerialToDate, importAndValidate, importTable } from '../../../shared/formats';
import { jpmmps, sibs } from '../../../shared/formats/profiles';
import type { Cell, RawTable } from '../../../shared/formats/types';
import { ctx } from './helpers';

function xlsxTable(header: string[], rows: Cell[][]): RawTable {
  return { header, rows, source: { kind: 'xlsx', sheet: 'Sheet1', sheets: ['Sheet1'] }, issues: [] };
}

describe('excelSerialToDate (1900 date system)', () => {
  it('matches the dates Excel shows', () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(60)).toBeNull(); // Excel's 1900-02-29, which never existed
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(25569)).toBe('1970-01-01');
    expect(excelSerialToDate(36526)).toBe('2000-01-01');
    expect(excelSerialToDate(45658)).toBe('2025-01-01');
    expect(excelSerialToDate(46356)).toBe('2026-11-30');
    expect(excelSerialToDate(46356.75)).toBe('2026-11-30'); // time of day dropped
    expect(excelSerialToDate(2958465)).toBe('9999-12-31');
  });

  it('null for what is no Excel date', () => {
    for (const n of [0, -1, 0.5, 2958466, Number.NaN, Number.POSITIVE_INFINITY]) expect(excelSerialToDate(n)).toBeNull();
  });
});

describe('excelSerialToDate (1904 date system)', () => {
  it('counts days from 1904-01-01 with no leap-year bug', () => {
    expect(excelSerialToDate(0, true)).toBe('1904-01-01');
    expect(excelSerialToDate(59, true)).toBe('1904-02-29');
    expect(excelSerialToDate(60, true)).toBe('1904-03-01');
    expect(excelSerialToDate(44894, true)).toBe('2026-11-30'); // 46356 - 1462 in the 1900 system
    expect(excelSerialToDate(44894.5, true)).toBe('2026-11-30');
    expect(excelSerialToDate(2957003, true)).toBe('9999-12-31');
    for (const n of [-1, 2957004, Number.NaN]) expect(excelSerialToDate(n, true)).toBeNull();
  });
});

const JP_HEADER = ['partnerReference', 'storedPaymentOptionReference', 'presentationAmount', 'presentationCurrCode', 'localDate', 'localTime'];

describe('date cells Excel stored as numbers', () => {
  it('JPMMPS localDate typed as a date → yyyy-MM-dd with warning import.excel_date and the fix', () => {
    const t = xlsxTable(JP_HEADER, [
      ['P-1', 'spo-1', 3.99, 'EUR', 46356, '151506'],
      ['P-2', 'spo-2', 3.99, 'EUR', '2026-11-30', '151506'],
    ]);
    const r = importAndValidate(jpmmps, t, ctx());
    const dateCol = jpmmps.columns.findIndex((c) => c.key === 'localDate');
    expect(r.rows[0]![dateCol]).toBe('2026-11-30');
    expect(r.rows[1]![dateCol]).toBe('2026-11-30');
    expect(r.issues).toEqual([
      expect.objectContaining({ row: 1, column: 'localDate', severity: 'warning', code: 'import.excel_date', fix: '2026-11-30' }),
    ]);
    expect(r.issues[0]!.message).toContain('serial number 46356');
    expect(r.issues[0]!.message).toContain('read as 2026-11-30');
  });

  it('a serial that is no date stays as it was and fails validation as before', () => {
    const r = importAndValidate(jpmmps, xlsxTable(JP_HEADER, [['P-1', 'spo-1', 3.99, 'EUR', 60, '151506']]), ctx());
    expect(r.issues.map((i) => i.code)).toEqual(['jpmmps.local_date.format']);
  });

  it('SIBS datetime columns stored as numbers: error, format the column as Text and enter ISO 8601 exactly', () => {
    const header = ['merchantTransactionId', 'amount', 'currency', 'originalTransactionId', 'originalTransactionDatetime', 'mitType', 'amountQualifier', 'validityDate'];
    const r = importTable(sibs, xlsxTable(header, [['M-1', 29.9, 'EUR', 'tx1', 46128.4274305556, 'RCRR', 'ACTUAL', 46493]]), ctx());
    const excel = r.issues.filter((i) => i.code === 'import.excel_datetime');
    expect(excel.map((i) => [i.column, i.severity])).toEqual([
      ['originalTransactionDatetime', 'error'],
      ['validityDate', 'error'],
    ]);
    expect(excel[0]!.message).toContain('Format the originalTransactionDatetime column as Text and enter the ISO 8601 value exactly');
    expect(excel[0]!.message).toContain('no time zone and no milliseconds');
    expect(excel.every((i) => i.fix === undefined)).toBe(true);
  });

  it('text dates are untouched (CSV cells are always strings)', () => {
    const r = importTable(jpmmps, xlsxTable(JP_HEADER, [['P-1', 'spo-1', '3.99', 'EUR', '46356', '151506']]), ctx());
    expect(r.issues).toEqual([]);
    expect(r.rows[0]![jpmmps.columns.findIndex((c) => c.key === 'localDate')]).toBe('46356');
  });
});
