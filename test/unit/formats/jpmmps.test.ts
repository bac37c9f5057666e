import { describe, expect, it } from 'vitest';
import { jpmmps } from '../../../shared/formats/profiles/jpmmps';
import { validateRows } from '../../../shared/formats/validate';
import { ctx, rowOf } from './helpers';
import { OK, cases } from './cases/jpmmps';


describe('jpmmps rules', () => {
  it.each(cases)('$name → $code', (c) => {
    const issues = validateRows(jpmmps, c.rows.map((r) => rowOf(jpmmps, r)), ctx(c.ctx));
    const hit = issues.find((i) => i.code === c.code);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    const rule = jpmmps.rules.find((r) => r.code === c.code)!;
    expect(hit!.severity).toBe(rule.severity);
    expect(hit!.column).toBe(rule.column);
    if (c.fix !== undefined) expect(hit!.fix).toBe(c.fix);
  });

  it('has a case for every rule in the catalogue', () => {
    const covered = new Set(cases.map((c) => c.code));
    expect(jpmmps.rules.map((r) => r.code).filter((c) => !covered.has(c))).toEqual([]);
  });

  it('accepts the documented example (usage ≤ 22) and minimal rows', () => {
    const rows = [
      OK,
      { partnerReference: 'p-2', storedPaymentOptionReference: 'spo-2', presentationAmount: '500', presentationCurrCode: 'JPY' },
      { partnerReference: 'p-3', storedPaymentOptionReference: 'spo-3', presentationAmount: '1.234', presentationCurrCode: 'BHD', localDate: '2024-02-29', localTime: '000000' },
    ].map((r) => rowOf(jpmmps, r));
    expect(validateRows(jpmmps, rows, ctx())).toEqual([]);
  });
});
