/**
 * Money without floats. Amounts are parsed from their digit strings into integer minor units and
 * checked with Number.isSafeInteger; a float never stands between the text and the integer.
 */

/**
 * ISO 4217 active codes (List One, incl. fund codes) → minor-unit exponent.
 * Codes without a minor unit ("N.A.": precious metals, XDR, XSU, XUA, XTS, XXX, XB*) are left out:
 * they cannot be charged to a card. Withdrawn codes (HRK 2023, ZWL 2024, SLL 2024, CUC 2022) are left
 * out too. ANG stays until its 2026 withdrawal; its successor XCG is included.
 */
const EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  AED: 2, AFN: 2, ALL: 2, AMD: 2, ANG: 2, AOA: 2, ARS: 2, AUD: 2, AWG: 2, AZN: 2,
  BAM: 2, BBD: 2, BDT: 2, BGN: 2, BHD: 3, BIF: 0, BMD: 2, BND: 2, BOB: 2, BOV: 2,
  BRL: 2, BSD: 2, BTN: 2, BWP: 2, BYN: 2, BZD: 2,
  CAD: 2, CDF: 2, CHE: 2, CHF: 2, CHW: 2, CLF: 4, CLP: 0, CNY: 2, COP: 2, COU: 2,
  CRC: 2, CUP: 2, CVE: 2, CZK: 2,
  DJF: 0, DKK: 2, DOP: 2, DZD: 2,
  EGP: 2, ERN: 2, ETB: 2, EUR: 2,
  FJD: 2, FKP: 2,
  GBP: 2, GEL: 2, GHS: 2, GIP: 2, GMD: 2, GNF: 0, GTQ: 2, GYD: 2,
  HKD: 2, HNL: 2, HTG: 2, HUF: 2,
  IDR: 2, ILS: 2, INR: 2, IQD: 3, IRR: 2, ISK: 0,
  JMD: 2, JOD: 3, JPY: 0,
  KES: 2, KGS: 2, KHR: 2, KMF: 0, KPW: 2, KRW: 0, KWD: 3, KYD: 2, KZT: 2,
  LAK: 2, LBP: 2, LKR: 2, LRD: 2, LSL: 2, LYD: 3,
  MAD: 2, MDL: 2, MGA: 2, MKD: 2, MMK: 2, MNT: 2, MOP: 2, MRU: 2, MUR: 2, MVR: 2,
  MWK: 2, MXN: 2, MXV: 2, MYR: 2, MZN: 2,
  NAD: 2, NGN: 2, NIO: 2, NOK: 2, NPR: 2, NZD: 2,
  OMR: 3,
  PAB: 2, PEN: 2, PGK: 2, PHP: 2, PKR: 2, PLN: 2, PYG: 0,
  QAR: 2,
  RON: 2, RSD: 2, RUB: 2, RWF: 0,
  SAR: 2, SBD: 2, SCR: 2, SDG: 2, SEK: 2, SGD: 2, SHP: 2, SLE: 2, SOS: 2, SRD: 2,
  SSP: 2, STN: 2, SVC: 2, SYP: 2, SZL: 2,
  THB: 2, TJS: 2, TMT: 2, TND: 3, TOP: 2, TRY: 2, TTD: 2, TWD: 2, TZS: 2,
  UAH: 2, UGX: 0, USD: 2, USN: 2, UYI: 0, UYU: 2, UYW: 4, UZS: 2,
  VED: 2, VES: 2, VND: 0, VUV: 0,
  WST: 2,
  XAF: 0, XCD: 2, XCG: 2, XOF: 0, XPF: 0,
  YER: 2,
  ZAR: 2, ZMW: 2, ZWG: 2,
});

/** All supported ISO 4217 codes, sorted. */
export const CURRENCY_CODES: readonly string[] = Object.freeze(Object.keys(EXPONENTS).sort());

/** True when `code` is an active ISO 4217 code with a minor unit (exact, upper case). */
export function isCurrencyCode(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(EXPONENTS, code);
}

/** Minor-unit exponent of an ISO 4217 code (`JPY` → 0, `EUR` → 2, `KWD` → 3, `CLF` → 4); undefined when unknown. */
export function currencyExponent(code: string): number | undefined {
  return isCurrencyCode(code) ? EXPONENTS[code] : undefined;
}

export type AmountUnit = 'major' | 'minor';
export type DecimalMark = '.' | ',' | 'auto';

export interface ParseAmountOptions {
  /** Minor-unit exponent of the currency (see currencyExponent). */
  exponent: number;
  /** `major`: `10.95`; `minor`: `1095`. */
  unit: AmountUnit;
  /** Decimal mark; `auto` decides from the text and refuses what is ambiguous. Default `.`. */
  decimal?: DecimalMark;
  /** Accept thousands separators (`1,234.50`, `1.234,50`, `1 234,50`, `1'234.50`). Default true. */
  grouping?: boolean;
}

export type AmountFailure =
  | 'empty'
  | 'not_a_number'
  | 'negative'
  | 'zero'
  | 'too_many_decimals'
  | 'not_whole'
  | 'ambiguous'
  | 'grouping'
  | 'too_large';

export type ParseAmountResult =
  | { ok: true; minor: number }
  | { ok: false; reason: AmountFailure; message: string };

/** Negative codes returned by the allocation-free parsers below. */
export const AMOUNT_EMPTY = -1;
export const AMOUNT_NAN = -2;
export const AMOUNT_NEGATIVE = -3;
export const AMOUNT_ZERO = -4;
export const AMOUNT_DECIMALS = -5;
export const AMOUNT_AMBIGUOUS = -6;
export const AMOUNT_TOO_LARGE = -7;
export const AMOUNT_NOT_WHOLE = -8;
export const AMOUNT_GROUPING = -9;

const FAILURES: Record<number, AmountFailure> = {
  [AMOUNT_EMPTY]: 'empty',
  [AMOUNT_NAN]: 'not_a_number',
  [AMOUNT_NEGATIVE]: 'negative',
  [AMOUNT_ZERO]: 'zero',
  [AMOUNT_DECIMALS]: 'too_many_decimals',
  [AMOUNT_AMBIGUOUS]: 'ambiguous',
  [AMOUNT_TOO_LARGE]: 'too_large',
  [AMOUNT_NOT_WHOLE]: 'not_whole',
  [AMOUNT_GROUPING]: 'grouping',
};

export function amountFailureOf(code: number): AmountFailure {
  return FAILURES[code] ?? 'not_a_number';
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0x202f || c === 10 || c === 13;
}

/**
 * Strict, allocation-free parse used by the validators on every row: optional surrounding spaces,
 * digits, at most one `.` followed by digits. No sign, no grouping, no exponent.
 * Returns the amount in minor units (≥ 1) or a negative AMOUNT_* code.
 * Grouping separators, a decimal comma or a sign give AMOUNT_NAN (or AMOUNT_NEGATIVE for a leading
 * `-`); callers then use parseAmount to suggest a fix.
 */
export function parseMinorStrict(text: string, exponent: number, unit: AmountUnit): number {
  let s = 0;
  let e = text.length;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (s === e) return AMOUNT_EMPTY;
  const first = text.charCodeAt(s);
  if (first === 45 /* - */ || first === 0x2212) {
    return AMOUNT_NEGATIVE;
  }
  let value = 0;
  let intDigits = 0;
  let fracDigits = 0;
  let dot = false;
  let extraNonZero = false;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (dot) {
        fracDigits++;
        if (unit === 'minor' || fracDigits > exponent) {
          if (c !== 48) extraNonZero = true;
          continue;
        }
      } else {
        intDigits++;
      }
      value = value * 10 + (c - 48);
    } else if (c === 46 /* . */ && !dot) {
      dot = true;
    } else {
      return AMOUNT_NAN;
    }
  }
  if (intDigits === 0) return AMOUNT_NAN; // `.5`: write `0.5`
  if (dot && fracDigits === 0) return AMOUNT_NAN; // `10.`
  if (unit === 'minor') {
    if (dot) return extraNonZero ? AMOUNT_NOT_WHOLE : AMOUNT_DECIMALS;
  } else {
    if (fracDigits > exponent) return AMOUNT_DECIMALS;
    for (let k = fracDigits; k < exponent; k++) value *= 10;
  }
  if (!Number.isSafeInteger(value)) return AMOUNT_TOO_LARGE;
  if (value === 0) return AMOUNT_ZERO;
  return value;
}

/** Digits of a plain decimal number, for lenient parsing. */
interface Decomposed {
  negative: boolean;
  int: string;
  frac: string | null;
}

function checkGroups(part: string, sep: string): string | null {
  const groups = part.split(sep);
  const head = groups[0]!;
  if (head.length < 1 || head.length > 3) return null;
  for (let i = 1; i < groups.length; i++) if (groups[i]!.length !== 3) return null;
  return groups.join('');
}

const GROUP_SPACES = [' ', '\u00a0', '\u202f', "'", '\u2019'];

/**
 * Lenient decomposition of an amount typed by a person or exported by a spreadsheet.
 * Returns an AMOUNT_* code on failure.
 */
function decompose(raw: string, decimal: DecimalMark, grouping: boolean): Decomposed | number {
  let t = raw.trim();
  if (t === '') return AMOUNT_EMPTY;
  let negative = false;
  if (t[0] === '-' || t[0] === '\u2212') {
    negative = true;
    t = t.slice(1).trim();
  } else if (t[0] === '+') {
    t = t.slice(1).trim();
  } else if (t.length > 2 && t[0] === '(' && t[t.length - 1] === ')') {
    negative = true; // accounting style (10.00)
    t = t.slice(1, -1).trim();
  }
  if (t === '') return AMOUNT_NAN;
  // Space-like grouping: only between digit groups of three.
  for (const g of GROUP_SPACES) {
    if (t.includes(g)) {
      if (!grouping) return AMOUNT_GROUPING;
      const parts = t.split(g);
      for (let i = 1; i < parts.length; i++) {
        const p = parts[i]!;
        // each later part starts with exactly three digits before any other separator
        let d = 0;
        while (d < p.length && p.charCodeAt(d) >= 48 && p.charCodeAt(d) <= 57) d++;
        if (d !== 3) return AMOUNT_NAN;
      }
      t = parts.join('');
    }
  }
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 44)) return AMOUNT_NAN;
  }
  const dots = t.split('.').length - 1;
  const commas = t.split(',').length - 1;
  let dec: '.' | ',' | null = null;
  if (decimal === '.' || decimal === ',') {
    const other = decimal === '.' ? ',' : '.';
    const nDec = decimal === '.' ? dots : commas;
    if (nDec > 1) return AMOUNT_NAN;
    dec = nDec === 1 ? decimal : null;
    const count = decimal === '.' ? commas : dots;
    if (count > 0) {
      // `1,5` with decimal `.`: not a valid grouping → probably a decimal comma.
      const intPart = dec ? t.slice(0, t.indexOf(dec)) : t;
      if (dec && t.slice(t.indexOf(dec) + 1).includes(other)) return AMOUNT_NAN;
      if (!grouping) return AMOUNT_GROUPING;
      const joined = checkGroups(intPart, other);
      if (joined === null) return AMOUNT_AMBIGUOUS;
      t = dec ? joined + t.slice(t.indexOf(dec)) : joined;
    }
  } else {
    // auto
    if (dots > 0 && commas > 0) {
      const lastDot = t.lastIndexOf('.');
      const lastComma = t.lastIndexOf(',');
      dec = lastDot > lastComma ? '.' : ',';
      const other = dec === '.' ? ',' : '.';
      if ((dec === '.' ? dots : commas) > 1) return AMOUNT_NAN;
      if (!grouping) return AMOUNT_GROUPING;
      const at = t.indexOf(dec);
      const joined = checkGroups(t.slice(0, at), other);
      if (joined === null) return AMOUNT_NAN;
      t = joined + t.slice(at);
    } else if (dots + commas > 1) {
      const sep = dots > 0 ? '.' : ',';
      if (!grouping) return AMOUNT_GROUPING;
      const joined = checkGroups(t, sep);
      if (joined === null) return AMOUNT_NAN;
      t = joined;
    } else if (dots + commas === 1) {
      const sep = dots > 0 ? '.' : ',';
      const at = t.indexOf(sep);
      const after = t.length - at - 1;
      const before = at;
      // `1.234` / `1,234`: thousands or decimals? Refuse to guess.
      if (after === 3 && before >= 1 && before <= 3) return AMOUNT_AMBIGUOUS;
      dec = sep;
    }
  }
  let int: string;
  let frac: string | null = null;
  if (dec) {
    const at = t.indexOf(dec);
    int = t.slice(0, at);
    frac = t.slice(at + 1);
    if (frac === '' || frac.includes('.') || frac.includes(',')) return AMOUNT_NAN;
  } else {
    int = t;
  }
  // every path above has taken the separators out of `int`; `.5` leaves it empty (0.5)
  return { negative, int, frac };
}

function toMinorFromParts(d: Decomposed, exponent: number, unit: AmountUnit): number {
  let digits: string;
  if (unit === 'minor') {
    if (d.frac !== null) return /[1-9]/.test(d.frac) ? AMOUNT_NOT_WHOLE : AMOUNT_DECIMALS;
    digits = d.int;
  } else {
    const frac = d.frac ?? '';
    if (frac.length > exponent) return AMOUNT_DECIMALS;
    digits = d.int + frac.padEnd(exponent, '0');
  }
  // Number('') is 0; beyond 2^53 Number() is inexact and isSafeInteger says so
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return AMOUNT_TOO_LARGE;
  if (d.negative && value !== 0) return AMOUNT_NEGATIVE;
  if (value === 0) return AMOUNT_ZERO;
  return value;
}

/** Allocation-light variant of parseAmount returning minor units (≥ 1) or a negative AMOUNT_* code. */
export function parseAmountCode(text: string, opts: ParseAmountOptions): number {
  const d = decompose(text, opts.decimal ?? '.', opts.grouping ?? true);
  if (typeof d === 'number') return d;
  return toMinorFromParts(d, opts.exponent, opts.unit);
}

/** Human explanation of an AMOUNT_* failure. */
export function amountFailureMessage(code: number, opts: { exponent: number; unit: AmountUnit }): string {
  switch (code) {
    case AMOUNT_EMPTY:
      return 'Amount is empty.';
    case AMOUNT_NEGATIVE:
      return 'Amount is negative; enter a positive amount (refunds use the refund action, not a minus sign).';
    case AMOUNT_ZERO:
      return 'Amount is zero; enter a positive amount.';
    case AMOUNT_DECIMALS:
      return opts.unit === 'minor'
        ? 'Amount must be a whole number of minor units (cents), without a decimal point.'
        : opts.exponent === 0
          ? 'This currency has no decimals; enter a whole amount.'
          : `This currency allows at most ${opts.exponent} decimal${opts.exponent === 1 ? '' : 's'}.`;
    case AMOUNT_NOT_WHOLE:
      return 'Amount is in minor units (cents) and must be a whole number.';
    case AMOUNT_AMBIGUOUS:
      return 'Amount is ambiguous: the separator could be a thousands separator or a decimal mark. Write it without thousands separators, e.g. 1234.50.';
    case AMOUNT_GROUPING:
      return 'Amount contains thousands separators; write it as plain digits with a decimal point, e.g. 1234.50.';
    case AMOUNT_TOO_LARGE:
      return 'Amount is too large.';
    default:
      return 'Amount is not a number; use digits with a decimal point, e.g. 10.50.';
  }
}

/**
 * Parses an amount into integer minor units. Never uses floating point on the value: the digit
 * string is assembled and converted once, and Number.isSafeInteger guards the result.
 */
export function parseAmount(text: string, opts: ParseAmountOptions): ParseAmountResult {
  const r = parseAmountCode(text, opts);
  if (r > 0) return { ok: true, minor: r };
  return { ok: false, reason: amountFailureOf(r), message: amountFailureMessage(r, opts) };
}

/** Formats integer minor units: formatMinor(1095, 2) → `10.95`; formatMinor(5, 3, ',') → `0,005`. */
export function formatMinor(minor: number, exponent: number, decimal: '.' | ',' = '.'): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`formatMinor: ${minor} is not a safe integer`);
  const negative = minor < 0;
  const digits = String(negative ? -minor : minor);
  let out: string;
  if (exponent <= 0) {
    out = digits;
  } else {
    const padded = digits.padStart(exponent + 1, '0');
    out = padded.slice(0, padded.length - exponent) + decimal + padded.slice(padded.length - exponent);
  }
  return negative ? '-' + out : out;
}

/**
 * Plain decimal notation of a JS number, using its shortest round-trip representation
 * (`String(n)`), expanded when JS would use exponent notation (`1e21`, `1e-7`).
 */
export function numberToPlainString(n: number): string {
  const s = String(n); // NaN and Infinity have no exponent: returned as they are
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s[0] === '-';
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exp;
  let out: string;
  if (pointAt <= 0) out = '0.' + '0'.repeat(-pointAt) + digits;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = digits.slice(0, pointAt) + '.' + digits.slice(pointAt);
  return negative ? '-' + out : out;
}

/**
 * Converts a spreadsheet number to amount text without float artefacts: the shortest round-trip
 * string is used; if it has more decimals than the currency allows but rounding it to the currency's
 * decimals changes the value by no more than floating-point noise (e.g. 0.1+0.2 =
 * 0.30000000000000004 → `0.30`), the rounded text is returned. A genuine extra decimal (`1.005` in EUR)
 * is kept so the validator reports it.
 */
export function spreadsheetNumberToAmount(n: number, exponent: number): string {
  const s = numberToPlainString(n);
  const rounded = roundDecimalString(s, exponent);
  if (rounded === s) return s;
  const diff = Math.abs(Number(rounded) - n);
  const tolerance = Math.max(1, Math.abs(n)) * Number.EPSILON * 8;
  return diff <= tolerance ? rounded : s;
}

/** Half-up rounding of a plain decimal string to `places` decimals (string arithmetic). */
export function roundDecimalString(s: string, places: number): string {
  const negative = s[0] === '-';
  const body = negative ? s.slice(1) : s;
  const dot = body.indexOf('.');
  if (dot < 0) return s;
  const int = body.slice(0, dot);
  const frac = body.slice(dot + 1);
  if (frac.length <= places) return s;
  const keep = int + frac.slice(0, places);
  const roundUp = frac.charCodeAt(places) >= 53;
  let digits = keep;
  if (roundUp) {
    const arr = keep.split('');
    let i = arr.length - 1;
    while (i >= 0) {
      if (arr[i] === '9') {
        arr[i] = '0';
        i--;
      } else {
        arr[i] = String.fromCharCode(arr[i]!.charCodeAt(0) + 1);
        break;
      }
    }
    digits = (i < 0 ? '1' : '') + arr.join('');
  }
  const intLen = digits.length - places;
  const out = places > 0 ? digits.slice(0, intLen) + '.' + digits.slice(intLen) : digits;
  return negative ? '-' + out : out;
}
