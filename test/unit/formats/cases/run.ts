/** The tests every profile's rule cases get: each case produces its rule, and the cases cover the catalogue. */
import { expect, it } from 'vitest';
import type { Profile } from '../../../../shared/formats/profile';
import { validateRows } from '../../../../shared/formats/validate';
import { assertNoPanInMessages, ctx, rowOf } from '../helpers';
import type { RuleCase } from './types';

export function ruleCaseTests(profile: Profile, cases: readonly RuleCase[]): void {
  it.each(cases)('$name → $code', (c) => {
    const issues = validateRows(profile, c.rows.map((r) => rowOf(profile, r)), ctx(c.ctx));
    const hit = issues.find((i) => i.code === c.code);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    const rule = profile.rules.find((r) => r.code === c.code)!;
    expect(hit!.severity).toBe(rule.severity);
    expect(hit!.column).toBe(rule.column);
    if (c.fix !== undefined) expect(hit!.fix).toBe(c.fix);
    expect(hit!.message.length).toBeGreaterThan(10);
    assertNoPanInMessages(issues);
  });

  it('has a case for every rule in the catalogue', () => {
    const covered = new Set(cases.map((c) => c.code));
    expect(profile.rules.map((r) => r.code).filter((c) => !covered.has(c))).toEqual([]);
  });
}
