import { describe, expect, it } from 'vitest';
import {
  CURRENCY_CODES,
  currencyExponent,
  formatMinor,
  isCurrencyCode,
  numberToPlainString,
  parseAmount,
  spreadsheetNumberToAmount,
} from '../../../shared/formats/money';

describe('ISO 4217 exponents', () => {
  it.each([
    ['JPY', 0], ['KRW', 0], ['VND', 0], ['CLP', 0], ['ISK', 0], ['XOF', 0], ['UGX', 0],
    ['EUR', 2], ['USD', 2], ['HKD', 2], ['DKK', 2],
    ['BHD', 3], ['KWD', 3], ['OMR', 3], ['JOD', 3], ['TND', 3], ['LYD', 3], ['IQD', 3],
    ['CLF', 4], ['UYW', 4],
  ])('%s → %i', (code, exp) => {
    expect(currencyExponent(code)).toBe(exp);
  });

  it('knows all active codes and rejects others', () => {
    expect(CURRENCY_CODES.length).toBeGreaterThan(150);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('XXX')).toBe(false); // no minor unit, not chargeable
    expect(isCurrencyCode('HRK')).toBe(false); // withdrawn 2023
    expect(currencyExponent('ABC')).toBeUndefined();
    expect(currencyExponent('toString')).toBeUndefined();
  });
});

describe('parseAmount', () => {
  const eur = { exponent: 2, unit: 'major' as const };
  it.each([
    ['10', 1000], ['10.5', 1050], ['10.50', 1050], ['0.01', 1], [' 7.25 ', 725],
    ['1,234.50', 123450], ['1 234.50', 123450], ["1'234.50", 123450],
    ['90071992547409.91', 9007199254740991],
  ])('major EUR %j → %i', (text, minor) => {
    expect(parseAmount(text, eur)).toEqual({ ok: true, minor });
  });

  it('decimal comma and auto detection', () => {
    expect(parseAmount('1.234,50', { ...eur, decimal: ',' })).toEqual({ ok: true, minor: 123450 });
    expect(parseAmount('12,5', { ...eur, decimal: ',' })).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount('1.234,50', { ...eur, decimal: 'auto' })).toEqual({ ok: true, minor: 123450 });
    expect(parseAmount('1,234.50', { ...eur, decimal: 'auto' })).toEqual({ ok: true, minor: 123450 });
    expect(parseAmount('12,50', { ...eur, decimal: 'auto' })).toEqual({ ok: true, minor: 1250 });
  });

  it.each([
    ['', 'empty'],
    ['abc', 'not_a_number'],
    ['1e3', 'not_a_number'],
    ['10.5.1', 'not_a_number'],
    ['-5', 'negative'],
    ['0', 'zero'],
    ['0.00', 'zero'],
    ['10.555', 'too_many_decimals'],
    ['1,5', 'ambiguous'], // decimal '.', but `1,5` is no valid grouping
    ['99999999999999999', 'too_large'],
  ])('major EUR %j fails with %s', (text, reason) => {
    const r = parseAmount(text, eur);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message.length).toBeGreaterThan(5);
    }
  });

  it('auto refuses the ambiguous 1.234 / 1,234', () => {
    expect(parseAmount('1.234', { ...eur, decimal: 'auto' })).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(parseAmount('1,234', { ...eur, decimal: 'auto' })).toMatchObject({ ok: false, reason: 'ambiguous' });
  });

  it('grouping can be refused', () => {
    expect(parseAmount('1,234.50', { ...eur, grouping: false })).toMatchObject({ ok: false, reason: 'grouping' });
  });

  it('minor units must be whole; exponent 0 and 3 respected', () => {
    expect(parseAmount('1095', { exponent: 2, unit: 'minor' })).toEqual({ ok: true, minor: 1095 });
    expect(parseAmount('10.95', { exponent: 2, unit: 'minor' })).toMatchObject({ ok: false, reason: 'not_whole' });
    expect(parseAmount('500', { exponent: 0, unit: 'major' })).toEqual({ ok: true, minor: 500 });
    expect(parseAmount('500.5', { exponent: 0, unit: 'major' })).toMatchObject({ ok: false, reason: 'too_many_decimals' });
    expect(parseAmount('1.234', { exponent: 3, unit: 'major' })).toEqual({ ok: true, minor: 1234 });
  });

  it('never goes through floats: 0.1 + 0.2 style values are exact', () => {
    expect(parseAmount('0.3', eur)).toEqual({ ok: true, minor: 30 });
    expect(parseAmount('1.15', eur)).toEqual({ ok: true, minor: 115 }); // 1.15*100 = 114.99999999999999 in floats
    expect(parseAmount('4.35', eur)).toEqual({ ok: true, minor: 435 }); // 4.35*100 = 434.99999999999994
  });
});

describe('formatMinor and spreadsheet numbers', () => {
  it('formats with the exponent and decimal mark', () => {
    expect(formatMinor(1095, 2)).toBe('10.95');
    expect(formatMinor(5, 3)).toBe('0.005');
    expect(formatMinor(5, 3, ',')).toBe('0,005');
    expect(formatMinor(500, 0)).toBe('500');
    expect(formatMinor(-150, 2)).toBe('-1.50');
    expect(formatMinor(9007199254740991, 2)).toBe('90071992547409.91');
    expect(() => formatMinor(1.5, 2)).toThrow(RangeError);
  });

  it('expands exponent notation', () => {
    expect(numberToPlainString(1e21)).toBe('1000000000000000000000');
    expect(numberToPlainString(1e-7)).toBe('0.0000001');
    expect(numberToPlainString(4.111111111111111e15)).toBe('4111111111111111');
    expect(numberToPlainString(12.5)).toBe('12.5');
  });

  it('removes float artefacts but keeps genuine extra decimals', () => {
    expect(spreadsheetNumberToAmount(0.1 + 0.2, 2)).toBe('0.30');
    expect(spreadsheetNumberToAmount(1.1 * 3, 2)).toBe('3.30');
    expect(spreadsheetNumberToAmount(10, 2)).toBe('10');
    expect(spreadsheetNumberToAmount(10.5, 2)).toBe('10.5');
    expect(spreadsheetNumberToAmount(1.005, 2)).toBe('1.005');
    expect(spreadsheetNumberToAmount(1095.0000000000002, 0)).toBe('1095');
  });
});
