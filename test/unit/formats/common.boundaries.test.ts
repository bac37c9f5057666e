/**
 * The profiles' shared building blocks at their edges: space and digit classes, card numbers in
 * free text (13 and 19 digits found, 12 and 20 not; IBAN digits left alone), masking, calendar
 * dates and times, enum spelling, the amount cell's messages and fixes, and duplicate keys
 * (trimmed, case-folded and digits-only keys of every length compare equal).
 */
import { describe, expect, it } from 'vitest';
import {
  amountCodes,
  canonicalEnum,
  cellAt,
  checkAmountCell,
  daysInMonth,
  DuplicateFinder,
  findCardNumber,
  findDuplicates,
  isDigits,
  isSpaceCode,
  maskPan,
  parseCompactTime,
  parseIsoDate,
  parseIsoDateTime,
  reporter,
  type DupSpec,
  type KeyKind,
} from '../../../shared/formats/profiles/common';
import { AMOUNT_DECIMALS, AMOUNT_EMPTY, AMOUNT_NAN, AMOUNT_NEGATIVE, AMOUNT_NOT_WHOLE, AMOUNT_TOO_LARGE, AMOUNT_ZERO, type AmountUnit } from '../../../shared/formats/money';
import type { Issue } from '../../../shared/formats/types';
import { CellSet, countIssues, IssueList } from '../../../shared/formats/issues';

describe('character classes', () => {
  it('isSpaceCode: exactly space, tab, LF, CR, NBSP, NNBSP and BOM', () => {
    const yes = [32, 9, 10, 13, 0xa0, 0x202f, 0xfeff];
    const no = [0, 8, 11, 12, 14, 31, 33, 0x9f, 0xa1, 0x2000, 0x202e, 0x2030, 0xfefe, 0xff00];
    expect(yes.map(isSpaceCode)).toEqual(yes.map(() => true));
    expect(no.map(isSpaceCode)).toEqual(no.map(() => false));
  });

  it('cellAt trims only cells that need it', () => {
    expect(cellAt(['a'], 0)).toBe('a');
    expect(cellAt([' a'], 0)).toBe('a');
    expect(cellAt(['a '], 0)).toBe('a');
    expect(cellAt(['\u202fa\ufeff'], 0)).toBe('a');
    expect(cellAt(['a b'], 0)).toBe('a b');
    expect(cellAt([''], 0)).toBe('');
    expect(cellAt([], 3)).toBe('');
  });

  it('isDigits: one or more of 0-9', () => {
    expect(isDigits('0123456789')).toBe(true);
    for (const s of ['', '/', ':', '12a', 'a12', '1 2', '١']) expect(isDigits(s), s).toBe(false);
  });
});

describe('reporter', () => {
  const report = reporter([{ code: 'x.one', severity: 'warning', column: 'Col', scope: 'row', summary: 's' }]);

  it('takes severity and column from the catalogue, masks card numbers, sets a fix only when given', () => {
    const out: Issue[] = [];
    report(out, 3, 'x.one', 'saw 4111111111111111 here');
    report(out, null, 'x.one', 'm', 'fixed');
    expect(out[0]).toEqual({ row: 3, column: 'Col', severity: 'warning', code: 'x.one', message: 'saw 411111…1111 here' });
    expect('fix' in out[0]!).toBe(false);
    expect(out[1]).toEqual({ row: null, column: 'Col', severity: 'warning', code: 'x.one', message: 'm', fix: 'fixed' });
  });

  it('refuses a code outside the catalogue', () => {
    expect(() => report([], 1, 'x.two', 'm')).toThrow('unknown rule code x.two');
  });

  it('into a capped list: keeps the first findings of a code, counts the rest exactly, each code apart', () => {
    const two = reporter([
      { code: 'x.one', severity: 'warning', column: 'Col', scope: 'row', summary: 's' },
      { code: 'x.err', severity: 'error', column: 'Other', scope: 'row', summary: 's' },
    ]);
    const list = new IssueList(2);
    for (let row = 1; row <= 5; row++) two(list, row, 'x.one', `w${row}`);
    two(list, 9, 'x.err', 'e');
    expect(list.items.map((i) => [i.code, i.row, i.message])).toEqual([
      ['x.one', 1, 'w1'],
      ['x.one', 2, 'w2'],
      ['x.err', 9, 'e'],
    ]);
    expect(list.omitted()).toEqual([{ code: 'x.one', severity: 'warning', count: 3 }]);
    expect(countIssues(list.items, list.omitted())).toEqual({ errors: 1, warnings: 5, byCode: { 'x.one': 5, 'x.err': 1 }, omitted: 3 });
  });

  it('into a list that skips cells: a finding on a skipped cell is neither kept nor counted, others are', () => {
    const skip = new CellSet();
    skip.add(3, 'Col');
    const list = new IssueList(1, skip);
    report(list, 3, 'x.one', 'consequence');
    report(list, 4, 'x.one', 'kept');
    report(list, 5, 'x.one', 'counted');
    report(list, null, 'x.one', 'counted too');
    expect(list.items.map((i) => i.message)).toEqual(['kept']);
    expect(list.omitted()).toEqual([{ code: 'x.one', severity: 'warning', count: 2 }]);
  });
});

describe('card numbers in free text', () => {
  it.each([
    ['4111111111119', '4111111111119'], // 13 digits
    ['4111111111111111110', '4111111111111111110'], // 19
    ['ref 4111 1111 1111 1111', '4111111111111111'],
    ['4111-1111-1111-1111.', '4111111111111111'],
    ['xDK4111111111111111', '4111111111111111'], // three letters before: no country code
    ['a 4111111111111111', '4111111111111111'],
    ['first 4111111111111112 then 5555555555554444', '5555555555554444'],
  ])('%j → %s', (text, pan) => {
    expect(findCardNumber(text)).toBe(pan);
  });

  it.each([
    '411111111117', // 12 digits
    '41111111111111111115', // 20
    'DK4111111111111111', // after a country code: IBAN digits
    '1DK4111111111111111',
    'GB82 WEST 1234 5698 7654 32',
    '4111111111111112',
    'short 123',
  ])('%j → none', (text) => {
    expect(findCardNumber(text)).toBeNull();
  });

  it('maskPan shows at most the first 6 and last 4 digits', () => {
    expect(maskPan('4111111111111111')).toBe('411111…1111');
    expect(maskPan('4111 1111 1111 1')).toBe('411111…1111');
    expect(maskPan('411111111117')).toBe('…1117');
    expect(maskPan('12345')).toBe('…2345');
    expect(maskPan('1234')).toBe('…');
    expect(maskPan('')).toBe('…');
  });
});

describe('calendar', () => {
  it.each([
    [2024, 2, 29],
    [2023, 2, 28],
    [2000, 2, 29],
    [1900, 2, 28],
    [2100, 2, 28],
    [2024, 1, 31],
    [2024, 3, 31],
    [2024, 4, 30],
    [2024, 5, 31],
    [2024, 6, 30],
    [2024, 7, 31],
    [2024, 8, 31],
    [2024, 9, 30],
    [2024, 10, 31],
    [2024, 11, 30],
    [2024, 12, 31],
  ])('%i-%i has %i days', (y, m, d) => {
    expect(daysInMonth(y, m)).toBe(d);
  });

  it('parseIsoDate: real dates only, as UTC midnight', () => {
    expect(parseIsoDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoDate('2026-12-31')).toBe(Date.UTC(2026, 11, 31));
    for (const s of ['2023-02-29', '2024-13-01', '2024-00-01', '2024-01-00', '2024-01-32', '2024/01/01', '2024-01-1', '2024-01-011', 'x024-01-01', '2024-0a-01', '2024-01-0:']) {
      expect(parseIsoDate(s), s).toBeNaN();
    }
  });

  it('parseCompactTime: HHmmss to seconds', () => {
    expect(parseCompactTime('000000')).toBe(0);
    expect(parseCompactTime('235959')).toBe(86399);
    expect(parseCompactTime('010203')).toBe(3723);
    for (const s of ['240000', '006000', '000060', '23595', '2359590', '2a0000', ':00000']) expect(parseCompactTime(s), s).toBe(-1);
  });

  it('parseIsoDateTime: fractions to the millisecond, offsets, zone flag, dates when allowed', () => {
    expect(parseIsoDateTime('2026-04-16T10:15:30.1234Z')).toEqual({ ms: Date.UTC(2026, 3, 16, 10, 15, 30, 123), hasZone: true, dateOnly: false });
    expect(parseIsoDateTime('2026-04-16T10:15:30.9999Z').ms).toBe(Date.UTC(2026, 3, 16, 10, 15, 30, 999));
    expect(parseIsoDateTime('2026-04-16T10:15:30.5Z').ms).toBe(Date.UTC(2026, 3, 16, 10, 15, 30, 500));
    expect(parseIsoDateTime('2026-04-16T10:15Z').ms).toBe(Date.UTC(2026, 3, 16, 10, 15));
    expect(parseIsoDateTime('2026-04-16T10:15:30+01:30').ms).toBe(Date.UTC(2026, 3, 16, 8, 45, 30));
    expect(parseIsoDateTime('2026-04-16T10:15:30-0130').ms).toBe(Date.UTC(2026, 3, 16, 11, 45, 30));
    expect(parseIsoDateTime('2026-04-16T10:15:30+02').ms).toBe(Date.UTC(2026, 3, 16, 8, 15, 30));
    expect(parseIsoDateTime('2026-04-16T10:15:30')).toEqual({ ms: Date.UTC(2026, 3, 16, 10, 15, 30), hasZone: false, dateOnly: false });
    expect(parseIsoDateTime('2026-04-16', true)).toEqual({ ms: Date.UTC(2026, 3, 16), hasZone: false, dateOnly: true });
    expect(parseIsoDateTime('2026-04-16').ms).toBeNaN();
    expect(parseIsoDateTime('2026-02-30', true).ms).toBeNaN();
    expect(parseIsoDateTime('2026-04-16T10:15:30+24:00')).toEqual({ ms: NaN, hasZone: false, dateOnly: false });
    expect(parseIsoDateTime('2026-04-16T10:15:30+23:59').ms).toBe(Date.UTC(2026, 3, 16, 10, 15, 30) - (23 * 60 + 59) * 60000);
    expect(parseIsoDateTime('2026-04-16T10:15:30+00:60').ms).toBeNaN();
  });
});

describe('canonicalEnum', () => {
  it('matches after trimming, joining words with _ and folding case', () => {
    expect(canonicalEnum(' no void ', ['OFF', 'NO_VOID'], true)).toBe('NO_VOID');
    expect(canonicalEnum('no--void', ['NO_VOID'], true)).toBe('NO_VOID');
    expect(canonicalEnum('Web App', ['web_app', 'mobile'], false)).toBe('web_app');
    expect(canonicalEnum('WEB', ['web'], true)).toBeUndefined();
    expect(canonicalEnum('novoid', ['NO_VOID'], true)).toBeUndefined();
  });
});

describe('checkAmountCell: findings, messages and fixes', () => {
  const codes = amountCodes('t.amount');
  const report = reporter(['required', 'invalid', 'not_positive', 'decimals'].map((k) => ({ code: `t.amount.${k}`, severity: 'error' as const, column: 'Amount', scope: 'row' as const, summary: 's' })));
  function check(text: string, exponent: number, unit: AmountUnit, currency = 'EUR') {
    const out: Issue[] = [];
    const r = checkAmountCell(out, report, 1, text, exponent, unit, codes, 'Amount', currency);
    return { r, issue: out[0], count: out.length };
  }

  it('amountCodes names the four codes under a prefix', () => {
    expect(codes).toEqual({ required: 't.amount.required', invalid: 't.amount.invalid', notPositive: 't.amount.not_positive', decimals: 't.amount.decimals' });
  });

  it('returns the minor units of a valid amount and reports nothing', () => {
    expect(check('10.50', 2, 'major')).toEqual({ r: 1050, issue: undefined, count: 0 });
  });

  it('required, in the unit’s words', () => {
    expect(check('', 2, 'major')).toMatchObject({ r: AMOUNT_EMPTY, issue: { code: 't.amount.required', message: 'Amount is required: enter the amount in EUR with up to 2 decimals.' } });
    expect(check('', 1, 'major', 'XYZ').issue!.message).toBe('Amount is required: enter the amount in XYZ with up to 1 decimal.');
    expect(check('', 2, 'minor').issue!.message).toBe('Amount is required: enter the amount in minor units of EUR (e.g. 1095 for 10.95).');
  });

  it('zero and negative', () => {
    expect(check('0', 2, 'major')).toMatchObject({ r: AMOUNT_ZERO, issue: { code: 't.amount.not_positive', message: 'Amount must be greater than zero. Amount is zero; enter a positive amount.' } });
    expect(check('-1', 2, 'major')).toMatchObject({ r: AMOUNT_NEGATIVE, issue: { code: 't.amount.not_positive' } });
    expect(check('-1', 2, 'major').issue!.message).toMatch(/^Amount must be greater than zero\. Amount is negative/);
  });

  it('too large', () => {
    expect(check('9007199254740992', 0, 'minor')).toMatchObject({ r: AMOUNT_TOO_LARGE, issue: { code: 't.amount.invalid', message: 'Amount is too large to be processed safely.' } });
  });

  it.each([
    // [text, exponent, unit, fix, message]
    ['1234.000', 2, 'major', '1234.00', 'Amount: EUR allows at most 2 decimals.'],
    ['12.3456', 2, 'major', undefined, 'Amount: EUR allows at most 2 decimals.'],
    ['12.35', 1, 'major', undefined, 'Amount: EUR allows at most 1 decimal.'],
    ['12.0', 0, 'major', '12', 'Amount: EUR has no decimals; enter a whole amount.'],
    ['1095.00', 2, 'minor', '1095', 'Amount is in minor units of EUR and must be a whole number: write 1095 (the same value without the decimal zeros a spreadsheet number format adds).'],
    ['1095.5', 2, 'minor', undefined, 'Amount is in minor units of EUR and must be a whole number (e.g. 1095 for 10.95).'],
    ['1095.50', 2, 'minor', undefined, 'Amount is in minor units of EUR and must be a whole number (e.g. 1095 for 10.95).'],
  ] as const)('%j (exponent %i, %s): fix %j', (text, exponent, unit, fix, message) => {
    const { r, issue, count } = check(text, exponent, unit);
    expect(r === AMOUNT_DECIMALS || r === AMOUNT_NOT_WHOLE).toBe(true);
    expect(count).toBe(1);
    expect(issue).toMatchObject({ code: 't.amount.decimals', message });
    expect(issue!.fix).toBe(fix);
  });

  it.each([
    // 1.000 / 2.500: thousands separator or decimals? never a fix that changes the value 1000-fold
    ['1.000', 2, 'major', 'Amount "1.000" is ambiguous: write 1000 if the dot separates thousands, or 1.00 if it is a decimal point.'],
    ['2.500', 2, 'major', 'Amount "2.500" is ambiguous: write 2500 if the dot separates thousands, or 2.50 if it is a decimal point.'],
    ['1.234', 2, 'major', 'Amount "1.234" is ambiguous: write 1234 if the dot separates thousands; as a decimal point it has more decimals than EUR allows (2).'],
    ['1.000', 0, 'major', 'Amount "1.000" is ambiguous: write 1000 if the dot separates thousands, or 1 if it is a decimal point.'],
    ['12.000', 0, 'minor', 'Amount "12.000" is ambiguous: write 12000 if the dot separates thousands, or 12 if it is a decimal point.'],
    ['123.500', 2, 'minor', 'Amount "123.500" is ambiguous: write 123500 if the dot separates thousands; as a decimal point it is not a whole number of minor units of EUR.'],
  ] as const)('%j (exponent %i, %s) is ambiguous, without a fix', (text, exponent, unit, message) => {
    const { issue } = check(text, exponent, unit);
    expect(issue).toMatchObject({ code: 't.amount.decimals', message });
    expect(issue!.fix).toBeUndefined();
  });

  it('the ambiguity rule applies to one to three digits before the dot and exactly three after', () => {
    expect(check('1234.000', 2, 'major').issue!.message).not.toMatch(/ambiguous/);
    expect(check('1.0000', 2, 'major').issue!.message).not.toMatch(/ambiguous/);
    expect(check('123.456', 2, 'major').issue!.message).toMatch(/ambiguous/);
    expect(check('1.23', 1, 'major').issue!.message).not.toMatch(/ambiguous/);
  });

  it.each([
    // [text, unit, fix, reason]
    ['1,234.50', 'major', '1234.50', 'Amount contains thousands separators'],
    ['12,50', 'major', '12.50', 'Amount contains thousands separators'],
    ['1 234', 'major', '1234.00', 'Amount contains thousands separators'],
    ['.5', 'major', '0.50', 'Amount contains thousands separators'],
    ['1.095.000', 'minor', '1095000', 'Amount contains thousands separators'],
    ['1,234', 'major', undefined, 'Amount is ambiguous'],
    ['1,2345', 'major', undefined, 'This currency allows at most 2 decimals.'],
    ['ten', 'major', undefined, 'Amount is not a number'],
    ['+-5', 'major', undefined, 'Amount is not a number'],
  ] as const)('%j (%s) is not a plain amount: fix %j', (text, unit, fix, reason) => {
    const { r, issue } = check(text, 2, unit);
    expect(r).toBe(AMOUNT_NAN);
    expect(issue!.code).toBe('t.amount.invalid');
    expect(issue!.message.startsWith(`Amount is not a valid amount. ${reason}`)).toBe(true);
    expect(issue!.fix).toBe(fix);
  });
});

describe('duplicate keys', () => {
  function dups(kind: KeyKind, values: string[], amountOf: DupSpec['amountOf'] = null): [number, number][] {
    const found: [number, number][] = [];
    findDuplicates(
      values.map((v) => [v]),
      [{ parts: [{ col: 0, kind }], skipWhenEmpty: [0], amountOf, onDuplicate: (i, j) => found.push([i, j]) }],
    );
    return found.sort((a, b) => a[0] - b[0]);
  }

  it.each(['a', 'ab', 'abc', 'abcd', 'tok_12345'])('text keys %j compare trimmed, whatever their length', (v) => {
    expect(dups('text', [v, ` ${v}`, `${v} `, `\u00a0${v}\t`, `${v}x`, v.toUpperCase() === v ? `${v}a` : v.toUpperCase()])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
  });

  it.each(['a', 'Ab', 'payment', 'REFUND'])('upper keys %j ignore case and surrounding spaces', (v) => {
    expect(dups('upper', [v, v.toLowerCase(), ` ${v.toUpperCase()} `, `${v}s`])).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('upper keys fold only a-z', () => {
    expect(dups('upper', ['é', 'É'])).toEqual([]);
    expect(dups('upper', ['{', '['])).toEqual([]);
    expect(dups('upper', ['`', '@'])).toEqual([]);
  });

  it.each(['4', '41', '411', '4111111111111111', '4111111111111111110'])('digit keys %j ignore everything but digits', (d) => {
    const spaced = d.split('').join(' ');
    const dashed = d.split('').join('-');
    expect(dups('digits', [d, spaced, ` ${dashed} `, `${d}0`, `0${d}`])).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('digit keys: 0 and 9 count as digits, / and : do not', () => {
    expect(dups('digits', ['09', '0/9', '0:9', '90'])).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('blank keys are skipped; amounts must match too, and invalid amounts are skipped', () => {
    expect(dups('text', ['', ' ', '\t'])).toEqual([]);
    const rows = [['k', '5'], ['k', '5'], ['k', '6'], ['k', '0'], ['k', '0'], ['k', '4294967301'], ['k', '5']];
    const found: [number, number][] = [];
    findDuplicates(rows, [{ parts: [{ col: 0, kind: 'text' }], skipWhenEmpty: [0], amountOf: (r) => Number(r[1]), onDuplicate: (i, j) => found.push([i, j]) }]);
    expect(found.sort((a, b) => a[0] - b[0])).toEqual([
      [1, 0],
      [6, 0],
    ]);
  });

  it('several parts, and no skip list: every row takes part', () => {
    const found: [number, number][] = [];
    findDuplicates(
      [
        ['a', ''],
        ['a', ''],
        ['a', 'x'],
        ['', ''],
        ['', ''],
      ],
      [{ parts: [{ col: 0, kind: 'text' }, { col: 1, kind: 'text' }], skipWhenEmpty: [], amountOf: null, onDuplicate: (i, j) => found.push([i, j]) }],
    );
    expect(found.sort((a, b) => a[0] - b[0])).toEqual([
      [1, 0],
      [4, 3],
    ]);
  });

  it('a row is skipped only when all of its skip cells are blank', () => {
    const found: [number, number][] = [];
    findDuplicates(
      [
        ['t', '', 'x'],
        ['t', '', 'x'],
        ['t', '', ''],
        ['t', '', ''],
      ],
      [{ parts: [{ col: 0, kind: 'text' }, { col: 2, kind: 'text' }], skipWhenEmpty: [1, 2], amountOf: null, onDuplicate: (i, j) => found.push([i, j]) }],
    );
    expect(found).toEqual([[1, 0]]);
  });

  it('fewer than two rows or no keys: nothing to compare', () => {
    const spec: DupSpec = { parts: [{ col: 0, kind: 'text' }], skipWhenEmpty: [], amountOf: null, onDuplicate: () => { throw new Error('no'); } };
    expect(() => findDuplicates([['a']], [spec])).not.toThrow();
    expect(() => findDuplicates([['a'], ['a']], [])).not.toThrow();
  });

  it('a finder sized too small grows, amounts stored by row index across gaps', () => {
    const found: [number, number][] = [];
    const finder = new DuplicateFinder([{ parts: [{ col: 0, kind: 'text' }], skipWhenEmpty: [0], amountOf: (r) => Number(r[1]), onDuplicate: (i, j) => found.push([i, j]) }], 1);
    const rows: string[][] = [];
    for (let i = 0; i < 100; i++) rows.push(i % 3 === 0 ? ['', '1'] : [`k${i % 7}`, String(1 + (i % 2))]);
    rows.forEach((r, i) => finder.add(r, i));
    finder.finish(rows);
    const expected: [number, number][] = [];
    const first = new Map<string, number>();
    rows.forEach((r, i) => {
      if (r[0] === '') return;
      const key = r.join('|');
      const j = first.get(key);
      if (j === undefined) first.set(key, i);
      else expected.push([i, j]);
    });
    expect(found.sort((a, b) => a[0] - b[0])).toEqual(expected);
  });
});
