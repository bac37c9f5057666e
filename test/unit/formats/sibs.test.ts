import { describe, expect, it } from 'vitest';
import { sibs } from '../../../shared/formats/profiles/sibs';
import { validateRows } from '../../../shared/formats/validate';
import type { ValidationContext } from '../../../shared/formats/profile';
import { ctx, rowOf } from './helpers';

const OK = {
  merchantTransactionId: 'CARD-MIT-0001',
  amount: '29.90',
  currency: 'EUR',
  originalTransactionId: 'txCIT123456789',
  originalTransactionDatetime: '2026-04-16T10:15:30.000Z',
};
const MIT = { mitType: 'RCRR', amountQualifier: 'ACTUAL', validityDate: '2027-04-16T23:59:59.000Z' };
const SCHED = { scheduleInitialDate: '2026-05-01T00:00:00.000Z', scheduleFinalDate: '2027-05-01T00:00:00.000Z', scheduleInterval: 'MONTHLY' };
const known: ValidationContext['knownCitDatetime'] = (id) => (id === 'txCIT123456789' ? '2026-04-16T10:15:30.000Z' : undefined);

const cases: { name: string; rows: Record<string, string>[]; code: string; fix?: string; known?: boolean }[] = [
  { name: 'merchantTransactionId missing', rows: [{ ...OK, merchantTransactionId: '' }], code: 'sibs.merchant_transaction_id.required' },
  { name: 'merchantTransactionId 36 chars', rows: [{ ...OK, merchantTransactionId: 'x'.repeat(36) }], code: 'sibs.merchant_transaction_id.length' },
  { name: 'merchantTransactionId reused', rows: [OK, { ...OK, amount: '1.00' }], code: 'sibs.merchant_transaction_id.duplicate' },
  { name: 'amount missing', rows: [{ ...OK, amount: '' }], code: 'sibs.amount.required' },
  { name: 'amount text', rows: [{ ...OK, amount: '29,90 €' }], code: 'sibs.amount.invalid' },
  { name: 'amount zero', rows: [{ ...OK, amount: '0' }], code: 'sibs.amount.not_positive' },
  { name: 'amount 3 decimals EUR', rows: [{ ...OK, amount: '29.901' }], code: 'sibs.amount.decimals' },
  { name: 'currency missing', rows: [{ ...OK, currency: '' }], code: 'sibs.currency.required', fix: 'HKD' },
  { name: 'currency lowercase', rows: [{ ...OK, currency: 'eur' }], code: 'sibs.currency.invalid', fix: 'EUR' },
  { name: 'currency unknown', rows: [{ ...OK, currency: 'EUX' }], code: 'sibs.currency.invalid' },
  { name: 'original id missing', rows: [{ ...OK, originalTransactionId: '' }], code: 'sibs.original_transaction_id.required' },
  { name: 'original datetime missing', rows: [{ ...OK, originalTransactionDatetime: '' }], code: 'sibs.original_transaction_datetime.required', fix: '2026-04-16T10:15:30.000Z', known: true },
  { name: 'original datetime not ISO', rows: [{ ...OK, originalTransactionDatetime: '16/04/2026 10:15' }], code: 'sibs.original_transaction_datetime.format' },
  { name: 'original datetime impossible', rows: [{ ...OK, originalTransactionDatetime: '2026-02-30T10:15:30Z' }], code: 'sibs.original_transaction_datetime.format' },
  { name: 'original datetime without zone', rows: [{ ...OK, originalTransactionDatetime: '2026-04-16T10:15:30' }], code: 'sibs.original_transaction_datetime.format' },
  { name: 'original datetime differs from CIT', rows: [{ ...OK, originalTransactionDatetime: '2026-04-16T10:15:30Z' }], code: 'sibs.original_transaction_datetime.mismatch', fix: '2026-04-16T10:15:30.000Z', known: true },
  { name: 'original datetime in future', rows: [{ ...OK, originalTransactionDatetime: '2026-06-01T00:00:00Z' }], code: 'sibs.original_transaction_datetime.future' },
  { name: 'mit type missing with details', rows: [{ ...OK, amountQualifier: 'ACTUAL' }], code: 'sibs.mit_type.required' },
  { name: 'mit type lowercase', rows: [{ ...OK, ...MIT, mitType: 'ucof' }], code: 'sibs.mit_type.invalid', fix: 'UCOF' },
  { name: 'mit type unknown', rows: [{ ...OK, ...MIT, mitType: 'INST' }], code: 'sibs.mit_type.invalid' },
  { name: 'amountQualifier unknown', rows: [{ ...OK, ...MIT, amountQualifier: 'FIXED' }], code: 'sibs.amount_qualifier.invalid' },
  { name: 'amountQualifier missing', rows: [{ ...OK, ...MIT, amountQualifier: '' }], code: 'sibs.amount_qualifier.missing' },
  { name: 'validityDate not a date', rows: [{ ...OK, ...MIT, validityDate: 'next year' }], code: 'sibs.validity_date.format' },
  { name: 'validityDate past', rows: [{ ...OK, ...MIT, validityDate: '2026-04-30' }], code: 'sibs.validity_date.past' },
  { name: 'validityDate missing', rows: [{ ...OK, ...MIT, validityDate: '' }], code: 'sibs.validity_date.missing' },
  { name: 'schedule incomplete', rows: [{ ...OK, ...MIT, ...SCHED, scheduleInterval: '' }], code: 'sibs.schedule.incomplete' },
  { name: 'schedule initial not a date', rows: [{ ...OK, ...MIT, ...SCHED, scheduleInitialDate: '01.05.2026' }], code: 'sibs.schedule_initial_date.format' },
  { name: 'schedule final not a date', rows: [{ ...OK, ...MIT, ...SCHED, scheduleFinalDate: '2027-13-01' }], code: 'sibs.schedule_final_date.format' },
  { name: 'schedule reversed', rows: [{ ...OK, ...MIT, ...SCHED, scheduleInitialDate: '2027-06-01', scheduleFinalDate: '2026-06-01' }], code: 'sibs.schedule.order' },
  { name: 'schedule interval unknown', rows: [{ ...OK, ...MIT, ...SCHED, scheduleInterval: 'FORTNIGHTLY' }], code: 'sibs.schedule_interval.invalid' },
  { name: 'schedule interval lowercase', rows: [{ ...OK, ...MIT, ...SCHED, scheduleInterval: 'semiannual' }], code: 'sibs.schedule_interval.invalid', fix: 'SEMIANNUAL' },
  { name: 'schedule on UCOF', rows: [{ ...OK, ...MIT, ...SCHED, mitType: 'UCOF' }], code: 'sibs.schedule.unscheduled_type' },
  { name: 'duplicate charge', rows: [OK, { ...OK, merchantTransactionId: 'CARD-MIT-0002', amount: '29.9' }], code: 'sibs.charge.duplicate' },
];

describe('sibs rules', () => {
  it.each(cases)('$name → $code', (c) => {
    const issues = validateRows(sibs, c.rows.map((r) => rowOf(sibs, r)), ctx(c.known ? { knownCitDatetime: known } : {}));
    const hit = issues.find((i) => i.code === c.code);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    const rule = sibs.rules.find((r) => r.code === c.code)!;
    expect(hit!.severity).toBe(rule.severity);
    expect(hit!.column).toBe(rule.column);
    if (c.fix !== undefined) expect(hit!.fix).toBe(c.fix);
  });

  it('has a case for every rule in the catalogue', () => {
    const covered = new Set(cases.map((c) => c.code));
    expect(sibs.rules.map((r) => r.code).filter((c) => !covered.has(c))).toEqual([]);
  });

  it('accepts the documented MIT examples (basic, advanced, scheduled) and date-only dates', () => {
    const rows = [
      OK,
      { ...OK, merchantTransactionId: 'CARD-MIT-0002', amount: '15.00', ...MIT },
      { ...OK, merchantTransactionId: 'CARD-MIT-0003', amount: '10', ...MIT, amountQualifier: 'ESTIMATED', ...SCHED },
      { ...OK, merchantTransactionId: 'CARD-MIT-0004', amount: '11', ...MIT, validityDate: '2026-05-01', scheduleInitialDate: '2026-05-01', scheduleFinalDate: '2026-05-01', scheduleInterval: 'ANNUAL' },
      { ...OK, merchantTransactionId: 'x'.repeat(35), amount: '12', originalTransactionDatetime: '2026-04-16T11:15:30+01:00' },
    ].map((r) => rowOf(sibs, r));
    expect(validateRows(sibs, rows, ctx({ knownCitDatetime: (id) => (id === 'other' ? 'x' : undefined) }))).toEqual([]);
  });

  it('knownCitDatetime accepts the exact recorded value', () => {
    expect(validateRows(sibs, [rowOf(sibs, OK)], ctx({ knownCitDatetime: known }))).toEqual([]);
  });
});

describe('SIBS schedule and time zones', () => {
  const sched = (over: Record<string, string>) => validateRows(sibs, [rowOf(sibs, { ...OK, ...MIT, scheduleInterval: 'MONTHLY', ...over })], ctx());

  it('date-only final date means the whole day: a same-day initial date-time is in order', () => {
    expect(sched({ scheduleInitialDate: '2026-05-01T10:00:00Z', scheduleFinalDate: '2026-05-01' })).toEqual([]);
    expect(sched({ scheduleInitialDate: '2026-05-01T23:59:59Z', scheduleFinalDate: '2026-05-01' })).toEqual([]);
    expect(sched({ scheduleInitialDate: '2026-05-01T10:00:00+02:00', scheduleFinalDate: '2026-05-01' })).toEqual([]);
  });

  it('still reports a final date before the initial date', () => {
    expect(sched({ scheduleInitialDate: '2026-05-02T00:00:00Z', scheduleFinalDate: '2026-05-01' }).map((i) => i.code)).toEqual(['sibs.schedule.order']);
    // the export writes 23:59:59.000Z: a later instant that day is after it
    expect(sched({ scheduleInitialDate: '2026-05-01T23:59:59.500Z', scheduleFinalDate: '2026-05-01' }).map((i) => i.code)).toEqual(['sibs.schedule.order']);
    expect(sched({ scheduleInitialDate: '2026-05-01T10:00:00Z', scheduleFinalDate: '2026-05-01T09:00:00Z' }).map((i) => i.code)).toEqual(['sibs.schedule.order']);
  });

  it('a date-time without a time zone is an error (no guessed fix), for validity and schedule dates', () => {
    const v = validateRows(sibs, [rowOf(sibs, { ...OK, ...MIT, validityDate: '2027-01-01T00:00:00' })], ctx());
    expect(v.map((i) => i.code)).toEqual(['sibs.validity_date.format']);
    expect(v[0]!.fix).toBeUndefined();
    expect(v[0]!.message).toContain('has no time zone');
    expect(v[0]!.message).toContain('Z for UTC (2027-01-01T00:00:00Z)');
    const s = sched({ scheduleInitialDate: '2026-05-01T10:00', scheduleFinalDate: '2027-05-01T10:00:00.000' });
    expect(s.map((i) => i.code)).toEqual(['sibs.schedule_initial_date.format', 'sibs.schedule_final_date.format']);
    expect(s.every((i) => i.fix === undefined && i.message.includes('has no time zone'))).toBe(true);
  });

  it('zones in every accepted form, and date-only values, pass', () => {
    for (const validityDate of ['2027-01-01', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00.000+01:00', '2027-01-01T00:00:00-0500', '2027-01-01T00:00z']) {
      expect(validateRows(sibs, [rowOf(sibs, { ...OK, ...MIT, validityDate })], ctx())).toEqual([]);
    }
  });
});
