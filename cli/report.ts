import type { Issue } from '../shared/formats/types';
import { maskPans, summarize } from '../shared/formats';

/**
 * Defence in depth: the formats engine never puts a full card number in a message, but CLI output
 * goes to terminals, logs and CI artefacts, so everything printed passes through maskPans again.
 */
export { maskPans };

export interface JsonIssue {
  row: number | null;
  column: string | null;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

export function toJsonIssue(i: Issue): JsonIssue {
  return {
    row: i.row ?? null,
    column: i.column ?? null,
    severity: i.severity,
    code: i.code,
    message: maskPans(i.message),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(file: string, profile: string, rows: number, issues: readonly Issue[]): string {
  const { errors, warnings } = summarize(issues);
  const verdict = errors > 0 ? 'NOT exportable' : 'ready to export';
  return `${file} (${profile}): ${plural(rows, 'row')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')} - ${verdict}`;
}

/** Aligned text table: row, column, severity, code, message. At most `limit` lines. */
export function issueTable(issues: readonly Issue[], limit = 1000): string {
  if (issues.length === 0) return 'No issues found.\n';
  const shown = issues.slice(0, limit);
  const head = ['ROW', 'COLUMN', 'SEVERITY', 'CODE', 'MESSAGE'];
  const cells = shown.map((i) => [
    i.row === null ? '-' : String(i.row),
    i.column ?? '-',
    i.severity,
    i.code,
    maskPans(i.message).replace(/\s*[\r\n]+\s*/g, ' '),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((v, c) => (c === r.length - 1 ? v : c === 0 ? v.padStart(widths[c]!) : v.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const lines = [fmt(head), ...cells.map(fmt)];
  if (issues.length > shown.length) {
    lines.push(`... and ${issues.length - shown.length} more (use --json for the full list)`);
  }
  return lines.join('\n') + '\n';
}

/** "row 3 Card Number (wonder.card.luhn), row 7 Amount (...)" for the first few errors. */
export function firstErrors(issues: readonly Issue[], n = 5): string[] {
  return issues
    .filter((i) => i.severity === 'error')
    .slice(0, n)
    .map((i) => {
      const where = [i.row === null ? 'file' : `row ${i.row}`, i.column].filter(Boolean).join(', ');
      return `  ${where}: ${maskPans(i.message)} [${i.code}]`;
    });
}
