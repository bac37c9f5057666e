/**
 * JPMMPS 1.27 Authorize (SPEC §4A) at every limit, both ways: presentationAmount decimal, whole for
 * currencies without decimals; presentationUsage ≤ 127 (≤ 22 recommended); localDate yyyy-MM-dd;
 * localTime HHmmss; partnerReference unique.
 */
import { describe, expect, it } from 'vitest';
import { jpmmps } from '../../../shared/formats/profiles';
import { checker } from './rules';

const BASE = { partnerReference: 'p-1', storedPaymentOptionReference: 'spo-1', presentationAmount: '3.99', presentationCurrCode: 'EUR' };
const row = checker(jpmmps, BASE);

describe('JPMMPS: the basic row is valid', () => {
  it('with and without the optional fields', () => {
    expect(row.codes()).toEqual([]);
    expect(row.codes({ programAccno: '1679541175', accno: 'MERCHANT-DE4321', accnoType: '00', presentationUsage: 'Purchase', useDifferentBillingAddress: 'true', localDate: '2018-10-30', localTime: '151506', custom1: 'VIN' })).toEqual([]);
  });

  it('partnerReference and storedPaymentOptionReference are required', () => {
    expect(row.codes({ partnerReference: '' })).toEqual(['jpmmps.partner_reference.required']);
    expect(row.codes({ storedPaymentOptionReference: '  ' })).toEqual(['jpmmps.stored_payment_option_reference.required']);
  });
});

describe('JPMMPS: presentationAmount and presentationCurrCode', () => {
  it.each([
    ['0.01', 'EUR', []],
    ['0', 'EUR', ['jpmmps.presentation_amount.not_positive']],
    ['3.999', 'EUR', ['jpmmps.presentation_amount.decimals']],
    ['90071992547409.91', 'EUR', []],
    ['90071992547409.92', 'EUR', ['jpmmps.presentation_amount.invalid']],
    ['500', 'JPY', []],
    ['500.5', 'JPY', ['jpmmps.presentation_amount.not_whole']],
    ['500.0', 'JPY', ['jpmmps.presentation_amount.not_whole']],
    ['9007199254740991', 'JPY', []],
    ['9007199254740992', 'JPY', ['jpmmps.presentation_amount.invalid']],
    ['0.005', 'BHD', []],
    ['', 'EUR', ['jpmmps.presentation_amount.required']],
    ['3,99', 'EUR', ['jpmmps.presentation_amount.invalid']],
  ])('%j %s → %j', (presentationAmount, presentationCurrCode, codes) => {
    expect(row.codes({ presentationAmount, presentationCurrCode })).toEqual(codes);
  });

  it('an empty currency is an error with the batch currency as fix; the batch currency then sets the decimals', () => {
    expect(row.one('jpmmps.presentation_curr_code.required', { presentationCurrCode: '' }).fix).toBe('HKD');
    expect(row.one('jpmmps.presentation_curr_code.required', { presentationCurrCode: '' }).message).toBe('presentationCurrCode is required: enter the ISO 4217 code, e.g. HKD.');
    expect(row.one('jpmmps.presentation_curr_code.required', { presentationCurrCode: '' }, { currency: 'QQQ' }).fix).toBeUndefined();
    expect(row.codes({ presentationCurrCode: '', presentationAmount: '5' }, { currency: 'JPY' })).toEqual(['jpmmps.presentation_curr_code.required']);
    expect(row.codes({ presentationCurrCode: '', presentationAmount: '5.5' }, { currency: 'JPY' })).toEqual(['jpmmps.presentation_amount.not_whole', 'jpmmps.presentation_curr_code.required']);
  });

  it('a lower-case code gets its fix and its decimals', () => {
    const i = row.one('jpmmps.presentation_curr_code.invalid', { presentationCurrCode: 'jpy', presentationAmount: '500' });
    expect(i.fix).toBe('JPY');
    expect(i.message).toBe('presentationCurrCode "jpy" is not an ISO 4217 code (three capital letters, e.g. EUR).');
    expect(row.codes({ presentationCurrCode: 'jpy', presentationAmount: '500.5' })).toEqual(['jpmmps.presentation_amount.not_whole', 'jpmmps.presentation_curr_code.invalid']);
    expect(row.one('jpmmps.presentation_amount.not_whole', { presentationCurrCode: 'jpy', presentationAmount: '500.5' }).message).toBe('presentationAmount: JPY has no decimals; enter a whole amount.');
    expect(row.one('jpmmps.presentation_curr_code.invalid', { presentationCurrCode: 'XYZ' }).fix).toBeUndefined();
    expect(row.one('jpmmps.presentation_curr_code.invalid', { presentationCurrCode: 'a-very-long-code' }).message).toContain('"a-very-lon"');
  });
});

describe('JPMMPS: decimals when the currency is not usable', () => {
  it('an unknown row currency, or an empty one with an unknown batch currency, means two decimals', () => {
    expect(row.codes({ presentationCurrCode: 'xyz', presentationAmount: '3.99' })).toEqual(['jpmmps.presentation_curr_code.invalid']);
    expect(row.codes({ presentationCurrCode: 'xyz', presentationAmount: '3.999' }).sort()).toEqual(['jpmmps.presentation_amount.decimals', 'jpmmps.presentation_curr_code.invalid']);
    expect(row.codes({ presentationCurrCode: '', presentationAmount: '3.99' }, { currency: 'QQQ' })).toEqual(['jpmmps.presentation_curr_code.required']);
    expect(row.codes({ presentationCurrCode: '', presentationAmount: '3.999' }, { currency: 'QQQ' }).sort()).toEqual(['jpmmps.presentation_amount.decimals', 'jpmmps.presentation_curr_code.required']);
  });
});

describe('JPMMPS: presentationUsage', () => {
  it('22 characters: nothing; 23: a warning; 127: still only the warning; 128: an error with a fix', () => {
    expect(row.codes({ presentationUsage: 'u'.repeat(22) })).toEqual([]);
    expect(row.codes({ presentationUsage: 'u'.repeat(23) })).toEqual(['jpmmps.presentation_usage.long']);
    expect(row.one('jpmmps.presentation_usage.long', { presentationUsage: 'u'.repeat(23) }).message).toBe(
      'presentationUsage has 23 characters; many payment options show only the first 22. Put the key information first.',
    );
    expect(row.codes({ presentationUsage: 'u'.repeat(127) })).toEqual(['jpmmps.presentation_usage.long']);
    const i = row.one('jpmmps.presentation_usage.length', { presentationUsage: 'u'.repeat(128) });
    expect(i.fix).toBe('u'.repeat(127));
    expect(i.message).toBe('presentationUsage has 128 characters; the maximum is 127. Shorten it, most important information first.');
    expect(row.codes({ presentationUsage: 'u'.repeat(128) })).toEqual(['jpmmps.presentation_usage.length']);
    expect(row.one('jpmmps.presentation_usage.length', { presentationUsage: `${'u'.repeat(125)}  vv` }).fix).toBe('u'.repeat(125));
  });
});

describe('JPMMPS: useDifferentBillingAddress', () => {
  it.each(['true', 'false', ''])('%j is accepted', (useDifferentBillingAddress) => {
    expect(row.codes({ useDifferentBillingAddress })).toEqual([]);
  });

  it.each([
    ['TRUE', 'true'],
    ['Yes', 'true'],
    ['y', 'true'],
    ['1', 'true'],
    ['False', 'false'],
    ['no', 'false'],
    ['N', 'false'],
    ['0', 'false'],
    ['maybe', undefined],
  ])('%j is refused (fix %j)', (useDifferentBillingAddress, fix) => {
    const i = row.one('jpmmps.use_different_billing_address.invalid', { useDifferentBillingAddress });
    expect(i.fix).toBe(fix);
    expect(i.message).toBe(`useDifferentBillingAddress must be true or false${fix ? `: write ${fix}` : ''}.`);
  });
});

describe('JPMMPS: localDate yyyy-MM-dd and localTime HHmmss', () => {
  it.each(['2018-10-30', '2020-02-29', '2000-02-29', '2018-12-31', '2018-01-01', ''])('localDate %j is accepted', (localDate) => {
    expect(row.codes({ localDate })).toEqual([]);
  });

  it.each([
    ['2018-02-29', undefined],
    ['1900-02-29', undefined],
    ['2018-04-31', undefined],
    ['2018-13-01', undefined],
    ['2018-00-10', undefined],
    ['2018-10-00', undefined],
    ['2018-10-3', '2018-10-03'],
    ['2018-1-5', '2018-01-05'],
    ['2018/10/30', '2018-10-30'],
    ['2018.1.5', '2018-01-05'],
    ['20181030', '2018-10-30'],
    ['2018-10-30T10:00:00Z', '2018-10-30'],
    ['2018-10-30 10:00', '2018-10-30'],
    ['2018/02/30', undefined],
    ['20180230', undefined],
    ['30.10.2018', undefined],
    ['2018-1o-30', undefined],
    ['2018-1-30', '2018-01-30'],
    // a digit too many before or after: no fix (which digit is extra is a guess)
    ['12018/10/30', undefined],
    ['2018/10/301', undefined],
    ['120181030', undefined],
    ['201810301', undefined],
    ['12018-10-30', undefined],
    ['2018-10-301', undefined],
    ['x2018-10-30T10:00', undefined],
  ])('localDate %j is refused (fix %j)', (localDate, fix) => {
    expect(row.one('jpmmps.local_date.format', { localDate }).fix).toBe(fix);
    expect(row.codes({ localDate })).toEqual(['jpmmps.local_date.format']);
  });

  it.each(['000000', '235959', '120000', ''])('localTime %j is accepted', (localTime) => {
    expect(row.codes({ localTime })).toEqual([]);
  });

  it.each([
    ['240000', undefined],
    ['236000', undefined],
    ['235960', undefined],
    ['2359', undefined],
    ['1515060', undefined],
    ['15:15:06', '151506'],
    ['9:15', '091500'],
    ['09.15', '091500'],
    ['9:15:30', '091530'],
    ['91500', '091500'],
    ['25:00', undefined],
    ['96000', undefined],
    ['9:60', undefined],
    ['a1b2c3', undefined],
    ['0:00', '000000'],
    ['109:15', undefined],
    ['9:15:301', undefined],
  ])('localTime %j is refused (fix %j)', (localTime, fix) => {
    expect(row.one('jpmmps.local_time.format', { localTime }).fix).toBe(fix);
    expect(row.codes({ localTime })).toEqual(['jpmmps.local_time.format']);
  });
});

describe('JPMMPS: duplicates and card numbers in text', () => {
  it('partnerReference must be unique in the batch (an error)', () => {
    const issues = row.issues([{ storedPaymentOptionReference: 'a' }, { storedPaymentOptionReference: 'b' }]);
    expect(issues.map((i) => [i.row, i.code, i.severity])).toEqual([[2, 'jpmmps.partner_reference.duplicate', 'error']]);
    expect(issues[0]!.message).toBe('partnerReference is already used on row 1; each request needs its own reference. Give this row a new one.');
    // two missing references are two missing references, not one used twice
    expect(row.issues([{ partnerReference: '', storedPaymentOptionReference: 'a' }, { partnerReference: '', storedPaymentOptionReference: 'b' }]).map((i) => [i.row, i.code])).toEqual([
      [1, 'jpmmps.partner_reference.required'],
      [2, 'jpmmps.partner_reference.required'],
    ]);
  });

  it('the same stored payment option, amount (3.9 = 3.90) and currency is a possible duplicate charge', () => {
    const two = (second: Record<string, string>) => row.issues([{ presentationAmount: '3.90' }, { partnerReference: 'p-2', ...second }]).map((i) => i.code);
    expect(two({ presentationAmount: '3.9' })).toEqual(['jpmmps.charge.duplicate']);
    expect(two({ presentationAmount: '3.91' })).toEqual([]);
    expect(two({ presentationAmount: '3.90', presentationCurrCode: 'USD' })).toEqual([]);
    expect(two({ presentationAmount: '3.90', storedPaymentOptionReference: 'spo-2' })).toEqual([]);
    expect(row.issues([{ presentationCurrCode: 'JPY', presentationAmount: '500' }, { partnerReference: 'p-2', presentationCurrCode: 'JPY', presentationAmount: '500' }]).map((i) => i.code)).toEqual([
      'jpmmps.charge.duplicate',
    ]);
    expect(two({ presentationAmount: '3.90', presentationCurrCode: 'eur' })).toEqual(['jpmmps.charge.duplicate', 'jpmmps.presentation_curr_code.invalid']);
    const dup = row.issues([{}, { partnerReference: 'p-2' }]);
    expect(dup.map((i) => i.row)).toEqual([2]);
    expect(dup[0]!.message).toBe('Possible duplicate charge: same stored payment option, amount and currency as row 1. Delete one if it was entered twice.');
  });

  it('the same amount in the row currency’s own decimals (1.5 = 1.500 KWD) is the same charge', () => {
    const two = (a: string, b: string) => row.issues([{ presentationCurrCode: 'KWD', presentationAmount: a }, { partnerReference: 'p-2', presentationCurrCode: 'KWD', presentationAmount: b }]).map((i) => i.code);
    expect(two('1.5', '1.500')).toEqual(['jpmmps.charge.duplicate']);
    expect(two('1.5', '1.501')).toEqual([]);
  });

  it('rows without a stored payment option are not duplicate charges of each other', () => {
    expect(row.issues([{ storedPaymentOptionReference: '' }, { partnerReference: 'p-2', storedPaymentOptionReference: '' }]).map((i) => [i.row, i.code])).toEqual([
      [1, 'jpmmps.stored_payment_option_reference.required'],
      [2, 'jpmmps.stored_payment_option_reference.required'],
    ]);
  });

  it('presentationUsage and custom1 may not carry a card number', () => {
    expect(row.codes({ presentationUsage: '4111111111111111' })).toEqual(['jpmmps.presentation_usage.card_number']);
    expect(row.codes({ custom1: 'VIN 4111-1111-1111-1111' })).toEqual(['jpmmps.custom1.card_number']);
  });
});
