/** Helpers for the profiles' boundary tests: what one row (or a few) produces, as codes and fixes. */
import type { Profile, ValidationContext } from '../../../shared/formats/profile';
import { validateRows } from '../../../shared/formats/validate';
import type { Issue } from '../../../shared/formats/types';
import { assertNoPanInMessages, ctx, rowOf } from './helpers';

export interface Checker {
  /** All issues of the rows `base` overridden by each of `rows`. */
  issues(rows: Record<string, string>[], over?: Partial<ValidationContext>): Issue[];
  /** The codes one row `base` + `values` produces, in order. */
  codes(values?: Record<string, string>, over?: Partial<ValidationContext>): string[];
  /** The one issue with `code` for that row (fails when there is none or several). */
  one(code: string, values?: Record<string, string>, over?: Partial<ValidationContext>): Issue;
}

export function checker(profile: Profile, base: Record<string, string>): Checker {
  const issues = (rows: Record<string, string>[], over: Partial<ValidationContext> = {}) => {
    const found = validateRows(profile, rows.map((r) => rowOf(profile, { ...base, ...r })), ctx(over));
    assertNoPanInMessages(found);
    for (const i of found) {
      const rule = profile.rules.find((r) => r.code === i.code);
      if (!rule) throw new Error(`issue with a code outside the catalogue: ${i.code}`);
      if (rule.severity !== i.severity || rule.column !== i.column) throw new Error(`${i.code} does not carry its rule's severity and column`);
    }
    return found;
  };
  return {
    issues,
    codes: (values = {}, over = {}) => issues([values], over).map((i) => i.code),
    one: (code, values = {}, over = {}) => {
      const hits = issues([values], over).filter((i) => i.code === code);
      if (hits.length !== 1) throw new Error(`expected one ${code}, got ${hits.length}: ${JSON.stringify(issues([values], over))}`);
      return hits[0]!;
    },
  };
}
