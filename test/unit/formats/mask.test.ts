import { describe, expect, it } from 'vitest';
import { maskPans } from '../../../shared/formats';
import { parseCsv } from '../../../shared/formats/csv';
import { isFormatError } from '../../../shared/formats/errors';
import { importTable } from '../../../shared/formats/import';
import { epay, jpmmps, sibs, wonder } from '../../../shared/formats/profiles';
import { importAndValidate, validateRow } from '../../../shared/formats/validate';
import type { Cell, Issue, RawTable } from '../../../shared/formats/types';
import { ctx, rowOf } from './helpers';

const PAN = '4111111111111111';
const enc = new TextEncoder();

/** No run of 12+ digits, even grouped by single spaces or dashes, in any message. */
function expectNoPan(issues: readonly Issue[]): void {
  for (const i of issues) expect(i.message).not.toMatch(/\d(?:[ -]?\d){11,}/);
}

function xlsxTable(header: string[], rows: Cell[][]): RawTable {
  return { header, rows, source: { kind: 'xlsx', sheet: 'Sheet1', sheets: ['Sheet1'] }, issues: [] };
}

describe('maskPans', () => {
  it('masks 12–19 digit runs, plain or grouped by single spaces/dashes, to first 6 … last 4', () => {
    expect(maskPans(`card ${PAN} here`)).toBe('card 411111…1111 here');
    expect(maskPans('(4111 1111 1111 1111)')).toBe('(411111…1111)');
    expect(maskPans('4111-1111-1111-1111.')).toBe('411111…1111.');
    expect(maskPans('x555555555555)')).toBe('x555555…5555)');
    expect(maskPans('a 4111111111111111 and 5555555555554444')).toBe('a 411111…1111 and 555555…4444');
    expect(maskPans('41111111111111112222')).toBe('411111…2222'); // a digit too many is still masked
  });

  it('leaves ordinary messages alone (same string)', () => {
    const msg = 'Amount: HKD allows at most 2 decimals; 1,048,576 rows, 2026-05-01, 12345678901 (11 digits), 2026-05-01T10:00:00Z.';
    expect(maskPans(msg)).toBe(msg);
    expect(maskPans('')).toBe('');
    expect(maskPans('411111…1111')).toBe('411111…1111'); // idempotent
    expect(maskPans('1 2')).toBe('1 2');
  });
});

describe('issue messages never carry a full card number', () => {
  it('import: an ID column Excel stored as a number', () => {
    const r = importTable(wonder, xlsxTable(['Action', 'Amount', 'Token ID'], [['payment', 10, 4111111111111111]]), ctx());
    const issue = r.issues.find((i) => i.code === 'import.excel_number')!;
    expect(issue.message).toContain('(411111…1111)');
    expect(issue.message).toContain('Excel stored Token ID as a number');
    expectNoPan(r.issues);
    expect(r.rows[0]![5]).toBe(PAN); // the cell itself is kept (the row rules need it)
  });

  it('wonder: an invalid Action holding a card number, plain and grouped', () => {
    for (const action of [PAN, '4111 1111 1111 1111', `pay ${PAN} now`]) {
      const issues = validateRow(wonder, rowOf(wonder, { Action: action, Amount: '10.00', 'Token ID': 'tok_1' }), 1, ctx());
      expect(issues.map((i) => i.code)).toEqual(['wonder.action.invalid']);
      expect(issues[0]!.message).toContain('411111…1111');
      expectNoPan(issues);
    }
  });

  it('wonder: a card number past the 40-character cut is not half-shown', () => {
    const action = 'x'.repeat(30) + PAN;
    const issues = validateRow(wonder, rowOf(wonder, { Action: action, Amount: '10.00', 'Token ID': 'tok_1' }), 1, ctx());
    expect(issues[0]!.message).not.toMatch(/\d{7,}/);
  });

  it('sibs: originalTransactionId quoted in the mismatch message', () => {
    const c = ctx({ currency: 'EUR', knownCitDatetime: () => '2026-04-16T10:15:30.000Z' });
    const row = rowOf(sibs, { merchantTransactionId: 'M1', amount: '10.00', currency: 'EUR', originalTransactionId: PAN, originalTransactionDatetime: '2026-04-16T10:15:30Z' });
    const issues = validateRow(sibs, row, 1, c);
    expect(issues.map((i) => i.code)).toEqual(['sibs.original_transaction_datetime.mismatch']);
    expect(issues[0]!.message).toContain('411111…1111');
    expectNoPan(issues);
  });

  it('every profile: card numbers typed into every column, imported and validated', () => {
    for (const profile of [wonder, epay, sibs, jpmmps]) {
      const header = profile.columns.map((c) => c.label);
      const rows: Cell[][] = [
        header.map(() => PAN),
        header.map(() => '4111 1111 1111 1111'),
        header.map(() => 4111111111111111),
        header.map(() => `${PAN}.00`),
      ];
      const r = importAndValidate(profile, xlsxTable(header, rows), ctx());
      expect(r.issues.length).toBeGreaterThan(0);
      expectNoPan(r.issues);
    }
  });

  it('CSV without a header row: the card number in the first line is reported as a column name, masked', () => {
    const t = parseCsv(enc.encode(`payment,10.00,${PAN}\r\npayment,11.00,5555555555554444\r\n`));
    const r = importTable(wonder, t, ctx());
    const unknown = r.issues.filter((i) => i.code === 'import.unknown_column');
    expect(unknown.map((i) => i.message)).toContain('Column "411111…1111" is not a Wonder column and is ignored.');
    expectNoPan(r.issues);
  });

  it('CSV: a too-long cell under a header that is a card number', () => {
    try {
      parseCsv(enc.encode(`${PAN},b\nx,${'y'.repeat(40)}\n`), { limits: { maxCellChars: 30 } });
      expect.unreachable();
    } catch (e) {
      if (!isFormatError(e)) throw e;
      expect(e.code).toBe('csv.cell_too_long');
      expect(e.message).not.toContain(PAN);
    }
    try {
      parseCsv(enc.encode(`a,b\nx,${PAN}${'y'.repeat(40)}\n`), { limits: { maxCellChars: 30 } });
      expect.unreachable();
    } catch (e) {
      if (!isFormatError(e)) throw e;
      expect(e.message).not.toMatch(/\d{12,}/);
    }
  });

  it('a normal message is unchanged', () => {
    const issues = validateRow(wonder, rowOf(wonder, { Action: 'pay', Amount: '10.00', 'Token ID': 'tok_1' }), 1, ctx());
    expect(issues[0]!.message).toBe('Action "pay" is not supported; use authorize, payment, void, cancellation or refund.');
  });
});

describe('maskPans agrees with a plain regex at every offset and grouping', () => {
  const PAN_RUN = /\d(?:[ -]?\d)*/g;
  function reference(text: string): string {
    return text.replace(PAN_RUN, (run) => {
      const d = run.replace(/\D/g, '');
      return d.length >= 12 ? `${d.slice(0, 6)}…${d.slice(-4)}` : run;
    });
  }
  it('runs of 11–24 digits, plain / spaced / dashed / single-digit groups, at offsets 0–30, with digits around', () => {
    const groupings = [
      (d: string) => d,
      (d: string) => d.replace(/(\d{4})(?=\d)/g, '$1 '),
      (d: string) => d.replace(/(\d{4})(?=\d)/g, '$1-'),
      (d: string) => d.split('').join(' '),
      (d: string) => d.split('').join('-'),
      (d: string) => d.replace(/(\d{3})(?=\d)/g, '$1 '),
    ];
    const fillers = ['x', ' ', 'row 12 ', 'a-', '9 x'];
    let checked = 0;
    for (let len = 11; len <= 24; len++) {
      const digits = '4111111111111111111111111'.slice(0, len - 1) + '7';
      for (const g of groupings) {
        for (let off = 0; off <= 30; off++) {
          for (const f of fillers) {
            const text = f.repeat(30).slice(0, off) + g(digits) + ' tail 12 3';
            expect(maskPans(text)).toBe(reference(text));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});
