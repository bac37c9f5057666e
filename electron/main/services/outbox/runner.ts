/**
 * Drives one submitted batch: sends its units within the provider's pace and concurrency,
 * reconciles every unit whose outcome is unknown before anything else is sent for it, and follows
 * accepted rows to a final status. All state is in SQLite, so any process can pick a batch up
 * where another stopped (crash, kill, restart).
 */
import { performance } from 'node:perf_hooks';
import { sha256Hex } from '../providers/common';
import { TransportError } from '../providers/http';
import { ConnectionProblem, FINAL_STATUSES, Throttled, type Connector, type Prepared, type RowOutcome, type TrackedRow, type UnitContext } from '../providers/types';
import type { ProfileId } from '../../../../shared/formats/types';
import { backoffMs, sleep, type PaceGate } from './schedule';
import type { OutboxStore, UnitRecord, RowRecord } from './store';
import type { RowSource } from './rowSource';

export interface RunOptions {
  /** `accepted`: stop once every row has the provider's first answer; `final`: once every row is final. */
  until: 'accepted' | 'final';
  signal?: AbortSignal;
  /** Lease length; renewed at a third of it. */
  leaseMs?: number;
  /** An unknown outcome that still cannot be reconciled after this long becomes needs_review. */
  reconcileGiveUpMs?: number;
  /** Rows still not final after this many status reads become needs_review. */
  maxPolls?: number;
  /** Called after every change (progress events). */
  onChange?: () => void;
  /** Durations of the durable write before each call, ms (for the benchmark). */
  writeTimings?: number[];
}

export type RunEnd = 'accepted' | 'final' | 'aborted' | 'lost_lease' | 'paused';

export class BatchRunner {
  private inFlight = new Map<string, Promise<void>>();
  private polling: Promise<void> | null = null;
  private pollPausedUntil = 0;
  private wake: (() => void) | null = null;

  constructor(
    private readonly store: OutboxStore,
    private readonly rows: RowSource,
    private readonly connector: Connector,
    private readonly gate: PaceGate,
    private readonly batchId: string,
    private readonly profile: ProfileId,
    private readonly owner: string,
    private readonly opts: RunOptions,
  ) {}

  private get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  async run(): Promise<RunEnd> {
    const leaseMs = this.opts.leaseMs ?? 30_000;
    if (!this.store.acquire(this.batchId, this.owner, leaseMs)) return 'lost_lease';
    let renewedAt = Date.now();
    const onAbort = () => this.kick();
    this.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (this.signal?.aborted) return 'aborted';
        if (Date.now() - renewedAt > leaseMs / 3) {
          if (!this.store.acquire(this.batchId, this.owner, leaseMs)) return 'lost_lease';
          renewedAt = Date.now();
        }
        const batch = this.store.batch(this.batchId);
        if (!batch) return 'aborted';
        const units = this.store.units(this.batchId);
        const now = Date.now();
        const sending = batch.state === 'running';
        // A cancelled batch sends nothing new, but what was already sent is still found out.
        const reconciling = sending || batch.state === 'cancelled';
        let nextWake = now + 1000;
        if (reconciling) {
          for (const u of units) {
            if (this.inFlight.size >= this.connector.limits.submitConcurrency) break;
            if (this.inFlight.has(u.id)) continue;
            if (!(u.state === 'unknown' || (u.state === 'queued' && sending))) continue;
            if (u.next_at > now) {
              nextWake = Math.min(nextWake, u.next_at);
              continue;
            }
            this.track(u.id, this.processUnit(u));
          }
        }
        // Returning at "accepted" (CLI without --wait) leaves status reads to whoever follows the batch.
        if (this.opts.until === 'final' && !this.polling && now >= this.pollPausedUntil) {
          const due = this.store.dueForPoll(this.batchId, now, this.connector.limits.pollPerUnit ? 10_000 : this.connector.limits.pollConcurrency * 8);
          if (due.length > 0) {
            const p = this.poll(due).finally(() => {
              this.polling = null;
              this.kick();
            });
            this.polling = p;
          } else {
            const t = this.store.nextPollAt(this.batchId);
            if (t !== null) nextWake = Math.min(nextWake, Math.max(t, now + 10));
          }
        }
        await this.finishUnits(units);

        const rows = this.store.rows(this.batchId);
        const open = units.some((u) => u.state === 'queued' || u.state === 'sending' || u.state === 'unknown') || this.inFlight.size > 0;
        const allFinal = rows.every((r) => FINAL_STATUSES.has(r.status));
        if (allFinal && this.inFlight.size === 0 && !this.polling) {
          await this.finishUnits(this.store.units(this.batchId));
          this.store.setBatchState(this.batchId, 'final', null);
          this.opts.onChange?.();
          return 'final';
        }
        if (this.opts.until === 'accepted' && !open && !this.polling) return 'accepted';
        if (!sending && this.inFlight.size === 0 && !this.polling && batch.state === 'paused' && this.opts.until === 'accepted') return 'paused';
        await this.waitFor(Math.max(5, nextWake - Date.now()));
      }
    } catch (e) {
      if (this.signal?.aborted) return 'aborted';
      throw e;
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
      await Promise.allSettled([...this.inFlight.values(), ...(this.polling ? [this.polling] : [])]);
      this.store.release(this.batchId, this.owner);
    }
  }

  private track(id: string, p: Promise<void>): void {
    const t = p
      .catch((e: unknown) => {
        if (!this.signal?.aborted) this.store.setNote(this.batchId, `Internal problem while sending: ${(e as Error).message}`);
      })
      .finally(() => {
        this.inFlight.delete(id);
        this.kick();
      });
    this.inFlight.set(id, t);
  }

  private kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private waitFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private unitContext(u: UnitRecord, withSecrets: boolean): UnitContext {
    const rowIds = this.store.unitRows(u.id).map((r) => r.row_id);
    let meta = JSON.parse(u.meta) as Record<string, unknown>;
    return {
      unitId: u.id,
      key: u.idempotency_key,
      rows: this.rows.load(this.batchId, { rowIds, withSecrets }),
      get meta() {
        return meta;
      },
      saveMeta: (m) => {
        meta = m;
        this.store.saveMeta(u.id, m);
      },
      firstAttemptAt: u.first_attempt_at,
    };
  }

  private storedRequest(u: UnitRecord): Prepared | null {
    if (u.body === null || u.method === null || u.path === null) return null;
    return { method: u.method as Prepared['method'], path: u.path, body: u.body, storable: true };
  }

  private async processUnit(u: UnitRecord): Promise<void> {
    if (u.state === 'unknown') return this.reconcileUnit(u);
    const ctx = this.unitContext(u, true);
    let req = this.storedRequest(u);
    if (req === null) {
      req = await this.connector.prepare(ctx, this.signal);
      this.store.savePrepared(u.id, { method: req.method, path: req.path, body: req.storable ? req.body : null, bodySha256: sha256Hex(req.body) });
    }
    const t0 = performance.now();
    const attemptId = this.store.beginAttempt(u, this.connector.id, sha256Hex(req.body), 'send');
    this.opts.writeTimings?.push(performance.now() - t0);
    this.opts.onChange?.();
    const fresh = this.store.unit(u.id);
    try {
      // The pace slot is taken right before the call, so building the body and the durable write
      // do not eat into the provider's interval (a kill while waiting leaves an attempt to reconcile).
      await this.gate.take(this.signal);
      const res = await this.connector.send(ctx, req, this.signal);
      if (res.kind === 'answered') {
        this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'accepted', unitState: 'answered', http: res.http, providerRef: res.providerRef, summary: res.summary, outcomes: res.outcomes, source: 'submit', pollAfterMs: this.connector.limits.pollIntervalMs });
        this.answered(res.outcomes.map((o) => o.rowId));
        this.store.setNote(this.batchId, null);
      } else if (res.kind === 'retry') {
        if (res.http === 429) this.gate.hold(res.retryAfterMs ?? 1000);
        this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'rejected', unitState: 'queued', http: res.http, summary: res.summary, nextAt: Date.now() + backoffMs(fresh.tries, { retryAfterMs: res.retryAfterMs }), source: 'submit', pollAfterMs: 0 });
      } else {
        this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'rejected', unitState: 'answered', http: res.http, summary: res.summary, allRows: { status: 'failed', reason: res.reason }, source: 'submit', pollAfterMs: 0 });
        this.answered(ctx.rows.map((r) => r.rowId));
      }
    } catch (e) {
      this.afterSendError(e, attemptId, fresh);
    }
    this.opts.onChange?.();
  }

  private afterSendError(e: unknown, attemptId: string, u: UnitRecord): void {
    if (e instanceof TransportError) {
      if (!e.maybeSent) {
        this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'rejected', unitState: 'queued', summary: e.message, nextAt: Date.now() + backoffMs(u.tries, { capMs: 30_000 }), source: 'submit', pollAfterMs: 0 });
        this.store.setNote(this.batchId, `Offline: ${e.message} The batch waits and goes out when the provider can be reached.`);
      } else {
        // The provider may have processed it: never send again before asking.
        this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'unknown', unitState: 'unknown', summary: e.message, nextAt: Date.now() + backoffMs(0, { baseMs: 200, capMs: 2000 }), source: 'submit', pollAfterMs: 0 });
      }
      return;
    }
    if (e instanceof ConnectionProblem) {
      // 401/403: refused before processing; the unit waits for a corrected connection.
      this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'rejected', unitState: 'queued', summary: e.message, source: 'submit', pollAfterMs: 0 });
      this.store.setBatchState(this.batchId, 'paused', e.message);
      return;
    }
    // Anything else after the attempt was written: we cannot say what the provider saw.
    this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'unknown', unitState: 'unknown', summary: (e as Error).message ?? String(e), nextAt: Date.now() + 1000, source: 'submit', pollAfterMs: 0 });
  }

  private async reconcileUnit(u: UnitRecord): Promise<void> {
    const giveUp = this.opts.reconcileGiveUpMs ?? this.connector.limits.reconcileGiveUpMs ?? 15 * 60_000;
    const ctx = this.unitContext(u, false);
    const req = this.storedRequest(u);
    // A reconciliation may itself be a replay (ePay): it is written down like any call.
    if (req !== null && this.connector.id === 'epay') await this.gate.take(this.signal);
    const attemptId = this.store.beginAttempt(u, this.connector.id, u.body_sha256 ?? '', 'reconcile');
    const fresh = this.store.unit(u.id);
    try {
      const r = await this.connector.reconcile(ctx, req, this.signal);
      switch (r.kind) {
        case 'known':
          this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'accepted', unitState: 'answered', providerRef: r.providerRef, summary: r.summary, outcomes: r.outcomes, source: 'reconcile', pollAfterMs: this.connector.limits.pollIntervalMs });
          this.answered(r.outcomes.map((o) => o.rowId));
          this.store.setNote(this.batchId, null);
          break;
        case 'absent':
          this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'rejected', unitState: 'queued', summary: r.summary, source: 'reconcile', pollAfterMs: 0 });
          break;
        case 'later': {
          const firstAt = fresh.first_attempt_at ?? Date.now();
          if (Date.now() - firstAt > giveUp) {
            const span = giveUp >= 2 * 3600_000 ? `${Math.round(giveUp / 3600_000)} hours` : `${Math.round(giveUp / 60_000)} minutes`;
            this.toReview(attemptId, u, `No answer from the provider and it could not be asked for ${span} (${r.summary}). Check these rows with the provider before sending them again.`);
          } else {
            if (r.retryAfterMs !== undefined) this.gate.hold(r.retryAfterMs);
            this.store.setNote(this.batchId, `Waiting for the provider to find out what happened to a request whose answer was lost (${r.summary}); nothing is sent again before that.`);
            // Asked again within 30 s at first; after 15 minutes without an answer, within 5 minutes (an outage of hours is not hammered).
            const capMs = Date.now() - firstAt > 15 * 60_000 ? 5 * 60_000 : 30_000;
            this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'unknown', unitState: 'unknown', summary: r.summary, nextAt: Date.now() + backoffMs(fresh.tries, { retryAfterMs: r.retryAfterMs, capMs }), source: 'reconcile', pollAfterMs: 0 });
          }
          break;
        }
        case 'unreconcilable':
          this.toReview(attemptId, u, r.reason);
          break;
      }
    } catch (e) {
      if (e instanceof ConnectionProblem) {
        this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'unknown', unitState: 'unknown', summary: e.message, source: 'reconcile', pollAfterMs: 0 });
        this.store.setBatchState(this.batchId, 'paused', e.message);
      } else {
        this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'unknown', unitState: 'unknown', summary: (e as Error).message, nextAt: Date.now() + backoffMs(fresh.tries, { capMs: 30_000 }), source: 'reconcile', pollAfterMs: 0 });
      }
    }
    this.opts.onChange?.();
  }

  private toReview(attemptId: string, u: UnitRecord, reason: string): void {
    this.store.endAttempt({ attemptId, unitId: u.id, attemptState: 'needs_review', unitState: 'needs_review', summary: reason, allRows: { status: 'needs_review', reason }, source: 'reconcile', pollAfterMs: 0 });
  }

  /** The provider has answered for these rows: their CVC is deleted. */
  private answered(rowIds: readonly string[]): void {
    this.rows.forgetCvc(this.profile, rowIds);
  }

  private nextPoll(r: RowRecord): number {
    // Spacing grows with the number of reads (never faster than the provider's per-resource limit).
    const base = this.connector.limits.pollIntervalMs;
    return Date.now() + base * Math.min(10, 1 + Math.floor(r.polls / 10));
  }

  private async poll(due: RowRecord[]): Promise<void> {
    const maxPolls = this.opts.maxPolls ?? 2000;
    const tooMany = due.filter((r) => r.polls >= maxPolls);
    if (tooMany.length) this.store.markRows(tooMany.map((r) => r.row_id), 'needs_review', `Still not final after ${maxPolls} status checks; check with the provider.`, 'poll');
    const list = due.filter((r) => r.polls < maxPolls);
    const unitsMeta = new Map<string, Record<string, unknown>>();
    const lines = new Map<string, number>();
    for (const unitId of new Set(list.map((r) => r.unit_id))) this.store.unitRows(unitId).forEach((r, i) => lines.set(r.row_id, i + 1));
    const cellsOf = new Map(this.rows.load(this.batchId, { rowIds: list.map((r) => r.row_id) }).map((r) => [r.rowId, r]));
    const tracked: TrackedRow[] = list.map((r) => {
      let meta = unitsMeta.get(r.unit_id);
      if (!meta) {
        meta = JSON.parse(this.store.unit(r.unit_id).meta) as Record<string, unknown>;
        unitsMeta.set(r.unit_id, meta);
      }
      const src = cellsOf.get(r.row_id);
      return { rowId: r.row_id, unitId: r.unit_id, line: lines.get(r.row_id) ?? 0, idempotencyKey: src?.idempotencyKey ?? '', providerRef: r.provider_ref, status: r.status, cells: src?.cells ?? [], unitMeta: meta };
    });
    const groups: TrackedRow[][] = [];
    if (this.connector.limits.pollPerUnit) {
      const byUnit = new Map<string, TrackedRow[]>();
      list.forEach((r, i) => {
        const g = byUnit.get(r.unit_id) ?? [];
        g.push(tracked[i]!);
        byUnit.set(r.unit_id, g);
      });
      groups.push(...byUnit.values());
    } else {
      for (const t of tracked) groups.push([t]);
    }
    let next = 0;
    const results: { outcomes: RowOutcome[]; ids: string[]; wait: number }[] = [];
    const worker = async () => {
      while (next < groups.length && !this.signal?.aborted) {
        const g = groups[next++]!;
        let outcomes: RowOutcome[] = [];
        // A failed read delays only this group; credentials refused or offline pause all reads.
        let groupWait = 0;
        try {
          outcomes = await this.connector.poll(g, this.signal);
        } catch (e) {
          if (e instanceof Throttled) {
            groupWait = e.retryAfterMs ?? this.connector.limits.pollIntervalMs;
          } else if (e instanceof ConnectionProblem) {
            this.pollPausedUntil = Date.now() + 60_000;
            this.store.setNote(this.batchId, e.message);
          } else if (e instanceof TransportError) {
            groupWait = backoffMs(2, { capMs: 30_000 });
            if (!e.maybeSent) {
              this.pollPausedUntil = Date.now() + groupWait;
              this.store.setNote(this.batchId, `Waiting for the provider: ${e.message}`);
            }
          } else if (!this.signal?.aborted) {
            groupWait = this.connector.limits.pollIntervalMs;
            this.store.setNote(this.batchId, `Status check failed: ${(e as Error).message}`);
          }
        }
        if (this.connector.limits.pollPerUnit && g[0]) this.store.saveMeta(g[0].unitId, g[0].unitMeta);
        results.push({ outcomes, ids: g.map((t) => t.rowId), wait: groupWait });
        if (this.pollPausedUntil > Date.now()) break;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.connector.limits.pollConcurrency, groups.length)) }, worker));
    // One durable write per round of reads (an fsync per row would stall the sends sharing this thread).
    const all = results.flatMap((r) => r.outcomes);
    const waitOf = new Map<string, number>();
    for (const r of results) for (const id of r.ids) waitOf.set(id, r.wait);
    if (waitOf.size > 0) this.store.applyPoll(all, [...waitOf.keys()], (r) => Math.max(this.nextPoll(r), this.pollPausedUntil, Date.now() + (waitOf.get(r.row_id) ?? 0)));
    const finalNow = all.filter((o) => o.status === 'succeeded' || o.status === 'failed').map((o) => o.rowId);
    if (finalNow.length) this.answered(finalNow);
    this.opts.onChange?.();
  }

  /** Units whose rows are all final get the connector's clean-up (Wonder deletes the uploaded file). */
  private async finishUnits(units: readonly UnitRecord[]): Promise<void> {
    if (!this.connector.finish) return;
    for (const u of units) {
      if (u.finished || u.state === 'queued' || u.state === 'cancelled') continue;
      const meta = JSON.parse(u.meta) as Record<string, unknown>;
      if (Object.keys(meta).length === 0 && u.state !== 'answered') continue;
      const rows = this.store.unitRows(u.id);
      // Wonder's file may be deleted as soon as the batch is no longer pending at the provider.
      const done = rows.every((r) => FINAL_STATUSES.has(r.status)) || meta.processStatus === 'success' || meta.processStatus === 'failed';
      if (!done) continue;
      try {
        await this.connector.finish(this.unitContext(u, false), this.signal);
        this.store.markFinished(u.id);
      } catch (e) {
        this.store.setNote(this.batchId, `Could not clean up after the provider: ${(e as Error).message}`);
      }
    }
  }
}

export { sleep };
