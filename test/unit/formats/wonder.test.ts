import { describe, expect, it } from 'vitest';
import { wonder } from '../../../shared/formats/profiles/wonder';
import { validateRows, validateRow } from '../../../shared/formats/validate';
import { assertNoPanInMessages, codes, ctx, rowOf } from './helpers';
import type { ValidationContext } from '../../../shared/formats/profile';

const TOKEN = { Action: 'payment', 'Reference Number': 'INV-1', Amount: '10.00', 'Token ID': 'tok_1' };
const CARD = { Action: 'payment', Amount: '10.00', 'Card Number': '4111111111111111', 'Expiry Month': '12', 'Expiry Year': '30', CVC: '123' };

interface Case {
  name: string;
  rows: Record<string, string>[];
  code: string;
  fix?: string;
  ctx?: Partial<ValidationContext>;
}

const cases: Case[] = [
  { name: 'action missing', rows: [{ ...TOKEN, Action: '' }], code: 'wonder.action.required' },
  { name: 'action not lowercase', rows: [{ ...TOKEN, Action: 'Refund', 'Original Transaction ID': 'tx-1' }], code: 'wonder.action.case', fix: 'refund' },
  { name: 'action unknown', rows: [{ ...TOKEN, Action: 'charge' }], code: 'wonder.action.invalid' },
  { name: 'void without original', rows: [{ ...TOKEN, Action: 'void' }], code: 'wonder.original_transaction_id.required' },
  { name: 'refund without original', rows: [{ ...TOKEN, Action: 'refund' }], code: 'wonder.original_transaction_id.required' },
  { name: 'cancellation without original', rows: [{ ...TOKEN, Action: 'cancellation' }], code: 'wonder.original_transaction_id.recommended' },
  { name: 'customer uuid malformed', rows: [{ ...TOKEN, 'Customer UUID': 'cust-42' }], code: 'wonder.customer_uuid.format' },
  { name: 'amount missing', rows: [{ ...TOKEN, Amount: '' }], code: 'wonder.amount.required' },
  { name: 'amount with grouping', rows: [{ ...TOKEN, Amount: '1,234.50' }], code: 'wonder.amount.invalid', fix: '1234.50' },
  { name: 'amount with decimal comma', rows: [{ ...TOKEN, Amount: '12,50' }], code: 'wonder.amount.invalid', fix: '12.50' },
  { name: 'amount text', rows: [{ ...TOKEN, Amount: 'ten' }], code: 'wonder.amount.invalid' },
  { name: 'amount zero', rows: [{ ...TOKEN, Amount: '0.00' }], code: 'wonder.amount.not_positive' },
  { name: 'amount negative', rows: [{ ...TOKEN, Amount: '-5' }], code: 'wonder.amount.not_positive' },
  { name: 'amount 3 decimals in HKD', rows: [{ ...TOKEN, Amount: '10.555' }], code: 'wonder.amount.decimals' },
  { name: 'amount superfluous zeros', rows: [{ ...TOKEN, Amount: '1234.000' }], code: 'wonder.amount.decimals', fix: '1234.00' },
  { name: 'amount decimals in minor units', rows: [{ ...TOKEN, Amount: '10.50' }], code: 'wonder.amount.decimals', ctx: { amountUnit: 'minor' } },
  { name: 'amount decimals in JPY', rows: [{ ...TOKEN, Amount: '100.5' }], code: 'wonder.amount.decimals', ctx: { currency: 'JPY' } },
  { name: 'neither token nor card', rows: [{ ...TOKEN, 'Token ID': '' }], code: 'wonder.payment_method.missing' },
  { name: 'both token and card', rows: [{ ...CARD, 'Token ID': 'tok_1' }], code: 'wonder.payment_method.both' },
  { name: 'card with spaces', rows: [{ ...CARD, 'Card Number': '4111 1111 1111 1111' }], code: 'wonder.card_number.format', fix: '4111111111111111' },
  { name: 'card with dashes', rows: [{ ...CARD, 'Card Number': '4111-1111-1111-1111' }], code: 'wonder.card_number.format', fix: '4111111111111111' },
  { name: 'card with letters', rows: [{ ...CARD, 'Card Number': '4111x111' }], code: 'wonder.card_number.format' },
  { name: 'card too short', rows: [{ ...CARD, 'Card Number': '41111111111' }], code: 'wonder.card_number.length' },
  { name: 'card too long', rows: [{ ...CARD, 'Card Number': '41111111111111111111' }], code: 'wonder.card_number.length' },
  { name: 'card luhn', rows: [{ ...CARD, 'Card Number': '4111111111111112' }], code: 'wonder.card_number.luhn' },
  { name: 'month missing', rows: [{ ...CARD, 'Expiry Month': '' }], code: 'wonder.expiry_month.required' },
  { name: 'month one digit', rows: [{ ...CARD, 'Expiry Month': '5' }], code: 'wonder.expiry_month.format', fix: '05' },
  { name: 'month text', rows: [{ ...CARD, 'Expiry Month': 'May' }], code: 'wonder.expiry_month.format' },
  { name: 'month 13', rows: [{ ...CARD, 'Expiry Month': '13' }], code: 'wonder.expiry_month.range' },
  { name: 'month 00', rows: [{ ...CARD, 'Expiry Month': '00' }], code: 'wonder.expiry_month.range' },
  { name: 'year missing', rows: [{ ...CARD, 'Expiry Year': '' }], code: 'wonder.expiry_year.required' },
  { name: 'year four digits', rows: [{ ...CARD, 'Expiry Year': '2030' }], code: 'wonder.expiry_year.format', fix: '30' },
  { name: 'year garbage', rows: [{ ...CARD, 'Expiry Year': '3O' }], code: 'wonder.expiry_year.format' },
  { name: 'card expired last month', rows: [{ ...CARD, 'Expiry Month': '04', 'Expiry Year': '26' }], code: 'wonder.card.expired' },
  { name: 'expiry without card', rows: [{ ...TOKEN, 'Expiry Month': '12' }], code: 'wonder.card_fields.without_card_number' },
  { name: 'cvc two digits', rows: [{ ...CARD, CVC: '12' }], code: 'wonder.cvc.format' },
  { name: 'cvc letters', rows: [{ ...CARD, CVC: 'abc' }], code: 'wonder.cvc.format' },
  { name: 'batch currency unknown', rows: [TOKEN], code: 'wonder.currency.unknown', ctx: { currency: 'XXX' } },
  { name: 'same reference and action twice', rows: [TOKEN, { ...TOKEN, 'Token ID': 'tok_2' }], code: 'wonder.reference_number.duplicate' },
  { name: 'same token, amount, action (10 vs 10.00)', rows: [TOKEN, { ...TOKEN, 'Reference Number': 'INV-2', Amount: '10' }], code: 'wonder.charge.duplicate' },
  { name: 'same card (spaces ignored), amount, action', rows: [CARD, { ...CARD, 'Card Number': '4111 1111 1111 1111' }], code: 'wonder.charge.duplicate' },
];

describe('wonder rules', () => {
  it.each(cases)('$name → $code', (c) => {
    const issues = validateRows(wonder, c.rows.map((r) => rowOf(wonder, r)), ctx(c.ctx));
    const hit = issues.find((i) => i.code === c.code);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    const rule = wonder.rules.find((r) => r.code === c.code)!;
    expect(hit!.severity).toBe(rule.severity);
    expect(hit!.column).toBe(rule.column);
    if (c.fix !== undefined) expect(hit!.fix).toBe(c.fix);
    expect(hit!.message.length).toBeGreaterThan(10);
    assertNoPanInMessages(issues);
  });

  it('has a case for every rule in the catalogue', () => {
    const covered = new Set(cases.map((c) => c.code));
    expect(wonder.rules.map((r) => r.code).filter((c) => !covered.has(c))).toEqual([]);
  });

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
