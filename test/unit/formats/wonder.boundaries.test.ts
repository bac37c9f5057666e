/**
 * Wonder (SPEC §1.5) at every limit, both ways: the value just inside is accepted with no finding,
 * the value just outside gets exactly its finding (and fix). Clock: 2026-05-01, batch currency HKD.
 */
import { describe, expect, it } from 'vitest';
import { wonder } from '../../../shared/formats/profiles';
import { checker } from './rules';
import { ctx } from './helpers';

const TOKEN = { Action: 'payment', 'Reference Number': 'INV-1', Amount: '10.00', 'Token ID': 'tok_1' };
const CARD = { Action: 'payment', Amount: '10.00', 'Card Number': '4111111111111111', 'Expiry Month': '12', 'Expiry Year': '30', CVC: '123' };
const token = checker(wonder, TOKEN);
const card = checker(wonder, CARD);

describe('Wonder: valid rows have no findings', () => {
  it('a token row and a card row', () => {
    expect(token.codes()).toEqual([]);
    expect(card.codes()).toEqual([]);
  });
});

describe('Wonder: Action', () => {
  it.each([
    ['authorize', {}],
    ['payment', {}],
    ['cancellation', { 'Original Transaction ID': 'tx-1' }],
    ['void', { 'Original Transaction ID': 'tx-1' }],
    ['refund', { 'Original Transaction ID': 'tx-1' }],
  ])('%s is accepted', (Action, extra) => {
    expect(token.codes({ Action, ...extra })).toEqual([]);
  });

  it.each([
    ['Payment', 'payment'],
    ['PAYMENT', 'payment'],
    ['Authorize', 'authorize'],
    ['CANCELLATION', 'cancellation'],
    ['Pay ment', 'payment'],
  ])('%s is a case finding with the fix %s', (Action, fix) => {
    const i = token.one('wonder.action.case', { Action, 'Original Transaction ID': 'tx-1' });
    expect(i.fix).toBe(fix);
    expect(i.message).toBe(`Action must be lowercase: write "${fix}" instead of "${Action}".`);
    expect(token.codes({ Action, 'Original Transaction ID': 'tx-1' })).toEqual(['wonder.action.case']);
  });

  it('a case-fixed void or refund still needs its Original Transaction ID', () => {
    expect(token.codes({ Action: 'Void' })).toEqual(['wonder.action.case', 'wonder.original_transaction_id.required']);
    expect(token.codes({ Action: 'REFUND' })).toEqual(['wonder.action.case', 'wonder.original_transaction_id.required']);
    expect(token.codes({ Action: 'Cancellation' })).toEqual(['wonder.action.case', 'wonder.original_transaction_id.recommended']);
  });

  it('unknown, empty; long values are cut in the message, card numbers masked', () => {
    expect(token.codes({ Action: '' })).toEqual(['wonder.action.required']);
    expect(token.codes({ Action: '   ' })).toEqual(['wonder.action.required']);
    const long = token.one('wonder.action.invalid', { Action: 'charge'.repeat(10) });
    expect(long.message).toBe(`Action "${'charge'.repeat(10).slice(0, 40)}" is not supported; use authorize, payment, void, cancellation or refund.`);
    expect(long.fix).toBeUndefined();
    expect(token.one('wonder.action.invalid', { Action: '4111111111111111' }).message).not.toContain('4111111111111111');
  });
});

describe('Wonder: Original Transaction ID', () => {
  it('required for void and refund, recommended for cancellation, not needed otherwise', () => {
    expect(token.one('wonder.original_transaction_id.required', { Action: 'void' }).message).toBe(
      'Original Transaction ID is required for void: enter the Wonder transaction ID of the payment to void.',
    );
    expect(token.one('wonder.original_transaction_id.required', { Action: 'refund' }).message).toBe(
      'Original Transaction ID is required for refund: enter the Wonder transaction ID of the payment to refund.',
    );
    expect(token.codes({ Action: 'cancellation' })).toEqual(['wonder.original_transaction_id.recommended']);
    expect(token.codes({ Action: 'authorize' })).toEqual([]);
    expect(token.codes({ Action: 'void', 'Original Transaction ID': '  ' })).toEqual(['wonder.original_transaction_id.required']);
  });
});

describe('Wonder: Customer UUID', () => {
  it('a UUID or nothing; anything else is a warning', () => {
    expect(token.codes({ 'Customer UUID': 'c0ffee00-0000-0000-0000-000000000001' })).toEqual([]);
    expect(token.codes({ 'Customer UUID': ' C0FFEE00-0000-0000-0000-000000000001 ' })).toEqual([]);
    expect(token.codes({ 'Customer UUID': 'c0ffee00-0000-0000-0000-00000000001' })).toEqual(['wonder.customer_uuid.format']);
    expect(token.codes({ 'Customer UUID': 'cust-42' })).toEqual(['wonder.customer_uuid.format']);
  });
});

describe('Wonder: Amount', () => {
  it.each([
    ['0.01', 'major', []],
    ['0.00', 'major', ['wonder.amount.not_positive']],
    ['0', 'major', ['wonder.amount.not_positive']],
    ['-0.01', 'major', ['wonder.amount.not_positive']],
    ['10.5', 'major', []],
    ['10.55', 'major', []],
    ['10.555', 'major', ['wonder.amount.decimals']],
    ['90071992547409.91', 'major', []],
    ['90071992547409.92', 'major', ['wonder.amount.invalid']],
    ['1', 'minor', []],
    ['0', 'minor', ['wonder.amount.not_positive']],
    ['9007199254740991', 'minor', []],
    ['9007199254740992', 'minor', ['wonder.amount.invalid']],
    ['10.5', 'minor', ['wonder.amount.decimals']],
    ['', 'major', ['wonder.amount.required']],
    ['ten', 'major', ['wonder.amount.invalid']],
  ] as const)('%j in HKD %s units → %j', (Amount, amountUnit, expected) => {
    expect(token.codes({ Amount }, { amountUnit })).toEqual(expected);
  });

  it('an amount beyond the safe-integer range says so', () => {
    expect(token.one('wonder.amount.invalid', { Amount: '90071992547409.92' }).message).toBe('Amount is too large to be processed safely.');
    expect(token.one('wonder.amount.invalid', { Amount: '9007199254740992' }, { amountUnit: 'minor' }).message).toBe('Amount is too large to be processed safely.');
  });

  it('follows the batch currency’s exponent: JPY 0, KWD 3', () => {
    expect(token.codes({ Amount: '100' }, { currency: 'JPY' })).toEqual([]);
    expect(token.codes({ Amount: '100.5' }, { currency: 'JPY' })).toEqual(['wonder.amount.decimals']);
    expect(token.codes({ Amount: '1.005' }, { currency: 'KWD' })).toEqual([]);
    expect(token.codes({ Amount: '1.0005' }, { currency: 'KWD' })).toEqual(['wonder.amount.decimals']);
  });

  it('an unknown batch currency is reported once and amounts are read with two decimals', () => {
    const issues = token.issues([{}, {}], { currency: 'XYZ' });
    expect(issues.map((i) => [i.row, i.code])).toContainEqual([null, 'wonder.currency.unknown']);
    expect(issues.filter((i) => i.code === 'wonder.currency.unknown')).toHaveLength(1);
    expect(token.codes({ Amount: '10.55' }, { currency: 'XYZ' })).toEqual(['wonder.currency.unknown']);
    expect(token.codes({ Amount: '10.555' }, { currency: 'XYZ' })).toEqual(['wonder.currency.unknown', 'wonder.amount.decimals']);
  });
});

describe('Wonder: Token ID or Card Number, exactly one', () => {
  it('neither / both', () => {
    expect(token.codes({ 'Token ID': '' })).toEqual(['wonder.payment_method.missing']);
    expect(card.codes({ 'Token ID': 'tok_1' })).toEqual(['wonder.payment_method.both']);
  });
});

describe('Wonder: Card Number length 12 to 19 digits', () => {
  it.each([
    ['411111111117', 12],
    ['4111111111119', 13],
    ['4111111111111111', 16],
    ['4111111111111111110', 19],
  ])('%s (%i digits, Luhn-valid) is accepted', (pan) => {
    expect(card.codes({ 'Card Number': pan })).toEqual([]);
  });

  it.each([
    ['41111111112', 11],
    ['41111111111111111115', 20],
  ])('%s (%i digits) is refused for its length', (pan, n) => {
    const i = card.one('wonder.card_number.length', { 'Card Number': pan });
    expect(i.message).toMatch(new RegExp(`has ${n} digits; card numbers have 12 to 19`));
    expect(card.codes({ 'Card Number': pan })).toEqual(['wonder.card_number.length']);
  });

  it('the length counts digits, after separators are taken out', () => {
    expect(card.codes({ 'Card Number': '4111 1111 1117' })).toEqual(['wonder.card_number.format']);
    expect(card.codes({ 'Card Number': '4111 1111 112' })).toEqual(['wonder.card_number.format', 'wonder.card_number.length']);
  });

  it('a wrong check digit is reported only when the length is right', () => {
    expect(card.codes({ 'Card Number': '411111111118' })).toEqual(['wonder.card_number.luhn']);
    expect(card.codes({ 'Card Number': '41111111111' })).toEqual(['wonder.card_number.length']);
  });

  it.each([' ', '-', '\u00a0', '\u2010', '\u2011', '\u2012', '\u2013', '.'])('%j between digit groups: digits-only fix', (sep) => {
    const pan = ['4111', '1111', '1111', '1111'].join(sep);
    const i = card.one('wonder.card_number.format', { 'Card Number': pan });
    expect(i.fix).toBe('4111111111111111');
    expect(i.message).toBe('Card Number 411111…1111 contains spaces or dashes: enter digits only.');
    expect(card.codes({ 'Card Number': pan })).toEqual(['wonder.card_number.format']);
  });

  it.each(['4111/1111/1111/1111', '4111x1111', '---', '4111\u20141111'])('%j is not a card number: no fix, no length or Luhn finding', (pan) => {
    const i = card.one('wonder.card_number.format', { 'Card Number': pan });
    expect(i.fix).toBeUndefined();
    expect(i.message).toBe('Card Number must contain digits only; check the cell (was the column formatted as a number or date?).');
    expect(card.codes({ 'Card Number': pan })).toEqual(['wonder.card_number.format']);
  });

  it('grouped digits 0 and 9 are digits of the fix', () => {
    expect(card.one('wonder.card_number.format', { 'Card Number': '5105 1051 0510 5100' }).fix).toBe('5105105105105100');
    expect(card.one('wonder.card_number.format', { 'Card Number': '4012 8888 8888 1881' }).fix).toBe('4012888888881881');
  });

  it('a grouped card number with a wrong check digit gets both findings', () => {
    expect(card.codes({ 'Card Number': '4111 1111 1111 1112' })).toEqual(['wonder.card_number.format', 'wonder.card_number.luhn']);
  });
});

describe('Wonder: expiry', () => {
  it.each(['01', '12', ' 05 '])('month %j is accepted', (m) => {
    expect(card.codes({ 'Expiry Month': m })).toEqual([]);
  });

  it.each([
    ['00', 'wonder.expiry_month.range', undefined],
    ['13', 'wonder.expiry_month.range', undefined],
    ['0', 'wonder.expiry_month.range', undefined],
    ['0012', 'wonder.expiry_month.range', undefined],
    ['1', 'wonder.expiry_month.format', '01'],
    ['9', 'wonder.expiry_month.format', '09'],
    ['012', 'wonder.expiry_month.format', '12'],
    ['001', 'wonder.expiry_month.format', '01'],
    ['013', 'wonder.expiry_month.range', undefined],
    ['May', 'wonder.expiry_month.format', undefined],
    ['1.0', 'wonder.expiry_month.format', undefined],
    ['', 'wonder.expiry_month.required', undefined],
  ])('month %j → %s (fix %j)', (m, code, fix) => {
    expect(card.codes({ 'Expiry Month': m })).toEqual([code]);
    expect(card.one(code, { 'Expiry Month': m }).fix).toBe(fix);
  });

  it.each([
    ['00', []],
    ['99', []],
    ['2030', ['wonder.expiry_year.format']],
    ['3', ['wonder.expiry_year.format']],
    ['1930', ['wonder.expiry_year.format']],
    ['203', ['wonder.expiry_year.format']],
    ['3O', ['wonder.expiry_year.format']],
    ['', ['wonder.expiry_year.required']],
  ])('year %j → %j', (y, expected) => {
    expect(card.codes({ 'Expiry Year': y, 'Expiry Month': '12' }, { today: '1999-01-01' })).toEqual(expected);
  });

  it('year fixes: 20YY → YY, Y → 0Y; other four-digit years get none', () => {
    expect(card.one('wonder.expiry_year.format', { 'Expiry Year': '2030' }).fix).toBe('30');
    expect(card.one('wonder.expiry_year.format', { 'Expiry Year': '2030' }).message).toBe('Expiry Year must be YY: write 30 instead of 2030.');
    expect(card.one('wonder.expiry_year.format', { 'Expiry Year': '3' }, { today: '2003-01-01' }).fix).toBe('03');
    expect(card.one('wonder.expiry_year.format', { 'Expiry Year': '1930' }).fix).toBeUndefined();
  });

  it('a card is valid until the end of its expiry month (today 2026-05-01)', () => {
    expect(card.codes({ 'Expiry Month': '05', 'Expiry Year': '26' })).toEqual([]);
    expect(card.codes({ 'Expiry Month': '04', 'Expiry Year': '26' })).toEqual(['wonder.card.expired']);
    expect(card.codes({ 'Expiry Month': '12', 'Expiry Year': '25' })).toEqual(['wonder.card.expired']);
    expect(card.codes({ 'Expiry Month': '01', 'Expiry Year': '27' })).toEqual([]);
    expect(card.one('wonder.card.expired', { 'Expiry Month': '04', 'Expiry Year': '26' }).message).toBe(
      'The card expired at the end of 04/26: ask the customer for a new card or a token.',
    );
    expect(card.codes({ 'Expiry Month': '05', 'Expiry Year': '26' }, { today: '2026-06-01' })).toEqual(['wonder.card.expired']);
    expect(card.codes({ 'Expiry Month': '12', 'Expiry Year': '26' }, { today: '2026-12-31' })).toEqual([]);
    expect(card.codes({ 'Expiry Month': '12', 'Expiry Year': '26' }, { today: '2027-01-01' })).toEqual(['wonder.card.expired']);
  });

  it('expiry is still checked when month or year needed a fix', () => {
    expect(card.codes({ 'Expiry Month': '4', 'Expiry Year': '26' })).toEqual(['wonder.expiry_month.format', 'wonder.card.expired']);
    expect(card.codes({ 'Expiry Month': '04', 'Expiry Year': '2026' })).toEqual(['wonder.expiry_year.format', 'wonder.card.expired']);
    expect(card.codes({ 'Expiry Month': '004', 'Expiry Year': '26' })).toEqual(['wonder.expiry_month.format', 'wonder.card.expired']);
    expect(card.codes({ 'Expiry Month': '1', 'Expiry Year': '6' })).toEqual(['wonder.expiry_month.format', 'wonder.expiry_year.format', 'wonder.card.expired']);
    expect(card.codes({ 'Expiry Month': '13', 'Expiry Year': '20' })).toEqual(['wonder.expiry_month.range']);
    expect(card.codes({ 'Expiry Month': '04', 'Expiry Year': 'xx' })).toEqual(['wonder.expiry_year.format']);
  });

  it('a bad context date is a programming error', () => {
    expect(() => token.codes({}, { today: 'soon' })).toThrow(RangeError);
    expect(() => token.codes({}, { today: '2026-13-01' })).toThrow(RangeError);
    expect(() => token.codes({}, { today: '2026-00-01' })).toThrow(RangeError);
  });

  it('expiry and CVC without a card number are a warning', () => {
    for (const extra of [{ 'Expiry Month': '12' }, { 'Expiry Year': '30' }, { CVC: '123' }] as Record<string, string>[]) {
      expect(token.codes(extra)).toEqual(['wonder.card_fields.without_card_number']);
    }
  });
});

describe('Wonder: CVC 3 or 4 digits', () => {
  it.each([
    ['123', []],
    ['1234', []],
    ['', []],
    ['12', ['wonder.cvc.format']],
    ['12345', ['wonder.cvc.format']],
    ['12a', ['wonder.cvc.format']],
    ['12 3', ['wonder.cvc.format']],
  ])('%j → %j', (CVC, expected) => {
    expect(card.codes({ CVC })).toEqual(expected);
  });

  it('is checked on token rows too', () => {
    expect(token.codes({ CVC: '12' })).toEqual(['wonder.card_fields.without_card_number', 'wonder.cvc.format']);
  });
});

describe('Wonder: card numbers in Remark', () => {
  it.each([
    ['4111111111119', true],
    ['4111111111111111110', true],
    ['paid 4111-1111-1111-1111', true],
    ['411111111117', false], // 12 digits: too short to be taken for one in free text
    ['41111111111111111115', false],
    ['4111111111111112', false],
    ['Invoice 2026-05', false],
  ])('%j → flagged %s', (Remark, flagged) => {
    expect(token.codes({ Remark })).toEqual(flagged ? ['wonder.remark.card_number'] : []);
  });
});

describe('Wonder: duplicates', () => {
  it('the same Reference Number is a warning only with the same Action', () => {
    expect(token.issues([{}, { 'Token ID': 'tok_2' }]).map((i) => [i.row, i.code])).toEqual([[2, 'wonder.reference_number.duplicate']]);
    expect(token.issues([{}, { 'Token ID': 'tok_2', Action: 'authorize' }])).toEqual([]);
    expect(token.issues([{ 'Reference Number': '' }, { 'Reference Number': '', 'Token ID': 'tok_2' }])).toEqual([]);
    const dup = token.issues([{}, { 'Token ID': 'tok_2' }])[0]!;
    expect(dup.message).toBe('Reference Number is already used on row 1 with the same Action: check that this row is not entered twice.');
  });

  it('the same token, amount (10 = 10.00) and action is a possible duplicate charge', () => {
    const two = (second: Record<string, string>) => token.issues([{ 'Reference Number': 'A' }, { 'Reference Number': 'B', ...second }]).map((i) => [i.row, i.code]);
    expect(two({ Amount: '10' })).toEqual([[2, 'wonder.charge.duplicate']]);
    expect(two({ Amount: '10.01' })).toEqual([]);
    expect(two({ 'Token ID': 'tok_2' })).toEqual([]);
    expect(two({ Action: 'authorize' })).toEqual([]);
    expect(token.issues([{ 'Reference Number': 'A' }, { 'Reference Number': 'B' }])[0]!.message).toBe(
      'Possible duplicate: same action, card/token or original transaction and amount as row 1. Delete one of the rows if it was entered twice.',
    );
  });

  it('the same card (digits compared) and amount is a duplicate; an invalid amount is left to the row rules', () => {
    expect(card.issues([{}, { 'Card Number': '4111-1111-1111-1111' }]).map((i) => [i.row, i.code])).toEqual([
      [2, 'wonder.charge.duplicate'],
      [2, 'wonder.card_number.format'],
    ]);
    expect(card.issues([{ Amount: 'x' }, { Amount: 'x' }]).map((i) => i.code)).toEqual(['wonder.amount.invalid', 'wonder.amount.invalid']);
  });

  it('rows naming neither token, card nor original transaction are not compared', () => {
    expect(token.issues([{ 'Token ID': '', 'Reference Number': 'A' }, { 'Token ID': '', 'Reference Number': 'B' }]).map((i) => i.code)).toEqual([
      'wonder.payment_method.missing',
      'wonder.payment_method.missing',
    ]);
  });
});

describe('Wonder: hostile Action values', () => {
  it.each(['constructor', 'Constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('%j is not an action (no lowercase fix)', (Action) => {
    expect(token.codes({ Action })).toEqual(['wonder.action.invalid']);
    expect(token.one('wonder.action.invalid', { Action }).fix).toBeUndefined();
  });
});

describe('Wonder: the validation date comes from the caller and is checked', () => {
  it.each(['20x6-05-01', '2026-5x-01', '2026-1.-01', '2026.5-05-01', '2026-02-30', '2026-05-01T00:00', ''])('today %j is refused with its value named', (today) => {
    expect(() => wonder.createRowChecker(ctx({ today }))).toThrow(new RangeError(`ValidationContext.today must be YYYY-MM-DD, got ${today}`));
  });

  it('months 01 and 12 are accepted', () => {
    expect(() => wonder.createRowChecker(ctx({ today: '2026-01-01' }))).not.toThrow();
    expect(() => wonder.createRowChecker(ctx({ today: '2026-12-31' }))).not.toThrow();
  });
});

describe('Wonder: expiry messages and the fields that fail', () => {
  it('a grouped card number with 9s is fixed to its digits', () => {
    const i = card.one('wonder.card_number.format', { 'Card Number': '4999 9999 9999 9996' });
    expect(i.fix).toBe('4999999999999996');
    expect(card.codes({ 'Card Number': '4999-9999-9999-9996' })).toEqual(['wonder.card_number.format']);
  });

  it('a missing or unreadable month is not taken for January (no expiry finding from it)', () => {
    expect(card.codes({ 'Expiry Month': '', 'Expiry Year': '26' })).toEqual(['wonder.expiry_month.required']);
    expect(card.codes({ 'Expiry Month': 'Jan', 'Expiry Year': '26' })).toEqual(['wonder.expiry_month.format']);
    expect(card.codes({ 'Expiry Month': '00', 'Expiry Year': '26' })).toEqual(['wonder.expiry_month.range']);
    expect(card.codes({ 'Expiry Month': '0', 'Expiry Year': '26' })).toEqual(['wonder.expiry_month.range']);
  });

  it('year 00 is 2000: expired today, accepted in 1999', () => {
    expect(card.codes({ 'Expiry Month': '12', 'Expiry Year': '00' })).toEqual(['wonder.card.expired']);
    expect(card.one('wonder.card.expired', { 'Expiry Month': '1', 'Expiry Year': '0' }).message).toBe(
      'The card expired at the end of 01/00: ask the customer for a new card or a token.',
    );
    expect(card.codes({ 'Expiry Month': '12', 'Expiry Year': '00' }, { today: '2000-12-01' })).toEqual([]);
    expect(card.codes({ 'Expiry Month': '12', 'Expiry Year': '00' }, { today: '2001-01-01' })).toEqual(['wonder.card.expired']);
  });

  it('month messages say what to write', () => {
    expect(card.one('wonder.expiry_month.format', { 'Expiry Month': '5' }).message).toBe('Expiry Month must have two digits: write 05.');
    expect(card.one('wonder.expiry_month.format', { 'Expiry Month': '012' }).message).toBe('Expiry Month must be MM: write 12.');
    expect(card.one('wonder.expiry_month.range', { 'Expiry Month': '13' }).message).toBe('Expiry Month "13" must be between 01 and 12.');
    expect(card.one('wonder.expiry_month.range', { 'Expiry Month': '0012' }).message).toBe('Expiry Month "0012" must be between 01 and 12.');
    expect(card.one('wonder.expiry_month.format', { 'Expiry Month': 'May' }).message).toBe('Expiry Month "May" must be two digits, 01 to 12.');
    expect(card.one('wonder.expiry_month.required', { 'Expiry Month': '' }).message).toBe('Expiry Month is required with a Card Number: enter MM, e.g. 05.');
  });

  it('long month and year values are cut to 10 characters in messages', () => {
    expect(card.one('wonder.expiry_month.range', { 'Expiry Month': '1234567890123' }).message).toBe('Expiry Month "1234567890" must be between 01 and 12.');
    expect(card.one('wonder.expiry_month.format', { 'Expiry Month': 'December 2030' }).message).toBe('Expiry Month "December 2" must be two digits, 01 to 12.');
    expect(card.one('wonder.expiry_year.format', { 'Expiry Year': 'in the year 2030' }).message).toBe('Expiry Year "in the yea" must be two digits (YY), e.g. 27 for 2027.');
  });

  it('year messages say what to write; only a four-digit 20YY is shortened', () => {
    expect(card.one('wonder.expiry_year.format', { 'Expiry Year': '7' }, { today: '2001-01-01' }).message).toBe('Expiry Year must have two digits: write 07.');
    expect(card.one('wonder.expiry_year.required', { 'Expiry Year': '' }).message).toBe('Expiry Year is required with a Card Number: enter YY, e.g. 27 for 2027.');
    for (const y of ['203', '20300', '20ab', '2O30']) {
      const i = card.one('wonder.expiry_year.format', { 'Expiry Year': y });
      expect(i.fix, y).toBeUndefined();
      expect(i.message, y).toBe(`Expiry Year "${y}" must be two digits (YY), e.g. 27 for 2027.`);
      expect(card.codes({ 'Expiry Year': y }), y).toEqual(['wonder.expiry_year.format']);
    }
  });
});

describe('Wonder: duplicate keys', () => {
  it('Action compares without case: payment and PAYMENT with the same Reference Number are duplicates', () => {
    const issues = token.issues([{}, { Action: 'PAYMENT', 'Token ID': 'tok_2' }]).map((i) => [i.row, i.code]);
    expect(issues).toEqual([
      [2, 'wonder.action.case'],
      [2, 'wonder.reference_number.duplicate'],
    ]);
    const charge = token.issues([{ 'Reference Number': 'A' }, { 'Reference Number': 'B', Action: 'Payment' }]).map((i) => [i.row, i.code]);
    expect(charge).toEqual([
      [2, 'wonder.action.case'],
      [2, 'wonder.charge.duplicate'],
    ]);
  });

  it('refunds of different original transactions with the same token and amount are not duplicates', () => {
    const refund = { Action: 'refund', 'Token ID': 'tok_1', Amount: '5.00' };
    expect(token.issues([{ ...refund, 'Reference Number': 'A', 'Original Transaction ID': 'tx-1' }, { ...refund, 'Reference Number': 'B', 'Original Transaction ID': 'tx-2' }])).toEqual([]);
    expect(
      token.issues([{ ...refund, 'Reference Number': 'A', 'Original Transaction ID': 'tx-1' }, { ...refund, 'Reference Number': 'B', 'Original Transaction ID': 'tx-1' }]).map((i) => [i.row, i.code]),
    ).toEqual([[2, 'wonder.charge.duplicate']]);
  });

  it('amounts compare in the batch currency’s minor units: KWD has three decimals', () => {
    const two = (a: string, b: string) => token.issues([{ 'Reference Number': 'A', Amount: a }, { 'Reference Number': 'B', Amount: b }], { currency: 'KWD' }).map((i) => i.code);
    expect(two('1.005', '1.005')).toEqual(['wonder.charge.duplicate']);
    expect(two('1', '1.000')).toEqual(['wonder.charge.duplicate']);
    expect(two('1.005', '1.0050')).toEqual(['wonder.amount.decimals']); // an invalid amount is left to the row rules
    expect(two('1.005', '1.006')).toEqual([]);
  });
});
