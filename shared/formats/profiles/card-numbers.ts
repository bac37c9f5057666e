/** Card numbers: the Luhn check, card numbers typed into free text, and masking for messages and exports. */
import type { IssueSink } from '../issues';
import type { RuleDef } from '../profile';
import { digitRunEnd, digitRunSearchStart, digitsIn, isDigitCode } from '../mask';
import type { Reporter } from './report';

/**
 * Luhn (mod 10) of a string in one pass that also checks it is all digits: LUHN_OK, LUHN_FAIL,
 * or LUHN_NOT_DIGITS (also for the empty string).
 */
export const LUHN_OK = 1;
export const LUHN_FAIL = 0;
export const LUHN_NOT_DIGITS = -1;
export function luhnDigits(s: string): number {
  const n = s.length;
  if (n === 0) return LUHN_NOT_DIGITS;
  let sum = 0;
  let dbl = false;
  for (let i = n - 1; i >= 0; i--) {
    let d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return LUHN_NOT_DIGITS;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0 ? LUHN_OK : LUHN_FAIL;
}

/** A digit string that passes the Luhn (mod 10) check; false for an empty or non-digit string. */
export function luhnValid(digits: string): boolean {
  return luhnDigits(digits) === LUHN_OK;
}

function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The digits at `i` follow a word of exactly two letters, as in an IBAN (`DK50 0040 …`). */
function afterCountryCode(text: string, i: number): boolean {
  return i >= 2 && isLetterCode(text.charCodeAt(i - 1)) && isLetterCode(text.charCodeAt(i - 2)) && !isLetterCode(text.charCodeAt(i - 3));
}

/**
 * The first card number written into free text, as its digits: a run of 13 to 19 digits (single
 * spaces or dashes allowed between digits, as in `4111 1111 1111 1111`) that passes the Luhn check.
 * null when there is none. Longer digit runs (account numbers) and the digits of an IBAN
 * (`DK50 0040 …`, after a two-letter country code) are not card numbers. Runs are found as
 * maskPans finds them, so the usual remark costs two or three reads.
 */
export function findCardNumber(text: string): string | null {
  let i = digitRunSearchStart(text, 13);
  if (i < 0) return null;
  const n = text.length;
  while (i < n) {
    if (!isDigitCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const end = digitRunEnd(text, i);
    const digits = digitsIn(text, i, end);
    if (digits.length >= 13 && digits.length <= 19 && !afterCountryCode(text, i) && luhnValid(digits)) return digits;
    i = end;
  }
  return null;
}

/** A free-text column that must not carry a card number, with its rule code. */
export interface FreeTextColumn {
  index: number;
  label: string;
  code: string;
}

/** The rule definitions for card numbers in free-text columns (errors: they would leave in clear). */
export function cardInTextRules(columns: readonly FreeTextColumn[]): RuleDef[] {
  return columns.map((c) => ({ code: c.code, severity: 'error', column: c.label, scope: 'row', summary: `${c.label} must not contain a card number.` }));
}

/**
 * Reports a card number typed into a free-text column: the text goes to the provider and into
 * exported files as it is, so a card number there would be stored and sent in clear.
 */
export function checkCardInText(out: IssueSink, report: Reporter, rowNumber: number, row: readonly string[], columns: readonly FreeTextColumn[], where: string): void {
  for (let k = 0; k < columns.length; k++) {
    const col = columns[k]!;
    const v = row[col.index];
    if (v === undefined || v.length < 13) continue;
    const pan = findCardNumber(v);
    if (pan !== null) {
      report(out, rowNumber, col.code, `${col.label} contains a card number (${maskPan(pan)}). Remove it: ${col.label} is sent and exported as it is, so the number would be stored in clear. ${where}`);
    }
  }
}

/** For messages: `411111…1111`. Never shows more than first 6 and last 4 digits of anything card-like. */
export function maskPan(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length >= 13) return digits.slice(0, 6) + '…' + digits.slice(-4);
  if (digits.length > 4) return '…' + digits.slice(-4);
  return '…';
}

/** For exports: keeps the length, `411111******1111`. */
export function maskPanForExport(value: string): string {
  const v = value.trim();
  if (v.length < 11) return '*'.repeat(v.length);
  return v.slice(0, 6) + '*'.repeat(v.length - 10) + v.slice(-4);
}
