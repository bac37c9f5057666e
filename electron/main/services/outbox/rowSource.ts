/**
 * Reads a batch's rows for submission. Cells come from batch_rows.cells (JSON, non-sensitive) and,
 * for PAN/CVC, from batch_rows.sealed through the sealer the rows service provides; unsealed values
 * live only in memory for the call that needs them.
 */
import { getProfile } from '../../../../shared/formats/profiles';
import { columnIndex } from '../../../../shared/formats';
import { currencyExponent, parseMinorStrict } from '../../../../shared/formats/money';
import type { ProfileId } from '../../../../shared/formats/types';
import type { Db } from '../db/database';
import type { OutboxRow } from '../providers/types';

/** Opens and rewrites sealed PAN/CVC cells (owned by the rows service). */
export interface CardCells {
  /** Column index → cleartext for the sealed cells of one row. */
  open(sealed: Buffer, rowId: string): Map<number, string>;
  /** The sealed blob without the CVC (null when nothing sensitive remains). */
  withoutCvc(sealed: Buffer, rowId: string, cvcColumn: number): Buffer | null;
}

export interface AmountContext {
  /** Default currency where a profile has no currency cell (Wonder: settings.wonderCurrency). */
  currency: string;
  amountUnit: 'major' | 'minor';
}

interface DbRow {
  id: string;
  position: number;
  idempotency_key: string;
  cells: string;
  sealed: Buffer | null;
}

export class RowSource {
  constructor(
    private readonly db: Db,
    private readonly sealer: CardCells | null,
  ) {}

  /** Rows of a batch in position order; with `rowIds`, only those. Sensitive cells unsealed when `withSecrets`. */
  load(batchId: string, opts: { rowIds?: readonly string[]; withSecrets?: boolean } = {}): OutboxRow[] {
    let list: DbRow[];
    if (opts.rowIds) {
      const stmt = this.db.prepare('SELECT id, position, idempotency_key, cells, sealed FROM batch_rows WHERE id = ?');
      list = opts.rowIds.map((id) => stmt.get(id) as DbRow | undefined).filter((r): r is DbRow => r !== undefined);
      list.sort((a, b) => a.position - b.position);
    } else {
      list = this.db.prepare('SELECT id, position, idempotency_key, cells, sealed FROM batch_rows WHERE batch_id = ? ORDER BY position').all(batchId) as DbRow[];
    }
    return list.map((r) => {
      const cells = (JSON.parse(r.cells) as unknown[]).map((c) => (c === null || c === undefined ? '' : String(c)));
      if (opts.withSecrets && r.sealed && this.sealer) {
        for (const [i, v] of this.sealer.open(r.sealed, r.id)) {
          while (cells.length <= i) cells.push('');
          cells[i] = v;
        }
      }
      return { rowId: r.id, position: r.position, idempotencyKey: r.idempotency_key, cells };
    });
  }

  /** True when the row holds sealed data but no sealer is available to open it. */
  needsSealer(batchId: string): boolean {
    if (this.sealer) return false;
    const r = this.db.prepare('SELECT 1 FROM batch_rows WHERE batch_id = ? AND sealed IS NOT NULL LIMIT 1').get(batchId);
    return r !== undefined;
  }

  /** Deletes the CVC of rows the provider has answered for (PCI DSS 3.3: not kept after authorization). */
  forgetCvc(profile: ProfileId, rowIds: readonly string[]): number {
    const cvcColumn = getProfile(profile).columns.findIndex((c) => c.sensitive === 'cvc');
    if (cvcColumn < 0 || rowIds.length === 0) return 0;
    const get = this.db.prepare('SELECT sealed, cells FROM batch_rows WHERE id = ?');
    const put = this.db.prepare('UPDATE batch_rows SET sealed = ?, cells = ?, updated_at = ? WHERE id = ?');
    let n = 0;
    const now = new Date().toISOString();
    for (const id of rowIds) {
      const r = get.get(id) as { sealed: Buffer | null; cells: string } | undefined;
      if (!r) continue;
      // A CVC must never sit in the clear cells; clear it there too should one have slipped in.
      const cells = JSON.parse(r.cells) as unknown[];
      const hadClear = typeof cells[cvcColumn] === 'string' && cells[cvcColumn] !== '';
      if (hadClear) cells[cvcColumn] = '';
      const sealed = r.sealed && this.sealer ? this.sealer.withoutCvc(r.sealed, id, cvcColumn) : r.sealed;
      if (hadClear || sealed !== r.sealed) {
        put.run(sealed, JSON.stringify(cells), now, id);
        n++;
      }
    }
    return n;
  }
}

/** Integer minor units and currency of one row, from the profile's amount spec. Throws on a bad amount. */
export function rowAmount(profile: ProfileId, cells: readonly string[], ctx: AmountContext): { minor: number; currency: string } {
  const p = getProfile(profile);
  const amountCol = columnIndex(p, p.amount.column);
  const curCol = p.amount.currencyColumn !== undefined ? columnIndex(p, p.amount.currencyColumn) : -1;
  // ePay: an empty currency means the subscription's own currency, which only ePay knows ('' here).
  const currency = curCol >= 0 ? (cells[curCol] ?? '').trim() : ctx.currency;
  const unit = p.amount.unit === 'context' ? ctx.amountUnit : p.amount.unit;
  const exponent = currencyExponent(currency) ?? 2;
  const minor = parseMinorStrict((cells[amountCol] ?? '').trim(), exponent, unit);
  if (minor <= 0) throw new Error('amount is not valid');
  return { minor, currency };
}
