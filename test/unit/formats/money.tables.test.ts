/**
 * The money module's tables (the ISO 4217 exponents, the failure codes and their names, the
 * space-like group marks) read from a fresh copy of the module. The mutation run shares one module
 * graph across tests, so tables built at load are only measured where a test loads the module
 * itself; these checks are also the plain statement of what the tables must hold.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as MoneyModule from '../../../shared/formats/money';

type Money = typeof MoneyModule;
let m: Money;
beforeAll(async () => {
  vi.resetModules();
  m = await import('../../../shared/formats/money');
});

describe('money tables, freshly loaded', () => {
  it('lists ISO 4217 codes sorted, with their exponents', () => {
    expect(m.CURRENCY_CODES.length).toBeGreaterThan(150);
    expect([...m.CURRENCY_CODES].sort()).toEqual(m.CURRENCY_CODES);
    expect(Object.isFrozen(m.CURRENCY_CODES)).toBe(true);
    for (const [code, exp] of [['DKK', 2], ['EUR', 2], ['JPY', 0], ['KWD', 3], ['CLF', 4], ['HKD', 2]] as const) {
      expect(m.CURRENCY_CODES).toContain(code);
      expect(m.isCurrencyCode(code)).toBe(true);
      expect(m.currencyExponent(code)).toBe(exp);
    }
    for (const no of ['XYZ', 'dkk', 'DK', 'DKKK', '', 'toString', '__proto__']) expect(m.isCurrencyCode(no), no).toBe(false);
  });

  it('gives every failure a distinct negative code and its name', () => {
    const codes = [m.AMOUNT_EMPTY, m.AMOUNT_NAN, m.AMOUNT_NEGATIVE, m.AMOUNT_ZERO, m.AMOUNT_DECIMALS, m.AMOUNT_AMBIGUOUS, m.AMOUNT_TOO_LARGE, m.AMOUNT_NOT_WHOLE, m.AMOUNT_GROUPING];
    expect(codes).toEqual([-1, -2, -3, -4, -5, -6, -7, -8, -9]);
    expect(codes.map((c) => m.amountFailureOf(c))).toEqual(['empty', 'not_a_number', 'negative', 'zero', 'too_many_decimals', 'ambiguous', 'too_large', 'not_whole', 'grouping']);
    expect(m.amountFailureOf(-99)).toBe('not_a_number');
  });

  it('reads each failure through parseAmount with its name, and each space-like group mark', () => {
    const o = { exponent: 2, unit: 'major', decimal: 'auto' } as const;
    const reason = (t: string, opts: Parameters<Money['parseAmount']>[1] = o) => {
      const r = m.parseAmount(t, opts);
      return r.ok ? r.minor : r.reason;
    };
    expect(reason('')).toBe('empty');
    expect(reason('abc')).toBe('not_a_number');
    expect(reason('-5')).toBe('negative');
    expect(reason('0.00')).toBe('zero');
    expect(reason('1.234', { exponent: 2, unit: 'major', decimal: '.' })).toBe('too_many_decimals');
    expect(reason('1,234')).toBe('ambiguous');
    expect(reason('99999999999999999')).toBe('too_large');
    expect(reason('12.5', { exponent: 2, unit: 'minor' })).toBe('not_whole');
    expect(reason('1,234.00', { exponent: 2, unit: 'major', grouping: false })).toBe('grouping');
    for (const g of [' ', '\u00a0', '\u202f', "'", '\u2019']) {
      expect(reason(`1${g}234`), JSON.stringify(g)).toBe(123400);
      expect(reason(`1${g}234`, { ...o, grouping: false }), JSON.stringify(g)).toBe('grouping');
    }
  });
});
