import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getProfile, importAndValidate, importCsvAndValidate, importTable, parseCsv, sortIssues, validateRows, type ImportProgress } from '../../../shared/formats';
import type { ValidationContext } from '../../../shared/formats/profile';
import type { Issue } from '../../../shared/formats/types';

/**
 * The two-pass oracle's "one cause, one finding": drops the rule findings on a cell whose import
 * finding explains it (`4.11111E+15` in Card Number is "scientific notation", not also "digits
 * only"). The one-pass import does this while validating (IssueList's skip); here it is done after.
 */
function dropConsequences(importIssues: readonly Issue[], found: Issue[]): Issue[] {
  const cells = new Set(importIssues.filter((i) => i.row !== null && i.code === 'import.excel_scientific').map((i) => `${i.row}\u0000${i.column ?? ''}`));
  return found.filter((i) => i.row === null || !cells.has(`${i.row}\u0000${i.column ?? ''}`));
}

const ctx: ValidationContext = { today: '2026-11-22', now: Date.parse('2026-11-22T12:00:00Z'), currency: 'HKD', amountUnit: 'major' };
const read = (dir: string, name: string) => new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../fixtures', dir, name)));

describe('importAndValidate (one pass)', () => {
  const cases: [string, string, string][] = [
    ['wonder', 'cli', 'wonder-errors.csv'],
    ['wonder', 'cli', 'wonder-valid.csv'],
    ['wonder', 'formats', 'wonder-excel-de-1252-semicolon.csv'],
    ['wonder', 'formats', 'wonder-scientific-card.csv'],
    ['wonder', 'formats', 'wonder-quoted-multiline.csv'],
    ['wonder', 'formats', 'wonder-excel-unicode-text-utf16le.txt'],
    ['wonder', 'formats', 'wonder-crlf-then-lf-appended.csv'],
    ['wonder', 'formats', 'wonder-excel-sep-line.csv'],
    ['epay', 'formats', 'epay-pipe-lf.csv'],
    ['sibs', 'formats', 'sibs-dotted-headers-pt.csv'],
    ['jpmmps', 'cli', 'jpmmps-valid.csv'],
  ];
  it.each(cases)('%s %s/%s: same rows and issues as importTable + validateRows', (profileId, dir, name) => {
    const profile = getProfile(profileId);
    const bytes = read(dir, name);
    const twoPass = importTable(profile, parseCsv(bytes), ctx); // each call gets its own table (importTable consumes it)
    // the rule findings on a cell whose import finding explains them are dropped (one cause, one finding)
    const expected = sortIssues(profile, twoPass.issues.concat(dropConsequences(twoPass.issues, validateRows(profile, twoPass.rows, ctx))));
    const onePass = importAndValidate(profile, parseCsv(bytes), ctx);
    expect(onePass.rows).toEqual(twoPass.rows);
    expect(onePass.issues).toEqual(expected);
    expect(onePass.mapping).toEqual(twoPass.mapping);
    const streamed = importCsvAndValidate(profile, bytes, ctx);
    expect(streamed.rows).toEqual(twoPass.rows);
    expect(streamed.issues).toEqual(expected);
    expect(streamed.unknownColumns).toEqual(twoPass.unknownColumns);
  });

  it('finds row errors and cross-row duplicates in the same pass', () => {
    const header = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark';
    const text = `${header}\npayment,R1,,,10.00,tok_1,,,,,\npayment,R1,,,10.00,tok_1,,,,,\nPayment,R2,,,10.001,tok_2,,,,,\n`;
    const r = importAndValidate(getProfile('wonder'), parseCsv(new TextEncoder().encode(text)), ctx);
    expect(r.issues.map((i) => [i.row, i.code])).toEqual([
      [2, 'wonder.reference_number.duplicate'],
      [2, 'wonder.charge.duplicate'],
      [3, 'wonder.action.case'],
      [3, 'wonder.amount.decimals'],
    ]);
  });
});

describe('import progress', () => {
  it('reports characters read, rows checked, then duplicates, in order, ending at the totals', () => {
    const profile = getProfile('wonder');
    const lines = ['Action,Reference Number,Amount,Token ID'];
    for (let i = 0; i < 100_000; i++) lines.push(`payment,REF-${i},${(i % 90) + 1}.00,tok_${i}`);
    const text = lines.join('\n');
    const seen: ImportProgress[] = [];
    const r = importCsvAndValidate(profile, new TextEncoder().encode(text), ctx, undefined, (p) => seen.push({ ...p }));
    expect(r.rows.length).toBe(100_000);
    const steps = seen.map((p) => p.step);
    expect(steps.indexOf('checking')).toBeGreaterThan(steps.lastIndexOf('reading'));
    expect(steps[steps.length - 1]).toBe('duplicates');
    const reading = seen.filter((p) => p.step === 'reading');
    expect(reading.length).toBeGreaterThanOrEqual(3); // every 32,768 records
    for (let i = 1; i < reading.length; i++) expect(reading[i]!.done).toBeGreaterThan(reading[i - 1]!.done);
    expect(reading.every((p) => p.total === text.length && p.done <= p.total)).toBe(true);
    const checking = seen.filter((p) => p.step === 'checking');
    expect(checking.map((p) => p.done)).toEqual([0, 65_536]);
    expect(checking.every((p) => p.total === 100_000)).toBe(true);
    // the same result with or without a progress listener
    expect(importCsvAndValidate(profile, new TextEncoder().encode(text), ctx)).toEqual(r);
  });
});

describe('header row below a title', () => {
  it('CSV: title and note rows above the headers are skipped with a warning; rows count from under the headers', () => {
    const r = importCsvAndValidate(getProfile('wonder'), read('formats', 'wonder-title-rows-semicolon.csv'), ctx);
    expect(r.rows.map((row) => [row[0], row[1], row[4], row[5]])).toEqual([
      ['payment', 'INV-1', '10.50', 'tok_1'],
      ['refund', 'INV-2', '1234.00', 'tok_2'],
    ]);
    expect(r.unknownColumns).toEqual([]);
    expect(r.issues.map((i) => [i.row, i.code])).toEqual([
      [null, 'import.rows_above_header'],
      [null, 'import.decimal_comma'],
      [2, 'wonder.original_transaction_id.required'],
    ]);
    expect(r.issues[0]!.message).toBe('The column headers are not in the first row: the 2 rows above them (a title or notes) were skipped. Row numbers count from the row under the headers.');
  });

  it('CSV: a title line without the delimiter (or with a comma) above a semicolon table still finds the semicolon', () => {
    const body = 'Action;Reference Number;Amount;Token ID\r\npayment;INV-1;10,50;tok_1\r\nrefund;INV-2;1.234,00;tok_2\r\n';
    for (const title of ['December renewals\r\n', 'Renewals, December 2026\r\nExported by the back office\r\n']) {
      const r = importCsvAndValidate(getProfile('wonder'), new TextEncoder().encode(title + body), ctx);
      expect(r.source.delimiter).toBe(';');
      expect(r.rows.map((row) => [row[0], row[1], row[4], row[5]])).toEqual([
        ['payment', 'INV-1', '10.50', 'tok_1'],
        ['refund', 'INV-2', '1234.00', 'tok_2'],
      ]);
      expect(r.issues.map((i) => i.code)).toContain('import.rows_above_header');
      expect(r.issues.map((i) => i.code)).not.toContain('import.missing_column');
    }
  });

  it('CSV: a comma table stays comma when a semicolon first shows up in a later Remark (both ways at the edge of the sample)', () => {
    const header = 'Action,Reference Number,Amount,Token ID,Remark';
    const rows = Array.from({ length: 5 }, (_, i) => `payment,INV-${i},10.50,tok_${i},${i === 3 ? 'a; b' : 'x'}`);
    for (const text of [[header, ...rows].join('\n') + '\n', [header, ...rows.slice(0, 3), 'payment,INV-9,1.00,tok_9,last; one'].join('\n') + '\n']) {
      expect(importCsvAndValidate(getProfile('wonder'), new TextEncoder().encode(text), ctx).source.delimiter).toBe(',');
    }
  });

  it('XLSX-like grid: the same; a grid without any recognisable header keeps its first row as the header', () => {
    const grid = (header: string[], rows: (string | number | null)[][]) => ({ header, rows, source: { kind: 'xlsx' as const, sheet: 'S', sheets: ['S'] }, issues: [] });
    const r = importAndValidate(getProfile('wonder'), grid(['December renewals'], [[null, null], ['Action', 'Amount', 'Token ID'], ['payment', 10.5, 'tok_1']]), ctx);
    expect(r.rows).toEqual([['payment', '', '', '', '10.5', 'tok_1', '', '', '', '', '']]);
    expect(r.issues.map((i) => i.code)).toEqual(['import.rows_above_header']);
    expect(r.issues[0]!.message).toContain('the 2 rows above them');
    const none = importAndValidate(getProfile('wonder'), grid(['December renewals'], [['payment', 10.5, 'tok_1']]), ctx);
    expect(none.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['import.unknown_column', 'import.missing_column']));
    expect(none.issues.map((i) => i.code)).not.toContain('import.rows_above_header');
  });
});
