/**
 * Money at its edges: every limit of the amount parsers just inside (accepted, exact value) and
 * just outside (refused, with the failure code); half-up rounding; the thousands-separator
 * ambiguity rule; formatting. Pins what the mutation audit found no test for.
 */
import { describe, expect, it } from 'vitest';
import {
  AMOUNT_AMBIGUOUS,
  AMOUNT_DECIMALS,
  AMOUNT_EMPTY,
  AMOUNT_GROUPING,
  AMOUNT_NAN,
  AMOUNT_NEGATIVE,
  AMOUNT_NOT_WHOLE,
  AMOUNT_TOO_LARGE,
  AMOUNT_ZERO,
  CURRENCY_CODES,
  amountFailureMessage,
  amountFailureOf,
  currencyExponent,
  formatMinor,
  isCurrencyCode,
  numberToPlainString,
  parseAmount,
  parseAmountCode,
  parseMinorStrict,
  roundDecimalString,
  spreadsheetNumberToAmount,
  type ParseAmountOptions,
} from '../../../shared/formats/money';

const MAX = Number.MAX_SAFE_INTEGER; // 9007199254740991

describe('parseMinorStrict (the validators’ parser)', () => {
  it.each([
    // [text, exponent, unit, expected]
    ['9007199254740991', 2, 'minor', MAX],
    ['9007199254740992', 2, 'minor', AMOUNT_TOO_LARGE],
    ['99999999999999999999', 2, 'minor', AMOUNT_TOO_LARGE],
    ['90071992547409.91', 2, 'major', MAX],
    ['90071992547409.92', 2, 'major', AMOUNT_TOO_LARGE],
    ['9007199254740991', 0, 'major', MAX],
    ['9007199254740992', 0, 'major', AMOUNT_TOO_LARGE],
    ['1', 2, 'minor', 1],
    ['0', 2, 'minor', AMOUNT_ZERO],
    ['0.01', 2, 'major', 1],
    ['0.00', 2, 'major', AMOUNT_ZERO],
    ['00.01', 2, 'major', 1],
    ['10', 2, 'major', 1000],
    ['10.5', 2, 'major', 1050],
    ['10.50', 2, 'major', 1050],
    ['10.500', 2, 'major', AMOUNT_DECIMALS],
    ['10.505', 2, 'major', AMOUNT_DECIMALS],
    ['10.5', 1, 'major', 105],
    ['10.55', 1, 'major', AMOUNT_DECIMALS],
    ['1.234', 3, 'major', 1234],
    ['1.2345', 3, 'major', AMOUNT_DECIMALS],
    ['1.2345', 4, 'major', 12345],
    ['500', 0, 'major', 500],
    ['500.0', 0, 'major', AMOUNT_DECIMALS],
    ['1095', 2, 'minor', 1095],
    ['1095.00', 2, 'minor', AMOUNT_DECIMALS],
    ['1095.0', 2, 'minor', AMOUNT_DECIMALS],
    ['1095.5', 2, 'minor', AMOUNT_NOT_WHOLE],
    ['1095.05', 2, 'minor', AMOUNT_NOT_WHOLE],
    ['1095.001', 2, 'minor', AMOUNT_NOT_WHOLE],
    ['10.', 2, 'major', AMOUNT_NAN],
    ['10.', 2, 'minor', AMOUNT_NAN],
    ['.5', 2, 'major', AMOUNT_NAN],
    ['1.2.3', 2, 'major', AMOUNT_NAN],
    ['1,5', 2, 'major', AMOUNT_NAN],
    ['1 000', 2, 'major', AMOUNT_NAN],
    ['+5', 2, 'major', AMOUNT_NAN],
    ['1e3', 2, 'major', AMOUNT_NAN],
    ['/', 2, 'major', AMOUNT_NAN], // the code points on both sides of 0-9
    [':', 2, 'major', AMOUNT_NAN],
    ['1/', 2, 'major', AMOUNT_NAN],
    ['1:', 2, 'major', AMOUNT_NAN],
    ['-5', 2, 'major', AMOUNT_NEGATIVE],
    ['\u22125', 2, 'major', AMOUNT_NEGATIVE],
    ['-0', 2, 'minor', AMOUNT_NEGATIVE],
    ['', 2, 'major', AMOUNT_EMPTY],
    [' \t\r\n\u00a0\u202f', 2, 'major', AMOUNT_EMPTY],
  ] as const)('%j (exponent %i, %s) → %i', (text, exponent, unit, expected) => {
    expect(parseMinorStrict(text, exponent, unit)).toBe(expected);
  });

  it.each([' ', '\t', '\n', '\r', '\u00a0', '\u202f'])('trims %j on both sides', (sp) => {
    expect(parseMinorStrict(`${sp}7.25${sp}`, 2, 'major')).toBe(725);
    expect(parseMinorStrict(`${sp}${sp}7${sp}${sp}`, 2, 'minor')).toBe(7);
  });

  it('does not take other spaces or a space inside the number for padding', () => {
    expect(parseMinorStrict('\u20007', 2, 'minor')).toBe(AMOUNT_NAN);
    expect(parseMinorStrict('7\u2000', 2, 'minor')).toBe(AMOUNT_NAN);
    expect(parseMinorStrict('\u000b7', 2, 'minor')).toBe(AMOUNT_NAN);
    expect(parseMinorStrict('7 5', 2, 'minor')).toBe(AMOUNT_NAN);
    expect(parseMinorStrict(' -5', 2, 'major')).toBe(AMOUNT_NEGATIVE);
  });
});

describe('parseAmountCode (lenient, for suggested fixes)', () => {
  const eur: ParseAmountOptions = { exponent: 2, unit: 'major' };
  const auto: ParseAmountOptions = { ...eur, decimal: 'auto' };
  const comma: ParseAmountOptions = { ...eur, decimal: ',' };
  const plain: ParseAmountOptions = { ...eur, grouping: false };

  it.each([
    // signs and brackets
    [' 12 ', eur, 1200],
    ['+5', eur, 500],
    ['+ 5', eur, 500],
    ['-5', eur, AMOUNT_NEGATIVE],
    ['- 5', eur, AMOUNT_NEGATIVE],
    ['\u22125', eur, AMOUNT_NEGATIVE],
    ['-0', eur, AMOUNT_ZERO],
    ['-0.00', eur, AMOUNT_ZERO],
    ['(10.00)', eur, AMOUNT_NEGATIVE],
    ['( 10.00 )', eur, AMOUNT_NEGATIVE],
    ['(1)', eur, AMOUNT_NEGATIVE],
    ['(0)', eur, AMOUNT_ZERO],
    ['()', eur, AMOUNT_NAN],
    ['(10', eur, AMOUNT_NAN],
    ['10)', eur, AMOUNT_NAN],
    ['-', eur, AMOUNT_NAN],
    ['+', eur, AMOUNT_NAN],
    ['', eur, AMOUNT_EMPTY],
    ['   ', eur, AMOUNT_EMPTY],
    ['1a', eur, AMOUNT_NAN],
    ['/', eur, AMOUNT_NAN],
    [':', eur, AMOUNT_NAN],
    // space-like grouping: groups of three after the first
    ['1 234.50', eur, 123450],
    ['1\u00a0234.50', eur, 123450],
    ['1\u202f234,50', comma, 123450],
    ["1'234.50", eur, 123450],
    ['1\u2019234.50', eur, 123450],
    ['1 234 567', eur, 123456700],
    ['1 034.50', eur, 103450], // groups may start with 0 and 9
    ['1 999', eur, 199900],
    ['1 0a0', eur, AMOUNT_NAN],
    ['1 23', eur, AMOUNT_NAN],
    ['1 23.45', eur, AMOUNT_NAN],
    ['1 234', plain, AMOUNT_GROUPING],
    ["1'234", plain, AMOUNT_GROUPING],
    // decimal '.' with ',' groups
    ['1,234.50', eur, 123450],
    ['1,234', eur, 123400],
    ['1,234,567.5', eur, 123456750],
    ['123,456', eur, 12345600],
    ['1234,567', eur, AMOUNT_AMBIGUOUS],
    [',123', eur, AMOUNT_AMBIGUOUS],
    ['1,23', eur, AMOUNT_AMBIGUOUS],
    ['1,2345', eur, AMOUNT_AMBIGUOUS],
    ['12,34.5', eur, AMOUNT_AMBIGUOUS],
    ['1.2.3', eur, AMOUNT_NAN],
    ['1.5,3', eur, AMOUNT_NAN],
    ['1,234.50', plain, AMOUNT_GROUPING],
    ['1,234', plain, AMOUNT_GROUPING],
    ['1234.50', plain, 123450],
    // decimal ',' with '.' groups
    ['1.234,50', comma, 123450],
    ['12,5', comma, 1250],
    ['1.234', comma, 123400],
    ['1,2,3', comma, AMOUNT_NAN],
    ['1,5.3', comma, AMOUNT_NAN],
    ['1.23,4', comma, AMOUNT_AMBIGUOUS],
    ['1.234,5', { ...comma, grouping: false }, AMOUNT_GROUPING],
    // auto: both marks, the last one is the decimal mark
    ['1.234,50', auto, 123450],
    ['1,234.50', auto, 123450],
    ['1.234.567,5', auto, 123456750],
    ['1,234,567.5', auto, 123456750],
    ['1,234.5.6', auto, AMOUNT_NAN],
    ['1.234,5,6', auto, AMOUNT_NAN],
    ['12.34,5', auto, AMOUNT_NAN],
    ['1.234,50', { ...auto, grouping: false }, AMOUNT_GROUPING],
    // auto: one mark several times = groups
    ['1.234.567', auto, 123456700],
    ['1,234,567', auto, 123456700],
    ['1.23.456', auto, AMOUNT_NAN],
    ['1,23,456', auto, AMOUNT_NAN],
    ['1.234.567', { ...auto, grouping: false }, AMOUNT_GROUPING],
    // auto: one mark once; exactly three digits after it and one to three before is ambiguous
    ['1.234', auto, AMOUNT_AMBIGUOUS],
    ['1,234', auto, AMOUNT_AMBIGUOUS],
    ['123.456', auto, AMOUNT_AMBIGUOUS],
    ['123,456', auto, AMOUNT_AMBIGUOUS],
    ['1234.567', { ...auto, exponent: 3 }, 1234567],
    ['1234,567', { ...auto, exponent: 3 }, 1234567],
    ['1.23', auto, 123],
    ['1,23', auto, 123],
    ['1.2345', { ...auto, exponent: 4 }, 12345],
    ['12,5', auto, 1250],
    ['.5', auto, 50],
    ['.123', { ...auto, exponent: 3 }, 123], // nothing before the mark: not a thousands group
    ['12', auto, 1200],
    [' 7 ', auto, 700],
    [',5', auto, 50],
    ['1 234,5', auto, 123450],
    ['10.', auto, AMOUNT_NAN],
    ['.', auto, AMOUNT_NAN],
  ] as const)('%j %j → %i', (text, opts, expected) => {
    expect(parseAmountCode(text, opts)).toBe(expected);
  });

  it('defaults to a decimal point with grouping allowed', () => {
    expect(parseAmountCode('1,234.5', { exponent: 2, unit: 'major' })).toBe(123450);
    expect(parseAmountCode('1,5', { exponent: 2, unit: 'major' })).toBe(AMOUNT_AMBIGUOUS);
  });

  it.each([
    ['9007199254740991', 'minor', 0, MAX],
    ['9007199254740992', 'minor', 0, AMOUNT_TOO_LARGE],
    ['9,007,199,254,740,991', 'minor', 0, MAX],
    ['9,007,199,254,740,992', 'minor', 0, AMOUNT_TOO_LARGE],
    ['90,071,992,547,409.91', 'major', 2, MAX],
    ['90,071,992,547,409.92', 'major', 2, AMOUNT_TOO_LARGE],
    ['12345678901234567', 'minor', 0, AMOUNT_TOO_LARGE],
    ['000000000000000000001', 'minor', 0, 1], // leading zeros do not count towards the size
    ['0000000000000000001.00', 'major', 2, 100],
  ] as const)('safe-integer edge %j (%s) → %i', (text, unit, exponent, expected) => {
    expect(parseAmountCode(text, { exponent, unit })).toBe(expected);
  });

  it.each([
    ['1095', 1095],
    ['1,095', 1095],
    ['1095.00', AMOUNT_DECIMALS],
    ['1095.0', AMOUNT_DECIMALS],
    ['1095.50', AMOUNT_NOT_WHOLE],
    ['1095.01', AMOUNT_NOT_WHOLE],
    ['1095.10', AMOUNT_NOT_WHOLE],
    ['0', AMOUNT_ZERO],
  ] as const)('minor units %j → %i', (text, expected) => {
    expect(parseAmountCode(text, { exponent: 2, unit: 'minor' })).toBe(expected);
  });

  it('major units pad to the exponent and refuse one decimal more', () => {
    expect(parseAmountCode('1.5', { exponent: 3, unit: 'major' })).toBe(1500);
    expect(parseAmountCode('1.234', { exponent: 3, unit: 'major' })).toBe(1234);
    expect(parseAmountCode('1.2345', { exponent: 3, unit: 'major' })).toBe(AMOUNT_DECIMALS);
    expect(parseAmountCode('7', { exponent: 0, unit: 'major' })).toBe(7);
    expect(parseAmountCode('7.0', { exponent: 0, unit: 'major' })).toBe(AMOUNT_DECIMALS);
  });
});

describe('parseAmount results and messages', () => {
  it('gives the minor units or a reason and a message for every failure', () => {
    expect(parseAmount('10.95', { exponent: 2, unit: 'major' })).toEqual({ ok: true, minor: 1095 });
    expect(parseAmount('1', { exponent: 2, unit: 'minor' })).toEqual({ ok: true, minor: 1 });
    const fail = (text: string, opts: ParseAmountOptions) => {
      const r = parseAmount(text, opts);
      if (r.ok) throw new Error(`${text} was accepted`);
      return r;
    };
    expect(fail('', { exponent: 2, unit: 'major' })).toEqual({ ok: false, reason: 'empty', message: 'Amount is empty.' });
    expect(fail('0', { exponent: 2, unit: 'major' }).reason).toBe('zero');
    expect(fail('-1', { exponent: 2, unit: 'major' }).reason).toBe('negative');
    expect(fail('x', { exponent: 2, unit: 'major' }).reason).toBe('not_a_number');
    expect(fail('1.234', { exponent: 2, unit: 'major', decimal: 'auto' }).reason).toBe('ambiguous');
    expect(fail('1,234.5', { exponent: 2, unit: 'major', grouping: false }).reason).toBe('grouping');
    expect(fail('1.005', { exponent: 2, unit: 'major' }).reason).toBe('too_many_decimals');
    expect(fail('10.5', { exponent: 2, unit: 'minor' }).reason).toBe('not_whole');
    expect(fail('9007199254740992', { exponent: 0, unit: 'minor' }).reason).toBe('too_large');
  });

  it('maps every code to its reason, anything else to not_a_number', () => {
    expect([AMOUNT_EMPTY, AMOUNT_NAN, AMOUNT_NEGATIVE, AMOUNT_ZERO, AMOUNT_DECIMALS, AMOUNT_AMBIGUOUS, AMOUNT_TOO_LARGE, AMOUNT_NOT_WHOLE, AMOUNT_GROUPING].map(amountFailureOf)).toEqual([
      'empty',
      'not_a_number',
      'negative',
      'zero',
      'too_many_decimals',
      'ambiguous',
      'too_large',
      'not_whole',
      'grouping',
    ]);
    expect(amountFailureOf(-99)).toBe('not_a_number');
    expect(amountFailureOf(5)).toBe('not_a_number');
  });

  it('says what to fix, in the currency’s terms', () => {
    const major = (exponent: number) => ({ exponent, unit: 'major' as const });
    expect(amountFailureMessage(AMOUNT_EMPTY, major(2))).toBe('Amount is empty.');
    expect(amountFailureMessage(AMOUNT_NEGATIVE, major(2))).toMatch(/^Amount is negative; enter a positive amount/);
    expect(amountFailureMessage(AMOUNT_ZERO, major(2))).toBe('Amount is zero; enter a positive amount.');
    expect(amountFailureMessage(AMOUNT_DECIMALS, major(2))).toBe('This currency allows at most 2 decimals.');
    expect(amountFailureMessage(AMOUNT_DECIMALS, major(1))).toBe('This currency allows at most 1 decimal.');
    expect(amountFailureMessage(AMOUNT_DECIMALS, major(3))).toBe('This currency allows at most 3 decimals.');
    expect(amountFailureMessage(AMOUNT_DECIMALS, major(0))).toBe('This currency has no decimals; enter a whole amount.');
    expect(amountFailureMessage(AMOUNT_DECIMALS, { exponent: 2, unit: 'minor' })).toBe('Amount must be a whole number of minor units (cents), without a decimal point.');
    expect(amountFailureMessage(AMOUNT_NOT_WHOLE, { exponent: 2, unit: 'minor' })).toBe('Amount is in minor units (cents) and must be a whole number.');
    expect(amountFailureMessage(AMOUNT_AMBIGUOUS, major(2))).toMatch(/^Amount is ambiguous: .*e\.g\. 1234\.50\.$/);
    expect(amountFailureMessage(AMOUNT_GROUPING, major(2))).toMatch(/^Amount contains thousands separators; .*e\.g\. 1234\.50\.$/);
    expect(amountFailureMessage(AMOUNT_TOO_LARGE, major(2))).toBe('Amount is too large.');
    expect(amountFailureMessage(AMOUNT_NAN, major(2))).toBe('Amount is not a number; use digits with a decimal point, e.g. 10.50.');
    expect(amountFailureMessage(-99, major(2))).toBe(amountFailureMessage(AMOUNT_NAN, major(2)));
  });
});

describe('currencies', () => {
  it('lists the codes sorted, each with its exponent', () => {
    expect([...CURRENCY_CODES]).toEqual([...CURRENCY_CODES].sort());
    expect(CURRENCY_CODES).toContain('EUR');
    expect(CURRENCY_CODES).toContain('XCG');
    expect(CURRENCY_CODES).not.toContain('XXX');
    for (const c of CURRENCY_CODES) {
      expect(isCurrencyCode(c)).toBe(true);
      expect([0, 2, 3, 4]).toContain(currencyExponent(c));
    }
    expect(Object.isFrozen(CURRENCY_CODES)).toBe(true);
  });

  it('is exact about case and length', () => {
    for (const c of ['eur', 'Eur', 'EURO', 'EU', '', ' EUR', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(isCurrencyCode(c), c).toBe(false);
      expect(currencyExponent(c), c).toBeUndefined();
    }
  });
});

describe('half-up rounding of decimal strings', () => {
  it.each([
    ['1.005', 2, '1.01'],
    ['1.0049999', 2, '1.00'],
    ['1.004', 2, '1.00'],
    ['1.0050', 2, '1.01'],
    ['1.0051', 2, '1.01'],
    ['1.006', 2, '1.01'],
    ['1.009', 2, '1.01'],
    ['0.995', 2, '1.00'],
    ['9.995', 2, '10.00'],
    ['99.999', 2, '100.00'],
    ['19.995', 2, '20.00'],
    ['1.295', 2, '1.30'],
    ['-1.005', 2, '-1.01'],
    ['-1.004', 2, '-1.00'],
    ['-9.995', 2, '-10.00'],
    ['2.5', 0, '3'],
    ['2.4', 0, '2'],
    ['9.5', 0, '10'],
    ['0.5', 0, '1'],
    ['0.30000000000000004', 2, '0.30'],
    ['12', 2, '12'],
    ['12345', 0, '12345'],
    ['-12345', 2, '-12345'],
    ['.25', 1, '.3'],
    ['-12', 2, '-12'],
    ['1.5', 2, '1.5'],
    ['1.50', 2, '1.50'],
    ['-1.5', 2, '-1.5'],
  ] as const)('%s to %i places → %s', (s, places, expected) => {
    expect(roundDecimalString(s, places)).toBe(expected);
  });
});

describe('formatMinor', () => {
  it.each([
    [1095, 2, '.', '10.95'],
    [5, 2, '.', '0.05'],
    [50, 2, '.', '0.50'],
    [100, 2, '.', '1.00'],
    [1, 3, ',', '0,001'],
    [1234, 3, ',', '1,234'],
    [12345, 4, '.', '1.2345'],
    [7, 0, '.', '7'],
    [0, 2, '.', '0.00'],
    [-5, 2, '.', '-0.05'],
    [-500, 0, '.', '-500'],
    [MAX, 0, '.', '9007199254740991'],
    [-MAX, 2, '.', '-90071992547409.91'],
  ] as const)('%i with exponent %i and %j → %s', (minor, exponent, mark, expected) => {
    expect(formatMinor(minor, exponent, mark)).toBe(expected);
  });

  it('uses a decimal point by default and refuses what is not a safe integer', () => {
    expect(formatMinor(1095, 2)).toBe('10.95');
    for (const bad of [MAX + 1, 0.5, NaN, Infinity]) expect(() => formatMinor(bad, 2)).toThrow(RangeError);
    expect(() => formatMinor(1.5, 2)).toThrow('formatMinor: 1.5 is not a safe integer');
  });
});

describe('spreadsheet numbers', () => {
  it.each([
    [1e21, '1000000000000000000000'],
    [1.5e21, '1500000000000000000000'],
    [-1.5e21, '-1500000000000000000000'],
    [1.2345678901234566e25, '12345678901234566000000000'],
    [1e-7, '0.0000001'],
    [1.5e-7, '0.00000015'],
    [-2.5e-8, '-0.000000025'],
    [123.45, '123.45'],
    [-7, '-7'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('numberToPlainString(%d) → %s', (n, expected) => {
    expect(numberToPlainString(n)).toBe(expected);
  });

  it.each([
    [0.1 + 0.2, 2, '0.30'],
    [-(0.1 + 0.2), 2, '-0.30'],
    [1095.0000000000002, 0, '1095'],
    [-1095.0000000000002, 0, '-1095'],
    [123456.78000000001, 2, '123456.78'],
    [1.005, 2, '1.005'], // a genuine third decimal: kept so the validator reports it
    [1.004, 2, '1.004'],
    [-1.004, 2, '-1.004'],
    [10.25, 2, '10.25'],
    [10, 2, '10'],
    [0.0001, 2, '0.0001'],
  ])('spreadsheetNumberToAmount(%d, %i) → %s', (n, exponent, expected) => {
    expect(spreadsheetNumberToAmount(n, exponent)).toBe(expected);
  });
});

describe('signs, space groups and minor units at their edges', () => {
  const major2: ParseAmountOptions = { exponent: 2, unit: 'major', decimal: 'auto' };
  it('a sign or brackets with nothing inside are not a number (never a zero amount)', () => {
    for (const t of ['-', '+', '\u2212', '( )', '- ', ' + ']) expect(parseAmountCode(t, major2), t).toBe(AMOUNT_NAN);
    expect(parseAmountCode('(1)', major2)).toBe(AMOUNT_NEGATIVE);
    expect(parseAmountCode('+1', major2)).toBe(100);
  });
  it('a space-like group is exactly three digits: more or fewer is refused, not joined', () => {
    for (const g of [' ', '\u00a0', '\u202f', "'", '\u2019']) {
      expect(parseAmountCode(`1${g}234`, major2), JSON.stringify(g)).toBe(123400);
      expect(parseAmountCode(`1${g}234${g}567.5`, major2), JSON.stringify(g)).toBe(123456750);
      expect(parseAmountCode(`1${g}23`, major2), JSON.stringify(g)).toBe(AMOUNT_NAN);
      expect(parseAmountCode(`12${g}3456`, major2), JSON.stringify(g)).toBe(AMOUNT_NAN);
      expect(parseAmountCode(`1${g}234`, { ...major2, grouping: false }), JSON.stringify(g)).toBe(AMOUNT_GROUPING);
    }
    // a group after the separator does not make `1.234` a decimal: still refused as ambiguous
    expect(parseAmountCode('1. 234', { exponent: 3, unit: 'major', decimal: 'auto' })).toBe(AMOUNT_AMBIGUOUS);
  });
  it('a minor-unit amount with a decimal point: not whole when it has a non-zero decimal, else just the point', () => {
    expect(parseMinorStrict('12.50', 2, 'minor')).toBe(AMOUNT_NOT_WHOLE);
    expect(parseMinorStrict('12.05', 2, 'minor')).toBe(AMOUNT_NOT_WHOLE);
    expect(parseMinorStrict('12.00', 2, 'minor')).toBe(AMOUNT_DECIMALS);
    expect(parseMinorStrict('12', 2, 'minor')).toBe(12);
    expect(parseAmountCode('12.50', { exponent: 2, unit: 'minor' })).toBe(AMOUNT_NOT_WHOLE);
    expect(parseAmountCode('12.00', { exponent: 2, unit: 'minor' })).toBe(AMOUNT_DECIMALS);
  });
  it('leading zeros do not count toward the size limit; 2^53 - 1 minor units is the largest amount', () => {
    expect(parseAmountCode('0000000000000000000001', { exponent: 0, unit: 'minor' })).toBe(1);
    expect(parseAmountCode('9007199254740991', { exponent: 0, unit: 'minor' })).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseAmountCode('9007199254740992', { exponent: 0, unit: 'minor' })).toBe(AMOUNT_TOO_LARGE);
    expect(parseAmountCode('9'.repeat(400), { exponent: 0, unit: 'minor' })).toBe(AMOUNT_TOO_LARGE);
    expect(parseAmountCode('.5', major2)).toBe(50);
  });
  it('a spreadsheet number that is not finite stays as it is (the validator then refuses it)', () => {
    expect(numberToPlainString(Number.NaN)).toBe('NaN');
    expect(numberToPlainString(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(spreadsheetNumberToAmount(Number.NaN, 2)).toBe('NaN');
    expect(spreadsheetNumberToAmount(12, 2)).toBe('12');
    expect(spreadsheetNumberToAmount(12.5, 2)).toBe('12.5');
  });
});
