/**
 * SIBS Gateway (SPG v2) — one MIT per row, flattened from the POST /api/v2/payments MIT body.
 * SPEC.md §3 and docs/sibs-recurring-mit.txt.
 */
import type { IssueSink } from '../issues';
import type { ColumnDef, Profile, RowChecker, RuleDef, ValidationContext } from '../profile';
import { currencyExponent, isCurrencyCode, parseMinorStrict } from '../money';
import { maskPans } from '../mask';
import { canonicalEnum, cellAt, checkAmountCell, DuplicateFinder, type BatchChecker, parseIsoDateTime, amountCodes, reporter, cardInTextRules, checkCardInText, type FreeTextColumn } from './common';

export const SIBS_MIT_TYPES = ['RCRR', 'UCOF'] as const;
export const SIBS_AMOUNT_QUALIFIERS = ['ACTUAL', 'ESTIMATED'] as const;
export const SIBS_INTERVALS = ['DAILY', 'WEEKLY', 'BIWEEKLY', 'MONTHLY', 'QUARTERLY', 'SEMIANNUAL', 'ANNUAL'] as const;
export const SIBS_MERCHANT_TRANSACTION_ID_MAX = 35;

export const SIBS_COLUMNS = {
  merchantTransactionId: 0,
  amount: 1,
  currency: 2,
  description: 3,
  originalTransactionId: 4,
  originalTransactionDatetime: 5,
  mitType: 6,
  amountQualifier: 7,
  validityDate: 8,
  mitDescription: 9,
  scheduleInitialDate: 10,
  scheduleFinalDate: 11,
  scheduleInterval: 12,
} as const;
const C = SIBS_COLUMNS;

const columns: readonly ColumnDef[] = [
  { key: 'merchantTransactionId', label: 'merchantTransactionId', aliases: ['merchant.merchantTransactionId', 'merchant transaction id', 'transaction reference', 'order id', 'reference'], type: 'id', required: true, textInSpreadsheet: true, maxLength: 35, description: 'Your unique id for this MIT (max 35 characters).' },
  { key: 'amount', label: 'amount', aliases: ['transaction.amount.value', 'amount.value', 'amount value', 'value'], type: 'amount', required: true, description: 'Amount in major units, e.g. 29.90.' },
  { key: 'currency', label: 'currency', aliases: ['transaction.amount.currency', 'amount.currency', 'currency code', 'ccy'], type: 'currency', required: true, description: 'ISO 4217 code, e.g. EUR.' },
  { key: 'description', label: 'description', aliases: ['transaction.description', 'transaction description'], type: 'text', required: false, description: 'Description of the charge.' },
  { key: 'originalTransactionId', label: 'originalTransactionId', aliases: ['originalTransaction.id', 'original transaction id', 'cit transaction id', 'original id'], type: 'id', required: true, textInSpreadsheet: true, description: 'transactionID returned by SIBS for the customer\'s first (CIT) payment.' },
  { key: 'originalTransactionDatetime', label: 'originalTransactionDatetime', aliases: ['originalTransaction.datetime', 'original transaction datetime', 'original transaction date', 'cit datetime', 'original datetime'], type: 'datetime', required: true, description: 'transactionDateTime of that CIT, exactly as SIBS returned it (ISO 8601).' },
  { key: 'mitType', label: 'mitType', aliases: ['merchantInitiatedTransaction.type', 'mit type', 'type'], type: 'enum', required: false, enumValues: SIBS_MIT_TYPES, description: 'RCRR (recurring) or UCOF (unscheduled credential on file).' },
  { key: 'amountQualifier', label: 'amountQualifier', aliases: ['merchantInitiatedTransaction.amountQualifier', 'amount qualifier'], type: 'enum', required: false, enumValues: SIBS_AMOUNT_QUALIFIERS, description: 'ACTUAL or ESTIMATED.' },
  { key: 'validityDate', label: 'validityDate', aliases: ['merchantInitiatedTransaction.validityDate', 'validity date', 'valid until'], type: 'datetime', required: false, description: 'End of the agreement (ISO 8601), in the future.' },
  { key: 'mitDescription', label: 'mitDescription', aliases: ['merchantInitiatedTransaction.description', 'mit description', 'agreement description'], type: 'text', required: false, description: 'Description of the MIT agreement.' },
  { key: 'scheduleInitialDate', label: 'scheduleInitialDate', aliases: ['merchantInitiatedTransaction.schedule.initialDate', 'schedule.initialDate', 'schedule initial date', 'initial date', 'start date'], type: 'datetime', required: false, description: 'First scheduled date (ISO 8601).' },
  { key: 'scheduleFinalDate', label: 'scheduleFinalDate', aliases: ['merchantInitiatedTransaction.schedule.finalDate', 'schedule.finalDate', 'schedule final date', 'final date', 'end date'], type: 'datetime', required: false, description: 'Last scheduled date (ISO 8601).' },
  { key: 'scheduleInterval', label: 'scheduleInterval', aliases: ['merchantInitiatedTransaction.schedule.interval', 'schedule.interval', 'schedule interval', 'interval', 'frequency'], type: 'enum', required: false, enumValues: SIBS_INTERVALS, description: 'DAILY, WEEKLY, BIWEEKLY, MONTHLY, QUARTERLY, SEMIANNUAL or ANNUAL.' },
];

/** Free-text columns: a card number typed there would be sent and exported in clear. */
const FREE_TEXT: readonly FreeTextColumn[] = [
  { index: C.description, label: 'description', code: 'sibs.description.card_number' },
  { index: C.mitDescription, label: 'mitDescription', code: 'sibs.mit_description.card_number' },
];
const CARD_IN_TEXT_HINT = 'SIBS charges the card of the original transaction; no card number is needed.';

const rules: readonly RuleDef[] = [
  { code: 'sibs.merchant_transaction_id.required', severity: 'error', column: 'merchantTransactionId', scope: 'row', summary: 'merchantTransactionId is required.' },
  { code: 'sibs.merchant_transaction_id.length', severity: 'error', column: 'merchantTransactionId', scope: 'row', summary: 'merchantTransactionId is at most 35 characters.' },
  { code: 'sibs.merchant_transaction_id.duplicate', severity: 'error', column: 'merchantTransactionId', scope: 'batch', summary: 'merchantTransactionId must be unique in the batch.' },
  { code: 'sibs.amount.required', severity: 'error', column: 'amount', scope: 'row', summary: 'amount is required.' },
  { code: 'sibs.amount.invalid', severity: 'error', column: 'amount', scope: 'row', summary: 'amount must be a plain decimal number.' },
  { code: 'sibs.amount.not_positive', severity: 'error', column: 'amount', scope: 'row', summary: 'amount must be greater than zero.' },
  { code: 'sibs.amount.decimals', severity: 'error', column: 'amount', scope: 'row', summary: 'amount has more decimals than the currency allows.' },
  { code: 'sibs.currency.required', severity: 'error', column: 'currency', scope: 'row', summary: 'currency is required.' },
  { code: 'sibs.currency.invalid', severity: 'error', column: 'currency', scope: 'row', summary: 'currency must be an ISO 4217 code.' },
  { code: 'sibs.original_transaction_id.required', severity: 'error', column: 'originalTransactionId', scope: 'row', summary: 'The CIT transaction id is required.' },
  { code: 'sibs.original_transaction_datetime.required', severity: 'error', column: 'originalTransactionDatetime', scope: 'row', summary: 'The CIT datetime is required.' },
  { code: 'sibs.original_transaction_datetime.format', severity: 'error', column: 'originalTransactionDatetime', scope: 'row', summary: 'ISO 8601 date-time with zone, e.g. 2026-04-16T10:15:30.000Z.' },
  { code: 'sibs.original_transaction_datetime.mismatch', severity: 'error', column: 'originalTransactionDatetime', scope: 'row', summary: 'Must match the CIT datetime SIBS returned exactly.' },
  { code: 'sibs.original_transaction_datetime.future', severity: 'warning', column: 'originalTransactionDatetime', scope: 'row', summary: 'The CIT datetime is in the future.' },
  { code: 'sibs.mit_type.required', severity: 'error', column: 'mitType', scope: 'row', summary: 'mitType is required when other MIT details are given.' },
  { code: 'sibs.mit_type.invalid', severity: 'error', column: 'mitType', scope: 'row', summary: 'mitType must be RCRR or UCOF.' },
  { code: 'sibs.amount_qualifier.invalid', severity: 'error', column: 'amountQualifier', scope: 'row', summary: 'amountQualifier must be ACTUAL or ESTIMATED.' },
  { code: 'sibs.amount_qualifier.missing', severity: 'warning', column: 'amountQualifier', scope: 'row', summary: 'amountQualifier is expected with mitType.' },
  { code: 'sibs.validity_date.format', severity: 'error', column: 'validityDate', scope: 'row', summary: 'validityDate must be an ISO 8601 date, or a date-time with time zone (Z or offset).' },
  { code: 'sibs.validity_date.past', severity: 'error', column: 'validityDate', scope: 'row', summary: 'validityDate must be in the future.' },
  { code: 'sibs.validity_date.missing', severity: 'warning', column: 'validityDate', scope: 'row', summary: 'validityDate is expected with mitType.' },
  { code: 'sibs.schedule.incomplete', severity: 'error', column: 'scheduleInitialDate', scope: 'row', summary: 'A schedule needs initial date, final date and interval.' },
  { code: 'sibs.schedule_initial_date.format', severity: 'error', column: 'scheduleInitialDate', scope: 'row', summary: 'ISO 8601 date, or date-time with time zone (Z or offset).' },
  { code: 'sibs.schedule_final_date.format', severity: 'error', column: 'scheduleFinalDate', scope: 'row', summary: 'ISO 8601 date, or date-time with time zone (Z or offset).' },
  { code: 'sibs.schedule.order', severity: 'error', column: 'scheduleFinalDate', scope: 'row', summary: 'scheduleInitialDate must not be after scheduleFinalDate.' },
  { code: 'sibs.schedule_interval.invalid', severity: 'error', column: 'scheduleInterval', scope: 'row', summary: 'Interval must be one of the documented values.' },
  { code: 'sibs.schedule.unscheduled_type', severity: 'warning', column: 'mitType', scope: 'row', summary: 'A schedule with UCOF (unscheduled) is contradictory.' },
  { code: 'sibs.charge.duplicate', severity: 'warning', column: 'amount', scope: 'batch', summary: 'Same original transaction, amount and currency as an earlier row.' },
  ...cardInTextRules(FREE_TEXT),
];

const report = reporter(rules);

const AMOUNT_CODES = amountCodes('sibs.amount');

const DAY = 86_400_000;

/** Date-only values mean the whole day (UTC): validity and final dates end at 23:59:59.999. */
function endOfDay(v: { ms: number; dateOnly: boolean }): number {
  return v.dateOnly ? v.ms + DAY - 1 : v.ms;
}

/** A date-only final date as the export writes it: that day at 23:59:59.000Z. */
function exportedFinal(v: { ms: number; dateOnly: boolean }): number {
  return v.dateOnly ? v.ms + DAY - 1000 : v.ms;
}

/** For a date-time without Z/offset: which time zone is meant is not ours to guess (UTC? local?). */
function zoneMissing(label: string, value: string): string {
  return `${label} ${value.slice(0, 40)} has no time zone, so SIBS could read it as a different instant: add it, e.g. Z for UTC (${value.slice(0, 40)}Z) or an offset such as +01:00, or give a date only (YYYY-MM-DD).`;
}

function createRowChecker(ctx: ValidationContext): RowChecker {
  const defaultExponent = currencyExponent(ctx.currency) ?? 2;
  const now = ctx.now;
  const known = ctx.knownCitDatetime;
  return (row: readonly string[], rowNumber: number, out: IssueSink): void => {
    checkCardInText(out, report, rowNumber, row, FREE_TEXT, CARD_IN_TEXT_HINT);
    const mtid = cellAt(row, C.merchantTransactionId);
    if (mtid === '') {
      report(out, rowNumber, 'sibs.merchant_transaction_id.required', 'merchantTransactionId is required: a unique reference of yours for this charge (max 35 characters).');
    } else if (mtid.length > SIBS_MERCHANT_TRANSACTION_ID_MAX) {
      report(out, rowNumber, 'sibs.merchant_transaction_id.length', `merchantTransactionId has ${mtid.length} characters; SIBS accepts at most 35. Shorten it (it must stay unique).`);
    }

    const currency = cellAt(row, C.currency);
    let exponent = defaultExponent;
    if (currency === '') {
      report(out, rowNumber, 'sibs.currency.required', `currency is required: enter the ISO 4217 code, e.g. ${ctx.currency}.`, isCurrencyCode(ctx.currency) ? ctx.currency : undefined);
    } else if (!isCurrencyCode(currency)) {
      const up = currency.toUpperCase();
      report(out, rowNumber, 'sibs.currency.invalid', `currency "${currency.slice(0, 10)}" is not an ISO 4217 code (three capital letters, e.g. EUR).`, isCurrencyCode(up) ? up : undefined);
      if (isCurrencyCode(up)) exponent = currencyExponent(up)!;
    } else {
      exponent = currencyExponent(currency)!;
    }
    checkAmountCell(out, report, rowNumber, cellAt(row, C.amount), exponent, 'major', AMOUNT_CODES, 'amount', currency === '' ? ctx.currency : currency);

    const origId = cellAt(row, C.originalTransactionId);
    if (origId === '') {
      report(out, rowNumber, 'sibs.original_transaction_id.required', 'originalTransactionId is required: the transactionID SIBS returned for the customer\'s first (CIT) payment.');
    }
    const origDt = cellAt(row, C.originalTransactionDatetime);
    if (origDt === '') {
      report(out, rowNumber, 'sibs.original_transaction_datetime.required', 'originalTransactionDatetime is required: the transactionDateTime SIBS returned for the CIT, e.g. 2026-04-16T10:15:30.000Z.', origId !== '' && known ? known(origId) : undefined);
    } else {
      const dt = parseIsoDateTime(origDt);
      const expected = origId !== '' && known ? known(origId) : undefined;
      if (Number.isNaN(dt.ms) || !dt.hasZone) {
        report(out, rowNumber, 'sibs.original_transaction_datetime.format', `originalTransactionDatetime must be an ISO 8601 date-time with its time zone, exactly as SIBS returned it, e.g. 2026-04-16T10:15:30.000Z${Number.isNaN(dt.ms) ? '' : ' (the zone is missing)'}.`, expected);
      } else if (expected !== undefined && expected !== origDt) {
        report(out, rowNumber, 'sibs.original_transaction_datetime.mismatch', `originalTransactionDatetime must match the CIT exactly: SIBS recorded ${expected} for ${maskPans(origId).slice(0, 40)}.`, expected);
      } else if (dt.ms > now) {
        report(out, rowNumber, 'sibs.original_transaction_datetime.future', 'originalTransactionDatetime is in the future; the CIT must have happened already. Check the date and time zone.');
      }
    }

    // merchantInitiatedTransaction
    const type = cellAt(row, C.mitType);
    const qualifier = cellAt(row, C.amountQualifier);
    const validity = cellAt(row, C.validityDate);
    const mitDescription = cellAt(row, C.mitDescription);
    const initial = cellAt(row, C.scheduleInitialDate);
    const final = cellAt(row, C.scheduleFinalDate);
    const interval = cellAt(row, C.scheduleInterval);
    const anyMit = type !== '' || qualifier !== '' || validity !== '' || mitDescription !== '' || initial !== '' || final !== '' || interval !== '';
    if (!anyMit) return;

    let typeValue = type;
    if (type === '') {
      report(out, rowNumber, 'sibs.mit_type.required', 'mitType is required when MIT details are given: RCRR (recurring) or UCOF (unscheduled).');
    } else if (type !== 'RCRR' && type !== 'UCOF') {
      const canon = canonicalEnum(type, SIBS_MIT_TYPES, true);
      typeValue = canon ?? '';
      report(out, rowNumber, 'sibs.mit_type.invalid', canon ? `mitType must be written exactly ${canon}.` : 'mitType must be RCRR (recurring at fixed intervals) or UCOF (unscheduled credential on file).', canon);
    }
    if (qualifier === '') {
      if (typeValue !== '') report(out, rowNumber, 'sibs.amount_qualifier.missing', 'amountQualifier is expected with mitType: ACTUAL (fixed amount) or ESTIMATED.');
    } else if (qualifier !== 'ACTUAL' && qualifier !== 'ESTIMATED') {
      const canon = canonicalEnum(qualifier, SIBS_AMOUNT_QUALIFIERS, true);
      report(out, rowNumber, 'sibs.amount_qualifier.invalid', canon ? `amountQualifier must be written exactly ${canon}.` : 'amountQualifier must be ACTUAL or ESTIMATED.', canon);
    }
    if (validity === '') {
      if (typeValue !== '') report(out, rowNumber, 'sibs.validity_date.missing', 'validityDate (end of the customer\'s agreement) is expected with mitType, e.g. 2027-04-16T23:59:59.000Z.');
    } else {
      const v = parseIsoDateTime(validity, true);
      if (Number.isNaN(v.ms)) {
        report(out, rowNumber, 'sibs.validity_date.format', 'validityDate must be an ISO 8601 date or date-time, e.g. 2027-04-16 or 2027-04-16T23:59:59.000Z.');
      } else if (!v.dateOnly && !v.hasZone) {
        report(out, rowNumber, 'sibs.validity_date.format', zoneMissing('validityDate', validity));
      } else if (endOfDay(v) <= now) {
        report(out, rowNumber, 'sibs.validity_date.past', 'validityDate is in the past: the agreement has ended. Renew the agreement with the customer or correct the date.');
      }
    }

    if (initial !== '' || final !== '' || interval !== '') {
      if (initial === '' || final === '' || interval === '') {
        report(out, rowNumber, 'sibs.schedule.incomplete', 'A schedule needs scheduleInitialDate, scheduleFinalDate and scheduleInterval; fill all three or clear them.');
      }
      let a = NaN;
      let b = NaN;
      if (initial !== '') {
        const v = parseIsoDateTime(initial, true);
        if (Number.isNaN(v.ms)) report(out, rowNumber, 'sibs.schedule_initial_date.format', 'scheduleInitialDate must be an ISO 8601 date or date-time, e.g. 2026-05-01.');
        else if (!v.dateOnly && !v.hasZone) report(out, rowNumber, 'sibs.schedule_initial_date.format', zoneMissing('scheduleInitialDate', initial));
        a = v.ms;
      }
      if (final !== '') {
        const v = parseIsoDateTime(final, true);
        if (Number.isNaN(v.ms)) report(out, rowNumber, 'sibs.schedule_final_date.format', 'scheduleFinalDate must be an ISO 8601 date or date-time, e.g. 2027-05-01.');
        else if (!v.dateOnly && !v.hasZone) report(out, rowNumber, 'sibs.schedule_final_date.format', zoneMissing('scheduleFinalDate', final));
        b = exportedFinal(v); // a date-only final date is exported as T23:59:59.000Z: compare with that
      }
      if (a > b) report(out, rowNumber, 'sibs.schedule.order', 'scheduleFinalDate is before scheduleInitialDate: swap or correct them.');
      if (interval !== '' && !(SIBS_INTERVALS as readonly string[]).includes(interval)) {
        const canon = canonicalEnum(interval, SIBS_INTERVALS, true);
        report(out, rowNumber, 'sibs.schedule_interval.invalid', canon ? `scheduleInterval must be written exactly ${canon}.` : `scheduleInterval must be one of ${SIBS_INTERVALS.join(', ')}.`, canon);
      }
      if (typeValue === 'UCOF') {
        report(out, rowNumber, 'sibs.schedule.unscheduled_type', 'A schedule was given for an unscheduled (UCOF) MIT: use RCRR for scheduled recurring charges, or clear the schedule.');
      }
    }
  };
}

function createBatchChecker(ctx: ValidationContext, out: IssueSink, expectedRows?: number): BatchChecker {
  const defaultExponent = currencyExponent(ctx.currency) ?? 2;
  return new DuplicateFinder([
    {
      parts: [{ col: C.merchantTransactionId, kind: 'text' }],
      skipWhenEmpty: [C.merchantTransactionId],
      amountOf: null,
      onDuplicate: (i, j) => report(out, i + 1, 'sibs.merchant_transaction_id.duplicate', `merchantTransactionId is already used on row ${j + 1}; SIBS requires a unique id per transaction. Give this row its own id.`),
    },
    {
      parts: [
      { col: C.originalTransactionId, kind: 'text' },
      { col: C.currency, kind: 'upper' },
    ],
      skipWhenEmpty: [C.originalTransactionId],
      amountOf: (r) => parseMinorStrict(cellAt(r, C.amount), currencyExponent(cellAt(r, C.currency).toUpperCase()) ?? defaultExponent, 'major'),
      onDuplicate: (i, j) => report(out, i + 1, 'sibs.charge.duplicate', `Possible duplicate charge: same original transaction, amount and currency as row ${j + 1}. Delete one if it was entered twice.`),
    },
  ], expectedRows);
}

export const sibs: Profile = {
  id: 'sibs',
  provider: 'SIBS Gateway',
  title: 'SIBS SPG v2 MIT (one request per row)',
  columns,
  requiredColumnGroups: [],
  amount: { column: 'amount', unit: 'major', currencyColumn: 'currency' },
  rules,
  createRowChecker,
  createBatchChecker,
  export: {
    kind: 'json-lines',
    fileExtension: '.jsonl',
    mediaType: 'application/x-ndjson',
    description: 'One POST /api/v2/payments body (paymentType MIT) per line.',
  },
  limits: {},
  notes: [
    'Amounts are decimal major units (amount.value, e.g. 29.90) with at most the currency\'s decimals; exported as JSON numbers with exactly those decimals.',
    'merchantTransactionId: unique in the batch (SIBS requires uniqueness per transaction) and at most 35 characters (our integration requirement; the pages in docs/ state no length).',
    'originalTransactionDatetime must carry a time zone (Z or offset) and, where the CIT is known locally, match its recorded transactionDateTime character for character.',
    'merchantInitiatedTransaction is optional (the basic MIT example has none). When any of its fields is given, mitType is required; amountQualifier and validityDate missing are warnings (older docs mark them mandatory).',
    'validityDate, scheduleInitialDate and scheduleFinalDate accept a date (YYYY-MM-DD) or a date-time with a time zone (Z or offset; without one it is an error, as for originalTransactionDatetime); on export a date becomes T00:00:00.000Z (initial) or T23:59:59.000Z (validity, final). A date-only validityDate is valid through the end of that day (UTC); a date-only scheduleFinalDate is compared with scheduleInitialDate as that day at 23:59:59Z.',
    'A schedule must be complete (initial, final, interval); a schedule with UCOF is a warning.',
    'Empty currency is an error with the batch currency as fix (amount.currency is mandatory in the API).',
    'terminalId and channel come from export settings, not from rows; transactionTimestamp is the export time.',
    'A card number (13–19 digits passing the Luhn check) in description or mitDescription is an error: SIBS needs none, and the text is sent and exported as it is.',
  ],
};
