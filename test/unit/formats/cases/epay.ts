/** epay rule cases: rows that must produce each rule code of the catalogue (shared by the in-memory and the real-file tests). */
import type { RuleCase } from './types';

export const OK = {
  subscriptionId: '01929a94-5fce-7ccc-a7e4-7e9249133b39',
  amount: '1095',
  currency: 'DKK',
  reference: 'subscription-charge-1',
  instantCapture: 'OFF',
  textOnStatement: 'WineBox subscription',
  notificationUrl: 'https://example.com/epay/notification',
  attributes: '{}',
};

export const cases: RuleCase[] = [
  { name: 'subscription missing', rows: [{ ...OK, subscriptionId: '' }], code: 'epay.subscription_id.required' },
  { name: 'subscription not uuid', rows: [{ ...OK, subscriptionId: 'sub-42' }], code: 'epay.subscription_id.format' },
  { name: 'subscription without hyphens', rows: [{ ...OK, subscriptionId: '01929a945fce7ccca7e47e9249133b39' }], code: 'epay.subscription_id.format', fix: '01929a94-5fce-7ccc-a7e4-7e9249133b39' },
  { name: 'amount missing', rows: [{ ...OK, amount: '' }], code: 'epay.amount.required' },
  { name: 'amount text', rows: [{ ...OK, amount: 'abc' }], code: 'epay.amount.invalid' },
  { name: 'amount zero', rows: [{ ...OK, amount: '0' }], code: 'epay.amount.not_positive' },
  { name: 'amount negative', rows: [{ ...OK, amount: '-100' }], code: 'epay.amount.not_positive' },
  { name: 'amount in major units', rows: [{ ...OK, amount: '10.95' }], code: 'epay.amount.decimals', fix: '1095' },
  { name: 'amount in major units, JPY', rows: [{ ...OK, currency: 'JPY', amount: '10.5' }], code: 'epay.amount.decimals' },
  { name: 'currency lowercase', rows: [{ ...OK, currency: 'dkk' }], code: 'epay.currency.format', fix: 'DKK' },
  { name: 'currency too long', rows: [{ ...OK, currency: 'DKKR' }], code: 'epay.currency.format' },
  { name: 'currency not ISO', rows: [{ ...OK, currency: 'ABC' }], code: 'epay.currency.unknown' },
  { name: 'instantCapture lowercase', rows: [{ ...OK, instantCapture: 'no void' }], code: 'epay.instant_capture.invalid', fix: 'NO_VOID' },
  { name: 'instantCapture unknown', rows: [{ ...OK, instantCapture: 'LATER' }], code: 'epay.instant_capture.invalid' },
  { name: 'textOnStatement 40 chars', rows: [{ ...OK, textOnStatement: 'x'.repeat(40) }], code: 'epay.text_on_statement.length', fix: 'x'.repeat(39) },
  { name: 'notificationUrl missing', rows: [{ ...OK, notificationUrl: '' }], code: 'epay.notification_url.required' },
  { name: 'notificationUrl relative', rows: [{ ...OK, notificationUrl: '/epay/notification' }], code: 'epay.notification_url.invalid' },
  { name: 'notificationUrl ftp', rows: [{ ...OK, notificationUrl: 'ftp://example.com/x' }], code: 'epay.notification_url.invalid' },
  { name: 'notificationUrl with space', rows: [{ ...OK, notificationUrl: 'https://example.com/a b' }], code: 'epay.notification_url.invalid' },
  { name: 'notificationUrl no host', rows: [{ ...OK, notificationUrl: 'https:///path' }], code: 'epay.notification_url.invalid' },
  { name: 'notificationUrl http', rows: [{ ...OK, notificationUrl: 'http://example.com/cb' }], code: 'epay.notification_url.insecure' },
  { name: 'attributes bad JSON', rows: [{ ...OK, attributes: "{'a':1}" }], code: 'epay.attributes.invalid_json' },
  { name: 'attributes array', rows: [{ ...OK, attributes: '[1,2]' }], code: 'epay.attributes.not_object' },
  { name: 'attributes null', rows: [{ ...OK, attributes: 'null' }], code: 'epay.attributes.not_object' },
  { name: 'duplicate reference', rows: [OK, { ...OK, amount: '2000' }], code: 'epay.reference.duplicate' },
  { name: 'duplicate charge', rows: [OK, { ...OK, reference: 'other' }], code: 'epay.charge.duplicate' },
  { name: 'card number in textOnStatement', rows: [{ ...OK, textOnStatement: 'Card 4111-1111-1111-1111' }], code: 'epay.text_on_statement.card_number' },
  { name: 'card number in attributes', rows: [{ ...OK, attributes: '{"card":"5555555555554444"}' }], code: 'epay.attributes.card_number' },
];
