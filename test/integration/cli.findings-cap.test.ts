/**
 * `validate` on a file with very many findings: at most ISSUES_PER_CODE are listed per code, the
 * counts stay exact, the JSON is one valid object, and memory stays bounded (the child runs with a
 * small V8 heap that the old all-findings output would exceed).
 */
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, withTempDir } from './cliHarness';
import { ISSUES_PER_CODE } from '../../shared/formats/issues';

const HEADER = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark';

/** `n` rows whose only finding is an unknown Action (wonder.action.invalid). */
function oneFindingPerRow(n: number): string {
  const lines = [HEADER];
  for (let i = 1; i <= n; i++) lines.push(`pay,INV-${String(i).padStart(7, '0')},,,${i}.00,tok_8f3a2c1d9e7b6a5f4c3d2e1f,,,,,`);
  return lines.join('\n') + '\n';
}

/** `n` rows with seven findings each (action, customer, amount, card, month, year, CVC). */
function sevenFindingsPerRow(n: number): string {
  const lines = [HEADER];
  for (let i = 1; i <= n; i++) lines.push(`pay,INV-${String(i).padStart(7, '0')},x,y,-1,,12,13,1,abcd,`);
  return lines.join('\n') + '\n';
}

interface Report {
  rows: number;
  errors: number;
  warnings: number;
  issues: { row: number | null; code: string }[];
  issuesOmitted?: number;
  byCode?: Record<string, number>;
}

describe('validate: findings beyond the per-code cap', () => {
  it(`exactly ${ISSUES_PER_CODE} findings of a code: all listed, the documented shape unchanged`, async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'cap.csv');
      await writeFile(file, oneFindingPerRow(ISSUES_PER_CODE));
      const r = await runCli(['validate', file, '--profile', 'wonder', '--json']);
      expect(r.code).toBe(1);
      const rep = JSON.parse(r.stdout) as Report;
      expect(Object.keys(rep)).toEqual(['profile', 'file', 'rows', 'errors', 'warnings', 'issues']);
      expect(rep.errors).toBe(ISSUES_PER_CODE);
      expect(rep.issues).toHaveLength(ISSUES_PER_CODE);
      expect(new Set(rep.issues.map((i) => i.code))).toEqual(new Set(['wonder.action.invalid']));
    });
  });

  it(`one more (${ISSUES_PER_CODE + 1}): the last is counted, not listed; issuesOmitted and byCode say so`, async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'cap1.csv');
      await writeFile(file, oneFindingPerRow(ISSUES_PER_CODE + 1));
      const r = await runCli(['validate', file, '--profile', 'wonder', '--json']);
      expect(r.code).toBe(1);
      const rep = JSON.parse(r.stdout) as Report;
      expect(rep.errors).toBe(ISSUES_PER_CODE + 1);
      expect(rep.issues).toHaveLength(ISSUES_PER_CODE);
      // the first rows are listed
      expect(rep.issues[0]!.row).toBe(1);
      expect(rep.issues.at(-1)!.row).toBe(ISSUES_PER_CODE);
      expect(rep.issuesOmitted).toBe(1);
      expect(rep.byCode).toEqual({ 'wonder.action.invalid': ISSUES_PER_CODE + 1 });

      const t = await runCli(['validate', file, '--profile', 'wonder']);
      expect(t.code).toBe(1);
      expect(t.stdout).toContain(`... and 1 more (--json lists up to 1,000 per code)`);
      expect(t.stdout).toContain('  wonder.action.invalid: 1,001');
      expect(t.stdout).toContain(`${ISSUES_PER_CODE + 1} rows, ${ISSUES_PER_CODE + 1} errors, 0 warnings - NOT exportable`);
    });
  });

  it('280,000 findings in a 96 MB heap: valid JSON, exact counts per code, no crash, no stack trace', async () => {
    await withTempDir(async (dir) => {
      const n = 40_000;
      const file = join(dir, 'many.csv');
      await writeFile(file, sevenFindingsPerRow(n));
      // Unbounded, these findings and their JSON take well over 96 MB of heap (the child aborts).
      const r = await runCli(['validate', file, '--profile', 'wonder', '--json'], { nodeArgs: ['--max-old-space-size=96'] });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      const rep = JSON.parse(r.stdout) as Report;
      expect(rep.rows).toBe(n);
      expect(rep.errors).toBe(5 * n);
      expect(rep.warnings).toBe(2 * n); // Expiry Month 13, Expiry Year "1" restored to 01
      expect(Object.values(rep.byCode!).every((c) => c === n)).toBe(true);
      expect(Object.keys(rep.byCode!)).toHaveLength(7);
      expect(rep.issues).toHaveLength(7 * ISSUES_PER_CODE);
      expect(rep.issuesOmitted).toBe(7 * n - 7 * ISSUES_PER_CODE);

      const t = await runCli(['validate', file, '--profile', 'wonder'], { nodeArgs: ['--max-old-space-size=96'] });
      expect(t.stderr).toBe('');
      expect(t.code).toBe(1);
      expect(t.stdout).toContain(`${n} rows, ${5 * n} errors, ${2 * n} warnings - NOT exportable`);
    });
  }, 120_000);
});
