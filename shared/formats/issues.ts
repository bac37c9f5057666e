/**
 * Bounded collection of findings. A wrong file of a million rows yields millions of findings; kept
 * as objects they cost gigabytes, and nobody reads past the first ones of a kind. So at most
 * ISSUES_PER_CODE findings are kept per code (the first ones pushed, i.e. the lowest rows of each
 * row-ordered pass); the rest are only counted, so totals and per-code counts stay exact.
 */
import type { Issue, Severity } from './types';

/** Findings kept per code; beyond this they are counted, not listed (README, "validate --json"). */
export const ISSUES_PER_CODE = 1000;

/** Where rules and readers put findings: an Issue[] or an IssueList. */
export interface IssueSink {
  push(issue: Issue): unknown;
}

/** The findings of one code that were counted but not kept. */
export interface OmittedIssues {
  code: string;
  severity: Severity;
  count: number;
}

/** Exact totals over kept and omitted findings. */
export interface IssueCounts {
  errors: number;
  warnings: number;
  /** Findings per code (kept and omitted), codes in first-seen order. */
  byCode: Record<string, number>;
  /** Findings counted but not listed. */
  omitted: number;
}

/**
 * Cells (data row, column label) whose import finding already says what happened to them, e.g.
 * Excel's scientific notation: the rules' findings on such a cell are consequences, not causes.
 * Kept for every such cell, listed or not, so that counts beyond the cap stay exact too.
 */
export class CellSet {
  private readonly rowsByColumn = new Map<string, Set<number>>();
  size = 0;

  add(row: number, column: string): void {
    let rows = this.rowsByColumn.get(column);
    if (!rows) this.rowsByColumn.set(column, (rows = new Set()));
    if (!rows.has(row)) {
      rows.add(row);
      this.size++;
    }
  }

  has(row: number | null, column: string | null): boolean {
    return row !== null && column !== null && this.rowsByColumn.get(column)?.has(row) === true;
  }
}

export class IssueList implements IssueSink {
  readonly items: Issue[] = [];
  private readonly perCode = new Map<string, number>();
  private readonly omittedByCode = new Map<string, OmittedIssues>();
  /** Findings on these cells are dropped, kept or counted (see CellSet). */
  private readonly skipped: CellSet | null;

  constructor(
    private readonly cap: number = ISSUES_PER_CODE,
    skip?: CellSet,
  ) {
    this.skipped = skip !== undefined && skip.size > 0 ? skip : null;
  }

  /** True when a finding on this cell is a consequence of an import finding: neither kept nor counted. */
  skips(row: number | null, column: string | null): boolean {
    return this.skipped !== null && this.skipped.has(row, column);
  }

  push(issue: Issue): void {
    if (this.skipped !== null && this.skipped.has(issue.row, issue.column)) return;
    const n = this.perCode.get(issue.code) ?? 0;
    this.perCode.set(issue.code, n + 1);
    if (n < this.cap) {
      this.items.push(issue);
      return;
    }
    const o = this.omittedByCode.get(issue.code);
    if (o) o.count++;
    else this.omittedByCode.set(issue.code, { code: issue.code, severity: issue.severity, count: 1 });
  }

  /** True once `code` has its ISSUES_PER_CODE findings: further ones need not be built, only counted. */
  isFull(code: string): boolean {
    return (this.perCode.get(code) ?? 0) >= this.cap;
  }

  /** Counts one more finding of a full code without building it (see isFull). */
  countOmitted(code: string, severity: Severity): void {
    this.perCode.set(code, (this.perCode.get(code) ?? 0) + 1);
    const o = this.omittedByCode.get(code);
    if (o) o.count++;
    else this.omittedByCode.set(code, { code, severity, count: 1 });
  }

  /** Adds findings already counted as omitted elsewhere (another list's `omitted()`). */
  addOmitted(omitted: readonly OmittedIssues[]): void {
    for (const o of omitted) {
      this.perCode.set(o.code, (this.perCode.get(o.code) ?? 0) + o.count);
      const mine = this.omittedByCode.get(o.code);
      if (mine) mine.count += o.count;
      else this.omittedByCode.set(o.code, { ...o });
    }
  }

  omitted(): OmittedIssues[] {
    return [...this.omittedByCode.values()];
  }
}

/** Exact counts of `kept` findings plus the `omitted` ones. */
export function countIssues(kept: readonly Issue[], omitted: readonly OmittedIssues[] = []): IssueCounts {
  const byCode: Record<string, number> = {};
  let errors = 0;
  let warnings = 0;
  let omittedTotal = 0;
  for (const i of kept) {
    if (i.severity === 'error') errors++;
    else warnings++;
    byCode[i.code] = (byCode[i.code] ?? 0) + 1;
  }
  for (const o of omitted) {
    if (o.severity === 'error') errors += o.count;
    else warnings += o.count;
    byCode[o.code] = (byCode[o.code] ?? 0) + o.count;
    omittedTotal += o.count;
  }
  return { errors, warnings, byCode, omitted: omittedTotal };
}
