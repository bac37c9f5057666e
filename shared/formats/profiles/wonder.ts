/**
 * Wonder (developer.wonder.today) — Batch MIT file (CSV/XLSX uploaded by URL).
 * Columns and rules: SPEC.md §1.5 and docs/wonder-batch-mit.txt.
 */
import type { IssueSink } from '../issues';
import type { ColumnDef, Profile, RowChecker, RuleDef, ValidationContext } from '../profile';
import { currencyExponent } from '../money';
import { parseIsoDate } from './dates';
import { cellAt, checkAmountCell, DuplicateFinder, type BatchChecker, isDigits, isUuid, luhnDigits, LUHN_FAIL, LUHN_NOT_DIGITS, maskPan, amountCodes, reporter, cardInTextRules, checkCardInText, type FreeTextColumn } from './common';
import { parseMinorStrict } from '../money';
import { maskPans } from '../mask';

export const WONDER_ACTIONS = ['authorize', 'payment', 'void', 'cancellation', 'refund'] as const;

const C = {
  action: 0,
  referenceNumber: 1,
  originalTransactionId: 2,
  customerUuid: 3,
  amount: 4,
  tokenId: 5,
  cardNumber: 6,
  expiryMonth: 7,
  expiryYear: 8,
  cvc: 9,
  remark: 10,
} as const;

const columns: readonly ColumnDef[] = [
  { key: 'action', label: 'Action', aliases: ['type', 'operation', 'transaction type'], type: 'enum', required: true, enumValues: WONDER_ACTIONS, description: 'authorize, payment, void, cancellation or refund (lowercase).' },
  { key: 'referenceNumber', label: 'Reference Number', aliases: ['reference', 'reference_number', 'order reference', 'ref', 'order number', 'invoice'], type: 'id', required: false, textInSpreadsheet: true, description: 'Your order reference.' },
  { key: 'originalTransactionId', label: 'Original Transaction ID', aliases: ['original_transaction_uuid', 'original_transaction_id', 'original transaction', 'transaction id'], type: 'id', required: false, textInSpreadsheet: true, description: 'Required for void and refund: the Wonder transaction to act on.' },
  { key: 'customerUuid', label: 'Customer UUID', aliases: ['customer_uuid', 'customer id', 'customer'], type: 'uuid', required: false, textInSpreadsheet: true, description: 'Wonder customer uuid (optional).' },
  { key: 'amount', label: 'Amount', aliases: ['amt', 'value', 'total'], type: 'amount', required: true, description: 'Amount in the agreed unit (major units with the currency decimals, or minor units).' },
  { key: 'tokenId', label: 'Token ID', aliases: ['token', 'payment_token', 'card token', 'token_id'], type: 'id', required: false, textInSpreadsheet: true, description: 'Card token; use either Token ID or Card Number.' },
  { key: 'cardNumber', label: 'Card Number', aliases: ['card', 'pan', 'card_number', 'card no', 'credit card number', 'number'], type: 'card_number', required: false, sensitive: 'pan', textInSpreadsheet: true, description: 'Card number (digits only); use either Card Number or Token ID.' },
  { key: 'expiryMonth', label: 'Expiry Month', aliases: ['exp_month', 'exp month', 'expiration month', 'mm'], type: 'month', required: false, textInSpreadsheet: true, description: 'MM, required with Card Number.' },
  { key: 'expiryYear', label: 'Expiry Year', aliases: ['exp_year', 'exp year', 'expiration year', 'yy'], type: 'year', required: false, textInSpreadsheet: true, description: 'YY (25 = 2025), required with Card Number.' },
  { key: 'cvc', label: 'CVC', aliases: ['cvv', 'cvv2', 'cvc2', 'security code', 'csc'], type: 'cvc', required: false, sensitive: 'cvc', textInSpreadsheet: true, description: 'Card verification code (optional).' },
  { key: 'remark', label: 'Remark', aliases: ['remarks', 'note', 'notes', 'comment', 'memo'], type: 'text', required: false, description: 'Free text.' },
];

/** Free-text columns: a card number typed there would be sent and exported in clear. */
const FREE_TEXT: readonly FreeTextColumn[] = [{ index: C.remark, label: 'Remark', code: 'wonder.remark.card_number' }];
const CARD_IN_TEXT_HINT = 'A card to charge goes in Card Number (or use its Token ID).';

const rules: readonly RuleDef[] = [
  { code: 'wonder.currency.unknown', severity: 'error', column: null, scope: 'batch', summary: 'The batch currency (settings) must be an ISO 4217 code.' },
  { code: 'wonder.action.required', severity: 'error', column: 'Action', scope: 'row', summary: 'Action is required.' },
  { code: 'wonder.action.case', severity: 'error', column: 'Action', scope: 'row', summary: 'Action must be lowercase (fix offered).' },
  { code: 'wonder.action.invalid', severity: 'error', column: 'Action', scope: 'row', summary: 'Action must be authorize, payment, void, cancellation or refund.' },
  { code: 'wonder.original_transaction_id.required', severity: 'error', column: 'Original Transaction ID', scope: 'row', summary: 'Required for void and refund.' },
  { code: 'wonder.original_transaction_id.recommended', severity: 'warning', column: 'Original Transaction ID', scope: 'row', summary: 'A cancellation normally names the authorization it cancels.' },
  { code: 'wonder.customer_uuid.format', severity: 'warning', column: 'Customer UUID', scope: 'row', summary: 'Customer UUID does not look like a UUID.' },
  { code: 'wonder.amount.required', severity: 'error', column: 'Amount', scope: 'row', summary: 'Amount is required.' },
  { code: 'wonder.amount.invalid', severity: 'error', column: 'Amount', scope: 'row', summary: 'Amount must be a plain number.' },
  { code: 'wonder.amount.not_positive', severity: 'error', column: 'Amount', scope: 'row', summary: 'Amount must be greater than zero.' },
  { code: 'wonder.amount.decimals', severity: 'error', column: 'Amount', scope: 'row', summary: 'No more decimals than the currency allows (none in minor units).' },
  { code: 'wonder.payment_method.missing', severity: 'error', column: 'Token ID', scope: 'row', summary: 'Either Token ID or Card Number is required.' },
  { code: 'wonder.payment_method.both', severity: 'error', column: 'Token ID', scope: 'row', summary: 'Token ID and Card Number are mutually exclusive.' },
  { code: 'wonder.card_number.format', severity: 'error', column: 'Card Number', scope: 'row', summary: 'Card Number must be digits only (fix removes spaces/dashes).' },
  { code: 'wonder.card_number.length', severity: 'error', column: 'Card Number', scope: 'row', summary: 'Card Number must have 12 to 19 digits.' },
  { code: 'wonder.card_number.luhn', severity: 'error', column: 'Card Number', scope: 'row', summary: 'Card Number fails the Luhn check digit.' },
  { code: 'wonder.expiry_month.required', severity: 'error', column: 'Expiry Month', scope: 'row', summary: 'Expiry Month is required with a Card Number.' },
  { code: 'wonder.expiry_month.format', severity: 'error', column: 'Expiry Month', scope: 'row', summary: 'Expiry Month must be MM (fix 5 → 05).' },
  { code: 'wonder.expiry_month.range', severity: 'error', column: 'Expiry Month', scope: 'row', summary: 'Expiry Month must be 01 to 12.' },
  { code: 'wonder.expiry_year.required', severity: 'error', column: 'Expiry Year', scope: 'row', summary: 'Expiry Year is required with a Card Number.' },
  { code: 'wonder.expiry_year.format', severity: 'error', column: 'Expiry Year', scope: 'row', summary: 'Expiry Year must be YY (fix 2027 → 27).' },
  { code: 'wonder.card.expired', severity: 'error', column: 'Expiry Year', scope: 'row', summary: 'The card expired before today.' },
  { code: 'wonder.card_fields.without_card_number', severity: 'warning', column: null, scope: 'row', summary: 'Expiry/CVC given without a Card Number are ignored.' },
  { code: 'wonder.cvc.format', severity: 'error', column: 'CVC', scope: 'row', summary: 'CVC must be 3 or 4 digits.' },
  { code: 'wonder.reference_number.duplicate', severity: 'warning', column: 'Reference Number', scope: 'batch', summary: 'Same Reference Number and Action as an earlier row.' },
  { code: 'wonder.charge.duplicate', severity: 'warning', column: 'Amount', scope: 'batch', summary: 'Same card/token (or original transaction), amount and action as an earlier row.' },
  ...cardInTextRules(FREE_TEXT),
];

const report = reporter(rules);

/** 0 for no action; 3 void, 4 cancellation, 5 refund (the ones with rules of their own); 1 otherwise. */
function actionCode(a: string): number {
  switch (a) {
    case 'payment':
    case 'authorize':
      return 1;
    case 'refund':
      return 5;
    case 'void':
      return 3;
    case 'cancellation':
      return 4;
    default:
      return 0;
  }
}

const AMOUNT_CODES = amountCodes('wonder.amount');

function todayParts(today: string): { y: number; m: number } {
  if (Number.isNaN(parseIsoDate(today))) throw new RangeError(`ValidationContext.today must be YYYY-MM-DD, got ${today}`);
  return { y: Number(today.slice(0, 4)), m: Number(today.slice(5, 7)) };
}

function isSeparator(c: number): boolean {
  return c === 32 || c === 45 || c === 0xa0 || c === 0x2010 || c === 0x2011 || c === 0x2012 || c === 0x2013 || c === 46;
}

function createRowChecker(ctx: ValidationContext): RowChecker {
  const exponent = currencyExponent(ctx.currency) ?? 2;
  const unit = ctx.amountUnit;
  const currency = ctx.currency;
  const { y: todayY, m: todayM } = todayParts(ctx.today);
  const todayIndex = todayY * 12 + todayM;

  return (row: readonly string[], rowNumber: number, out: IssueSink): void => {
    checkCardInText(out, report, rowNumber, row, FREE_TEXT, CARD_IN_TEXT_HINT);
    // Action
    const action = cellAt(row, C.action);
    let act = actionCode(action);
    if (act === 0) {
      if (action === '') {
        report(out, rowNumber, 'wonder.action.required', 'Action is required: enter authorize, payment, void, cancellation or refund.');
      } else {
        // the same switch as above (a plain object lookup would take "constructor" for an action)
        const lower = action.toLowerCase().replace(/\s+/g, '');
        act = actionCode(lower);
        if (act !== 0) {
          report(out, rowNumber, 'wonder.action.case', `Action must be lowercase: write "${lower}" instead of "${action}".`, lower);
        } else {
          report(out, rowNumber, 'wonder.action.invalid', `Action "${maskPans(action).slice(0, 40)}" is not supported; use authorize, payment, void, cancellation or refund.`);
        }
      }
    }

    // Original Transaction ID
    const original = cellAt(row, C.originalTransactionId);
    if (original === '') {
      if (act === 3 || act === 5) {
        report(out, rowNumber, 'wonder.original_transaction_id.required', `Original Transaction ID is required for ${act === 3 ? 'void' : 'refund'}: enter the Wonder transaction ID of the payment to ${act === 3 ? 'void' : 'refund'}.`);
      } else if (act === 4) {
        report(out, rowNumber, 'wonder.original_transaction_id.recommended', 'A cancellation normally names the transaction it cancels: enter its Original Transaction ID unless Wonder told you otherwise.');
      }
    }

    // Customer UUID
    const customer = cellAt(row, C.customerUuid);
    if (customer !== '' && !isUuid(customer)) {
      report(out, rowNumber, 'wonder.customer_uuid.format', 'Customer UUID does not look like a Wonder customer uuid (8-4-4-4-12 hexadecimal characters); check it or leave it empty.');
    }

    // Amount
    checkAmountCell(out, report, rowNumber, cellAt(row, C.amount), exponent, unit, AMOUNT_CODES, 'Amount', currency);

    // Token / card
    const token = cellAt(row, C.tokenId);
    let card = cellAt(row, C.cardNumber);
    const month = cellAt(row, C.expiryMonth);
    const year = cellAt(row, C.expiryYear);
    const cvc = cellAt(row, C.cvc);
    if (token === '' && card === '') {
      report(out, rowNumber, 'wonder.payment_method.missing', 'Enter either a Token ID or a Card Number (with expiry).');
    } else if (token !== '' && card !== '') {
      report(out, rowNumber, 'wonder.payment_method.both', 'Token ID and Card Number cannot both be filled: keep only one of them.');
    }

    if (card !== '') {
      let cardOk = true;
      // digits and check digit in one pass (the usual, valid card number is read once)
      let luhn = luhnDigits(card);
      if (luhn === LUHN_NOT_DIGITS) {
        let digits = '';
        let onlySeparators = true;
        for (let i = 0; i < card.length; i++) {
          const c = card.charCodeAt(i);
          if (c >= 48 && c <= 57) digits += card[i];
          else if (!isSeparator(c)) onlySeparators = false;
        }
        if (onlySeparators && digits.length > 0) {
          report(out, rowNumber, 'wonder.card_number.format', `Card Number ${maskPan(digits)} contains spaces or dashes: enter digits only.`, digits);
          card = digits;
          luhn = luhnDigits(digits);
        } else {
          report(out, rowNumber, 'wonder.card_number.format', 'Card Number must contain digits only; check the cell (was the column formatted as a number or date?).');
          cardOk = false;
        }
      }
      if (cardOk) {
        if (card.length < 12 || card.length > 19) {
          report(out, rowNumber, 'wonder.card_number.length', `Card Number ${maskPan(card)} has ${card.length} digits; card numbers have 12 to 19. Check for missing or extra digits.`);
        } else if (luhn === LUHN_FAIL) {
          report(out, rowNumber, 'wonder.card_number.luhn', `Card Number ${maskPan(card)} is not a valid card number (check digit wrong): check for a typo.`);
        }
      }

      // Expiry
      let mm = -1;
      if (month === '') {
        report(out, rowNumber, 'wonder.expiry_month.required', 'Expiry Month is required with a Card Number: enter MM, e.g. 05.');
      } else if (month.length === 2 && isDigits(month)) {
        mm = (month.charCodeAt(0) - 48) * 10 + (month.charCodeAt(1) - 48);
        if (mm < 1 || mm > 12) {
          report(out, rowNumber, 'wonder.expiry_month.range', `Expiry Month "${month}" must be between 01 and 12.`);
          mm = -1;
        }
      } else if (month.length === 1 && isDigits(month) && month !== '0') {
        mm = month.charCodeAt(0) - 48;
        report(out, rowNumber, 'wonder.expiry_month.format', `Expiry Month must have two digits: write 0${month}.`, '0' + month);
      } else {
        const n = isDigits(month) ? Number(month) : NaN;
        if (n >= 1 && n <= 12 && month.length <= 3) {
          const fix = String(n).padStart(2, '0');
          mm = n;
          report(out, rowNumber, 'wonder.expiry_month.format', `Expiry Month must be MM: write ${fix}.`, fix);
        } else if (isDigits(month)) {
          report(out, rowNumber, 'wonder.expiry_month.range', `Expiry Month "${month.slice(0, 10)}" must be between 01 and 12.`);
        } else {
          report(out, rowNumber, 'wonder.expiry_month.format', `Expiry Month "${month.slice(0, 10)}" must be two digits, 01 to 12.`);
        }
      }
      let yy = -1;
      if (year === '') {
        report(out, rowNumber, 'wonder.expiry_year.required', 'Expiry Year is required with a Card Number: enter YY, e.g. 27 for 2027.');
      } else if (year.length === 2 && isDigits(year)) {
        yy = (year.charCodeAt(0) - 48) * 10 + (year.charCodeAt(1) - 48);
      } else if (year.length === 4 && isDigits(year) && year.startsWith('20')) {
        yy = Number(year.slice(2));
        report(out, rowNumber, 'wonder.expiry_year.format', `Expiry Year must be YY: write ${year.slice(2)} instead of ${year}.`, year.slice(2));
      } else if (year.length === 1 && isDigits(year)) {
        yy = Number(year);
        report(out, rowNumber, 'wonder.expiry_year.format', `Expiry Year must have two digits: write 0${year}.`, '0' + year);
      } else {
        report(out, rowNumber, 'wonder.expiry_year.format', `Expiry Year "${year.slice(0, 10)}" must be two digits (YY), e.g. 27 for 2027.`);
      }
      if (mm > 0 && yy >= 0 && (2000 + yy) * 12 + mm < todayIndex) {
        report(out, rowNumber, 'wonder.card.expired', `The card expired at the end of ${String(mm).padStart(2, '0')}/${String(yy).padStart(2, '0')}: ask the customer for a new card or a token.`);
      }
    } else if (month !== '' || year !== '' || cvc !== '') {
      report(out, rowNumber, 'wonder.card_fields.without_card_number', 'Expiry Month, Expiry Year and CVC are only used with a Card Number; they are ignored for this row. Clear them.');
    }

    // CVC
    if (cvc !== '' && !((cvc.length === 3 || cvc.length === 4) && isDigits(cvc))) {
      report(out, rowNumber, 'wonder.cvc.format', 'CVC must be 3 or 4 digits (or empty). If it lost a leading zero in Excel, format the column as Text.');
    }
  };
}

function createBatchChecker(ctx: ValidationContext, out: IssueSink, expectedRows?: number): BatchChecker {
  const exponent = currencyExponent(ctx.currency);
  if (exponent === undefined) {
    report(out, null, 'wonder.currency.unknown', `The batch currency "${ctx.currency}" is not an ISO 4217 currency code: choose the currency of your Wonder account (e.g. HKD) in the batch settings.`);
  }
  const exp = exponent ?? 2;
  const unit = ctx.amountUnit;
  return new DuplicateFinder([
    {
      parts: [
      { col: C.action, kind: 'upper' },
      { col: C.referenceNumber, kind: 'text' },
    ],
      skipWhenEmpty: [C.referenceNumber],
      amountOf: null,
      onDuplicate: (i, j) => {
      report(out, i + 1, 'wonder.reference_number.duplicate', `Reference Number is already used on row ${j + 1} with the same Action: check that this row is not entered twice.`);
    },
    },
    {
      parts: [
      { col: C.action, kind: 'upper' },
      { col: C.tokenId, kind: 'text' },
      { col: C.cardNumber, kind: 'digits' },
      { col: C.originalTransactionId, kind: 'text' },
    ],
      skipWhenEmpty: [C.tokenId, C.cardNumber, C.originalTransactionId],
      amountOf: (r) => parseMinorStrict(cellAt(r, C.amount), exp, unit),
      onDuplicate: (i, j) => {
      report(out, i + 1, 'wonder.charge.duplicate', `Possible duplicate: same action, card/token or original transaction and amount as row ${j + 1}. Delete one of the rows if it was entered twice.`);
    },
    },
  ], expectedRows);
}

export const wonder: Profile = {
  id: 'wonder',
  provider: 'Wonder',
  title: 'Wonder Batch MIT file',
  columns,
  requiredColumnGroups: [['tokenId', 'cardNumber']],
  amount: { column: 'amount', unit: 'context' },
  rules,
  createRowChecker,
  createBatchChecker,
  export: {
    kind: 'csv-file',
    fileExtension: '.csv',
    mediaType: 'text/csv',
    description: 'CSV with the published header row, UTF-8 without BOM, CRLF line endings, RFC 4180 quoting; uploaded to a URL Wonder fetches (Create Batch MIT Transaction, file_url).',
  },
  limits: { maxRowsPerFile: 1_048_575 },
  notes: [
    'Wonder files have no currency column: amounts are in the batch currency (settings, default HKD), the currency of the Wonder account.',
    'Amount unit is "subject to the interface agreement": the batch setting amountUnit chooses major units (10.00, with the currency\'s decimals) or minor units (1000).',
    'Original Transaction ID is required for void and refund (documented); for cancellation it is not documented, so a missing one is only a warning.',
    'Expiry Year is YY; a four-digit 20YY is offered as a fix. A card is valid until the end of its expiry month.',
    'Customer UUID that is not a UUID is a warning only (the format is not documented as strict).',
    'Reference Number uniqueness is not required by Wonder (the published sample reuses one for payment and refund), so duplicates with the same Action are warnings.',
    'Likely duplicate charges (same action, token/card or original transaction, same amount) are warnings.',
    'Exports mask Card Number (first 6 + last 4) and leave CVC empty unless full card data is explicitly requested.',
    'Leading/trailing spaces in cells are ignored by validation and removed on export.',
    'A card number (13–19 digits passing the Luhn check, spaces or dashes allowed) in Remark is an error: Remark is sent and exported as it is, so the number would travel and be stored in clear.',
  ],
};
