/**
 * The app's side of submitting: which connection a batch goes to (a stored one, or the built-in
 * sandbox started in-process on 127.0.0.1 — the default), confirmation, submit, background runs to
 * final with task.progress events, pause/resume/cancel, and resuming unfinished batches at start.
 */
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
}

export class SubmissionService {
  readonly outbox: Outbox;
  readonly connections: ConnectionStore;
  private sandbox: Promise<Sandbox> | null = null;
  private readonly runs = new Map<string, AbortController>();
  /** The background runs themselves, so close() can wait until they stop writing. */
  private readonly running = new Set<Promise<void>>();

  constructor(
    db: Db,
    sealer: Sealer,
    dataDir: string,
    private readonly events: SubmissionEvents,
  ) {
    this.outbox = new Outbox(db, { cards: cardCells(sealer), onProgress: (p) => events.progress(p) });
    this.connections = new ConnectionStore(db, sealer, dataDir);
  }

  private async builtInSandbox(): Promise<Sandbox> {
    const { startSandbox } = await import('../providers/sandbox');
    this.sandbox ??= startSandbox({ seed: Date.now() % 1_000_000 });
    return this.sandbox;
  }

  /** `connectionId` null = the built-in sandbox (nothing is charged). */
  async connectionFor(provider: ProviderId, connectionId: string | null): Promise<Connection> {
    if (connectionId === null) {
      const { sandboxConnection } = await import('../providers/sandbox');
      return { ...parseConnection(sandboxConnection(provider, await this.builtInSandbox())), name: 'Built-in sandbox', sandbox: true };
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
    const run: Promise<void> = this.outbox
      .run(batchId, conn, { until: 'final', signal: ac.signal })
      .then((end) => {
        if (end === 'final') this.events.final(batchId, this.outbox.report(batchId));
      })
      .catch((e: unknown) => this.outbox.store.setNote(batchId, `Stopped: ${(e as Error).message}`))
      .finally(() => {
        this.runs.delete(batchId);
        this.running.delete(run);
      });
    this.running.add(run);
  }

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
    const conn = await this.connectionFor(b.provider as ProfileId, b.sandbox === 1 ? null : b.connection_id);
    this.follow(batchId, conn);
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
    await Promise.allSettled([...this.running]);
    const sb = this.sandbox;
    this.sandbox = null;
    if (sb) await (await sb).close();
  }
}
