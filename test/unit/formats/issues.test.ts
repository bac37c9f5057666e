import { describe, expect, it } from 'vitest';
import { countIssues, IssueList, ISSUES_PER_CODE } from '../../../shared/formats/issues';
import { assertExportable } from '../../../shared/formats/export';
import { validateRows, validateRowsBounded } from '../../../shared/formats/validate';
import { wonder } from '../../../shared/formats/profiles';
import type { Issue } from '../../../shared/formats/types';
import { ctx, formatError, rowOf } from './helpers';

const issue = (code: string, row: number, severity: Issue['severity'] = 'error'): Issue => ({ row, column: null, severity, code, message: `m ${row}` });

describe('IssueList', () => {
  it('keeps the first `cap` findings of each code and counts the rest exactly', () => {
    const list = new IssueList(2);
    for (let r = 1; r <= 5; r++) list.push(issue('a', r));
    list.push(issue('b', 1, 'warning'));
    list.push(issue('b', 2, 'warning'));
    expect(list.items.map((i) => `${i.code}${i.row}`)).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(list.omitted()).toEqual([{ code: 'a', severity: 'error', count: 3 }]);
    expect(countIssues(list.items, list.omitted())).toEqual({ errors: 5, warnings: 2, byCode: { a: 5, b: 2 }, omitted: 3 });
  });

  it('merges the omitted counts of another list', () => {
    const a = new IssueList(1);
    a.push(issue('x', 1));
    a.push(issue('x', 2));
    const b = new IssueList(1);
    b.addOmitted(a.omitted());
    b.addOmitted(a.omitted());
    expect(b.omitted()).toEqual([{ code: 'x', severity: 'error', count: 2 }]);
  });

  it(`the default cap is ${ISSUES_PER_CODE}: that many kept, one more counted`, () => {
    const list = new IssueList();
    for (let r = 1; r <= ISSUES_PER_CODE; r++) list.push(issue('c', r));
    expect(list.omitted()).toEqual([]);
    list.push(issue('c', ISSUES_PER_CODE + 1));
    expect(list.items).toHaveLength(ISSUES_PER_CODE);
    expect(list.omitted()).toEqual([{ code: 'c', severity: 'error', count: 1 }]);
  });
});

describe('validateRowsBounded and assertExportable', () => {
  it('same findings as validateRows up to the cap; the refusal counts the omitted errors too', () => {
    const bad = Array.from({ length: ISSUES_PER_CODE + 3 }, (_, i) => rowOf(wonder, { Action: 'pay', 'Reference Number': `R${i}`, Amount: `${i + 1}.00`, 'Token ID': 'tok_abc' }));
    const all = validateRows(wonder, bad, ctx());
    const bounded = validateRowsBounded(wonder, bad, ctx());
    expect(all).toHaveLength(ISSUES_PER_CODE + 3);
    expect(bounded.issues).toEqual(all.slice(0, ISSUES_PER_CODE));
    expect(bounded.omitted).toEqual([{ code: 'wonder.action.invalid', severity: 'error', count: 3 }]);
    const e = formatError(() => assertExportable(bounded.issues, bounded.omitted));
    expect(e.code).toBe('export.has_errors');
    expect(e.message).toContain(`Cannot export: ${ISSUES_PER_CODE + 3} errors must be fixed first`);
    expect(e.message).toContain(`and ${ISSUES_PER_CODE + 3 - 5} more`);
    // omitted warnings alone never block
    expect(() => assertExportable([], [{ code: 'w', severity: 'warning', count: 10 }])).not.toThrow();
    expect(formatError(() => assertExportable([], [{ code: 'e', severity: 'error', count: 1 }])).message).toContain('Cannot export: 1 error must');
  });
});
