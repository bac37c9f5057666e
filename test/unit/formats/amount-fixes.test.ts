import { describe, expect, it } from 'vitest';
import { epay, jpmmps, sibs, wonder } from '../../../shared/formats/profiles';
import { validateRow } from '../../../shared/formats/validate';
import type { Issue } from '../../../shared/formats/types';
import type { ValidationContext } from '../../../shared/formats/profile';
import { ctx, rowOf } from './helpers';

/** Issue.fix must never change the value the clerk meant: these are the unsafe ones that were offered. */
function amountIssue(issues: readonly Issue[], code: string): Issue {
  const hit = issues.find((i) => i.code === code);
  if (!hit) throw new Error(`no ${code} in ${JSON.stringify(issues)}`);
  return hit;
}

const WONDER = { Action: 'payment', Amount: '10.00', 'Token ID': 'tok_1' };
const EPAY = {
  subscriptionId: '01929a94-5fce-7ccc-a7e4-7e9249133b39',
  amount: '1095',
  currency: 'DKK',
  notificationUrl: 'https://example.com/epay/notification',
};

function wonderAmount(amount: string, over: Partial<ValidationContext> = {}): Issue {
  return amountIssue(validateRow(wonder, rowOf(wonder, { ...WONDER, Amount: amount }), 1, ctx(over)), 'wonder.amount.decimals');
}

function epayAmount(amount: string, currency = 'DKK'): Issue {
  return amountIssue(validateRow(epay, rowOf(epay, { ...EPAY, amount, currency }), 1, ctx()), 'epay.amount.decimals');
}

describe('amount with a dot and three digits: thousands separator or decimals? no fix', () => {
  it('Wonder/HKD 1.000 and 2.500: no fix, the message names both readings', () => {
    const one = wonderAmount('1.000');
    expect(one.fix).toBeUndefined();
    expect(one.message).toBe('Amount "1.000" is ambiguous: write 1000 if the dot separates thousands, or 1.00 if it is a decimal point.');
    const two = wonderAmount('2.500');
    expect(two.fix).toBeUndefined();
    expect(two.message).toContain('write 2500 if the dot separates thousands, or 2.50 if it is a decimal point');
    expect(wonderAmount('999.000').fix).toBeUndefined();
    expect(wonderAmount('12.345').fix).toBeUndefined();
    expect(wonderAmount('12.345').message).toContain('write 12345 if the dot separates thousands');
  });

  it('JPY (no decimals) 1.000: no fix either', () => {
    const i = wonderAmount('1.000', { currency: 'JPY' });
    expect(i.fix).toBeUndefined();
    expect(i.message).toContain('write 1000 if the dot separates thousands, or 1 if it is a decimal point');
  });

  it('minor units 1.000: no fix', () => {
    expect(wonderAmount('1.000', { amountUnit: 'minor' }).fix).toBeUndefined();
    expect(epayAmount('1.000').fix).toBeUndefined();
    expect(epayAmount('2.500').fix).toBeUndefined();
  });

  it('SIBS and JPMMPS (EUR) the same', () => {
    const s = validateRow(sibs, rowOf(sibs, { merchantTransactionId: 'M1', amount: '1.000', currency: 'EUR', originalTransactionId: 't', originalTransactionDatetime: '2026-04-16T10:15:30Z' }), 1, ctx());
    expect(amountIssue(s, 'sibs.amount.decimals').fix).toBeUndefined();
    const j = validateRow(jpmmps, rowOf(jpmmps, { partnerReference: 'P1', storedPaymentOptionReference: 'spo', presentationAmount: '2.500', presentationCurrCode: 'EUR' }), 1, ctx());
    expect(amountIssue(j, 'jpmmps.presentation_amount.decimals').fix).toBeUndefined();
  });

  it('a currency with 3 decimals accepts 1.000 as is', () => {
    expect(validateRow(wonder, rowOf(wonder, { ...WONDER, Amount: '1.000' }), 1, ctx({ currency: 'KWD' }))).toEqual([]);
  });

  it('unambiguous superfluous zeros still get their fix', () => {
    expect(wonderAmount('1234.000').fix).toBe('1234.00');
    expect(wonderAmount('10.5000').fix).toBe('10.50');
    expect(wonderAmount('5.0000', { currency: 'JPY' }).fix).toBe('5');
  });
});

describe('ePay minor units with a spreadsheet number format', () => {
  it('1095.00 → fix 1095 (drop the zeros), not 109500', () => {
    const i = epayAmount('1095.00');
    expect(i.fix).toBe('1095');
    expect(i.message).toContain('write 1095');
    expect(i.message).not.toContain('109500');
    expect(epayAmount('2500.0').fix).toBe('2500');
    expect(epayAmount('1095.00', '').fix).toBe('1095');
  });

  it('10.95 (non-zero fraction) → major→minor conversion 1095, and the message says it converts', () => {
    const i = epayAmount('10.95');
    expect(i.fix).toBe('1095');
    expect(i.message).toContain('If 10.95 is meant in major units, write 1095');
    expect(i.message).toContain('converts it to minor units (× 100)');
    expect(epayAmount('10.5').fix).toBe('1050');
  });

  it('JPY 10.5: no conversion possible, no fix', () => {
    const i = epayAmount('10.5', 'JPY');
    expect(i.fix).toBeUndefined();
  });
});
