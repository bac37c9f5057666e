/**
 * Export writers: pure functions producing strings (chunks) or request objects. Full card numbers are
 * masked (first 6 + last 4) and CVCs left empty unless `includeFullCardNumbers: true` is passed.
 */
import { FormatError } from '../errors';
import type { Issue, ProfileId } from '../types';
import type { ValidationContext } from '../profile';
import type { OmittedIssues } from '../issues';
import { currencyExponent, formatMinor, parseMinorStrict } from '../money';
import { wonder } from '../profiles/wonder';
import { EPAY_MAX_PER_REQUEST } from '../profiles/epay';
import { SIBS_COLUMNS } from '../profiles/sibs';
import { JPMMPS_COLUMNS } from '../profiles/jpmmps';
import { cellAt, isSpaceCode, maskPanForExport } from '../profiles/common';
import { localDateString } from '../validate';

// ---------------------------------------------------------------------------------------------
// assertExportable

/**
 * Throws FormatError('export.has_errors') naming the first rows/columns with errors and the count
 * (exact: errors counted but not kept, `omitted` by an IssueList, count too).
 */
export function assertExportable(issues: readonly Issue[], omitted: readonly OmittedIssues[] = []): void {
  const errors: Issue[] = [];
  for (const i of issues) if (i.severity === 'error') errors.push(i);
  let total = errors.length;
  for (const o of omitted) if (o.severity === 'error') total += o.count;
  if (total === 0) return;
  const shown = errors.slice(0, 5).map((e) => {
    const where = e.row === null ? 'file' : `row ${e.row}`;
    return e.column ? `${where} ${e.column}` : where;
  });
  const more = total > shown.length ? ` and ${total - shown.length} more` : '';
  throw new FormatError(
    'export.has_errors',
    `Cannot export: ${total} error${total === 1 ? '' : 's'} must be fixed first (${shown.join(', ')}${more}). Warnings do not block the export.`,
  );
}

// ---------------------------------------------------------------------------------------------
// CSV

export interface CsvExportOptions {
  /** Write full card numbers and CVCs. Default false: card numbers masked, CVC empty. */
  includeFullCardNumbers?: boolean;
  /** Rows per yielded chunk. Default 4096. */
  chunkRows?: number;
}

/**
 * Text without NUL characters. The importer removes them (and reports them), but rows may come from
 * elsewhere: every export writer passes its text through this once more, so no export holds a NUL.
 */
export function stripNul(s: string): string {
  return s.indexOf('\u0000') < 0 ? s : s.replaceAll('\u0000', '');
}

/** JSON.stringify replacer: string values without NUL characters. */
function noNul(_key: string, v: unknown): unknown {
  return typeof v === 'string' ? stripNul(v) : v;
}

/**
 * One CSV cell: trimmed; formula injection neutralised (OWASP: a leading `=`, `+`, `-`, `@`, tab or CR
 * gets a `'` prefix); RFC 4180 quoting when the cell holds `,`, `"`, CR or LF. Plain numbers such as
 * `10.00` start with a digit and are never touched.
 */
export function csvCell(v: string | undefined): string {
  if (v === undefined) return '';
  let n = v.length;
  if (n === 0) return v;
  let first = v.charCodeAt(0);
  if (isSpaceCode(first) || isSpaceCode(v.charCodeAt(n - 1))) {
    v = v.trim();
    n = v.length;
    if (n === 0) return v;
    first = v.charCodeAt(0);
  }
  // A leading tab or CR (OWASP's other two) was trimmed above; the four left get the prefix.
  if (first === 61 || first === 43 || first === 45 || first === 64) {
    v = "'" + v;
  }
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return '"' + v.replace(/"/g, '""') + '"';
  }
  // the prefix shifted the string by one: check its last character too (CR/LF there were trimmed)
  if (v.length !== n) {
    const c = v.charCodeAt(n);
    if (c === 44 || c === 34) return '"' + v.replace(/"/g, '""') + '"';
  }
  return v;
}

const NEEDS_QUOTES_IN_LINE = /["\r\n]/;

/**
 * Fast path for a whole row: true when no cell needs trimming, formula neutralising or quoting except
 * possibly for `"`, CR, LF — which the caller checks on the joined line with one native regex test.
 */
function rowIsPlain(row: readonly (string | undefined)[], n: number): boolean {
  if (row.length !== n) return false;
  for (let c = 0; c < n; c++) {
    const v = row[c];
    if (v === undefined) return false;
    const len = v.length;
    if (len === 0) continue;
    const f = v.charCodeAt(0);
    if (f === 61 || f === 43 || f === 45 || f === 64 || f <= 32 || isSpaceCode(f)) return false;
    const l = v.charCodeAt(len - 1);
    if (l <= 32 || isSpaceCode(l)) return false;
    if (v.indexOf(',') >= 0) return false;
  }
  return true;
}

/** Wonder Batch MIT CSV: published header, one row per line, CRLF, UTF-8 (no BOM). */
export function* wonderCsvChunks(rows: readonly (readonly string[])[], opts: CsvExportOptions = {}): Generator<string, void, undefined> {
  const full = opts.includeFullCardNumbers === true;
  const chunkRows = Math.max(1, opts.chunkRows ?? 4096);
  const ncol = wonder.columns.length;
  const panCol = wonder.columns.findIndex((c) => c.sensitive === 'pan');
  const cvcCol = wonder.columns.findIndex((c) => c.sensitive === 'cvc');
  const scratch: string[] = new Array(ncol);
  let lines: string[] = [wonder.columns.map((c) => csvCell(c.label)).join(',')];
  for (let r = 0; r < rows.length; r++) {
    let row: readonly (string | undefined)[] = rows[r]!;
    if (!full) {
      const pan = row[panCol];
      const cvc = row[cvcCol];
      if ((pan !== undefined && pan.length > 0) || (cvc !== undefined && cvc.length > 0)) {
        for (let c = 0; c < ncol; c++) scratch[c] = row[c] ?? '';
        if (pan !== undefined && pan.length > 0) scratch[panCol] = maskPanForExport(pan);
        scratch[cvcCol] = '';
        row = scratch;
      }
    }
    let line: string;
    if (!(rowIsPlain(row, ncol) && !NEEDS_QUOTES_IN_LINE.test((line = row.join(','))))) {
      line = csvCell(row[0]);
      for (let c = 1; c < ncol; c++) line += ',' + csvCell(row[c]);
    }
    lines.push(line);
    if (lines.length >= chunkRows) {
      lines.push('');
      yield stripNul(lines.join('\r\n'));
      lines = [];
    }
  }
  if (lines.length > 0) {
    lines.push('');
    yield stripNul(lines.join('\r\n'));
  }
}

// ---------------------------------------------------------------------------------------------
// ePay

export interface EpayMitRequest {
  subscriptionId: string;
  amount: number;
  currency: string | null;
  reference?: string;
  instantCapture?: 'OFF' | 'VOID' | 'NO_VOID';
  textOnStatement?: string;
  notificationUrl: string;
  attributes?: Record<string, unknown>;
}

export interface EpayBatchRequest {
  transactions: EpayMitRequest[];
}

/**
 * The attributes cell's own JSON text, per transaction object made by epayTransaction. Parsing and
 * re-serialising would change what the clerk wrote: integers beyond 2^53 lose digits
 * (`{"id":12345678901234567890}` → `12345678901234567000`) and duplicate keys collapse. epayRequestJson
 * writes this text verbatim.
 */
const rawAttributes = new WeakMap<EpayMitRequest, string>();

function rowError(row: number, message: string): FormatError {
  return new FormatError('export.invalid_row', `Row ${row}: ${message} Validate the batch and fix its errors before exporting.`);
}

/** One MitAuthorizationRequest from a validated ePay row. */
export function epayTransaction(row: readonly string[], rowNumber: number): EpayMitRequest {
  const amount = parseMinorStrict(cellAt(row, 1), 0, 'minor');
  if (amount <= 0) throw rowError(rowNumber, 'amount is not a positive whole number of minor units.');
  const currency = cellAt(row, 2);
  const t: EpayMitRequest = {
    subscriptionId: cellAt(row, 0),
    amount,
    currency: currency === '' ? null : currency,
    notificationUrl: cellAt(row, 6),
  };
  const reference = cellAt(row, 3);
  if (reference !== '') t.reference = reference;
  const capture = cellAt(row, 4);
  if (capture !== '') t.instantCapture = capture as EpayMitRequest['instantCapture'];
  const text = cellAt(row, 5);
  if (text !== '') t.textOnStatement = text;
  const attributes = cellAt(row, 7);
  if (attributes !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(attributes);
    } catch {
      throw rowError(rowNumber, 'attributes is not valid JSON.');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw rowError(rowNumber, 'attributes is not a JSON object.');
    t.attributes = parsed as Record<string, unknown>;
  }
  // key order as in the API reference
  const result: EpayMitRequest = {
    subscriptionId: t.subscriptionId,
    amount: t.amount,
    currency: t.currency,
    ...(t.reference !== undefined ? { reference: t.reference } : {}),
    ...(t.instantCapture !== undefined ? { instantCapture: t.instantCapture } : {}),
    ...(t.textOnStatement !== undefined ? { textOnStatement: t.textOnStatement } : {}),
    notificationUrl: t.notificationUrl,
    ...(t.attributes !== undefined ? { attributes: t.attributes } : {}),
  };
  if (t.attributes !== undefined) rawAttributes.set(result, attributes);
  return result;
}

/**
 * A request body as JSON text, laid out like `JSON.stringify(body, null, 2)`, except that the
 * `attributes` of transactions made by epayTransaction are the validated JSON text of the cell,
 * verbatim (big integers and duplicate keys kept). Use this, not JSON.stringify, to write or send
 * the body.
 */
export function epayRequestJson(body: EpayBatchRequest): string {
  if (body.transactions.length === 0) return '{\n  "transactions": []\n}';
  const parts: string[] = [];
  for (const t of body.transactions) {
    const raw = rawAttributes.get(t);
    if (raw === undefined) {
      parts.push(indentLines(JSON.stringify(t, noNul, 2), '    '));
      continue;
    }
    const { attributes: _parsed, ...rest } = t;
    const head = indentLines(JSON.stringify(rest, noNul, 2), '    '); // ends with "\n    }"
    parts.push(`${head.slice(0, head.length - 6)},\n      "attributes": ${stripNul(raw)}\n    }`);
  }
  return `{\n  "transactions": [\n${parts.join(',\n')}\n  ]\n}`;
}

/** Prefixes every line but the first with `pad` (JSON.stringify output: no newline inside strings). */
function indentLines(text: string, pad: string): string {
  return pad + text.replace(/\n/g, '\n' + pad);
}

/**
 * CreateMitBatchTransactionRequest bodies for POST /public/api/v1/mit/batch, in row order, at most
 * 500 transactions each (ePay's documented maximum). Row i of the batch is
 * bodies[floor(i / 500)].transactions[i % 500] — the response comes back in the same order.
 */
export function epayRequestBodies(rows: readonly (readonly string[])[], _ctx?: ValidationContext, maxPerRequest = EPAY_MAX_PER_REQUEST): EpayBatchRequest[] {
  const size = Math.max(1, Math.min(EPAY_MAX_PER_REQUEST, maxPerRequest));
  const bodies: EpayBatchRequest[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const transactions: EpayMitRequest[] = [];
    const end = Math.min(rows.length, start + size);
    for (let i = start; i < end; i++) transactions.push(epayTransaction(rows[i]!, i + 1));
    bodies.push({ transactions });
  }
  return bodies;
}

// ---------------------------------------------------------------------------------------------
// JSON lines (SIBS, JPMMPS)

export interface JsonLinesSettings {
  /** SIBS: terminal id from onboarding (required for SIBS). */
  terminalId?: string;
  /** SIBS: `web` (default) or `mobile`. */
  channel?: 'web' | 'mobile';
  /** JPMMPS: defaults for rows that leave these empty. */
  programAccno?: string;
  accno?: string;
  accnoType?: string;
  /** Rows per yielded chunk. Default 1024. */
  chunkRows?: number;
}

/** A JSON string literal, without NUL characters (see stripNul). */
const q = (v: string): string => JSON.stringify(stripNul(v));

function exponentFor(currency: string, ctx: ValidationContext): number {
  return currencyExponent(currency) ?? currencyExponent(ctx.currency) ?? 2;
}

/** A decimal amount as a JSON number literal with exactly the currency's decimals (`29.90`, `500`). */
function amountLiteral(text: string, currency: string, ctx: ValidationContext, rowNumber: number, label: string): string {
  const exponent = exponentFor(currency, ctx);
  const minor = parseMinorStrict(text, exponent, 'major');
  if (minor <= 0) throw rowError(rowNumber, `${label} is not a valid amount for ${currency || ctx.currency}.`);
  return formatMinor(minor, exponent);
}

/** SIBS date-only values become date-times: initial → 00:00:00.000Z, validity/final → 23:59:59.000Z. */
function sibsDateTime(v: string, endOfDay: boolean): string {
  if (v.length === 10 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45) return v + (endOfDay ? 'T23:59:59.000Z' : 'T00:00:00.000Z');
  return v;
}

export function sibsRequestJson(row: readonly string[], rowNumber: number, ctx: ValidationContext, settings: JsonLinesSettings): string {
  const C = SIBS_COLUMNS;
  if (!settings.terminalId) throw new FormatError('export.setting_missing', 'SIBS export needs the terminalId from your SIBS onboarding: set it in the export settings.');
  const currency = cellAt(row, C.currency);
  const description = cellAt(row, C.description);
  let s =
    `{"merchant":{"terminalId":${q(settings.terminalId)},"channel":${q(settings.channel ?? 'web')},"merchantTransactionId":${q(cellAt(row, C.merchantTransactionId))}},` +
    `"transaction":{"transactionTimestamp":${q(new Date(ctx.now).toISOString())},` +
    (description !== '' ? `"description":${q(description)},` : '') +
    `"paymentType":"MIT","paymentMethod":["CARD"],"amount":{"value":${amountLiteral(cellAt(row, C.amount), currency, ctx, rowNumber, 'amount')},"currency":${q(currency)}}},` +
    `"originalTransaction":{"id":${q(cellAt(row, C.originalTransactionId))},"datetime":${q(cellAt(row, C.originalTransactionDatetime))}}`;
  const type = cellAt(row, C.mitType);
  if (type !== '') {
    const parts: string[] = [`"type":${q(type)}`];
    const qualifier = cellAt(row, C.amountQualifier);
    if (qualifier !== '') parts.push(`"amountQualifier":${q(qualifier)}`);
    const validity = cellAt(row, C.validityDate);
    if (validity !== '') parts.push(`"validityDate":${q(sibsDateTime(validity, true))}`);
    const mitDescription = cellAt(row, C.mitDescription);
    if (mitDescription !== '') parts.push(`"description":${q(mitDescription)}`);
    const initial = cellAt(row, C.scheduleInitialDate);
    const final = cellAt(row, C.scheduleFinalDate);
    const interval = cellAt(row, C.scheduleInterval);
    if (initial !== '' && final !== '' && interval !== '') {
      parts.push(`"schedule":{"initialDate":${q(sibsDateTime(initial, false))},"finalDate":${q(sibsDateTime(final, true))},"interval":${q(interval)}}`);
    }
    s += `,"merchantInitiatedTransaction":{${parts.join(',')}}`;
  }
  return s + '}';
}

function localTimeString(now: number): string {
  const d = new Date(now);
  return String(d.getHours()).padStart(2, '0') + String(d.getMinutes()).padStart(2, '0') + String(d.getSeconds()).padStart(2, '0');
}

export function jpmmpsRequestJson(row: readonly string[], rowNumber: number, ctx: ValidationContext, settings: JsonLinesSettings): string {
  const C = JPMMPS_COLUMNS;
  const currency = cellAt(row, C.presentationCurrCode);
  const parts: string[] = [`"partnerReference":${q(cellAt(row, C.partnerReference))}`];
  const programAccno = cellAt(row, C.programAccno) || settings.programAccno || '';
  if (programAccno !== '') parts.push(`"programAccno":${q(programAccno)}`);
  const accno = cellAt(row, C.accno) || settings.accno || '';
  if (accno !== '') parts.push(`"accno":${q(accno)}`);
  const accnoType = cellAt(row, C.accnoType) || settings.accnoType || '';
  if (accnoType !== '') parts.push(`"accnoType":${q(accnoType)}`);
  parts.push(`"storedPaymentOptionReference":${q(cellAt(row, C.storedPaymentOptionReference))}`);
  parts.push(`"presentationAmount":${amountLiteral(cellAt(row, C.presentationAmount), currency, ctx, rowNumber, 'presentationAmount')}`);
  parts.push(`"presentationCurrCode":${q(currency)}`);
  const usage = cellAt(row, C.presentationUsage);
  if (usage !== '') parts.push(`"presentationUsage":${q(usage)}`);
  parts.push(`"useDifferentBillingAddress":${cellAt(row, C.useDifferentBillingAddress).toLowerCase() === 'true' ? 'true' : 'false'}`);
  parts.push(`"localDate":${q(cellAt(row, C.localDate) || localDateString(ctx.now))}`);
  parts.push(`"localTime":${q(cellAt(row, C.localTime) || localTimeString(ctx.now))}`);
  const custom1 = cellAt(row, C.custom1);
  if (custom1 !== '') parts.push(`"custom1":${q(custom1)}`);
  return `{${parts.join(',')}}`;
}

/**
 * One JSON request body per line (`\n`-terminated): SIBS POST /api/v2/payments MIT bodies or JPMMPS
 * 1.27 Authorize bodies. Amounts are JSON numbers with exactly the currency's decimals.
 */
export function* jsonLinesChunks(
  profileId: 'sibs' | 'jpmmps' | ProfileId,
  rows: readonly (readonly string[])[],
  ctx: ValidationContext,
  settings: JsonLinesSettings = {},
): Generator<string, void, undefined> {
  const one = profileId === 'sibs' ? sibsRequestJson : profileId === 'jpmmps' ? jpmmpsRequestJson : null;
  if (one === null) throw new FormatError('export.unsupported', `JSON lines export is available for sibs and jpmmps, not "${String(profileId)}".`);
  const chunkRows = Math.max(1, settings.chunkRows ?? 1024);
  let buf = '';
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    buf += one(rows[i]!, i + 1, ctx, settings) + '\n';
    if (++n >= chunkRows) {
      yield buf;
      buf = '';
      n = 0;
    }
  }
  if (buf.length > 0) yield buf;
}

/** Convenience: a row copy with the card number masked and the CVC emptied (for any profile). */
export function maskSensitiveRow(columns: readonly { sensitive?: 'pan' | 'cvc' }[], row: readonly string[]): string[] {
  const copy = row.slice();
  columns.forEach((c, i) => {
    const v = copy[i];
    if (v === undefined || v === '') return;
    if (c.sensitive === 'pan') copy[i] = maskPanForExport(v);
    else if (c.sensitive === 'cvc') copy[i] = '';
  });
  return copy;
}
