/**
 * ePay (docs.epay.eu) — POST /public/api/v1/mit/batch, CreateMitBatchTransactionRequest.
 * One row = one MitAuthorizationRequest. SPEC.md §2 and docs/epay-mit-batch-request.txt.
 */
import type { IssueSink } from '../issues';
import type { ColumnDef, Profile, RowChecker, RuleDef, ValidationContext } from '../profile';
import { currencyExponent, isCurrencyCode, parseMinorStrict } from '../money';
import {
  URL_HTTP,
  URL_OK,
  canonicalEnum,
  cellAt,
  checkAmountCell,
  checkHttpUrl,
  DuplicateFinder,
  type BatchChecker,
  isUuid,
  amountCodes,
  reporter,
  cardInTextRules,
  checkCardInText,
  type FreeTextColumn,
} from './common';

export const EPAY_INSTANT_CAPTURE = ['OFF', 'VOID', 'NO_VOID'] as const;
export const EPAY_MAX_PER_REQUEST = 500;

const C = {
  subscriptionId: 0,
  amount: 1,
  currency: 2,
  reference: 3,
  instantCapture: 4,
  textOnStatement: 5,
  notificationUrl: 6,
  attributes: 7,
} as const;

const columns: readonly ColumnDef[] = [
  { key: 'subscriptionId', label: 'subscriptionId', aliases: ['subscription id', 'subscription', 'subscription_id', 'subscription uuid'], type: 'uuid', required: true, textInSpreadsheet: true, description: 'UUID of the ePay subscription to charge.' },
  { key: 'amount', label: 'amount', aliases: ['amount minor', 'amount in minor units', 'amount cents', 'amt'], type: 'amount', required: true, description: 'Amount in minor units (1095 = 10.95 DKK).' },
  { key: 'currency', label: 'currency', aliases: ['currency code', 'ccy', 'cur'], type: 'currency', required: false, description: 'ISO 4217 code, e.g. DKK; empty = the subscription\'s currency.' },
  { key: 'reference', label: 'reference', aliases: ['order id', 'order reference', 'merchant reference', 'order', 'ref'], type: 'id', required: false, textInSpreadsheet: true, description: 'Your reference, typically the order id.' },
  { key: 'instantCapture', label: 'instantCapture', aliases: ['instant capture', 'capture', 'capture mode'], type: 'enum', required: false, enumValues: EPAY_INSTANT_CAPTURE, description: 'OFF, VOID or NO_VOID (empty = ePay default).' },
  { key: 'textOnStatement', label: 'textOnStatement', aliases: ['text on statement', 'statement text', 'descriptor', 'statement descriptor'], type: 'text', required: false, maxLength: 39, description: 'Text on the cardholder statement, 1–39 characters.' },
  { key: 'notificationUrl', label: 'notificationUrl', aliases: ['notification url', 'callback url', 'webhook url', 'callback'], type: 'url', required: true, description: 'Absolute https URL that receives the result.' },
  { key: 'attributes', label: 'attributes', aliases: ['pass-through attributes', 'metadata', 'custom attributes'], type: 'json', required: false, description: 'JSON object of pass-through values, e.g. {"customer":"42"}.' },
];

/** Free-text columns: a card number typed there would be sent and exported in clear. */
const FREE_TEXT: readonly FreeTextColumn[] = [
  { index: C.textOnStatement, label: 'textOnStatement', code: 'epay.text_on_statement.card_number' },
  { index: C.attributes, label: 'attributes', code: 'epay.attributes.card_number' },
];
const CARD_IN_TEXT_HINT = 'ePay charges the card stored on the subscription; no card number is needed.';

const rules: readonly RuleDef[] = [
  { code: 'epay.subscription_id.required', severity: 'error', column: 'subscriptionId', scope: 'row', summary: 'subscriptionId is required.' },
  { code: 'epay.subscription_id.format', severity: 'error', column: 'subscriptionId', scope: 'row', summary: 'subscriptionId must be a UUID.' },
  { code: 'epay.amount.required', severity: 'error', column: 'amount', scope: 'row', summary: 'amount is required.' },
  { code: 'epay.amount.invalid', severity: 'error', column: 'amount', scope: 'row', summary: 'amount must be a whole number of minor units.' },
  { code: 'epay.amount.not_positive', severity: 'error', column: 'amount', scope: 'row', summary: 'amount must be greater than zero.' },
  { code: 'epay.amount.decimals', severity: 'error', column: 'amount', scope: 'row', summary: 'amount is in minor units: no decimal point (fix converts 10.95 → 1095).' },
  { code: 'epay.currency.format', severity: 'error', column: 'currency', scope: 'row', summary: 'currency must match ^[A-Z]{3}$ (fix upper-cases).' },
  { code: 'epay.currency.unknown', severity: 'error', column: 'currency', scope: 'row', summary: 'currency is not an ISO 4217 code.' },
  { code: 'epay.instant_capture.invalid', severity: 'error', column: 'instantCapture', scope: 'row', summary: 'instantCapture must be OFF, VOID or NO_VOID.' },
  { code: 'epay.text_on_statement.length', severity: 'error', column: 'textOnStatement', scope: 'row', summary: 'textOnStatement is at most 39 characters.' },
  { code: 'epay.notification_url.required', severity: 'error', column: 'notificationUrl', scope: 'row', summary: 'notificationUrl is required.' },
  { code: 'epay.notification_url.invalid', severity: 'error', column: 'notificationUrl', scope: 'row', summary: 'notificationUrl must be an absolute http(s) URL.' },
  { code: 'epay.notification_url.insecure', severity: 'warning', column: 'notificationUrl', scope: 'row', summary: 'notificationUrl uses plain http.' },
  { code: 'epay.attributes.invalid_json', severity: 'error', column: 'attributes', scope: 'row', summary: 'attributes must be valid JSON.' },
  { code: 'epay.attributes.not_object', severity: 'error', column: 'attributes', scope: 'row', summary: 'attributes must be a JSON object {…}.' },
  { code: 'epay.reference.duplicate', severity: 'warning', column: 'reference', scope: 'batch', summary: 'Same reference as an earlier row.' },
  { code: 'epay.charge.duplicate', severity: 'warning', column: 'amount', scope: 'batch', summary: 'Same subscription, amount and currency as an earlier row.' },
  ...cardInTextRules(FREE_TEXT),
];

const report = reporter(rules);

const AMOUNT_CODES = amountCodes('epay.amount');

function isUpper3(s: string): boolean {
  if (s.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

function uuidFix(s: string): string | undefined {
  let t = s.trim();
  if (t.startsWith('{') && t.endsWith('}')) t = t.slice(1, -1);
  if (isUuid(t)) return t;
  if (/^[0-9a-fA-F]{32}$/.test(t)) {
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
  }
  return undefined;
}

/** `1095.00`, `12.0`: the digits after the dot at `dot` are all zeros. */
function isZeroFraction(s: string, dot: number): boolean {
  if (dot + 1 >= s.length) return false;
  for (let i = dot + 1; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

function createRowChecker(ctx: ValidationContext): RowChecker {
  return (row: readonly string[], rowNumber: number, out: IssueSink): void => {
    checkCardInText(out, report, rowNumber, row, FREE_TEXT, CARD_IN_TEXT_HINT);
    const sub = cellAt(row, C.subscriptionId);
    if (sub === '') {
      report(out, rowNumber, 'epay.subscription_id.required', 'subscriptionId is required: the UUID of the subscription created by the customer\'s first (CIT) payment.');
    } else if (!isUuid(sub)) {
      report(out, rowNumber, 'epay.subscription_id.format', 'subscriptionId must be a UUID like 01929a94-5fce-7ccc-a7e4-7e9249133b39.', uuidFix(sub));
    }

    // currency (checked first: it decides the decimals used in the amount hint)
    const currency = cellAt(row, C.currency);
    let exponent = currencyExponent(ctx.currency) ?? 2;
    const currencyName = currency === '' ? 'the subscription currency' : currency;
    if (currency !== '') {
      if (!isUpper3(currency)) {
        const up = currency.toUpperCase();
        report(out, rowNumber, 'epay.currency.format', `currency must be three capital letters (ISO 4217), e.g. DKK${isUpper3(up) ? `: write ${up}` : ''}. Leave it empty to use the subscription's currency.`, isUpper3(up) && isCurrencyCode(up) ? up : undefined);
        if (isCurrencyCode(up)) exponent = currencyExponent(up)!;
      } else if (!isCurrencyCode(currency)) {
        report(out, rowNumber, 'epay.currency.unknown', `currency "${currency}" is not an ISO 4217 currency code; correct it or leave it empty to use the subscription's currency.`);
      } else {
        exponent = currencyExponent(currency)!;
      }
    }

    const amount = cellAt(row, C.amount);
    const r = parseMinorStrict(amount, exponent, 'minor');
    if (r <= 0) {
      // `1095.00` is 1095 minor units shown with a spreadsheet's 2-decimal format: the fix drops the
      // zeros (checkAmountCell). Only a non-zero fraction (`10.95`) suggests major units, and the
      // message says that the fix converts (never for a currency without decimals: 10.5 JPY is
      // not an amount in either unit, and parseMinorStrict refuses it as major units).
      const dot = amount.indexOf('.');
      const asMajor = dot >= 0 && !isZeroFraction(amount, dot) ? parseMinorStrict(amount, exponent, 'major') : -1;
      if (asMajor > 0) {
        report(
          out,
          rowNumber,
          'epay.amount.decimals',
          `amount is in minor units of ${currencyName} (1095 = 10.95), so it cannot have decimals. If ${amount} is meant in major units, write ${asMajor}: the fix converts it to minor units (× ${10 ** exponent}). Check the amount before accepting it.`,
          String(asMajor),
        );
      } else {
        checkAmountCell(out, report, rowNumber, amount, exponent, 'minor', AMOUNT_CODES, 'amount', currencyName);
      }
    }

    const capture = cellAt(row, C.instantCapture);
    if (capture !== '' && capture !== 'OFF' && capture !== 'VOID' && capture !== 'NO_VOID') {
      const canon = canonicalEnum(capture, EPAY_INSTANT_CAPTURE, true);
      report(out, rowNumber, 'epay.instant_capture.invalid', canon ? `instantCapture must be written exactly ${canon}.` : 'instantCapture must be OFF (no capture), VOID (capture now, void if capture fails) or NO_VOID (capture now, keep the authorization if capture fails), or empty.', canon);
    }

    const text = cellAt(row, C.textOnStatement);
    if (text.length > 39) {
      report(out, rowNumber, 'epay.text_on_statement.length', `textOnStatement has ${text.length} characters; the maximum is 39. Shorten it (many acquirers show even fewer).`, text.slice(0, 39).trimEnd());
    }

    const url = cellAt(row, C.notificationUrl);
    if (url === '') {
      report(out, rowNumber, 'epay.notification_url.required', 'notificationUrl is required: the https address of your server that receives the payment result.');
    } else {
      const u = checkHttpUrl(url);
      if (u === URL_HTTP) {
        report(out, rowNumber, 'epay.notification_url.insecure', 'notificationUrl uses plain http: payment results would travel unencrypted. Use https.');
      } else if (u !== URL_OK) {
        report(out, rowNumber, 'epay.notification_url.invalid', 'notificationUrl must be a full address starting with https:// (e.g. https://example.com/epay/notification), without spaces.');
      }
    }

    const attributes = cellAt(row, C.attributes);
    if (attributes !== '') {
      let parsed: unknown;
      let ok = true;
      try {
        parsed = JSON.parse(attributes);
      } catch {
        ok = false;
      }
      if (!ok) {
        report(out, rowNumber, 'epay.attributes.invalid_json', 'attributes is not valid JSON: write an object like {"customerId":"42"} with double quotes, or leave it empty.');
      } else if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        report(out, rowNumber, 'epay.attributes.not_object', 'attributes must be a JSON object in braces, like {"customerId":"42"}.');
      }
    }
  };
}

function createBatchChecker(_ctx: ValidationContext, out: IssueSink, expectedRows?: number): BatchChecker {
  return new DuplicateFinder([
    {
      parts: [{ col: C.reference, kind: 'text' }],
      skipWhenEmpty: [C.reference],
      amountOf: null,
      onDuplicate: (i, j) => report(out, i + 1, 'epay.reference.duplicate', `reference is already used on row ${j + 1}: check that this charge is not entered twice.`),
    },
    {
      parts: [
      { col: C.subscriptionId, kind: 'upper' },
      { col: C.currency, kind: 'upper' },
    ],
      skipWhenEmpty: [C.subscriptionId],
      amountOf: (r) => parseMinorStrict(cellAt(r, C.amount), 0, 'minor'),
      onDuplicate: (i, j) => report(out, i + 1, 'epay.charge.duplicate', `Possible duplicate charge: same subscription, amount and currency as row ${j + 1}. Delete one if it was entered twice.`),
    },
  ], expectedRows);
}

export const epay: Profile = {
  id: 'epay',
  provider: 'ePay',
  title: 'ePay MIT batch (API)',
  columns,
  requiredColumnGroups: [],
  amount: { column: 'amount', unit: 'minor', currencyColumn: 'currency' },
  rules,
  createRowChecker,
  createBatchChecker,
  export: {
    kind: 'api-batch',
    fileExtension: '.json',
    mediaType: 'application/json',
    description: 'CreateMitBatchTransactionRequest bodies for POST /public/api/v1/mit/batch, at most 500 transactions each.',
  },
  limits: { maxRowsPerRequest: EPAY_MAX_PER_REQUEST },
  notes: [
    'amount is an integer in minor units (documented). A decimal amount is an error. Its fix: with an all-zero fraction (1095.00, a spreadsheet number format) the zeros are dropped (1095); with a non-zero fraction (10.95) the value is taken as major units and converted with the currency\'s exponent (row currency, else the batch currency), and the message says so; 1.000-style values (thousands separator or decimals?) get no fix.',
    'An empty currency is sent as null (= the subscription\'s currency, documented); a given one must also be an ISO 4217 code.',
    'Empty reference, instantCapture, textOnStatement and attributes are omitted from the request body.',
    'attributes must be a JSON object; the export writes the cell\'s JSON text as written (not re-serialised), so big integers and duplicate keys reach ePay unchanged.',
    'textOnStatement longer than 39 characters is an error (documented limit); the fix truncates it.',
    'notificationUrl with plain http is a warning (payment results should not travel unencrypted); anything else that is not an absolute http(s) URL is an error.',
    'reference uniqueness is not documented, so duplicate references are warnings.',
    'Rate limit: 1 batch request per second, 30,000 transactions per minute (documented); the submitter must pace requests.',
    'A card number (13–19 digits passing the Luhn check) in textOnStatement or attributes is an error: ePay needs none, and the text is sent and exported as it is.',
  ],
};
