/** Findings a new user needs: one cause gives one finding; a file checked against the wrong profile gets a hint. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importAndValidate, importCsvAndValidate, PROFILES } from '../../../shared/formats';
import { otherProfileHint } from '../../../shared/formats/import';
import type { Cell, RawTable } from '../../../shared/formats/types';
import { ctx, fixture } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const WONDER_HEADER = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark';
const sample = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../resources/samples/${name}`, import.meta.url))));

describe('one cause, one finding', () => {
  it('4.11111E+15 in Card Number: only "scientific notation", not also "digits only" (CSV)', () => {
    const r = importCsvAndValidate(PROFILES.wonder, fixture('wonder-scientific-card.csv'), ctx());
    const onCell = r.issues.filter((i) => i.row === 1 && i.column === 'Card Number');
    expect(onCell.map((i) => i.code)).toEqual(['import.excel_scientific']);
    // the other rules of the row still run (expiry present, so nothing else on row 1 here)
    expect(r.issues.filter((i) => i.code === 'wonder.card_number.format')).toEqual([]);
  });

  it('the same in an XLSX cell stored as text, and other cells of the row keep their findings', () => {
    const row: Cell[] = ['payment', 'INV-1', '', '', '10.00', '', '4.11111E+15', '', '', '', ''];
    const table: RawTable = { header: WONDER_HEADER.split(','), rows: [row], source: { kind: 'xlsx', sheet: 'S', sheets: ['S'] }, issues: [] };
    const r = importAndValidate(PROFILES.wonder, table, ctx());
    expect(r.issues.filter((i) => i.column === 'Card Number').map((i) => i.code)).toEqual(['import.excel_scientific']);
    // the missing expiry is another cause, on another cell: still reported
    expect(r.issues.map((i) => i.code)).toContain('wonder.expiry_month.required');
  });

  it('beyond the 1,000-per-code cap the counts stay exact: no "digits only" counted for the omitted scientific cells (CSV and XLSX)', () => {
    const lines: string[] = [];
    const cells: Cell[][] = [];
    for (let i = 1; i <= 2500; i++) {
      // every 250th card number has a letter instead (10 rows): those are "digits only", nothing else
      const card = i % 250 === 0 ? '4111x11111111111' : '4.11111E+15';
      // distinct amounts: the same (lost) card number and amount twice would be a duplicate charge
      lines.push(`payment,INV-${i},,,${i}.00,,${card},12,27,,`);
      cells.push(['payment', `INV-${i}`, '', '', `${i}.00`, '', card, '12', '27', '', '']);
    }
    const csv = importCsvAndValidate(PROFILES.wonder, enc(`${WONDER_HEADER}\n${lines.join('\n')}\n`), ctx());
    const table: RawTable = { header: WONDER_HEADER.split(','), rows: cells, source: { kind: 'xlsx', sheet: 'S', sheets: ['S'] }, issues: [] };
    const xlsx = importAndValidate(PROFILES.wonder, table, ctx());
    for (const r of [csv, xlsx]) {
      const counts = new Map<string, number>();
      for (const i of r.issues) counts.set(i.code, (counts.get(i.code) ?? 0) + 1);
      for (const o of r.omitted) counts.set(o.code, (counts.get(o.code) ?? 0) + o.count);
      expect(Object.fromEntries(counts)).toEqual({ 'import.excel_scientific': 2490, 'wonder.card_number.format': 10 });
      expect(r.issues.filter((i) => i.code === 'import.excel_scientific')).toHaveLength(1000);
    }
  });

  it('a card number with letters (no import finding) still gets "digits only"', () => {
    const r = importCsvAndValidate(PROFILES.wonder, enc(`${WONDER_HEADER}\npayment,INV-1,,,10.00,,4111x11111111111,12,27,,\n`), ctx());
    expect(r.issues.map((i) => i.code)).toEqual(['wonder.card_number.format']);
  });
});

describe('a wrong profile gets a hint', () => {
  it('a Wonder file checked as ePay, SIBS or JPMMPS names Wonder, counting the columns', () => {
    for (const id of ['epay', 'sibs', 'jpmmps'] as const) {
      const r = importCsvAndValidate(PROFILES[id], sample('wonder-renewals.csv'), ctx());
      const hint = r.issues.find((i) => i.code === 'import.other_profile');
      expect(hint).toMatchObject({ row: null, column: null, severity: 'warning' });
      expect(hint!.message).toMatch(/^This looks like a Wonder file \(11 of its 11 columns are Wonder columns, \d+ (is|are) .+'s\): check it as Wonder\.$/);
      expect(r.issues[0]).toBe(hint); // first, before the findings it explains
    }
  });

  it('each sample checked as Wonder points to its own provider; checked as itself, no hint', () => {
    const own = { epay: 'epay-renewals.csv', sibs: 'sibs-recurring.csv', jpmmps: 'jpmmps-charges.csv', wonder: 'wonder-renewals.csv' } as const;
    for (const [id, file] of Object.entries(own) as [keyof typeof own, string][]) {
      expect(importCsvAndValidate(PROFILES[id], sample(file), ctx()).issues.find((i) => i.code === 'import.other_profile')).toBeUndefined();
      if (id !== 'wonder') expect(importCsvAndValidate(PROFILES.wonder, sample(file), ctx()).issues.find((i) => i.code === 'import.other_profile')?.message).toContain(`check it as ${PROFILES[id].provider}.`);
    }
    expect(otherProfileHint(PROFILES.wonder, ['amount', 'currency', 'subscriptionId'])?.message).toBe(
      "This looks like an ePay file (3 of its 3 columns are ePay columns, 1 is Wonder's): check it as ePay.",
    );
  });

  it('boundaries: at least half of the columns, and strictly more than the chosen profile', () => {
    // ePay names 2 of 4 (half): hinted; 2 of 5: not
    expect(otherProfileHint(PROFILES.wonder, ['subscriptionId', 'currency', 'x', 'y'])).not.toBeNull();
    expect(otherProfileHint(PROFILES.wonder, ['subscriptionId', 'currency', 'x', 'y', 'z'])).toBeNull();
    // as many Wonder columns as ePay ones: no hint (a tie is no evidence)
    expect(otherProfileHint(PROFILES.wonder, ['subscriptionId', 'currency', 'Action', 'Remark'])).toBeNull();
    expect(otherProfileHint(PROFILES.wonder, ['currency'])).toBeNull();
  });
});
