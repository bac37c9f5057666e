/**
 * Test fixture rows written straight into batch_rows (the rows service's importer does this in the
 * app). Only non-sensitive cells: fixtures use tokens, never card numbers.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../electron/main/services/db/database';
import type { ProfileId } from '../../shared/formats/types';

export function insertBatch(db: Db, profile: ProfileId, rows: readonly (readonly string[])[], name = `${profile} test batch`): { batchId: string; rowIds: string[] } {
  const batchId = randomUUID();
  const now = new Date().toISOString();
  const rowIds: string[] = [];
  db.transaction(() => {
    db.prepare(`INSERT INTO batches (id, name, profile, status, created_at, updated_at) VALUES (?, ?, ?, 'ready', ?, ?)`).run(batchId, name, profile, now, now);
    const ins = db.prepare(`INSERT INTO batch_rows (id, batch_id, position, idempotency_key, cells, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)`);
    rows.forEach((cells, i) => {
      const id = randomUUID();
      rowIds.push(id);
      ins.run(id, batchId, i, randomUUID(), JSON.stringify(cells), now, now);
    });
  })();
  return { batchId, rowIds };
}

const uuid = (i: number, salt: number) => `${salt.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** Valid ePay rows: subscriptionId, amount (minor), currency, reference, instantCapture, textOnStatement, notificationUrl, attributes. */
export function epayRows(n: number, opts: { salt?: number; amount?: (i: number) => number } = {}): string[][] {
  const salt = opts.salt ?? 1;
  return Array.from({ length: n }, (_, i) => [uuid(i, salt), String(opts.amount?.(i) ?? 1000 + (i % 97)), 'DKK', `E-${salt}-${i}`, '', 'Renewal', 'https://merchant.example/epay/notify', '']);
}

/** Valid SIBS rows against the sandbox's CIT (any id is accepted when the sandbox does not know it). */
export function sibsRows(n: number, opts: { salt?: number; amount?: (i: number) => string } = {}): string[][] {
  const salt = opts.salt ?? 1;
  return Array.from({ length: n }, (_, i) => [`S${salt}-${i}`, opts.amount?.(i) ?? `${10 + (i % 50)}.90`, 'EUR', 'Renewal', `txCIT${salt}${i}`, '2026-04-16T10:15:30.000Z', 'UCOF', '', '', '', '', '', '']);
}

/** Valid JPMMPS rows (account fields empty: the connection supplies them). */
export function jpmmpsRows(n: number, opts: { salt?: number; amount?: (i: number) => string } = {}): string[][] {
  const salt = opts.salt ?? 1;
  return Array.from({ length: n }, (_, i) => [`J-${salt}-${i}`, '', '', '', `spo-${salt}-${i}`, opts.amount?.(i) ?? `${3 + (i % 20)}.99`, 'EUR', 'Widgets', 'false', '', '', '']);
}

/** Valid Wonder rows paying with tokens. */
export function wonderRows(n: number, opts: { salt?: number; amount?: (i: number) => string } = {}): string[][] {
  const salt = opts.salt ?? 1;
  return Array.from({ length: n }, (_, i) => ['payment', `W-${salt}-${i}`, '', '', opts.amount?.(i) ?? `${10 + (i % 30)}.00`, `tok_${salt}_${i}`, '', '', '', '', 'renewal']);
}
