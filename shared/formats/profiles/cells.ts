/**
 * Reading cells: whitespace, trimming, digit strings and small enumerations. Runs once per cell on
 * batches of a million rows: char-code loops, no allocation for clean cells.
 */

export function isSpaceCode(c: number): boolean {
  // one comparison for the usual printable character (33..159)
  return c <= 32 ? c === 32 || c === 9 || c === 10 || c === 13 : c >= 0xa0 && (c === 0xa0 || c === 0x202f || c === 0xfeff);
}

/** The cell, trimmed only when it needs it (no allocation for clean cells). */
export function cellAt(row: readonly string[], i: number): string {
  const v = row[i];
  if (v === undefined || v.length === 0) return '';
  if (isSpaceCode(v.charCodeAt(0)) || isSpaceCode(v.charCodeAt(v.length - 1))) return v.trim();
  return v;
}

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Exact match against a small list, else the canonical value the text probably meant. */
export function canonicalEnum(value: string, allowed: readonly string[], upper: boolean): string | undefined {
  const v = value.trim().replace(/[\s-]+/g, '_');
  const n = upper ? v.toUpperCase() : v.toLowerCase();
  for (const a of allowed) if (a === n) return a;
  return undefined;
}
