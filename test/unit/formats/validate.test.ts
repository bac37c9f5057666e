import { describe, expect, it } from 'vitest';
import { defaultContext, sortIssues, summarize, validateRows } from '../../../shared/formats/validate';
import { getProfile, PROFILES, wonder } from '../../../shared/formats/profiles';
import { importTable } from '../../../shared/formats/import';
import { isFormatError } from '../../../shared/formats/errors';
import { PROFILE_IDS } from '../../../shared/formats/types';
import { normalizeHeader } from '../../../shared/formats/import';
import { ctx, rowOf } from './helpers';

describe('profiles registry', () => {
  it('has every profile id, and unknown ids are FormatErrors', () => {
    for (const id of PROFILE_IDS) expect(getProfile(id).id).toBe(id);
    let err: unknown;
    try {
      getProfile('paypal');
    } catch (e) {
      err = e;
    }
    expect(isFormatError(err) && err.code).toBe('profile.unknown');
  });

  it('Wonder columns are exactly the published headers, in order', () => {
    expect(wonder.columns.map((c) => c.label)).toEqual([
      'Action', 'Reference Number', 'Original Transaction ID', 'Customer UUID', 'Amount', 'Token ID', 'Card Number', 'Expiry Month', 'Expiry Year', 'CVC', 'Remark',
    ]);
    expect(wonder.columns.find((c) => c.label === 'Card Number')).toMatchObject({ sensitive: 'pan', textInSpreadsheet: true });
    expect(wonder.columns.find((c) => c.label === 'CVC')).toMatchObject({ sensitive: 'cvc' });
  });

  it.each(Object.values(PROFILES))('$id: unique codes, unique header aliases, notes present', (p) => {
    const codesSeen = new Set<string>();
    for (const r of p.rules) {
      expect(codesSeen.has(r.code)).toBe(false);
      codesSeen.add(r.code);
      expect(r.code.startsWith(p.id + '.')).toBe(true);
      if (r.column !== null) expect(p.columns.some((c) => c.label === r.column)).toBe(true);
    }
    const owner = new Map<string, string>();
    for (const c of p.columns) {
      for (const name of new Set([c.label, c.key, ...c.aliases].map(normalizeHeader))) {
        expect(owner.get(name) ?? c.key, `${name} used by ${owner.get(name)} and ${c.key}`).toBe(c.key);
        owner.set(name, c.key);
      }
    }
    expect(p.notes.length).toBeGreaterThan(2);
  });
});

describe('validateRows', () => {
  it('sorts issues by row, then column order; file-level first', () => {
    const rows = [
      rowOf(wonder, { Action: 'payment', Amount: '1', 'Token ID': 't' }),
      rowOf(wonder, { Action: 'x', Amount: '', CVC: '1', 'Card Number': '4111111111111111', 'Expiry Month': '12', 'Expiry Year': '30' }),
    ];
    const issues = validateRows(wonder, rows, ctx({ currency: 'XXX' }));
    expect(issues.map((i) => [i.row, i.column])).toEqual([
      [null, null],
      [2, 'Action'],
      [2, 'Amount'],
      [2, 'CVC'],
    ]);
  });

  it('sortIssues is usable on merged import + validation issues', () => {
    const t = { header: ['Action', 'Amount', 'Token ID', 'Expiry Month'], rows: [['Payment', '1', 't', 5]], source: { kind: 'xlsx' as const }, issues: [] };
    const imp = importTable(wonder, t, ctx());
    const all = sortIssues(wonder, [...validateRows(wonder, imp.rows, ctx()), ...imp.issues]);
    // row 1: the row-level warning (no column) first, then Action, then Expiry Month
    expect(all.map((i) => i.code)).toEqual(['wonder.card_fields.without_card_number', 'wonder.action.case', 'import.leading_zero_restored']);
  });

  it('summarize counts errors and warnings', () => {
    const rows = [rowOf(wonder, { Action: '', Amount: '1', 'Token ID': 't' }), rowOf(wonder, { Action: 'cancellation', Amount: '1', 'Token ID': 't2' })];
    expect(summarize(validateRows(wonder, rows, ctx()))).toEqual({ errors: 1, warnings: 1 });
  });

  it('defaultContext: local date of now, HKD, major units', () => {
    const c = defaultContext(Date.UTC(2026, 0, 15, 12));
    expect(c).toMatchObject({ today: '2026-01-15', currency: 'HKD', amountUnit: 'major', now: Date.UTC(2026, 0, 15, 12) });
  });

  it('validates 1,000,000 Wonder rows (valid rows produce no issues; duplicates found across the batch)', () => {
    const n = 1_000_000;
    const rows: string[][] = new Array(n);
    const cards = ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117'];
    for (let i = 0; i < n; i++) {
      rows[i] =
        i % 2 === 0
          ? ['payment', `INV-${i}`, '', '', `${(i % 9000) + 1}.${String(i % 100).padStart(2, '0')}`, `tok_${i}`, '', '', '', '', 'renewal']
          : ['payment', `INV-${i}`, '', '', `${i}.00`, '', cards[i % 4]!, '12', '30', '', ''];
    }
    rows[999_999] = [...rows[0]!]; // an exact duplicate of row 1
    const issues = validateRows(wonder, rows, ctx());
    expect(issues.map((i) => [i.row, i.code])).toEqual([
      [1_000_000, 'wonder.reference_number.duplicate'],
      [1_000_000, 'wonder.charge.duplicate'],
    ]);
  });
});
