/**
 * The status the renderer shows (statusOf): the outbox's report in the contract's shape. Rows done
 * are the final ones only, amounts carry their ISO 4217 exponent (none for an ePay row that takes
 * its subscription's currency), and row outcomes page and filter without changing the totals.
 * A hand-made report against a real batch on a real SQLite file (the name comes from there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/main/services';
import { statusOf } from '../../../electron/main/ipc/submitHandlers';
import type { BatchReport, RowReport } from '../../../electron/main/services/outbox';
import { ROW_STATUSES, type RowStatus } from '../../../electron/main/services/providers/types';
import { epayRows, insertBatch } from '../../helpers/outboxRows';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';

let s: Services;
let batchId: string;
beforeAll(() => {
  s = createServices({ dataDir: tempDir(), mode: 'web', version: '0.0.0-test' });
  batchId = insertBatch(s.db, 'epay', epayRows(1), 'November renewals').batchId;
});
afterAll(() => {
  s.close();
  cleanupTempDirs();
});

const item = (row: number, status: RowStatus, currency: string, amountMinor: number): RowReport => ({ row, rowId: `r${row}`, status, amountMinor, currency, amount: `${amountMinor} ${currency}`, providerRef: status === 'succeeded' ? `p${row}` : null, reason: status === 'failed' ? 'declined' : null });

function report(items: RowReport[]): BatchReport {
  const counts = Object.fromEntries(ROW_STATUSES.map((k) => [k, items.filter((i) => i.status === k).length])) as Record<RowStatus, number>;
  const amounts: BatchReport['amounts'] = [];
  for (const i of items) {
    const a = amounts.find((x) => x.status === i.status && x.currency === i.currency);
    if (a) a.minor += i.amountMinor;
    else amounts.push({ status: i.status, currency: i.currency, minor: i.amountMinor, amount: '' });
  }
  return { batchId, provider: 'epay', connectionName: 'Built-in sandbox', sandbox: true, state: 'running', final: false, note: null, rows: items.length, counts, amounts, items };
}

describe('statusOf', () => {
  const items = [
    item(1, 'succeeded', 'DKK', 1000),
    item(2, 'failed', 'DKK', 250),
    item(3, 'needs_review', 'JPY', 700),
    item(4, 'cancelled', 'KWD', 1234),
    item(5, 'queued', 'DKK', 99),
    item(6, 'sending', 'DKK', 1),
    item(7, 'accepted', '', 5),
    item(8, 'pending', 'DKK', 7),
    item(9, 'succeeded', 'DKK', 2000),
  ];

  it('counts as done only rows with a final status; names the batch from the store', () => {
    const st = statusOf(s, report(items));
    expect(st.done).toBe(5); // succeeded ×2, failed, needs_review, cancelled
    expect(st.batchName).toBe('November renewals');
    expect(st).toMatchObject({ batchId, provider: 'epay', connectionName: 'Built-in sandbox', sandbox: true, state: 'running', final: false, note: null, rows: 9 });
    expect(st.counts.succeeded).toBe(2);
  });

  it('gives each amount its rows, minor units as a string and the ISO 4217 exponent (null without a currency)', () => {
    const st = statusOf(s, report(items));
    const by = (status: RowStatus, currency: string) => st.amounts.find((a) => a.status === status && a.currency === currency);
    expect(by('succeeded', 'DKK')).toMatchObject({ rows: 2, minor: '3000', exponent: 2 });
    expect(by('needs_review', 'JPY')).toMatchObject({ rows: 1, minor: '700', exponent: 0 });
    expect(by('cancelled', 'KWD')).toMatchObject({ rows: 1, minor: '1234', exponent: 3 });
    expect(by('accepted', '')).toMatchObject({ rows: 1, minor: '5', exponent: null });
  });

  it('pages row outcomes: offset and limit, the total of all that match, fields as the contract names them', () => {
    const r = report(items);
    const first = statusOf(s, r, { offset: 0, limit: 4 });
    expect(first.items.map((i) => i.row)).toEqual([1, 2, 3, 4]);
    expect(first.itemsTotal).toBe(9);
    expect(first.items[0]).toEqual({ row: 1, rowId: 'r1', status: 'succeeded', amount: '1000 DKK', currency: 'DKK', providerRef: 'p1', reason: null });
    expect(statusOf(s, r, { offset: 4, limit: 4 }).items.map((i) => i.row)).toEqual([5, 6, 7, 8]);
    expect(statusOf(s, r, { offset: 8, limit: 4 }).items.map((i) => i.row)).toEqual([9]);
    expect(statusOf(s, r, { offset: 9, limit: 4 }).items).toEqual([]);
    // the default: the first 500
    expect(statusOf(s, report(Array.from({ length: 501 }, (_, i) => item(i + 1, 'succeeded', 'DKK', 1)))).items).toHaveLength(500);
  });

  it('one status only: its rows paged, its total; counts and amounts stay those of the whole batch', () => {
    const r = report(items);
    const ok = statusOf(s, r, { only: 'succeeded', offset: 0, limit: 1 });
    expect(ok.items.map((i) => i.row)).toEqual([1]);
    expect(ok.itemsTotal).toBe(2);
    expect(statusOf(s, r, { only: 'succeeded', offset: 1, limit: 1 }).items.map((i) => i.row)).toEqual([9]);
    expect(ok.done).toBe(5);
    expect(ok.amounts).toHaveLength(statusOf(s, r).amounts.length);
    expect(statusOf(s, r, { only: 'failed', offset: 0, limit: 10 }).items).toEqual([expect.objectContaining({ row: 2, reason: 'declined' })]);
  });

  it('a batch that is gone is named as gone, in words', () => {
    expect(() => statusOf(s, { ...report(items), batchId: '0190a0a0-0000-7000-8000-000000000000' })).toThrow(/That batch does not exist/);
  });
});
