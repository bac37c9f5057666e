import { describe, expect, it } from 'vitest';
import { DuplicateFinder, findCardNumber, findDuplicates, isSpaceCode, isUuid, LUHN_FAIL, LUHN_NOT_DIGITS, LUHN_OK, luhnDigits, luhnValid } from '../../../shared/formats/profiles/common';
import { parseMinorStrict } from '../../../shared/formats/money';

describe('profile building blocks', () => {
  it('luhnDigits checks digits and the check digit in one pass', () => {
    expect(luhnDigits('4111111111111111')).toBe(LUHN_OK);
    expect(luhnDigits('4111111111111112')).toBe(LUHN_FAIL);
    expect(luhnDigits('4111 1111 1111 1111')).toBe(LUHN_NOT_DIGITS);
    expect(luhnDigits('41111111111111x1')).toBe(LUHN_NOT_DIGITS);
    expect(luhnDigits('')).toBe(LUHN_NOT_DIGITS);
    for (const pan of ['378282246310005', '6011111111111117', '5555555555554444', '4000056655665556']) {
      expect(luhnDigits(pan)).toBe(LUHN_OK);
      expect(luhnValid(pan)).toBe(true);
    }
  });

  it('isUuid accepts 8-4-4-4-12 hex in any case and nothing else', () => {
    expect(isUuid('0402c802-d7c5-4700-a93a-34bd83441aab')).toBe(true);
    expect(isUuid('0402C802-D7C5-4700-A93A-34BD83441AAB')).toBe(true);
    expect(isUuid('0402c802-d7c5-4700-a93a-34bd83441aag')).toBe(false);
    expect(isUuid('0402c802d7c54700a93a34bd83441aab')).toBe(false);
    expect(isUuid('0402c802-d7c5-4700-a93a-34bd83441aab\n')).toBe(false);
    expect(isUuid(' 0402c802-d7c5-4700-a93a-34bd83441aa')).toBe(false);
    expect(isUuid('0402c802+d7c5-4700-a93a-34bd83441aab')).toBe(false);
  });

  it('isSpaceCode knows the spaces cells are trimmed of, and only those', () => {
    for (const c of [' ', '\t', '\n', '\r', '\u00a0', '\u202f', '\ufeff']) expect(isSpaceCode(c.charCodeAt(0))).toBe(true);
    for (const c of ['a', '0', '!', '\u00a1', '\u2010', '\u0000', '\u000b']) expect(isSpaceCode(c.charCodeAt(0))).toBe(false);
  });
});

describe('DuplicateFinder', () => {
  const spec = (found: [number, number][]) => ({
    parts: [
      { col: 0, kind: 'upper' as const },
      { col: 1, kind: 'digits' as const },
    ],
    skipWhenEmpty: [1],
    amountOf: (r: readonly string[]) => parseMinorStrict(r[2] ?? '', 2, 'major'),
    onDuplicate: (i: number, j: number) => found.push([i, j]),
  });

  it('fed row by row, grows past its first capacity and finds the same pairs as findDuplicates', () => {
    const rows: string[][] = [];
    for (let i = 0; i < 20_000; i++) rows.push(['payment', String(4_000_000_000 + i), `${(i % 50) + 1}.00`]);
    rows.push([' PAYMENT ', '4000-0000-07', '8']); // row 7: same action (case, spaces), digits and amount (8 = 8.00)
    rows.push(['payment', '   ', '1.00']); // blank key: left out
    rows.push(['payment', '', '1.00']);
    rows.push(['payment', '4000000001', '0']); // invalid amount: left out (row rules report it)
    rows.push(['refund', '4000000001', '2.00']); // other action: not a duplicate
    const streamed: [number, number][] = [];
    const finder = new DuplicateFinder([spec(streamed)], 16);
    rows.forEach((r, i) => finder.add(r, i));
    finder.finish(rows);
    const whole: [number, number][] = [];
    findDuplicates(rows, [spec(whole)]);
    expect(streamed).toEqual([[20_000, 7]]);
    expect(whole).toEqual(streamed);
  });

  it('reports each duplicate once, against the first row with the key', () => {
    const rows = [
      ['payment', '41', '1'],
      ['payment', '41', '1.00'],
      ['payment', '41', '1.0'],
      ['payment', '42', '1'],
    ];
    const found: [number, number][] = [];
    findDuplicates(rows, [spec(found)]);
    expect(found.sort((a, b) => a[0] - b[0])).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });
});

describe('findCardNumber (card numbers typed into free text)', () => {
  it('finds 13–19 digit Luhn-valid runs, grouped or not, and returns their digits', () => {
    expect(findCardNumber('paid by 4111 1111 1111 1111 exp 12/30')).toBe('4111111111111111');
    expect(findCardNumber('4111-1111-1111-1111')).toBe('4111111111111111');
    expect(findCardNumber('{"card":"5555555555554444"}')).toBe('5555555555554444');
    expect(findCardNumber('amex 378282246310005.')).toBe('378282246310005');
    expect(findCardNumber('x'.repeat(40) + '6011111111111117')).toBe('6011111111111117');
    expect(findCardNumber('INV4111111111111111')).toBe('4111111111111111'); // glued to a word: still flagged
  });

  it('leaves ordinary text, short numbers, non-Luhn runs and long account numbers alone', () => {
    for (const text of [
      '',
      'Invoice 1 - "Gold" membership',
      'order 2026-11-22 ref 123456',
      'ref 4111111111111112', // fails Luhn
      'IBAN DK50 0040 0440 1162 43', // 16 Luhn-valid digits, but an IBAN's (after its country code)
      '41111111111111110000000', // 23 digits: not a card number
      '4111 1111  1111 1111', // a double space ends the run: 8 + 8 digits
    ]) {
      expect(findCardNumber(text), text).toBeNull();
    }
  });
});
