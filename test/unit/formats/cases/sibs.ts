/** sibs rule cases: rows that must produce each rule code of the catalogue (shared by the in-memory and the real-file tests). */
import type { ValidationContext } from '../../../../shared/formats/profile';
import type { RuleCase } from './types';

export const OK = {
  merchantTransactionId: 'CARD-MIT-0001',
  amount: '29.90',
  currency: 'EUR',
  originalTransactionId: 'txCIT123456789',
  originalTransactionDatetime: '2026-04-16T10:15:30.000Z',
};
export const MIT = { mitType: 'RCRR', amountQualifier: 'ACTUAL', validityDate: '2027-04-16T23:59:59.000Z' };
export const SCHED = { scheduleInitialDate: '2026-05-01T00:00:00.000Z', scheduleFinalDate: '2027-05-01T00:00:00.000Z', scheduleInterval: 'MONTHLY' };
export const known: ValidationContext['knownCitDatetime'] = (id) => (id === 'txCIT123456789' ? '2026-04-16T10:15:30.000Z' : undefined);

const table: (RuleCase & { known?: boolean })[] = [
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
  { name: 'card number in description', rows: [{ ...OK, description: 'renewal for 4111111111111111' }], code: 'sibs.description.card_number' },
  { name: 'card number in mitDescription', rows: [{ ...OK, ...MIT, mitDescription: 'card 378282246310005' }], code: 'sibs.mit_description.card_number' },
];

/** `known`: the original CIT is in local history (its datetime must match exactly). */
export const cases: RuleCase[] = table.map(({ known: k, ...c }) => (k ? { ...c, ctx: { knownCitDatetime: known } } : c));
