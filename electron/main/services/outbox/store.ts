/**
 * The outbox's SQLite side. Every state change is one transaction; the attempt row is committed
 * (synchronous=FULL) before the HTTP call it describes, so a crash at any point leaves either
 * "not sent" or "sending — outcome unknown", never a silent gap.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database';
import { FINAL_STATUSES, type RowOutcome, type RowStatus } from '../providers/types';

export type BatchState = 'running' | 'paused' | 'cancelled' | 'final';
export type UnitState = 'queued' | 'sending' | 'unknown' | 'answered' | 'cancelled' | 'needs_review';

export interface BatchRecord {
  batch_id: string;
  provider: string;
  connection: string;
  connection_id: string | null;
  sandbox: number;
  state: BatchState;
  owner: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  lease_until: number;
  note: string | null;
  summary: string;
  created_at: string;
  updated_at: string;
  final_at: string | null;
}

export interface UnitRecord {
  id: string;
  batch_id: string;
  seq: number;
  idempotency_key: string;
  method: string | null;
  path: string | null;
  body: string | null;
  body_sha256: string | null;
  meta: string;
  state: UnitState;
  tries: number;
  next_at: number;
  first_attempt_at: number | null;
  finished: number;
}

export interface RowRecord {
  row_id: string;
  batch_id: string;
  unit_id: string;
  position: number;
  amount_minor: number;
  currency: string;
  status: RowStatus;
  provider_ref: string | null;
  reason: string | null;
  next_poll_at: number;
  polls: number;
  updated_at: string;
}

export interface NewUnit {
  key: string;
  rows: { rowId: string; position: number; amountMinor: number; currency: string }[];
}

/** batch_rows.status has no 'pending' (schema 1): it shows 'accepted' there; outbox_rows is authoritative. */
function legacyStatus(s: RowStatus): string {
  return s === 'pending' ? 'accepted' : s;
}

const ORDER: Record<RowStatus, number> = { draft: 0, queued: 1, sending: 2, accepted: 3, pending: 4, succeeded: 5, failed: 5, needs_review: 5, cancelled: 5 };

export class OutboxStore {
  constructor(readonly db: Db) {}

  /** The claim: inserting outbox_batches fails for a batch already submitted (any window, any process). */
  claimAndEnqueue(input: { batchId: string; provider: string; connection: string; connectionId: string | null; sandbox: boolean; summary: string; units: NewUnit[]; owner: string }): boolean {
    const now = new Date().toISOString();
    const tx = this.db.transaction(() => {
      const ins = this.db
        .prepare(
          `INSERT INTO outbox_batches (batch_id, provider, connection, connection_id, sandbox, state, owner, owner_pid, owner_host, lease_until, summary, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'running', NULL, NULL, NULL, 0, ?, ?, ?) ON CONFLICT (batch_id) DO NOTHING`,
        )
        .run(input.batchId, input.provider, input.connection, input.connectionId, input.sandbox ? 1 : 0, input.summary, now, now);
      if (ins.changes === 0) return false;
      const unit = this.db.prepare(`INSERT INTO outbox_units (id, batch_id, seq, idempotency_key, state) VALUES (?, ?, ?, ?, 'queued')`);
      const row = this.db.prepare(
        `INSERT INTO outbox_rows (row_id, batch_id, unit_id, position, amount_minor, currency, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)`,
      );
      const legacy = this.db.prepare(`UPDATE batch_rows SET status = 'queued', updated_at = ? WHERE id = ?`);
      const event = this.db.prepare(`INSERT INTO status_events (batch_id, row_id, status, source, detail, at) VALUES (?, ?, ?, ?, ?, ?)`);
      input.units.forEach((u, seq) => {
        const unitId = randomUUID();
        unit.run(unitId, input.batchId, seq, u.key);
        for (const r of u.rows) {
          row.run(r.rowId, input.batchId, unitId, r.position, r.amountMinor, r.currency, now);
          legacy.run(now, r.rowId);
        }
      });
      event.run(input.batchId, null, 'queued', 'submit', JSON.stringify({ rows: input.units.reduce((n, u) => n + u.rows.length, 0), provider: input.provider }), now);
      this.db.prepare(`UPDATE batches SET status = 'submitting', updated_at = ? WHERE id = ?`).run(now, input.batchId);
      return true;
    });
    return tx.immediate();
  }

  batch(batchId: string): BatchRecord | undefined {
    return this.db.prepare('SELECT * FROM outbox_batches WHERE batch_id = ?').get(batchId) as BatchRecord | undefined;
  }

  /**
   * Takes (or renews) the right to drive a batch. Refused while another live process holds an
   * unexpired lease; a lease of a process that is gone (same host, pid dead) is taken at once.
   */
  acquire(batchId: string, owner: string, leaseMs: number): boolean {
    const tx = this.db.transaction(() => {
      const b = this.batch(batchId);
      if (!b) return false;
      const now = Date.now();
      const mine = b.owner === owner;
      const free = b.owner === null || b.lease_until < now || (b.owner_host === hostname() && b.owner_pid !== null && b.owner_pid !== process.pid && !pidAlive(b.owner_pid));
      if (!mine && !free) return false;
      this.db
        .prepare('UPDATE outbox_batches SET owner = ?, owner_pid = ?, owner_host = ?, lease_until = ? WHERE batch_id = ?')
        .run(owner, process.pid, hostname(), now + leaseMs, batchId);
      if (!mine) {
        // Whatever the previous owner was sending when it stopped has an unknown outcome now.
        this.db.prepare(`UPDATE outbox_units SET state = 'unknown' WHERE batch_id = ? AND state = 'sending'`).run(batchId);
        this.db.prepare(`UPDATE submission_attempts SET state = 'unknown', finished_at = ? WHERE batch_id = ? AND state = 'sending'`).run(new Date().toISOString(), batchId);
      }
      return true;
    });
    return tx.immediate();
  }

  release(batchId: string, owner: string): void {
    this.db.prepare('UPDATE outbox_batches SET owner = NULL, owner_pid = NULL, owner_host = NULL, lease_until = 0 WHERE batch_id = ? AND owner = ?').run(batchId, owner);
  }

  setBatchState(batchId: string, state: BatchState, note: string | null): void {
    const now = new Date().toISOString();
    this.db.prepare('UPDATE outbox_batches SET state = ?, note = ?, updated_at = ?, final_at = CASE WHEN ? = \'final\' THEN ? ELSE final_at END WHERE batch_id = ?').run(state, note, now, state, now, batchId);
    if (state === 'final') this.db.prepare(`UPDATE batches SET status = 'done', updated_at = ? WHERE id = ?`).run(now, batchId);
  }

  setNote(batchId: string, note: string | null): void {
    this.db.prepare('UPDATE outbox_batches SET note = ?, updated_at = ? WHERE batch_id = ?').run(note, new Date().toISOString(), batchId);
  }

  units(batchId: string): UnitRecord[] {
    return this.db.prepare('SELECT * FROM outbox_units WHERE batch_id = ? ORDER BY seq').all(batchId) as UnitRecord[];
  }

  unit(unitId: string): UnitRecord {
    return this.db.prepare('SELECT * FROM outbox_units WHERE id = ?').get(unitId) as UnitRecord;
  }

  unitRows(unitId: string): RowRecord[] {
    return this.db.prepare('SELECT * FROM outbox_rows WHERE unit_id = ? ORDER BY position').all(unitId) as RowRecord[];
  }

  rows(batchId: string): RowRecord[] {
    return this.db.prepare('SELECT * FROM outbox_rows WHERE batch_id = ? ORDER BY position').all(batchId) as RowRecord[];
  }

  saveMeta(unitId: string, meta: Record<string, unknown>): void {
    this.db.prepare('UPDATE outbox_units SET meta = ? WHERE id = ?').run(JSON.stringify(meta), unitId);
  }

  savePrepared(unitId: string, p: { method: string; path: string; body: string | null; bodySha256: string }): void {
    this.db.prepare('UPDATE outbox_units SET method = ?, path = ?, body = ?, body_sha256 = ? WHERE id = ?').run(p.method, p.path, p.body, p.bodySha256, unitId);
  }

  /**
   * THE durable write before an HTTP call: attempt row (state 'sending', key, body hash), unit and
   * rows to 'sending', in one committed transaction. Returns the attempt id.
   */
  beginAttempt(unit: UnitRecord, provider: string, bodySha256: string, kind: 'send' | 'reconcile'): string {
    const id = randomUUID();
    const now = Date.now();
    const iso = new Date(now).toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO submission_attempts (id, batch_id, row_id, provider, idempotency_key, body_sha256, state, started_at, unit_id, response) VALUES (?, ?, NULL, ?, ?, ?, 'sending', ?, ?, ?)`)
        .run(id, unit.batch_id, provider, unit.idempotency_key, bodySha256, iso, unit.id, JSON.stringify({ kind }));
      this.db.prepare(`UPDATE outbox_units SET state = 'sending', tries = tries + 1, first_attempt_at = coalesce(first_attempt_at, ?) WHERE id = ?`).run(now, unit.id);
      if (kind === 'send') {
        this.db.prepare(`UPDATE outbox_rows SET status = 'sending', updated_at = ? WHERE unit_id = ? AND status = 'queued'`).run(iso, unit.id);
        this.db.prepare(`UPDATE batch_rows SET status = 'sending', updated_at = ? WHERE id IN (SELECT row_id FROM outbox_rows WHERE unit_id = ?)`).run(iso, unit.id);
      }
    }).immediate();
    return id;
  }

  /** Closes an attempt and moves its unit; outcomes (if any) are applied in the same transaction. */
  endAttempt(input: {
    attemptId: string;
    unitId: string;
    attemptState: 'accepted' | 'rejected' | 'unknown' | 'needs_review' | 'sent';
    unitState: UnitState;
    http?: number | undefined;
    providerRef?: string | undefined;
    summary: string;
    nextAt?: number;
    outcomes?: readonly RowOutcome[];
    /** For a refused request or a failure without per-row answers: every row of the unit gets this. */
    allRows?: { status: RowStatus; reason: string };
    source: 'submit' | 'reconcile';
    pollAfterMs: number;
  }): void {
    const iso = new Date().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE submission_attempts SET state = ?, http_status = ?, provider_ref = ?, response = ?, finished_at = ? WHERE id = ?')
        .run(input.attemptState, input.http ?? null, input.providerRef ?? null, JSON.stringify({ summary: input.summary.slice(0, 500) }), iso, input.attemptId);
      this.db.prepare('UPDATE outbox_units SET state = ?, next_at = ? WHERE id = ?').run(input.unitState, input.nextAt ?? 0, input.unitId);
      const rows = this.unitRows(input.unitId);
      if (input.unitState === 'queued') {
        // Not processed: back to the queue, same key.
        for (const r of rows) if (r.status === 'sending') this.setRow(r, { rowId: r.row_id, status: 'queued' }, input.source, 0, true);
      }
      if (input.allRows) {
        for (const r of rows) this.setRow(r, { rowId: r.row_id, status: input.allRows.status as RowOutcome['status'], reason: input.allRows.reason }, input.source, 0);
      }
      if (input.outcomes) {
        const byId = new Map(rows.map((r) => [r.row_id, r]));
        for (const o of input.outcomes) {
          const r = byId.get(o.rowId);
          if (r) this.setRow(r, o, input.source, Date.now() + input.pollAfterMs);
        }
        // A row the provider's answer did not mention cannot be assumed either way.
        const answered = new Set(input.outcomes.map((o) => o.rowId));
        for (const r of rows) {
          if (!answered.has(r.row_id) && !FINAL_STATUSES.has(r.status)) {
            this.setRow(r, { rowId: r.row_id, status: 'needs_review', reason: 'The provider answered without a result for this row; check it with the provider.' }, input.source, 0);
          }
        }
      }
    }).immediate();
  }

  /** Applies one row outcome: final statuses never change; statuses never move backwards. */
  private setRow(r: RowRecord, o: { rowId: string; status: RowStatus; providerRef?: string; reason?: string }, source: string, nextPollAt: number, allowBack = false): boolean {
    if (FINAL_STATUSES.has(r.status)) return false;
    if (!allowBack && ORDER[o.status] < ORDER[r.status]) return false;
    const iso = new Date().toISOString();
    const ref = o.providerRef ?? r.provider_ref;
    const reason = o.reason ?? (FINAL_STATUSES.has(o.status) ? r.reason : null);
    if (o.status === r.status && ref === r.provider_ref && reason === r.reason) {
      this.db.prepare('UPDATE outbox_rows SET next_poll_at = ?, polls = polls + ? WHERE row_id = ?').run(nextPollAt, source === 'poll' ? 1 : 0, r.row_id);
      return false;
    }
    this.db
      .prepare('UPDATE outbox_rows SET status = ?, provider_ref = ?, reason = ?, next_poll_at = ?, polls = polls + ?, updated_at = ? WHERE row_id = ?')
      .run(o.status, ref, reason, nextPollAt, source === 'poll' ? 1 : 0, iso, r.row_id);
    this.db.prepare('UPDATE batch_rows SET status = ?, updated_at = ? WHERE id = ?').run(legacyStatus(o.status), iso, r.row_id);
    this.db
      .prepare('INSERT INTO status_events (batch_id, row_id, status, source, detail, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.batch_id, r.row_id, o.status, source, JSON.stringify({ ...(ref ? { providerRef: ref } : {}), ...(reason ? { reason } : {}) }), iso);
    r.status = o.status;
    r.provider_ref = ref;
    r.reason = reason;
    return true;
  }

  /** Poll results: one transaction for a set of rows. */
  applyPoll(outcomes: readonly RowOutcome[], polled: readonly string[], nextPollAt: (row: RowRecord) => number): void {
    this.db.transaction(() => {
      const get = this.db.prepare('SELECT * FROM outbox_rows WHERE row_id = ?');
      const seen = new Set<string>();
      for (const o of outcomes) {
        const r = get.get(o.rowId) as RowRecord | undefined;
        if (!r) continue;
        seen.add(o.rowId);
        this.setRow(r, o, 'poll', nextPollAt(r));
      }
      for (const id of polled) {
        if (seen.has(id)) continue;
        const r = get.get(id) as RowRecord | undefined;
        if (r && !FINAL_STATUSES.has(r.status)) this.db.prepare('UPDATE outbox_rows SET next_poll_at = ?, polls = polls + 1 WHERE row_id = ?').run(nextPollAt(r), id);
      }
    }).immediate();
  }

  /** Rows to ask about now: accepted/pending, due. */
  dueForPoll(batchId: string, now: number, limit: number): RowRecord[] {
    return this.db
      .prepare(`SELECT * FROM outbox_rows WHERE batch_id = ? AND status IN ('accepted', 'pending') AND next_poll_at <= ? ORDER BY next_poll_at, position LIMIT ?`)
      .all(batchId, now, limit) as RowRecord[];
  }

  nextPollAt(batchId: string): number | null {
    const r = this.db.prepare(`SELECT min(next_poll_at) AS t FROM outbox_rows WHERE batch_id = ? AND status IN ('accepted', 'pending')`).get(batchId) as { t: number | null };
    return r.t;
  }

  markRows(rowIds: readonly string[], status: RowStatus, reason: string, source: string): void {
    this.db.transaction(() => {
      const get = this.db.prepare('SELECT * FROM outbox_rows WHERE row_id = ?');
      for (const id of rowIds) {
        const r = get.get(id) as RowRecord | undefined;
        if (r) this.setRow(r, { rowId: id, status, reason }, source, 0);
      }
    }).immediate();
  }

  /** Cancels units no attempt was ever written for; returns the rows cancelled. */
  cancelUnsent(batchId: string): number {
    return this.db.transaction(() => {
      const units = this.db.prepare(`SELECT id FROM outbox_units WHERE batch_id = ? AND state = 'queued' AND tries = 0`).all(batchId) as { id: string }[];
      let n = 0;
      for (const u of units) {
        this.db.prepare(`UPDATE outbox_units SET state = 'cancelled' WHERE id = ?`).run(u.id);
        for (const r of this.unitRows(u.id)) if (this.setRow(r, { rowId: r.row_id, status: 'cancelled', reason: 'Cancelled before it was sent.' }, 'user', 0)) n++;
      }
      return n;
    }).immediate();
  }

  markFinished(unitId: string): void {
    this.db.prepare('UPDATE outbox_units SET finished = 1 WHERE id = ?').run(unitId);
  }

  counts(batchId: string): { status: RowStatus; n: number; currency: string; amount: number }[] {
    return this.db
      .prepare('SELECT status, currency, count(*) AS n, sum(amount_minor) AS amount FROM outbox_rows WHERE batch_id = ? GROUP BY status, currency ORDER BY status, currency')
      .all(batchId) as { status: RowStatus; n: number; currency: string; amount: number }[];
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
