import { describe, expect, it } from 'vitest';
import { sibs } from '../../../shared/formats/profiles/sibs';
import { validateRows } from '../../../shared/formats/validate';
import { ctx, rowOf } from './helpers';
import { OK, MIT, SCHED, known, cases } from './cases/sibs';
import { ruleCaseTests } from './cases/run';

describe('sibs rules', () => {
  ruleCaseTests(sibs, cases);

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
