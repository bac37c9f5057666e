/** jpmmps rule cases: rows that must produce each rule code of the catalogue (shared by the in-memory and the real-file tests). */
import type { RuleCase } from './types';

export const OK = {
  partnerReference: 'DEV-SVR001-DE_CUSTID-JWRT7HJKK6_CARTID-4HP4YVWF44_F7XMHFR9H3',
  programAccno: '1679541175',
  accno: 'MERCHANT-DE4321',
  accnoType: '00',
  storedPaymentOptionReference: '8ac7a4a266aab3ce0166c0602bf26dae',
  presentationAmount: '3.99',
  presentationCurrCode: 'EUR',
  presentationUsage: 'Purchase:2xWidgets',
  useDifferentBillingAddress: 'false',
  localDate: '2018-10-30',
  localTime: '151506',
  custom1: 'WVWZZZ3BZWE689725',
};

export const cases: RuleCase[] = [
  { name: 'partnerReference missing', rows: [{ ...OK, partnerReference: '' }], code: 'jpmmps.partner_reference.required' },
  { name: 'partnerReference reused', rows: [OK, { ...OK, presentationAmount: '1.00' }], code: 'jpmmps.partner_reference.duplicate' },
  { name: 'stored option missing', rows: [{ ...OK, storedPaymentOptionReference: '' }], code: 'jpmmps.stored_payment_option_reference.required' },
  { name: 'amount missing', rows: [{ ...OK, presentationAmount: '' }], code: 'jpmmps.presentation_amount.required' },
  { name: 'amount text', rows: [{ ...OK, presentationAmount: '3.99 EUR' }], code: 'jpmmps.presentation_amount.invalid' },
  { name: 'amount zero', rows: [{ ...OK, presentationAmount: '0' }], code: 'jpmmps.presentation_amount.not_positive' },
  { name: 'JPY with decimals', rows: [{ ...OK, presentationCurrCode: 'JPY', presentationAmount: '500.5' }], code: 'jpmmps.presentation_amount.not_whole' },
  { name: 'KRW with .00', rows: [{ ...OK, presentationCurrCode: 'KRW', presentationAmount: '500.00' }], code: 'jpmmps.presentation_amount.not_whole', fix: '500' },
  { name: 'EUR 3 decimals', rows: [{ ...OK, presentationAmount: '3.999' }], code: 'jpmmps.presentation_amount.decimals' },
  { name: 'currency missing', rows: [{ ...OK, presentationCurrCode: '' }], code: 'jpmmps.presentation_curr_code.required', fix: 'HKD' },
  { name: 'currency unknown', rows: [{ ...OK, presentationCurrCode: 'EURO' }], code: 'jpmmps.presentation_curr_code.invalid' },
  { name: 'currency lowercase', rows: [{ ...OK, presentationCurrCode: 'eur' }], code: 'jpmmps.presentation_curr_code.invalid', fix: 'EUR' },
  { name: 'usage 128 chars', rows: [{ ...OK, presentationUsage: 'u'.repeat(128) }], code: 'jpmmps.presentation_usage.length', fix: 'u'.repeat(127) },
  { name: 'usage 23 chars', rows: [{ ...OK, presentationUsage: 'u'.repeat(23) }], code: 'jpmmps.presentation_usage.long' },
  { name: 'billing flag yes', rows: [{ ...OK, useDifferentBillingAddress: 'yes' }], code: 'jpmmps.use_different_billing_address.invalid', fix: 'true' },
  { name: 'billing flag TRUE', rows: [{ ...OK, useDifferentBillingAddress: 'TRUE' }], code: 'jpmmps.use_different_billing_address.invalid', fix: 'true' },
  { name: 'localDate slashes', rows: [{ ...OK, localDate: '2018/10/30' }], code: 'jpmmps.local_date.format', fix: '2018-10-30' },
  { name: 'localDate impossible', rows: [{ ...OK, localDate: '2018-02-29' }], code: 'jpmmps.local_date.format' },
  { name: 'localTime with colons', rows: [{ ...OK, localTime: '15:15:06' }], code: 'jpmmps.local_time.format', fix: '151506' },
  { name: 'localTime lost leading zero', rows: [{ ...OK, localTime: '91506' }], code: 'jpmmps.local_time.format', fix: '091506' },
  { name: 'localTime impossible', rows: [{ ...OK, localTime: '246000' }], code: 'jpmmps.local_time.format' },
  { name: 'duplicate charge', rows: [OK, { ...OK, partnerReference: 'other' }], code: 'jpmmps.charge.duplicate' },
  { name: 'card number in presentationUsage', rows: [{ ...OK, presentationUsage: '4111111111111111' }], code: 'jpmmps.presentation_usage.card_number' },
  { name: 'card number in custom1', rows: [{ ...OK, custom1: 'pan=6011111111111117' }], code: 'jpmmps.custom1.card_number' },
];
