/** Finding the header row when a title, a date or notes sit above it (CSV and XLSX alike). */
import type { Issue } from './types';

/** Rows above the header looked through for the header row. */
export const MAX_ROWS_ABOVE_HEADER = 10;

/**
 * Which of the first non-blank rows holds the column headers: the first of up to
 * MAX_ROWS_ABOVE_HEADER + 1 that `isHeader` accepts, else 0 (the first row is the header).
 * The CSV parser, the XLSX reader and importTable all decide with this.
 */
export function headerRowIndex<T>(rows: readonly T[], isHeader: (row: T) => boolean): number {
  const n = Math.min(rows.length, MAX_ROWS_ABOVE_HEADER + 1);
  for (let k = 0; k < n; k++) if (isHeader(rows[k]!)) return k;
  return 0;
}

/** The warning for rows skipped above the header row (CSV and XLSX alike). */
export function rowsAboveHeaderIssue(count: number): Issue {
  return {
    row: null,
    column: null,
    severity: 'warning',
    code: 'import.rows_above_header',
    message: `The column headers are not in the first row: the ${count === 1 ? 'row' : `${count} rows`} above them (a title or notes) ${count === 1 ? 'was' : 'were'} skipped. Row numbers count from the row under the headers.`,
  };
}
