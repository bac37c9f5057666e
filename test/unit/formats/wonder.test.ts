import { describe, expect, it } from 'vitest';
import { wonder } from '../../../shared/formats/profiles/wonder';
import { validateRows, validateRow } from '../../../shared/formats/validate';
import { assertNoPanInMessages, codes, ctx, rowOf } from './helpers';
import { TOKEN, CARD, cases } from './cases/wonder';
import { ruleCaseTests } from './cases/run';

describe('wonder rules', () => {
  ruleCaseTests(wonder, cases);

  it('accepts valid token and card rows, every action, minor units and 0-decimal currencies', () => {
    const rows = [
      TOKEN,
      CARD,
      { ...CARD, CVC: '', 'Card Number': '378282246310005', 'Expiry Month': '05', 'Expiry Year': '26' }, // expires end of this month
      { ...TOKEN, Action: 'authorize', 'Reference Number': 'A-1', Amount: '1' },
      { ...TOKEN, Action: 'void', 'Reference Number': 'V-1', 'Original Transaction ID': 'tx-1' },
      { ...TOKEN, Action: 'refund', 'Reference Number': 'INV-1', 'Original Transaction ID': 'tx-1', Amount: '4.5' }, // same ref, other action
      { ...TOKEN, Action: 'cancellation', 'Reference Number': 'C-1', 'Original Transaction ID': 'tx-2' },
      { ...TOKEN, 'Reference Number': 'INV-9', 'Customer UUID': 'c0ffee00-0000-0000-0000-000000000001', Amount: ' 99.99 ' },
    ].map((r) => rowOf(wonder, r));
    expect(validateRows(wonder, rows, ctx())).toEqual([]);
    expect(validateRows(wonder, [rowOf(wonder, { ...TOKEN, Amount: '1050' })], ctx({ amountUnit: 'minor' }))).toEqual([]);
    expect(validateRows(wonder, [rowOf(wonder, { ...TOKEN, Amount: '1050' })], ctx({ currency: 'JPY' }))).toEqual([]);
    expect(validateRows(wonder, [rowOf(wonder, { ...TOKEN, Amount: '10.505' })], ctx({ currency: 'KWD' }))).toEqual([]);
  });

  it('masks card numbers in messages as first6…last4', () => {
    const issues = validateRows(wonder, [rowOf(wonder, { ...CARD, 'Card Number': '4111111111111112' })], ctx());
    expect(issues[0]!.message).toContain('411111…1112');
    assertNoPanInMessages(issues);
  });

  it('validateRow returns row rules only, optionally for one column', () => {
    const row = rowOf(wonder, { ...CARD, 'Expiry Month': '5', CVC: '1' });
    expect(codes(validateRow(wonder, row, 7, ctx()))).toEqual(['wonder.expiry_month.format', 'wonder.cvc.format']);
    const cvc = validateRow(wonder, row, 7, ctx(), 'CVC');
    expect(cvc).toHaveLength(1);
    expect(cvc[0]!.row).toBe(7);
    expect(validateRow(wonder, row, 7, ctx(), 'cvc')).toHaveLength(1);
  });

  it('reports the duplicate against the first row', () => {
    const rows = [TOKEN, { ...TOKEN, 'Token ID': 'tok_9' }, { ...TOKEN, 'Token ID': 'tok_8' }].map((r) => rowOf(wonder, r));
    const dups = validateRows(wonder, rows, ctx()).filter((i) => i.code === 'wonder.reference_number.duplicate');
    expect(dups.map((d) => d.row)).toEqual([2, 3]);
    expect(dups.every((d) => d.message.includes('row 1'))).toBe(true);
  });
});
