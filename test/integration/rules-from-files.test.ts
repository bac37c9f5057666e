/**
 * Every rule of every profile, from real files: each rule case (test/unit/formats/cases) is written
 * to disk as a CSV file and as an XLSX workbook (all cells text, as a careful clerk saves them),
 * then read back through importFile, the path the CLI and the app take. The rule must be reported
 * with its catalogue severity and column (and its fix), the same from both files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../../electron/main/services/files/importFile';
import { writeXlsx } from '../../electron/main/services/files/xlsx';
import { PROFILES } from '../../shared/formats/profiles';
import type { Profile } from '../../shared/formats/profile';
import { ctx, rowOf } from '../unit/formats/helpers';
import type { RuleCase } from '../unit/formats/cases/types';
import { cases as wonderCases } from '../unit/formats/cases/wonder';
import { cases as epayCases } from '../unit/formats/cases/epay';
import { cases as sibsCases } from '../unit/formats/cases/sibs';
import { cases as jpmmpsCases } from '../unit/formats/cases/jpmmps';

const CASES: Record<string, readonly RuleCase[]> = { wonder: wonderCases, epay: epayCases, sibs: sibsCases, jpmmps: jpmmpsCases };

/**
 * Cases the importer settles before the rules run: a month or time that lost its leading zero in
 * a spreadsheet is restored on import (warning import.leading_zero_restored, same fix), so from a
 * file the row rule has nothing left to report. The rule still guards values typed in the editor.
 */
const RESTORED_ON_IMPORT = new Set(['month one digit', 'localTime lost leading zero']);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'batchdesk-rules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** RFC 4180: quote cells with a comma, quote or line break; CRLF between records. */
function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

describe.each(Object.values(PROFILES).map((p) => [p.id, p] as [string, Profile]))('%s rules from real CSV and XLSX files', (id, profile) => {
  const cases = CASES[id]!;

  it('the case list covers the whole rule catalogue', () => {
    expect(profile.rules.map((r) => r.code).filter((code) => !cases.some((c) => c.code === code && !RESTORED_ON_IMPORT.has(c.name)))).toEqual([]);
  });

  it.each(cases.map((c, i) => [c.name, c.code, i] as const))('%s → %s', async (_name, code, i) => {
    const c = cases[i]!;
    const header = profile.columns.map((col) => col.label);
    const rows = c.rows.map((r) => rowOf(profile, r));
    const csvPath = join(dir, `${id}-${i}.csv`);
    const xlsxPath = join(dir, `${id}-${i}.xlsx`);
    await writeFile(csvPath, csvText(header, rows));
    await writeXlsx(xlsxPath, { name: 'Batch', header, rows, textColumns: header.map(() => true) });
    const rule = profile.rules.find((r) => r.code === code)!;
    const found = [];
    for (const path of [csvPath, xlsxPath]) {
      const result = await importFile(path, { profile: profile.id, ctx: ctx(c.ctx) });
      found.push(result.issues.map((x) => [x.row, x.column, x.code, x.fix ?? null]));
      if (RESTORED_ON_IMPORT.has(c.name)) {
        expect(result.issues.map((x) => x.code)).not.toContain(code);
        expect(result.issues).toContainEqual(expect.objectContaining({ code: 'import.leading_zero_restored', column: rule.column, fix: c.fix }));
        continue;
      }
      const hit = result.issues.find((x) => x.code === code);
      expect(hit, `${path}: ${JSON.stringify(result.issues)}`).toBeDefined();
      expect(hit!.severity).toBe(rule.severity);
      expect(hit!.column).toBe(rule.column);
      if (c.fix !== undefined) expect(hit!.fix).toBe(c.fix);
      if (rule.scope === 'row') expect(hit!.row).toBeGreaterThanOrEqual(1);
    }
    expect(found[1]).toEqual(found[0]); // the same findings from the CSV file and the workbook
  });
});
