/**
 * Amounts as exports write them: from integer minor units, in the currency's canonical form
 * (`5.5` → `5.50` and `10` → `10.00` in HKD major units; `1050` in minor units). The value is
 * never changed: a cell that does not read as an amount is left as it is (validation refuses it).
 */
import type { Profile, ValidationContext } from './profile';
import { currencyExponent, formatMinor, parseMinorStrict } from './money';

export function canonicalAmount(text: string, currency: string, unit: 'major' | 'minor'): string {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return text;
  const minor = parseMinorStrict(text, exponent, unit);
  if (minor <= 0) return text;
  return unit === 'major' ? formatMinor(minor, exponent) : String(minor);
}

/** A copy of `rows` with every amount in canonical form (rows whose amount is already canonical are shared). */
export function canonicalAmountRows(profile: Profile, rows: readonly (readonly string[])[], ctx: ValidationContext): string[][] {
  const a = profile.columns.findIndex((c) => c.key === profile.amount.column);
  if (a < 0) return rows as string[][];
  const cur = profile.amount.currencyColumn ? profile.columns.findIndex((c) => c.key === profile.amount.currencyColumn) : -1;
  const unit = profile.amount.unit === 'context' ? ctx.amountUnit : profile.amount.unit;
  return rows.map((row) => {
    const text = row[a] ?? '';
    const currency = (cur >= 0 ? (row[cur] ?? '').trim().toUpperCase() : '') || ctx.currency;
    const canon = canonicalAmount(text.trim(), currency, unit);
    if (canon === text) return row as string[];
    const copy = row.slice();
    copy[a] = canon;
    return copy;
  });
}
