/**
 * NUL characters and characters that could not be decoded (U+FFFD from bytes that were not valid
 * UTF-8): an error where the value must be exact (IDs, amounts, codes: every column type but free
 * text), a warning in free text. Files (reportTextDamage) and the rows of a batch (checkCellText).
 */
import type { Profile } from './profile';
import type { IssueSink } from './issues';
import type { TableSource } from './types';

function nulMessage(label: string, free: boolean, removed: boolean): string {
  const what = `${label} holds a NUL character (a zero byte, left by a damaged file or another program)`;
  if (free) return `${what}; it ${removed ? 'was removed and ' : ''}is not exported. Check the text.`;
  return `${what}, so its value cannot be trusted. Retype the cell${removed ? ' and export the file again' : ''}.`;
}

function invalidMessage(label: string, free: boolean, saveAgain: string): string {
  return free
    ? `${label} has bytes that are not valid UTF-8 (shown as �) and would be exported so. Correct the text${saveAgain}.`
    : `${label} has bytes that are not valid UTF-8 (shown as �), so its value cannot be trusted. Correct the cell${saveAgain}.`;
}

/**
 * A file's damage (`source.nul`, `source.invalidUtf8`) by row and column. NULs are removed from the
 * cell in every column, so no export ever holds one; a U+FFFD stays (the clerk sees where the damage
 * is). Runs only on files that have either, so clean files pay nothing.
 */
export function reportTextDamage(profile: Profile, rows: string[][], source: TableSource, out: IssueSink): void {
  const nul = source.nul === true;
  const invalid = (source.invalidUtf8 ?? 0) > 0;
  if (!nul && !invalid) return;
  const cols = profile.columns;
  const freeText = cols.map((c) => c.type === 'text');
  const saveAgain = source.kind === 'xlsx' ? ' and save the workbook again from Excel' : ' and save the file as "CSV UTF-8"';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < cols.length; c++) {
      const v = row[c];
      if (v === undefined || v.length === 0) continue;
      const label = cols[c]!.label;
      const free = freeText[c]!;
      if (nul && v.indexOf('\u0000') >= 0) {
        row[c] = v.replaceAll('\u0000', '');
        out.push({ row: r + 1, column: label, severity: free ? 'warning' : 'error', code: 'import.nul_character', message: nulMessage(label, free, true) });
      }
      if (invalid && v.indexOf('\ufffd') >= 0) {
        out.push({ row: r + 1, column: label, severity: free ? 'warning' : 'error', code: 'import.invalid_utf8', message: invalidMessage(label, free, saveAgain) });
      }
    }
  }
}

/**
 * The same findings for one row of a batch, from its cells alone, so they hold while it is edited
 * and go when the cell is retyped: a batch keeps the NUL (export drops it), and every U+FFFD counts
 * (a batch does not know the bytes it came from).
 */
export function checkCellText(profile: Profile, cells: readonly string[], row: number, out: IssueSink): void {
  const cols = profile.columns;
  for (let c = 0; c < cols.length; c++) {
    const v = cells[c];
    if (v === undefined || v.length === 0 || (v.indexOf('\u0000') < 0 && v.indexOf('\ufffd') < 0)) continue;
    const label = cols[c]!.label;
    const free = cols[c]!.type === 'text';
    const severity = free ? 'warning' : 'error';
    if (v.indexOf('\u0000') >= 0) out.push({ row, column: label, severity, code: 'import.nul_character', message: nulMessage(label, free, false) });
    if (v.indexOf('\ufffd') >= 0) {
      const message = free
        ? `${label} has a character that could not be read from the file (shown as �). Correct the text.`
        : `${label} has a character that could not be read from the file (shown as �), so its value cannot be trusted. Retype the cell.`;
      out.push({ row, column: label, severity, code: 'import.invalid_utf8', message });
    }
  }
}
