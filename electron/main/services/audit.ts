import type { AuditEntry } from '../../../shared/contract';
import type { Db } from './db/database';

/** Append-only audit log. Details are JSON and must never hold a PAN or a CVC. */
export class AuditLog {
  private readonly insert;
  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO audit_log (at, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?)');
  }

  record(action: string, entity: string, entityId: string | null, detail: Record<string, unknown> = {}): void {
    this.insert.run(new Date().toISOString(), action, entity, entityId, JSON.stringify(detail));
  }

  /** Deletes entries older than `days` (a policy's history retention); returns how many. */
  prune(days: number, now = new Date()): number {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    return this.db.prepare('DELETE FROM audit_log WHERE at < ?').run(cutoff).changes;
  }

  list(opts: { limit?: number; query?: string } = {}): AuditEntry[] {
    const limit = opts.limit ?? 200;
    const q = opts.query?.trim();
    const rows = (
      q
        ? this.db
            .prepare(
              `SELECT id, at, action, entity, entity_id, detail FROM audit_log
               WHERE action LIKE @q ESCAPE '\\' OR entity LIKE @q ESCAPE '\\' OR detail LIKE @q ESCAPE '\\'
               ORDER BY id DESC LIMIT @limit`,
            )
            .all({ q: `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit })
        : this.db.prepare('SELECT id, at, action, entity, entity_id, detail FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
    ) as { id: number; at: string; action: string; entity: string; entity_id: string | null; detail: string }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
