/**
 * Card numbers at their edges: the Luhn check digit over every digit position and the characters
 * next to 0 and 9, IBAN country codes at the letter boundaries, and the card-in-free-text finding.
 */
import { describe, expect, it } from 'vitest';
import { cardInTextRules, checkCardInText, findCardNumber, LUHN_FAIL, LUHN_NOT_DIGITS, LUHN_OK, luhnDigits, luhnValid, reporter } from '../../../shared/formats/profiles/common';
import type { Issue } from '../../../shared/formats/types';

describe('luhnDigits', () => {
  it('every single-digit typo in a valid number is caught', () => {
    const pan = '4539578763621486';
    expect(luhnDigits(pan)).toBe(LUHN_OK);
    for (let i = 0; i < pan.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === pan[i]) continue;
        expect(luhnDigits(pan.slice(0, i) + d + pan.slice(i + 1)), `${i}:${d}`).toBe(LUHN_FAIL);
      }
    }
  });

  it('doubles every second digit from the right, taking 9 off results above 9', () => {
    // 18 → 9, 16 → 7, …, 10 → 1: each digit d doubled in second-from-right position
    for (let d = 0; d <= 9; d++) {
      const doubled = d * 2 > 9 ? d * 2 - 9 : d * 2;
      const check = (10 - (doubled % 10)) % 10;
      expect(luhnDigits(`${d}${check}`), `${d}${check}`).toBe(LUHN_OK);
      expect(luhnDigits(`${d}${(check + 1) % 10}`)).toBe(LUHN_FAIL);
    }
    expect(luhnDigits('0')).toBe(LUHN_OK);
    expect(luhnDigits('5')).toBe(LUHN_FAIL);
    expect(luhnDigits('00000000000000000')).toBe(LUHN_OK);
  });

  it('the characters either side of 0-9 are not digits, wherever they are', () => {
    for (const c of ['/', ':', ' ', '-', '０', '٠']) {
      expect(luhnDigits(`${c}4111111111111111`), c).toBe(LUHN_NOT_DIGITS);
      expect(luhnDigits(`411111111111111${c}1`), c).toBe(LUHN_NOT_DIGITS);
      expect(luhnDigits(`4111111111111111${c}`), c).toBe(LUHN_NOT_DIGITS);
      expect(luhnValid(`4111111111111111${c}`), c).toBe(false);
    }
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('4111111111111111')).toBe(true);
  });
});

describe('findCardNumber: country codes at the letter boundaries', () => {
  const PAN = '4111111111111111';
  it.each(['AZ', 'az', 'Za', 'DK', 'zz', 'AA'])('digits after the two-letter word %j are an IBAN’s', (cc) => {
    expect(findCardNumber(`${cc}${PAN}`)).toBeNull();
    expect(findCardNumber(`IBAN ${cc}${PAN}`)).toBeNull();
    expect(findCardNumber(`@${cc}${PAN}`)).toBeNull();
    expect(findCardNumber(`[${cc}${PAN}`)).toBeNull();
    expect(findCardNumber(`\`${cc}${PAN}`)).toBeNull();
    expect(findCardNumber(`{${cc}${PAN}`)).toBeNull();
  });

  it.each(['@K', 'K@', '[K', 'K[', '`k', 'k`', '{k', 'k{', '1K'])('%j is not a two-letter word: the card number is found', (pre) => {
    expect(findCardNumber(`${pre}${PAN}`)).toBe(PAN);
  });

  it.each(['A', 'Z', 'a', 'z'])('three letters (%j first) are a word, not a country code', (l) => {
    expect(findCardNumber(`${l}DK${PAN}`)).toBe(PAN);
  });

  it('a card number right at the start, at the end, or after a non-card run', () => {
    expect(findCardNumber(PAN)).toBe(PAN);
    expect(findCardNumber(`see ${PAN}`)).toBe(PAN);
    expect(findCardNumber(`12345 ${PAN.slice(0, 4)}x ${PAN}`)).toBe(PAN);
    expect(findCardNumber(`4111111111111112 and 411111111111111 and ${PAN}`)).toBe(PAN);
  });
});

describe('checkCardInText', () => {
  const columns = [
    { index: 1, label: 'Remark', code: 't.remark.card_number' },
    { index: 2, label: 'Note', code: 't.note.card_number' },
  ];
  const report = reporter(cardInTextRules(columns));

  it('the rules are errors on their column', () => {
    expect(cardInTextRules(columns)).toEqual([
      { code: 't.remark.card_number', severity: 'error', column: 'Remark', scope: 'row', summary: 'Remark must not contain a card number.' },
      { code: 't.note.card_number', severity: 'error', column: 'Note', scope: 'row', summary: 'Note must not contain a card number.' },
    ]);
  });

  it('reports each free-text column that holds a card number, masked, with the hint', () => {
    const out: Issue[] = [];
    checkCardInText(out, report, 7, ['4111111111111111', 'card 4111 1111 1111 1111', 'x4111111111119'], columns, 'Use the Card Number column.');
    expect(out).toEqual([
      {
        row: 7,
        column: 'Remark',
        severity: 'error',
        code: 't.remark.card_number',
        message: 'Remark contains a card number (411111…1111). Remove it: Remark is sent and exported as it is, so the number would be stored in clear. Use the Card Number column.',
      },
      {
        row: 7,
        column: 'Note',
        severity: 'error',
        code: 't.note.card_number',
        message: 'Note contains a card number (411111…1119). Remove it: Note is sent and exported as it is, so the number would be stored in clear. Use the Card Number column.',
      },
    ]);
  });

  it('a 13-character cell can hold one; shorter cells, missing cells and plain text are passed over', () => {
    const out: Issue[] = [];
    checkCardInText(out, report, 1, ['', '4111111111119'], columns, '');
    expect(out.map((i) => i.code)).toEqual(['t.remark.card_number']);
    const none: Issue[] = [];
    checkCardInText(none, report, 1, ['', '411111111117', 'no card here, just text'], columns, '');
    checkCardInText(none, report, 1, ['x'], columns, '');
    expect(none).toEqual([]);
  });
});
