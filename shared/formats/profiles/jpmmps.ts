/**
 * J.P. Morgan Mobility Payment Solutions (KontoCloud technical account) — 1.27 Authorize,
 * PUT {baseURL}/payment/authorize, one request per row. SPEC.md §4A and docs/jpmmps-mit-authorize.txt.
 */
import type { IssueSink } from '../issues';
import type { ColumnDef, Profile, RowChecker, RuleDef, ValidationContext } from '../profile';
import { currencyExponent, isCurrencyCode, parseMinorStrict } from '../money';
import { cellAt, checkAmountCell, DuplicateFinder, type BatchChecker, parseCompactTime, parseIsoDate, amountCodes, reporter, type AmountCheck, cardInTextRules, checkCardInText, type FreeTextColumn } from './common';

export const JPMMPS_USAGE_MAX = 127;
export const JPMMPS_USAGE_RECOMMENDED = 22;

export const JPMMPS_COLUMNS = {
  partnerReference: 0,
  programAccno: 1,
  accno: 2,
  accnoType: 3,
  storedPaymentOptionReference: 4,
  presentationAmount: 5,
  presentationCurrCode: 6,
  presentationUsage: 7,
  useDifferentBillingAddress: 8,
  localDate: 9,
  localTime: 10,
  custom1: 11,
} as const;
const C = JPMMPS_COLUMNS;

const columns: readonly ColumnDef[] = [
  { key: 'partnerReference', label: 'partnerReference', aliases: ['partner reference', 'reference', 'request reference', 'order id'], type: 'id', required: true, textInSpreadsheet: true, description: 'Your unique reference for this request.' },
  { key: 'programAccno', label: 'programAccno', aliases: ['program accno', 'program account number', 'program account'], type: 'id', required: false, textInSpreadsheet: true, description: 'Program account number (empty = export setting).' },
  { key: 'accno', label: 'accno', aliases: ['merchant account', 'account number', 'merchant accno'], type: 'id', required: false, textInSpreadsheet: true, description: 'Merchant account (empty = export setting).' },
  { key: 'accnoType', label: 'accnoType', aliases: ['accno type', 'account type'], type: 'id', required: false, textInSpreadsheet: true, description: 'Account type, e.g. 00 (empty = export setting).' },
  { key: 'storedPaymentOptionReference', label: 'storedPaymentOptionReference', aliases: ['stored payment option reference', 'stored payment option', 'payment option reference', 'payment option'], type: 'id', required: true, textInSpreadsheet: true, description: 'The customer\'s default stored payment option.' },
  { key: 'presentationAmount', label: 'presentationAmount', aliases: ['presentation amount', 'amount'], type: 'amount', required: true, description: 'Amount in major units, e.g. 3.99; whole for currencies without decimals (JPY).' },
  { key: 'presentationCurrCode', label: 'presentationCurrCode', aliases: ['presentation currency', 'presentation curr code', 'currency', 'currency code'], type: 'currency', required: true, description: 'ISO 4217 code, e.g. EUR.' },
  { key: 'presentationUsage', label: 'presentationUsage', aliases: ['presentation usage', 'usage', 'statement text', 'description'], type: 'text', required: false, maxLength: JPMMPS_USAGE_MAX, description: 'Statement text, max 127, ideally ≤ 22 characters (key information first).' },
  { key: 'useDifferentBillingAddress', label: 'useDifferentBillingAddress', aliases: ['use different billing address', 'different billing address'], type: 'boolean', required: false, description: 'true or false (empty = false).' },
  { key: 'localDate', label: 'localDate', aliases: ['local date', 'date'], type: 'date', required: false, description: 'yyyy-MM-dd (empty = export date).' },
  { key: 'localTime', label: 'localTime', aliases: ['local time', 'time'], type: 'time', required: false, textInSpreadsheet: true, description: 'HHmmss (empty = export time).' },
  { key: 'custom1', label: 'custom1', aliases: ['custom 1', 'custom'], type: 'text', required: false, description: 'Free text (e.g. a VIN).' },
];

/** Free-text columns: a card number typed there would be sent and exported in clear. */
const FREE_TEXT: readonly FreeTextColumn[] = [
  { index: C.presentationUsage, label: 'presentationUsage', code: 'jpmmps.presentation_usage.card_number' },
  { index: C.custom1, label: 'custom1', code: 'jpmmps.custom1.card_number' },
];
const CARD_IN_TEXT_HINT = 'The stored payment option identifies the card; no card number is needed.';

const rules: readonly RuleDef[] = [
  { code: 'jpmmps.partner_reference.required', severity: 'error', column: 'partnerReference', scope: 'row', summary: 'partnerReference is required.' },
  { code: 'jpmmps.partner_reference.duplicate', severity: 'error', column: 'partnerReference', scope: 'batch', summary: 'partnerReference must be unique in the batch.' },
  { code: 'jpmmps.stored_payment_option_reference.required', severity: 'error', column: 'storedPaymentOptionReference', scope: 'row', summary: 'storedPaymentOptionReference is required.' },
  { code: 'jpmmps.presentation_amount.required', severity: 'error', column: 'presentationAmount', scope: 'row', summary: 'presentationAmount is required.' },
  { code: 'jpmmps.presentation_amount.invalid', severity: 'error', column: 'presentationAmount', scope: 'row', summary: 'presentationAmount must be a plain decimal number.' },
  { code: 'jpmmps.presentation_amount.not_positive', severity: 'error', column: 'presentationAmount', scope: 'row', summary: 'presentationAmount must be greater than zero.' },
  { code: 'jpmmps.presentation_amount.not_whole', severity: 'error', column: 'presentationAmount', scope: 'row', summary: 'Whole amounts only for currencies without decimals (JPY, KRW…).' },
  { code: 'jpmmps.presentation_amount.decimals', severity: 'error', column: 'presentationAmount', scope: 'row', summary: 'No more decimals than the currency allows.' },
  { code: 'jpmmps.presentation_curr_code.required', severity: 'error', column: 'presentationCurrCode', scope: 'row', summary: 'presentationCurrCode is required.' },
  { code: 'jpmmps.presentation_curr_code.invalid', severity: 'error', column: 'presentationCurrCode', scope: 'row', summary: 'presentationCurrCode must be an ISO 4217 code.' },
  { code: 'jpmmps.presentation_usage.length', severity: 'error', column: 'presentationUsage', scope: 'row', summary: 'presentationUsage is at most 127 characters.' },
  { code: 'jpmmps.presentation_usage.long', severity: 'warning', column: 'presentationUsage', scope: 'row', summary: 'Over 22 characters may be truncated by some payment options.' },
  { code: 'jpmmps.use_different_billing_address.invalid', severity: 'error', column: 'useDifferentBillingAddress', scope: 'row', summary: 'true or false.' },
  { code: 'jpmmps.local_date.format', severity: 'error', column: 'localDate', scope: 'row', summary: 'localDate must be a real date yyyy-MM-dd.' },
  { code: 'jpmmps.local_time.format', severity: 'error', column: 'localTime', scope: 'row', summary: 'localTime must be a real time HHmmss.' },
  { code: 'jpmmps.charge.duplicate', severity: 'warning', column: 'presentationAmount', scope: 'batch', summary: 'Same stored payment option, amount and currency as an earlier row.' },
  ...cardInTextRules(FREE_TEXT),
];

const report = reporter(rules);

const CODES_DECIMAL = amountCodes('jpmmps.presentation_amount');
const CODES_WHOLE: AmountCheck = { ...CODES_DECIMAL, decimals: 'jpmmps.presentation_amount.not_whole' };

function dateFix(s: string): string | undefined {
  let m = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(s);
  let fix: string | undefined;
  if (m) fix = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) fix = `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) fix = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  m = /^(\d{4}-\d{2}-\d{2})[T ]/.exec(s);
  if (m) fix = m[1];
  return fix !== undefined && !Number.isNaN(parseIsoDate(fix)) ? fix : undefined;
}

function timeFix(s: string): string | undefined {
  const m = /^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$/.exec(s);
  let fix: string | undefined;
  if (m) fix = m[1]!.padStart(2, '0') + m[2] + (m[3] ?? '00');
  else if (/^\d{5}$/.test(s)) fix = '0' + s; // Excel dropped the leading zero of 091500
  return fix !== undefined && parseCompactTime(fix) >= 0 ? fix : undefined;
}

function createRowChecker(ctx: ValidationContext): RowChecker {
  const defaultExponent = currencyExponent(ctx.currency) ?? 2;
  return (row: readonly string[], rowNumber: number, out: IssueSink): void => {
    checkCardInText(out, report, rowNumber, row, FREE_TEXT, CARD_IN_TEXT_HINT);
    if (cellAt(row, C.partnerReference) === '') {
      report(out, rowNumber, 'jpmmps.partner_reference.required', 'partnerReference is required: your unique reference for this payment request.');
    }
    if (cellAt(row, C.storedPaymentOptionReference) === '') {
      report(out, rowNumber, 'jpmmps.stored_payment_option_reference.required', 'storedPaymentOptionReference is required: the customer\'s default stored payment option (from Get Stored Payment Options).');
    }

    const currency = cellAt(row, C.presentationCurrCode);
    let exponent = defaultExponent;
    let currencyName = currency;
    if (currency === '') {
      currencyName = ctx.currency;
      report(out, rowNumber, 'jpmmps.presentation_curr_code.required', `presentationCurrCode is required: enter the ISO 4217 code, e.g. ${ctx.currency}.`, isCurrencyCode(ctx.currency) ? ctx.currency : undefined);
    } else if (!isCurrencyCode(currency)) {
      const up = currency.toUpperCase();
      report(out, rowNumber, 'jpmmps.presentation_curr_code.invalid', `presentationCurrCode "${currency.slice(0, 10)}" is not an ISO 4217 code (three capital letters, e.g. EUR).`, isCurrencyCode(up) ? up : undefined);
      if (isCurrencyCode(up)) {
        exponent = currencyExponent(up)!;
        currencyName = up;
      }
    } else {
      exponent = currencyExponent(currency)!;
    }
    checkAmountCell(out, report, rowNumber, cellAt(row, C.presentationAmount), exponent, 'major', exponent === 0 ? CODES_WHOLE : CODES_DECIMAL, 'presentationAmount', currencyName);

    const usage = cellAt(row, C.presentationUsage);
    if (usage.length > JPMMPS_USAGE_MAX) {
      report(out, rowNumber, 'jpmmps.presentation_usage.length', `presentationUsage has ${usage.length} characters; the maximum is 127. Shorten it, most important information first.`, usage.slice(0, JPMMPS_USAGE_MAX).trimEnd());
    } else if (usage.length > JPMMPS_USAGE_RECOMMENDED) {
      report(out, rowNumber, 'jpmmps.presentation_usage.long', `presentationUsage has ${usage.length} characters; many payment options show only the first 22. Put the key information first.`);
    }

    const diff = cellAt(row, C.useDifferentBillingAddress);
    if (diff !== '' && diff !== 'true' && diff !== 'false') {
      const l = diff.toLowerCase();
      const fix = l === 'true' || l === 'yes' || l === 'y' || l === '1' ? 'true' : l === 'false' || l === 'no' || l === 'n' || l === '0' ? 'false' : undefined;
      report(out, rowNumber, 'jpmmps.use_different_billing_address.invalid', `useDifferentBillingAddress must be true or false${fix ? `: write ${fix}` : ''}.`, fix);
    }

    const date = cellAt(row, C.localDate);
    if (date !== '' && Number.isNaN(parseIsoDate(date))) {
      report(out, rowNumber, 'jpmmps.local_date.format', 'localDate must be a real date written yyyy-MM-dd, e.g. 2018-10-30 (or empty for the export date).', dateFix(date));
    }
    const time = cellAt(row, C.localTime);
    if (time !== '' && parseCompactTime(time) < 0) {
      report(out, rowNumber, 'jpmmps.local_time.format', 'localTime must be a real time written HHmmss without colons, e.g. 151506 (or empty for the export time).', timeFix(time));
    }
  };
}

function createBatchChecker(ctx: ValidationContext, out: IssueSink, expectedRows?: number): BatchChecker {
  const defaultExponent = currencyExponent(ctx.currency) ?? 2;
  return new DuplicateFinder([
    {
      parts: [{ col: C.partnerReference, kind: 'text' }],
      skipWhenEmpty: [C.partnerReference],
      amountOf: null,
      onDuplicate: (i, j) => report(out, i + 1, 'jpmmps.partner_reference.duplicate', `partnerReference is already used on row ${j + 1}; each request needs its own reference. Give this row a new one.`),
    },
    {
      parts: [
      { col: C.storedPaymentOptionReference, kind: 'text' },
      { col: C.presentationCurrCode, kind: 'upper' },
    ],
      skipWhenEmpty: [C.storedPaymentOptionReference],
      amountOf: (r) => parseMinorStrict(cellAt(r, C.presentationAmount), currencyExponent(cellAt(r, C.presentationCurrCode).toUpperCase()) ?? defaultExponent, 'major'),
      onDuplicate: (i, j) => report(out, i + 1, 'jpmmps.charge.duplicate', `Possible duplicate charge: same stored payment option, amount and currency as row ${j + 1}. Delete one if it was entered twice.`),
    },
  ], expectedRows);
}

export const jpmmps: Profile = {
  id: 'jpmmps',
  provider: 'J.P. Morgan Mobility Payment Solutions',
  title: 'JPMMPS 1.27 Authorize (one request per row)',
  columns,
  requiredColumnGroups: [],
  amount: { column: 'presentationAmount', unit: 'major', currencyColumn: 'presentationCurrCode' },
  rules,
  createRowChecker,
  createBatchChecker,
  export: {
    kind: 'json-lines',
    fileExtension: '.jsonl',
    mediaType: 'application/x-ndjson',
    description: 'One PUT {baseURL}/payment/authorize body per line.',
  },
  limits: {},
  notes: [
    'presentationAmount is decimal major units; exported as a JSON number with exactly the currency\'s decimals (3.99, 500 for JPY).',
    'partnerReference must be unique in the batch (error): it identifies the request in Get Payment Status. No length is documented.',
    'presentationUsage over 127 characters is an error (fix truncates); over 22 is a warning, as the docs recommend ≤ 22.',
    'programAccno, accno and accnoType may be left empty in rows; the export then uses the values from the export settings (omitted when unset).',
    'localDate/localTime empty → the export fills them from the export time in the local time zone of the machine exporting.',
    'useDifferentBillingAddress empty → false.',
    'Empty presentationCurrCode is an error with the batch currency as fix.',
    'A card number (13–19 digits passing the Luhn check) in presentationUsage or custom1 is an error: the request needs none, and the text is sent and exported as it is.',
  ],
};
