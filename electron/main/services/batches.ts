import { randomUUID } from 'node:crypto';
import type { BatchSummary } from '../../../shared/contract';
import type { ProfileId } from '../../../shared/formats/types';
import type { AuditLog } from './audit';
import type { Db } from './db/database';
import { AppError } from './errors';

interface BatchRow {
  id: string;
  name: string;
  profile: ProfileId;
  status: BatchSummary['status'];
  row_count: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

const SELECT = `SELECT b.id, b.name, b.profile, b.status, b.created_at, b.updated_at, b.deleted_at,
  (SELECT count(*) FROM batch_rows r WHERE r.batch_id = b.id) AS row_count FROM batches b`;
const SELECT_KNOWN_COUNT = SELECT.replace('(SELECT count(*) FROM batch_rows r WHERE r.batch_id = b.id) AS row_count', '0 AS row_count');

function toSummary(r: BatchRow): BatchSummary {
  return {
    id: r.id,
    name: r.name,
    profile: r.profile,
    status: r.status,
    rowCount: r.row_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

/** Batches: create, rename, soft-delete (undoable) and restore; every change is audited. */
export class BatchService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  list(opts: { includeDeleted?: boolean } = {}): BatchSummary[] {
    const where = opts.includeDeleted ? '' : ' WHERE b.deleted_at IS NULL';
    return (this.db.prepare(`${SELECT}${where} ORDER BY b.updated_at DESC, b.id`).all() as BatchRow[]).map(toSummary);
  }

  /**
   * `rowCount`: the caller knows it (the open batch's session), so the rows are not counted in
   * SQLite (a count over 1M rows took ~0.5 s in front of every summary).
   */
  get(id: string, rowCount?: number): BatchSummary {
    const sql = rowCount === undefined ? SELECT : SELECT_KNOWN_COUNT;
    const row = this.db.prepare(`${sql} WHERE b.id = ?`).get(id) as BatchRow | undefined;
    if (!row) throw new AppError('not_found', `No batch with id ${id}. It may have been deleted permanently.`);
    return toSummary(rowCount === undefined ? row : { ...row, row_count: rowCount });
  }

  /**
   * A new, empty batch. `amountUnit` and `currency` are decided here once for the batch (the unit
   * its amounts are stored and exported in); `importingFrom` marks it as being filled by an import.
   */
  create(input: { name: string; profile: ProfileId; amountUnit?: 'major' | 'minor'; currency?: string; importingFrom?: number; quiet?: boolean }): BatchSummary {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO batches (id, name, profile, status, created_at, updated_at, amount_unit, currency, importing_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, input.name, input.profile, 'draft', now, now, input.amountUnit ?? 'major', input.currency ?? 'HKD', input.importingFrom ?? null);
      if (!input.quiet) this.audit.record('batch.create', 'batch', id, { name: input.name, profile: input.profile });
    })();
    return this.get(id);
  }

  /** Removes a batch and its rows for good (an import that failed or was cancelled before it finished). */
  purge(id: string): void {
    this.db.prepare('DELETE FROM batches WHERE id = ?').run(id);
  }

  rename(input: { id: string; name: string }): BatchSummary {
    const before = this.live(input.id);
    if (before.name === input.name) return before;
    this.db.transaction(() => {
      this.db.prepare('UPDATE batches SET name = ?, updated_at = ? WHERE id = ?').run(input.name, new Date().toISOString(), input.id);
      this.audit.record('batch.rename', 'batch', input.id, { from: before.name, to: input.name });
    })();
    return this.get(input.id);
  }

  delete(input: { id: string }): BatchSummary {
    const before = this.live(input.id);
    // A batch the outbox is still sending or following stays in sight until every row is final.
    const sub = this.db.prepare('SELECT state FROM outbox_batches WHERE batch_id = ?').get(input.id) as { state: string } | undefined;
    if (sub && sub.state !== 'final') {
      throw new AppError('conflict', `"${before.name}" is being submitted: it cannot be deleted until every row has a final status. Cancel the rows not yet sent in its status view, then delete it when it is final.`);
    }
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare('UPDATE batches SET deleted_at = ?, updated_at = ? WHERE id = ?').run(now, now, input.id);
      this.audit.record('batch.delete', 'batch', input.id, { name: before.name });
    })();
    return this.get(input.id);
  }

  restore(input: { id: string }): BatchSummary {
    const before = this.get(input.id);
    if (before.deletedAt === null) return before;
    this.db.transaction(() => {
      this.db.prepare('UPDATE batches SET deleted_at = NULL, updated_at = ? WHERE id = ?').run(new Date().toISOString(), input.id);
      this.audit.record('batch.restore', 'batch', input.id, { name: before.name });
    })();
    return this.get(input.id);
  }

  private live(id: string): BatchSummary {
    const b = this.get(id);
    if (b.deletedAt !== null) throw new AppError('conflict', `The batch "${b.name}" is deleted. Restore it first.`);
    return b;
  }
}
