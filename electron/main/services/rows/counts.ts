/**
 * Finding counts of an open batch, kept up to date by subtracting a row's findings before it
 * changes and adding them after: per rule+column group, per column, per batch. Nothing is capped.
 */
import type { Issue } from '../../../../shared/formats/types';

export interface CountedFinding {
  code: string;
  /** column key, or null for a row-level finding */
  column: string | null;
  severity: Issue['severity'];
  fixable: boolean;
}

export interface GroupCount {
  code: string;
  column: string | null;
  severity: Issue['severity'];
  count: number;
  fixable: number;
}

export class FindingCounts {
  errors = 0;
  warnings = 0;
  readonly groups = new Map<string, GroupCount>();
  readonly perColumn = new Map<string | null, { errors: number; warnings: number }>();
  /** Rows with at least one error. */
  rowsWithErrors = 0;

  apply(findings: readonly CountedFinding[], sign: 1 | -1): void {
    let hasError = false;
    for (const f of findings) {
      if (f.severity === 'error') {
        this.errors += sign;
        hasError = true;
      } else this.warnings += sign;
      const gk = `${f.code}\u0000${f.column ?? ''}`;
      let g = this.groups.get(gk);
      if (!g) this.groups.set(gk, (g = { code: f.code, column: f.column, severity: f.severity, count: 0, fixable: 0 }));
      g.count += sign;
      if (f.fixable) g.fixable += sign;
      if (g.count === 0) this.groups.delete(gk);
      let c = this.perColumn.get(f.column);
      if (!c) this.perColumn.set(f.column, (c = { errors: 0, warnings: 0 }));
      if (f.severity === 'error') c.errors += sign;
      else c.warnings += sign;
    }
    if (hasError) this.rowsWithErrors += sign;
  }
}
