/**
 * Reading cells: whitespace, trimming, digit strings and small enumerations. Runs once per cell on
 * batches of a million rows: char-code loops, no allocation for clean cells.
 */

export function isSpaceCode(c: number): boolean {
  // one comparison for the usual printable character (33..159)
  return c <= 32 ? c === 32 || c === 9 || c === 10 || c === 13 : c >= 0xa0 && (c === 0xa0 || c === 0x202f || c === 0xfeff);
}

/**
 * `s` without the spaces cells are trimmed of (isSpaceCode) at either end; the same string when
 * there are none. Narrower than String.trim, so validation, duplicate keys and exports agree.
 */
export function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpaceCode(s.charCodeAt(a))) a++;
  while (b > a && isSpaceCode(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** The cell, trimmed (trimSpaces); '' for a missing cell. */
export function cellAt(row: readonly string[], i: number): string {
  const v = row[i];
  return v === undefined ? '' : trimSpaces(v);
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
