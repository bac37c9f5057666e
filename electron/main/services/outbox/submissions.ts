/**
 * The app's side of submitting: which connection a batch goes to (a stored one, or the built-in
 * sandbox started in-process on 127.0.0.1 — the default), confirmation, submit, background runs to
 * final with task.progress events, pause/resume/cancel, and resuming unfinished batches at start.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database';
import { AppError } from '../errors';
import type { Sealer } from '../crypto';
import { ConnectionStore } from '../providers/connections';
import { parseConnection, type Connection } from '../providers/connection';
import type { Sandbox } from '../providers/sandbox';
import type { ProfileId } from '../../../../shared/formats/types';
import type { ProviderId } from '../providers/types';
import { cardCells } from './cardCells';
import { Outbox, type BatchReport, type SubmitConfirmation } from './index';

export interface SubmissionEvents {
  progress(p: { taskId: string; label: string; done: number; total: number | null }): void;
  /** A batch became final (every row succeeded, failed, needs review or was cancelled). */
  final(batchId: string, report: BatchReport): void;
  /** The first row of a batch still running needs review (once per batch and process). */
  review?(batchId: string, report: BatchReport): void;
}

/**
 * The built-in sandbox keeps its transactions here, so a sandbox batch followed after an app
 * restart meets a sandbox that remembers what it was sent (reconciled, never re-charged).
 */
export const SANDBOX_STATE_FILE = 'sandbox-state.json';
export const APP_SANDBOX_NAME = 'Built-in sandbox';

/** Was it submitted to the app's own sandbox (whose state persists), not the CLI's temporary one? */
function isAppSandbox(storedConnection: string): boolean {
  try {
    return (JSON.parse(storedConnection) as { name?: unknown }).name === APP_SANDBOX_NAME;
  } catch {
    return false;
  }
}

export class SubmissionService {
  readonly outbox: Outbox;
  readonly connections: ConnectionStore;
  private sandbox: Promise<Sandbox> | null = null;
  private readonly runs = new Map<string, AbortController>();
  private readonly reviewed = new Set<string>();

  constructor(
    db: Db,
    sealer: Sealer,
    private readonly dataDir: string,
    private readonly events: SubmissionEvents,
  ) {
    this.outbox = new Outbox(db, {
      cards: cardCells(sealer),
      onProgress: (p) => {
        events.progress(p);
        if (p.taskId.startsWith('submit:')) this.checkReview(p.taskId.slice('submit:'.length));
      },
    });
    this.connections = new ConnectionStore(db, sealer, dataDir);
  }

  private async builtInSandbox(): Promise<Sandbox> {
    const { startSandbox } = await import('../providers/sandbox');
    const stateFile = join(this.dataDir, SANDBOX_STATE_FILE);
    this.sandbox ??= (async () => {
      const hadState = existsSync(stateFile);
      const sb = await startSandbox({ seed: Date.now() % 1_000_000, stateFile });
      // Before any run follows a batch (they all await this promise): a fresh sandbox cannot answer for what an old one accepted.
      if (!hadState) this.lostSandboxRows();
      return sb;
    })();
    // A failed start (damaged state file) is tried again next time, with its message shown meanwhile.
    this.sandbox.catch(() => (this.sandbox = null));
    return this.sandbox;
  }

  /**
   * The sandbox's saved state is gone (deleted, moved away after damage, or never written before a
   * crash): rows an earlier sandbox accepted are unknown to this one and would be polled for ever.
   * They become needs review with the reason; rows never sent still go out. Nothing was charged.
   */
  private lostSandboxRows(): number {
    let n = 0;
    for (const u of this.outbox.unfinished()) {
      const b = this.outbox.store.batch(u.batchId);
      if (!b || b.sandbox !== 1 || !isAppSandbox(b.connection)) continue;
      n += this.orphanedRows(u.batchId, `The built-in sandbox was restarted without its saved state (${SANDBOX_STATE_FILE}), so it no longer knows this row; its outcome cannot be checked. Sandbox: nothing was charged.`);
    }
    return n;
  }

  /** At app start (thin glue in web.ts / index.ts): the built-in sandbox comes up, unfinished batches are followed again. */
  async start(): Promise<{ sandboxUrl: string | null; resumed: number; error: string | null }> {
    let url: string | null = null;
    let error: string | null = null;
    try {
      url = (await this.builtInSandbox()).url;
    } catch (e) {
      error = `The built-in sandbox did not start: ${(e as Error).message}`;
    }
    return { sandboxUrl: url, resumed: await this.resumeAll(), error };
  }

  /** The clerk hears about a row needing review when it happens, not only when the whole batch ends. */
  private checkReview(batchId: string): void {
    if (this.reviewed.has(batchId) || !this.events.review) return;
    if (!this.outbox.store.counts(batchId).some((c) => c.status === 'needs_review')) return;
    this.reviewed.add(batchId);
    const r = this.outbox.report(batchId);
    if (!r.final) this.events.review(batchId, r);
  }

  /** Is this batch being driven by this process right now? */
  following(batchId: string): boolean {
    return this.runs.has(batchId);
  }

  /** `connectionId` null = the built-in sandbox (nothing is charged). */
  async connectionFor(provider: ProviderId, connectionId: string | null): Promise<Connection> {
    if (connectionId === null) {
      const { sandboxConnection } = await import('../providers/sandbox');
      let sb: Sandbox;
      try {
        sb = await this.builtInSandbox();
      } catch (e) {
        throw new AppError('unavailable', `The built-in sandbox did not start: ${(e as Error).message}`);
      }
      return { ...parseConnection(sandboxConnection(provider, sb)), name: APP_SANDBOX_NAME, sandbox: true };
    }
    const c = this.connections.resolve(connectionId);
    if (c.provider !== provider) throw new AppError('bad_input', `That connection is for ${c.provider}; this batch is for ${provider}.`);
    return c;
  }

  private profileOf(db: Db, batchId: string): ProfileId {
    const b = db.prepare('SELECT profile FROM batches WHERE id = ?').get(batchId) as { profile: ProfileId } | undefined;
    if (!b) throw new AppError('not_found', 'This batch no longer exists.');
    return b.profile;
  }

  async confirm(batchId: string, connectionId: string | null): Promise<SubmitConfirmation> {
    const conn = await this.connectionFor(this.profileOf(this.outbox.db, batchId), connectionId);
    return this.outbox.confirmation(batchId, conn);
  }

  /** Claims and queues the batch, then drives it to final in the background. */
  async submit(batchId: string, connectionId: string | null, token: string): Promise<SubmitConfirmation> {
    const conn = await this.connectionFor(this.profileOf(this.outbox.db, batchId), connectionId);
    const c = this.outbox.submit(batchId, conn, { token, connectionId });
    this.follow(batchId, conn);
    return c;
  }

  private follow(batchId: string, conn: Connection): void {
    if (this.runs.has(batchId)) return;
    const ac = new AbortController();
    this.runs.set(batchId, ac);
    const done = this.outbox
      .run(batchId, conn, { until: 'final', signal: ac.signal })
      .then((end) => {
        if (end === 'final') this.events.final(batchId, this.outbox.report(batchId));
      })
      .catch((e: unknown) => {
        // aborted at close: the database may be closing, and the batch is resumed at the next start anyway
        if (!ac.signal.aborted) this.outbox.store.setNote(batchId, `Stopped: ${(e as Error).message}`);
      })
      .catch(() => {})
      .finally(() => {
        this.runs.delete(batchId);
        this.ending.delete(done);
      });
    this.ending.add(done);
  }
  /** Runs still winding down, awaited by close() before the database closes. */
  private readonly ending = new Set<Promise<void>>();

  status(batchId: string): BatchReport {
    return this.outbox.report(batchId);
  }

  pause(batchId: string): BatchReport {
    this.outbox.pause(batchId);
    return this.outbox.report(batchId);
  }

  async resume(batchId: string): Promise<BatchReport> {
    this.outbox.resume(batchId);
    await this.resumeOne(batchId);
    return this.outbox.report(batchId);
  }

  cancel(batchId: string): BatchReport {
    this.outbox.cancel(batchId);
    return this.outbox.report(batchId);
  }

  private async resumeOne(batchId: string): Promise<void> {
    const b = this.outbox.store.batch(batchId);
    if (!b || b.state === 'final' || this.runs.has(batchId)) return;
    if (b.sandbox !== 1 && b.connection_id === null) {
      // Submitted by `batchdesk submit --connection <file>`: the app has not got that connection's secrets, and must never guess one.
      this.outbox.store.setNote(batchId, `Submitted from the command line with a connection file: continue it there with \`npx batchdesk submit --batch ${batchId} --connection <file>\`.`);
      return;
    }
    if (b.sandbox === 1 && !isAppSandbox(b.connection)) {
      if (b.lease_until > Date.now()) return; // its CLI process is still following it with its own sandbox
      this.orphanedRows(batchId, 'It was sent to the temporary sandbox of `batchdesk submit`, which has stopped, so its outcome cannot be checked. Sandbox: nothing was charged.');
    }
    const conn = await this.connectionFor(b.provider as ProfileId, b.sandbox === 1 ? null : b.connection_id);
    this.follow(batchId, conn);
  }

  /** Rows a sandbox that no longer exists had accepted: needs review with the reason (rows never sent still go out). */
  private orphanedRows(batchId: string, reason: string): number {
    const lost = this.outbox.store.rows(batchId).filter((r) => r.status === 'accepted' || r.status === 'pending').map((r) => r.row_id);
    if (lost.length) this.outbox.store.markRows(lost, 'needs_review', reason, 'sandbox-restart');
    return lost.length;
  }

  /** At start: every submitted batch not yet final is followed again (nothing sent is sent twice). */
  async resumeAll(): Promise<number> {
    let n = 0;
    for (const u of this.outbox.unfinished()) {
      try {
        await this.resumeOne(u.batchId);
        n++;
      } catch (e) {
        this.outbox.store.setNote(u.batchId, `Cannot continue: ${(e as Error).message}`);
      }
    }
    return n;
  }

  async close(): Promise<void> {
    for (const ac of this.runs.values()) ac.abort();
    await Promise.all([...this.ending]);
    const sb = this.sandbox;
    this.sandbox = null;
    if (sb) await (await sb).close();
  }
}
