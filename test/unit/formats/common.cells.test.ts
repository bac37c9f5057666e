/** Cells, the reporter's cap and the amount cell's fixes on untrimmed text. */
import { describe, expect, it } from 'vitest';
import { amountCodes, cellAt, checkAmountCell, findCardNumber, reporter, trimSpaces } from '../../../shared/formats/profiles/common';
import { IssueList } from '../../../shared/formats/issues';
import type { Issue } from '../../../shared/formats/types';

describe('cellAt and trimSpaces', () => {
  it('trim exactly the cell spaces at either end, nothing inside', () => {
    expect(cellAt([' \t\u00a0a b\u202f\ufeff\r\n'], 0)).toBe('a b');
    expect(cellAt(['a'], 0)).toBe('a');
    expect(cellAt([' '], 0)).toBe('');
    expect(cellAt([''], 0)).toBe('');
    expect(cellAt(['x'], 1)).toBe('');
    expect(trimSpaces('  ')).toBe('');
    expect(trimSpaces(' a')).toBe('a');
    expect(trimSpaces('a ')).toBe('a');
  });

  it('other Unicode spaces are kept (String.trim would take them): validation, keys and exports see the same cell', () => {
    expect(cellAt(['\u2003a'], 0)).toBe('\u2003a');
    expect(cellAt([' \u2003a\u3000 '], 0)).toBe('\u2003a\u3000');
    expect(cellAt(['\u000ba\u000c'], 0)).toBe('\u000ba\u000c');
    expect(trimSpaces('\u2028a')).toBe('\u2028a');
  });
});

describe('reporter: beyond the per-code cap a finding is only counted', () => {
  const report = reporter([
    { code: 'x.a', severity: 'error', column: 'A', scope: 'row', summary: 's' },
    { code: 'x.b', severity: 'warning', column: null, scope: 'batch', summary: 's' },
  ]);

  it('keeps the first `cap` findings of each code and counts the rest with their severity', () => {
    const out = new IssueList(2);
    for (let i = 1; i <= 5; i++) report(out, i, 'x.a', `m${i}: 4111111111111111`);
    report(out, null, 'x.b', 'batch');
    expect(out.items.map((i) => [i.row, i.code, i.message])).toEqual([
      [1, 'x.a', 'm1: 411111…1111'],
      [2, 'x.a', 'm2: 411111…1111'],
      [null, 'x.b', 'batch'],
    ]);
    expect(out.omitted()).toEqual([{ code: 'x.a', severity: 'error', count: 3 }]);
  });

  it('a plain array sink takes every finding', () => {
    const out: Issue[] = [];
    for (let i = 1; i <= 3; i++) report(out, i, 'x.a', 'm');
    expect(out).toHaveLength(3);
  });
});

describe('findCardNumber: twelve digits inside text are not a card number', () => {
  it('a Luhn-valid 12-digit run among words is left alone; 13 is found', () => {
    expect(findCardNumber('ref 411111111117 paid')).toBeNull();
    expect(findCardNumber('ref 4111 1111 1117 paid')).toBeNull();
    expect(findCardNumber('ref 4111111111119 paid')).toBe('4111111111119');
  });
});

describe('checkAmountCell on text with spaces around it', () => {
  const codes = amountCodes('t.amount');
  const report = reporter(['required', 'invalid', 'not_positive', 'decimals'].map((k) => ({ code: `t.amount.${k}`, severity: 'error' as const, column: 'Amount', scope: 'row' as const, summary: 's' })));
  it('the fix and the ambiguity are worked out on the trimmed text', () => {
    const out: Issue[] = [];
    checkAmountCell(out, report, 1, ' 1095.00 ', 2, 'minor', codes, 'Amount', 'EUR');
    checkAmountCell(out, report, 2, ' 1.000 ', 2, 'major', codes, 'Amount', 'EUR');
    checkAmountCell(out, report, 3, '\t12.3400\u00a0', 2, 'major', codes, 'Amount', 'EUR');
    expect(out.map((i) => [i.row, i.fix, i.message])).toEqual([
      [1, '1095', 'Amount is in minor units of EUR and must be a whole number: write 1095 (the same value without the decimal zeros a spreadsheet number format adds).'],
      [2, undefined, 'Amount "1.000" is ambiguous: write 1000 if the dot separates thousands, or 1.00 if it is a decimal point.'],
      [3, '12.34', 'Amount: EUR allows at most 2 decimals.'],
    ]);
  });
});
