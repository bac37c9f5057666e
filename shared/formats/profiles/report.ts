/** Reporting findings: severity and column come from the profile's rule catalogue. */
import type { Issue } from '../types';
import { IssueList, type IssueSink } from '../issues';
import type { RuleDef } from '../profile';
import { maskPans } from '../mask';

export type Reporter = (out: IssueSink, row: number | null, code: string, message: string, fix?: string) => void;

/**
 * Builds a reporter that takes severity and column from the rule catalogue (single source of truth).
 * Messages go through maskPans: a card number quoted from a cell never reaches a message.
 */
export function reporter(rules: readonly RuleDef[]): Reporter {
  const byCode = new Map<string, RuleDef>();
  for (const r of rules) byCode.set(r.code, r);
  return (out, row, code, message, fix) => {
    const def = byCode.get(code);
    if (!def) throw new Error(`unknown rule code ${code}`);
    // beyond the cap a finding is only counted: no masking, no object (millions on a wrong file)
    if (out instanceof IssueList) {
      if (out.skips(row, def.column)) return;
      if (out.isFull(code)) {
        out.countOmitted(code, def.severity);
        return;
      }
    }
    const issue: Issue = { row, column: def.column, severity: def.severity, code, message: maskPans(message) };
    if (fix !== undefined) issue.fix = fix;
    out.push(issue);
  };
}
