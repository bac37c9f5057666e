/** Amount cells: parse strictly, report what is wrong in the clerk's words, offer a fix where one is safe. */
import type { IssueSink } from '../issues';
import {
  AMOUNT_AMBIGUOUS,
  AMOUNT_DECIMALS,
  AMOUNT_EMPTY,
  AMOUNT_GROUPING,
  AMOUNT_NAN,
  AMOUNT_NEGATIVE,
  AMOUNT_NOT_WHOLE,
  AMOUNT_TOO_LARGE,
  AMOUNT_ZERO,
  type AmountUnit,
  amountFailureMessage,
  formatMinor,
  parseAmountCode,
  parseMinorStrict,
} from '../money';
import { isDigits } from './cells';
import type { Reporter } from './report';

/** True when `s` from `from` on is one or more `0` characters. */
function isAllZeros(s: string, from: number): boolean {
  if (from >= s.length) return false;
  for (let i = from; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

export interface AmountCheck {
  /** Rule codes, by failure. */
  required: string;
  invalid: string;
  notPositive: string;
  decimals: string;
}

/** The four amount rule codes under one prefix, e.g. `epay.amount` → `epay.amount.required`, … */
export function amountCodes(prefix: string): AmountCheck {
  return { required: `${prefix}.required`, invalid: `${prefix}.invalid`, notPositive: `${prefix}.not_positive`, decimals: `${prefix}.decimals` };
}

/**
 * Checks an amount cell. Returns the minor units (≥ 1) or a negative code; reports what is wrong with
 * a fix where a safe one exists (grouping removed, a superfluous `.00`, `.5` → `0.5`).
 */
export function checkAmountCell(
  out: IssueSink,
  report: Reporter,
  rowNumber: number,
  text: string,
  exponent: number,
  unit: AmountUnit,
  codes: AmountCheck,
  label: string,
  currency: string,
): number {
  const r = parseMinorStrict(text, exponent, unit);
  if (r > 0) return r;
  const opts = { exponent, unit };
  const unitText = unit === 'minor' ? `minor units of ${currency} (e.g. 1095 for 10.95)` : `${currency} with up to ${exponent} decimal${exponent === 1 ? '' : 's'}`;
  switch (r) {
    case AMOUNT_EMPTY:
      report(out, rowNumber, codes.required, `${label} is required: enter the amount in ${unitText}.`);
      return r;
    case AMOUNT_NEGATIVE:
    case AMOUNT_ZERO:
      report(out, rowNumber, codes.notPositive, `${label} must be greater than zero. ${amountFailureMessage(r, opts)}`);
      return r;
    case AMOUNT_DECIMALS:
    case AMOUNT_NOT_WHOLE: {
      const t = text.trim();
      const keep = unit === 'minor' ? 0 : exponent;
      const d = t.indexOf('.');
      const zeros = d >= 0 && isAllZeros(t, d + 1 + keep);
      const whole = zeros ? (keep === 0 ? t.slice(0, d) : t.slice(0, d + 1 + keep)) : undefined;
      if (d >= 1 && d <= 3 && t.length === d + 4 && isDigits(t.slice(0, d)) && isDigits(t.slice(d + 1))) {
        // `1.000` / `2.500`: a thousands separator (1000, 2500) or three decimals (1, 2.5)? Changing
        // the value by a factor of 1000 is not a safe fix: no fix, the clerk decides.
        const thousands = t.slice(0, d) + t.slice(d + 1);
        const asDecimal =
          whole !== undefined
            ? `, or ${whole} if it is a decimal point`
            : unit === 'minor'
              ? `; as a decimal point it is not a whole number of minor units of ${currency}`
              : `; as a decimal point it has more decimals than ${currency} allows (${exponent})`;
        report(out, rowNumber, codes.decimals, `${label} "${t}" is ambiguous: write ${thousands} if the dot separates thousands${asDecimal}.`);
        return r;
      }
      // `10.000` in HKD or `1095.00` in minor units: same value, fewer decimals.
      const msg =
        unit === 'minor'
          ? whole !== undefined
            ? `${label} is in minor units of ${currency} and must be a whole number: write ${whole} (the same value without the decimal zeros a spreadsheet number format adds).`
            : `${label} is in minor units of ${currency} and must be a whole number (e.g. 1095 for 10.95).`
          : exponent === 0
            ? `${label}: ${currency} has no decimals; enter a whole amount.`
            : `${label}: ${currency} allows at most ${exponent} decimal${exponent === 1 ? '' : 's'}.`;
      report(out, rowNumber, codes.decimals, msg, whole);
      return r;
    }
    case AMOUNT_TOO_LARGE:
      report(out, rowNumber, codes.invalid, `${label} is too large to be processed safely.`);
      return r;
    default: {
      // Lenient parse for a suggested fix (grouping, decimal comma, `.5`).
      let fix: string | undefined;
      const lenient = parseAmountCode(text, { exponent, unit, decimal: 'auto', grouping: true });
      if (lenient > 0) fix = formatMinor(lenient, unit === 'minor' ? 0 : exponent);
      let why = amountFailureMessage(AMOUNT_NAN, opts);
      if (lenient === AMOUNT_AMBIGUOUS) why = amountFailureMessage(AMOUNT_AMBIGUOUS, opts);
      else if (fix !== undefined) why = amountFailureMessage(AMOUNT_GROUPING, opts);
      else if (lenient === AMOUNT_DECIMALS) why = amountFailureMessage(AMOUNT_DECIMALS, opts);
      report(out, rowNumber, codes.invalid, `${label} is not a valid amount. ${why}`, fix);
      return r;
    }
  }
}

export { AMOUNT_AMBIGUOUS, AMOUNT_DECIMALS, AMOUNT_EMPTY, AMOUNT_GROUPING, AMOUNT_NAN, AMOUNT_NEGATIVE, AMOUNT_NOT_WHOLE, AMOUNT_TOO_LARGE, AMOUNT_ZERO };
