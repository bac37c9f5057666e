import type { Issue } from '../shared/formats/types';
import { countIssues, ISSUES_PER_CODE, maskPans, type IssueCounts } from '../shared/formats';

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

/** Issues printed per write of `validate --json`: the output is streamed, never one huge string. */
const JSON_ISSUES_PER_CHUNK = 500;

/**
 * `validate --json` as chunks of text: the documented object; when findings were counted but not
 * listed (beyond ISSUES_PER_CODE per code), also `issuesOmitted` and `byCode` (exact counts per code).
 */
export function* jsonReportChunks(head: { profile: string; file: string; rows: number }, issues: readonly Issue[], counts: IssueCounts): Generator<string> {
  const { profile, file, rows } = head;
  yield JSON.stringify({ profile, file, rows, errors: counts.errors, warnings: counts.warnings }).slice(0, -1) + ',"issues":[';
  for (let start = 0; start < issues.length; start += JSON_ISSUES_PER_CHUNK) {
    const part = issues.slice(start, start + JSON_ISSUES_PER_CHUNK).map((i) => JSON.stringify(toJsonIssue(i)));
    yield (start > 0 ? ',' : '') + part.join(',');
  }
  // The documented shape exactly when every finding is listed; the two extra fields only when not.
  yield counts.omitted > 0 ? `],"issuesOmitted":${counts.omitted},"byCode":${JSON.stringify(counts.byCode)}}\n` : ']}\n';
}

export function summaryLine(file: string, profile: string, rows: number, issues: readonly Issue[], counts: IssueCounts = countIssues(issues)): string {
  const { errors, warnings } = counts;
  const verdict = errors > 0 ? 'NOT exportable' : 'ready to export';
  return `${file} (${profile}): ${plural(rows, 'row')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')} - ${verdict}`;
}

/**
 * Aligned text table: row, column, severity, code, message. At most `limit` lines; then how many
 * more there are, and per code how many were counted beyond the ISSUES_PER_CODE listed.
 */
export function issueTable(issues: readonly Issue[], limit = 1000, counts: IssueCounts = countIssues(issues)): string {
  if (issues.length === 0 && counts.omitted === 0) return 'No issues found.\n';
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
  const total = counts.errors + counts.warnings;
  if (total > shown.length) {
    lines.push(`... and ${(total - shown.length).toLocaleString('en-US')} more (${counts.omitted > 0 ? `--json lists up to ${ISSUES_PER_CODE.toLocaleString('en-US')} per code` : 'use --json for the full list'})`);
  }
  if (counts.omitted > 0) {
    lines.push('Findings per code:');
    for (const [code, n] of Object.entries(counts.byCode)) lines.push(`  ${code}: ${n.toLocaleString('en-US')}`);
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
