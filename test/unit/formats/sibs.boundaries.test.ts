/**
 * SIBS (SPEC §3.3) at every limit, both ways. Clock: 2026-05-01T12:00:00Z. merchantTransactionId
 * unique and ≤ 35 characters; amount in major units with the currency's decimals; the CIT datetime
 * with a zone and not in the future; validityDate after now (a date is valid through its day);
 * schedule complete and in order.
 */
import { describe, expect, it } from 'vitest';
import { sibs } from '../../../shared/formats/profiles';
import { checker } from './rules';

const BASE = {
  merchantTransactionId: 'MIT-1',
  amount: '29.90',
  currency: 'EUR',
  originalTransactionId: 'txCIT1',
  originalTransactionDatetime: '2026-04-16T10:15:30.000Z',
};
const MIT = { mitType: 'RCRR', amountQualifier: 'ACTUAL', validityDate: '2027-04-16' };
const SCHEDULE = { scheduleInitialDate: '2026-05-01', scheduleFinalDate: '2027-05-01', scheduleInterval: 'MONTHLY' };
const row = checker(sibs, BASE);
const mit = checker(sibs, { ...BASE, ...MIT });
const scheduled = checker(sibs, { ...BASE, ...MIT, ...SCHEDULE });

describe('SIBS: valid rows', () => {
  it('basic, with MIT details, with a schedule', () => {
    expect(row.codes()).toEqual([]);
    expect(mit.codes()).toEqual([]);
    expect(scheduled.codes()).toEqual([]);
  });
});

describe('SIBS: merchantTransactionId', () => {
  it('35 characters are accepted, 36 refused; empty is required', () => {
    expect(row.codes({ merchantTransactionId: 'x'.repeat(35) })).toEqual([]);
    expect(row.codes({ merchantTransactionId: 'x'.repeat(36) })).toEqual(['sibs.merchant_transaction_id.length']);
    expect(row.one('sibs.merchant_transaction_id.length', { merchantTransactionId: 'x'.repeat(36) }).message).toBe(
      'merchantTransactionId has 36 characters; SIBS accepts at most 35. Shorten it (it must stay unique).',
    );
    expect(row.codes({ merchantTransactionId: ` ${'x'.repeat(35)} ` })).toEqual([]);
    expect(row.codes({ merchantTransactionId: '' })).toEqual(['sibs.merchant_transaction_id.required']);
  });

  it('must be unique in the batch (an error)', () => {
    const issues = row.issues([{ originalTransactionId: 'a' }, { originalTransactionId: 'b' }]);
    expect(issues.map((i) => [i.row, i.code, i.severity])).toEqual([[2, 'sibs.merchant_transaction_id.duplicate', 'error']]);
    expect(issues[0]!.message).toBe('merchantTransactionId is already used on row 1; SIBS requires a unique id per transaction. Give this row its own id.');
    expect(row.issues([{ originalTransactionId: 'a' }, { originalTransactionId: 'b', merchantTransactionId: 'MIT-2' }])).toEqual([]);
    // two missing ids are two missing ids, not one id used twice
    expect(row.issues([{ originalTransactionId: 'a', merchantTransactionId: '' }, { originalTransactionId: 'b', merchantTransactionId: '' }]).map((i) => [i.row, i.code])).toEqual([
      [1, 'sibs.merchant_transaction_id.required'],
      [2, 'sibs.merchant_transaction_id.required'],
    ]);
  });
});

describe('SIBS: amount and currency', () => {
  it.each([
    ['0.01', 'EUR', []],
    ['0.00', 'EUR', ['sibs.amount.not_positive']],
    ['29.9', 'EUR', []],
    ['29.901', 'EUR', ['sibs.amount.decimals']],
    ['90071992547409.91', 'EUR', []],
    ['90071992547409.92', 'EUR', ['sibs.amount.invalid']],
    ['1', 'JPY', []],
    ['1.5', 'JPY', ['sibs.amount.decimals']],
    ['9007199254740991', 'JPY', []],
    ['9007199254740992', 'JPY', ['sibs.amount.invalid']],
    ['1.005', 'BHD', []],
    ['1.0005', 'BHD', ['sibs.amount.decimals']],
    ['', 'EUR', ['sibs.amount.required']],
    ['29,90', 'EUR', ['sibs.amount.invalid']],
  ])('%j %s → %j', (amount, currency, codes) => {
    expect(row.codes({ amount, currency })).toEqual(codes);
  });

  it('currency is required (the batch currency as fix) and must be an ISO 4217 code', () => {
    expect(row.one('sibs.currency.required', { currency: '' }, { currency: 'EUR' }).fix).toBe('EUR');
    expect(row.one('sibs.currency.required', { currency: '' }, { currency: 'QQQ' }).fix).toBeUndefined();
    expect(row.codes({ currency: '', amount: '1.5' }, { currency: 'JPY' })).toEqual(['sibs.amount.decimals', 'sibs.currency.required']);
    expect(row.one('sibs.currency.invalid', { currency: 'eur' }).fix).toBe('EUR');
    expect(row.one('sibs.currency.invalid', { currency: 'XYZ' }).fix).toBeUndefined();
    expect(row.one('sibs.currency.invalid', { currency: 'euro-currency' }).message).toBe('currency "euro-curre" is not an ISO 4217 code (three capital letters, e.g. EUR).');
    // the upper-cased code decides the decimals: jpy has none
    expect(row.codes({ currency: 'jpy', amount: '1.5' })).toEqual(['sibs.amount.decimals', 'sibs.currency.invalid']);
    expect(row.codes({ currency: 'jpy', amount: '15' })).toEqual(['sibs.currency.invalid']);
    // unknown: the batch currency's decimals
    expect(row.codes({ currency: 'XYZ', amount: '1.5' }, { currency: 'JPY' })).toEqual(['sibs.amount.decimals', 'sibs.currency.invalid']);
    // a batch currency that is no ISO code either: two decimals, as for most currencies
    expect(row.codes({ currency: '', amount: '29.90' }, { currency: 'QQQ' })).toEqual(['sibs.currency.required']);
    expect(row.codes({ currency: '', amount: '29.901' }, { currency: 'QQQ' })).toEqual(['sibs.amount.decimals', 'sibs.currency.required']);
  });

  it('the amount messages name the column and the currency whose decimals apply', () => {
    expect(row.one('sibs.amount.decimals', { amount: '29.9012' }).message).toBe('amount: EUR allows at most 2 decimals.');
    expect(row.one('sibs.amount.decimals', { amount: '1.5', currency: '' }, { currency: 'JPY' }).message).toBe('amount: JPY has no decimals; enter a whole amount.');
  });
});

describe('SIBS: the original (CIT) transaction', () => {
  it('id and datetime are required', () => {
    expect(row.codes({ originalTransactionId: '' })).toEqual(['sibs.original_transaction_id.required']);
    expect(row.codes({ originalTransactionDatetime: '' })).toEqual(['sibs.original_transaction_datetime.required']);
  });

  it.each([
    '2026-04-16T10:15:30.000Z',
    '2026-04-16T10:15:30Z',
    '2026-04-16T10:15:30z',
    '2026-04-16 10:15:30Z',
    '2026-04-16T10:15Z',
    '2026-04-16T10:15:30.123456789Z',
    '2026-04-16T10:15:30,5Z',
    '2026-04-16T10:15:30+01:00',
    '2026-04-16T10:15:30+0100',
    '2026-04-16T10:15:30+01',
    '2026-04-16T10:15:30-05:30',
    '2026-04-16T23:59:59+23:59',
    '2024-02-29T00:00:00Z',
  ])('%s is accepted', (originalTransactionDatetime) => {
    expect(row.codes({ originalTransactionDatetime })).toEqual([]);
  });

  it.each([
    ['2026-04-16T10:15:30', true],
    ['2026-04-16T10:15', true],
    ['2026-04-16', false],
    ['2026-04-16T24:00:00Z', false],
    ['2026-04-16T10:60:00Z', false],
    ['2026-04-16T10:15:60Z', false],
    ['2026-02-29T10:15:30Z', false],
    ['2026-04-31T10:15:30Z', false],
    ['2026-13-01T10:15:30Z', false],
    ['2026-00-01T10:15:30Z', false],
    ['2026-04-00T10:15:30Z', false],
    ['2026-04-16T10:15:30+24:00', false],
    ['2026-04-16T10:15:30+01:60', false],
    ['2026-04-16T10:15:30.Z', false],
    ['16/04/2026 10:15', false],
  ])('%s is refused (zone missing: %s)', (originalTransactionDatetime, zoneMissing) => {
    const i = row.one('sibs.original_transaction_datetime.format', { originalTransactionDatetime });
    expect(i.message).toBe(`originalTransactionDatetime must be an ISO 8601 date-time with its time zone, exactly as SIBS returned it, e.g. 2026-04-16T10:15:30.000Z${zoneMissing ? ' (the zone is missing)' : ''}.`);
    expect(row.codes({ originalTransactionDatetime })).toEqual(['sibs.original_transaction_datetime.format']);
  });

  it('offsets move the instant: the future is judged on it (now 2026-05-01T12:00:00Z)', () => {
    expect(row.codes({ originalTransactionDatetime: '2026-05-01T12:00:00Z' })).toEqual([]);
    expect(row.codes({ originalTransactionDatetime: '2026-05-01T12:00:00.001Z' })).toEqual(['sibs.original_transaction_datetime.future']);
    expect(row.codes({ originalTransactionDatetime: '2026-05-01T12:00:01Z' })).toEqual(['sibs.original_transaction_datetime.future']);
    expect(row.codes({ originalTransactionDatetime: '2026-05-01T13:00:00+01:00' })).toEqual([]);
    expect(row.codes({ originalTransactionDatetime: '2026-05-01T13:00:01+01:00' })).toEqual(['sibs.original_transaction_datetime.future']);
    expect(row.codes({ originalTransactionDatetime: '2026-05-01T07:00:00-05:00' })).toEqual([]);
    expect(row.codes({ originalTransactionDatetime: '2026-05-01T07:00:01-05:00' })).toEqual(['sibs.original_transaction_datetime.future']);
    expect(row.codes({ originalTransactionDatetime: '2026-05-01T12:30:00+0030' })).toEqual([]);
    expect(row.codes({ originalTransactionDatetime: '2026-05-01T12:30:01+0030' })).toEqual(['sibs.original_transaction_datetime.future']);
  });

  it('must match the CIT recorded locally, character for character', () => {
    const known = (id: string) => (id === 'txCIT1' ? '2026-04-16T10:15:30.000Z' : undefined);
    expect(row.codes({}, { knownCitDatetime: known })).toEqual([]);
    const i = row.one('sibs.original_transaction_datetime.mismatch', { originalTransactionDatetime: '2026-04-16T10:15:30Z' }, { knownCitDatetime: known });
    expect(i.fix).toBe('2026-04-16T10:15:30.000Z');
    expect(i.message).toBe('originalTransactionDatetime must match the CIT exactly: SIBS recorded 2026-04-16T10:15:30.000Z for txCIT1.');
    expect(row.codes({ originalTransactionId: 'other', originalTransactionDatetime: '2026-04-16T10:15:30Z' }, { knownCitDatetime: known })).toEqual([]);
    expect(row.one('sibs.original_transaction_datetime.required', { originalTransactionDatetime: '' }, { knownCitDatetime: known }).fix).toBe('2026-04-16T10:15:30.000Z');
    expect(row.one('sibs.original_transaction_datetime.format', { originalTransactionDatetime: '2026-04-16T10:15:30' }, { knownCitDatetime: known }).fix).toBe('2026-04-16T10:15:30.000Z');
    expect(row.one('sibs.original_transaction_datetime.required', { originalTransactionDatetime: '', originalTransactionId: '' }, { knownCitDatetime: known }).fix).toBeUndefined();
  });
});

describe('SIBS: merchantInitiatedTransaction', () => {
  it('any MIT field makes mitType required', () => {
    const values = { amountQualifier: 'ACTUAL', validityDate: '2027-01-01', mitDescription: 'Box', scheduleInitialDate: '2026-06-01', scheduleFinalDate: '2027-06-01', scheduleInterval: 'MONTHLY' };
    for (const field of Object.keys(values) as (keyof typeof values)[]) {
      const value = values[field];
      expect(row.codes({ [field]: value })).toContain('sibs.mit_type.required');
    }
    expect(row.codes({ mitDescription: 'Box' })).toEqual(['sibs.mit_type.required']);
  });

  it.each([
    ['RCRR', []],
    ['UCOF', []],
    ['rcrr', ['sibs.mit_type.invalid']],
    ['recurring', ['sibs.mit_type.invalid']],
  ])('mitType %j → %j', (mitType, codes) => {
    expect(mit.codes({ mitType })).toEqual(codes);
  });

  it('mitType fixes and messages', () => {
    expect(mit.one('sibs.mit_type.invalid', { mitType: 'ucof' }).fix).toBe('UCOF');
    expect(mit.one('sibs.mit_type.invalid', { mitType: 'ucof' }).message).toBe('mitType must be written exactly UCOF.');
    expect(mit.one('sibs.mit_type.invalid', { mitType: 'x' }).fix).toBeUndefined();
    expect(mit.one('sibs.amount_qualifier.invalid', { amountQualifier: 'actual' }).message).toBe('amountQualifier must be written exactly ACTUAL.');
    expect(mit.one('sibs.amount_qualifier.invalid', { amountQualifier: 'exact' }).message).toBe('amountQualifier must be ACTUAL or ESTIMATED.');
  });

  it('amountQualifier and validityDate are expected with a mitType (warnings), not without a usable one', () => {
    expect(mit.codes({ amountQualifier: '' })).toEqual(['sibs.amount_qualifier.missing']);
    expect(mit.codes({ validityDate: '' })).toEqual(['sibs.validity_date.missing']);
    expect(mit.codes({ mitType: '', amountQualifier: '', validityDate: '', mitDescription: 'Box' })).toEqual(['sibs.mit_type.required']);
    expect(mit.codes({ mitType: 'weekly', amountQualifier: '', validityDate: '' })).toEqual(['sibs.mit_type.invalid']);
    expect(mit.codes({ mitType: 'rcrr', amountQualifier: '', validityDate: '' })).toEqual(['sibs.mit_type.invalid', 'sibs.amount_qualifier.missing', 'sibs.validity_date.missing']);
  });

  it.each([
    ['ACTUAL', [], undefined],
    ['ESTIMATED', [], undefined],
    ['estimated', ['sibs.amount_qualifier.invalid'], 'ESTIMATED'],
    ['exact', ['sibs.amount_qualifier.invalid'], undefined],
  ])('amountQualifier %j → %j (fix %j)', (amountQualifier, codes, fix) => {
    expect(mit.codes({ amountQualifier })).toEqual(codes);
    if (codes.length) expect(mit.one(codes[0]!, { amountQualifier }).fix).toBe(fix);
  });

  it('validityDate: a date is valid through its whole day (UTC), a date-time until its instant', () => {
    expect(mit.codes({ validityDate: '2026-05-01' })).toEqual([]);
    expect(mit.codes({ validityDate: '2026-04-30' })).toEqual(['sibs.validity_date.past']);
    expect(mit.codes({ validityDate: '2026-05-01T12:00:00.001Z' })).toEqual([]);
    expect(mit.codes({ validityDate: '2026-05-01T12:00:00Z' })).toEqual(['sibs.validity_date.past']);
    expect(mit.codes({ validityDate: '2026-05-01T13:00:01+01:00' })).toEqual([]);
    expect(mit.codes({ validityDate: '2026-05-01T13:00:00+01:00' })).toEqual(['sibs.validity_date.past']);
    // 2026-05-01 ends at 23:59:59.999Z: the next millisecond it has passed
    expect(mit.codes({ validityDate: '2026-05-01' }, { now: Date.UTC(2026, 4, 1, 23, 59, 59, 998) })).toEqual([]);
    expect(mit.codes({ validityDate: '2026-05-01' }, { now: Date.UTC(2026, 4, 1, 23, 59, 59, 999) })).toEqual(['sibs.validity_date.past']);
  });

  it('validityDate must be a real ISO date, or a date-time with its zone', () => {
    expect(mit.codes({ validityDate: '2027-02-29' })).toEqual(['sibs.validity_date.format']);
    expect(mit.codes({ validityDate: '2027/04/16' })).toEqual(['sibs.validity_date.format']);
    const zone = mit.one('sibs.validity_date.format', { validityDate: '2027-04-16T23:59:59' });
    expect(zone.message).toBe(
      'validityDate 2027-04-16T23:59:59 has no time zone, so SIBS could read it as a different instant: add it, e.g. Z for UTC (2027-04-16T23:59:59Z) or an offset such as +01:00, or give a date only (YYYY-MM-DD).',
    );
    expect(mit.one('sibs.validity_date.format', { validityDate: 'soon' }).message).toBe('validityDate must be an ISO 8601 date or date-time, e.g. 2027-04-16 or 2027-04-16T23:59:59.000Z.');
  });
});

describe('SIBS: schedule', () => {
  it('needs all three parts', () => {
    for (const part of Object.keys(SCHEDULE)) expect(scheduled.codes({ [part]: '' })).toEqual(['sibs.schedule.incomplete']);
    // one part alone is a schedule begun, not none
    for (const [part, value] of Object.entries(SCHEDULE)) expect(mit.codes({ [part]: value })).toEqual(['sibs.schedule.incomplete']);
  });

  it('the final date may be the initial date (a date-only final date ends that day), not before it', () => {
    expect(scheduled.codes({ scheduleInitialDate: '2026-06-01', scheduleFinalDate: '2026-06-01' })).toEqual([]);
    expect(scheduled.codes({ scheduleInitialDate: '2026-06-01', scheduleFinalDate: '2026-05-31' })).toEqual(['sibs.schedule.order']);
    expect(scheduled.codes({ scheduleInitialDate: '2026-06-01T23:59:59Z', scheduleFinalDate: '2026-06-01' })).toEqual([]);
    expect(scheduled.codes({ scheduleInitialDate: '2026-06-01T23:59:59.001Z', scheduleFinalDate: '2026-06-01' })).toEqual(['sibs.schedule.order']);
    expect(scheduled.codes({ scheduleInitialDate: '2026-06-01T10:00:00Z', scheduleFinalDate: '2026-06-01T10:00:00Z' })).toEqual([]);
    expect(scheduled.codes({ scheduleInitialDate: '2026-06-01T10:00:01Z', scheduleFinalDate: '2026-06-01T10:00:00Z' })).toEqual(['sibs.schedule.order']);
    expect(scheduled.codes({ scheduleInitialDate: '2026-06-01T00:00:00Z', scheduleFinalDate: '2026-06-01T00:00:00+01:00' })).toEqual(['sibs.schedule.order']);
  });

  it('dates must be ISO dates or date-times with a zone', () => {
    expect(scheduled.codes({ scheduleInitialDate: '2026-06-31' })).toEqual(['sibs.schedule_initial_date.format']);
    expect(scheduled.codes({ scheduleInitialDate: '2026-06-01T10:00:00' })).toEqual(['sibs.schedule_initial_date.format']);
    expect(scheduled.codes({ scheduleFinalDate: '2027-13-01' })).toEqual(['sibs.schedule_final_date.format']);
    expect(scheduled.codes({ scheduleFinalDate: '2027-05-01T10:00:00' })).toEqual(['sibs.schedule_final_date.format']);
    expect(scheduled.one('sibs.schedule_initial_date.format', { scheduleInitialDate: 'x' }).message).toBe('scheduleInitialDate must be an ISO 8601 date or date-time, e.g. 2026-05-01.');
    expect(scheduled.one('sibs.schedule_final_date.format', { scheduleFinalDate: 'x' }).message).toBe('scheduleFinalDate must be an ISO 8601 date or date-time, e.g. 2027-05-01.');
    expect(scheduled.one('sibs.schedule_final_date.format', { scheduleFinalDate: '2027-05-01T10:00:00' }).message).toMatch(/^scheduleFinalDate 2027-05-01T10:00:00 has no time zone/);
    expect(scheduled.one('sibs.schedule_initial_date.format', { scheduleInitialDate: '2026-06-01T10:00:00' }).message).toMatch(/^scheduleInitialDate 2026-06-01T10:00:00 has no time zone/);
  });

  it.each(['DAILY', 'WEEKLY', 'BIWEEKLY', 'MONTHLY', 'QUARTERLY', 'SEMIANNUAL', 'ANNUAL'])('interval %s is accepted', (scheduleInterval) => {
    expect(scheduled.codes({ scheduleInterval })).toEqual([]);
  });

  it('other intervals are refused, with the canonical one as fix when recognisable', () => {
    expect(scheduled.one('sibs.schedule_interval.invalid', { scheduleInterval: 'monthly' }).fix).toBe('MONTHLY');
    expect(scheduled.one('sibs.schedule_interval.invalid', { scheduleInterval: 'monthly' }).message).toBe('scheduleInterval must be written exactly MONTHLY.');
    const other = scheduled.one('sibs.schedule_interval.invalid', { scheduleInterval: 'FORTNIGHTLY' });
    expect(other.fix).toBeUndefined();
    expect(other.message).toBe('scheduleInterval must be one of DAILY, WEEKLY, BIWEEKLY, MONTHLY, QUARTERLY, SEMIANNUAL, ANNUAL.');
  });

  it('a schedule with UCOF is a warning; also for a case-fixed ucof', () => {
    expect(scheduled.codes({ mitType: 'UCOF' })).toEqual(['sibs.schedule.unscheduled_type']);
    expect(scheduled.codes({ mitType: 'ucof' })).toEqual(['sibs.mit_type.invalid', 'sibs.schedule.unscheduled_type']);
    expect(mit.codes({ mitType: 'UCOF' })).toEqual([]);
  });
});

describe('SIBS: card numbers in free text and duplicate charges', () => {
  it('description and mitDescription may not carry a card number', () => {
    expect(row.codes({ description: '4111 1111 1111 1111' })).toEqual(['sibs.description.card_number']);
    expect(mit.codes({ mitDescription: '4111111111111111' })).toEqual(['sibs.mit_description.card_number']);
  });

  it('the same original transaction, amount (29.9 = 29.90) and currency (any case) is a possible duplicate', () => {
    const two = (second: Record<string, string>) => row.issues([{}, { merchantTransactionId: 'MIT-2', ...second }]).map((i) => i.code);
    expect(two({ amount: '29.9' })).toEqual(['sibs.charge.duplicate']);
    expect(two({ currency: 'eur' })).toEqual(['sibs.charge.duplicate', 'sibs.currency.invalid']);
    expect(two({ amount: '29.91' })).toEqual([]);
    expect(two({ currency: 'USD' })).toEqual([]);
    expect(two({ originalTransactionId: 'txCIT2' })).toEqual([]);
    const dup = row.issues([{}, { merchantTransactionId: 'MIT-2' }]);
    expect(dup.map((i) => i.row)).toEqual([2]);
    expect(dup[0]!.message).toBe('Possible duplicate charge: same original transaction, amount and currency as row 1. Delete one if it was entered twice.');
  });

  it('the same amount in the row currency’s own decimals (1.5 = 1.500 KWD) is the same charge', () => {
    const two = (a: string, b: string) => row.issues([{ currency: 'KWD', amount: a }, { merchantTransactionId: 'MIT-2', currency: 'KWD', amount: b }]).map((i) => i.code);
    expect(two('1.5', '1.500')).toEqual(['sibs.charge.duplicate']);
    expect(two('1.5', '1.501')).toEqual([]);
  });

  it('rows without an original transaction are not duplicates of each other', () => {
    expect(row.issues([{ originalTransactionId: '' }, { merchantTransactionId: 'MIT-2', originalTransactionId: '' }]).map((i) => [i.row, i.code])).toEqual([
      [1, 'sibs.original_transaction_id.required'],
      [2, 'sibs.original_transaction_id.required'],
    ]);
  });
});
