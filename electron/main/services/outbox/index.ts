/**
 * The outbox: the one way a batch reaches a provider. `confirmation` shows what will be charged,
 * `submit` claims the batch (refused if it was submitted before: double click, two windows, two
 * processes) and queues its rows, `run` drives it to "accepted" or "final". State lives in SQLite.
 */
import { createHash, randomUUID } from 'node:crypto';
import { getProfile } from '../../../../shared/formats/profiles';
import { currencyExponent, formatMinor } from '../../../../shared/formats/money';
import { defaultContext, validateRows, summarize } from '../../../../shared/formats/validate';
import type { ProfileId } from '../../../../shared/formats/types';
import type { Db } from '../db/database';
import { AppError } from '../errors';
import { withoutSecrets, type Connection } from '../providers/connection';
import { createConnector, isSubmittingProvider } from '../providers/registry';
import { FINAL_STATUSES, ROW_STATUSES, type Connector, type RowStatus } from '../providers/types';
import { RowSource, rowAmount, type AmountContext, type CardCells } from './rowSource';
import { BatchRunner, type RunEnd, type RunOptions } from './runner';
import { PaceGate } from './schedule';
import { OutboxStore, type NewUnit } from './store';

export interface CurrencyTotal {
  currency: string;
  rows: number;
  minor: number;
  /** e.g. `1,234.50 EUR`; ePay rows without a currency are charged in the subscription's currency. */
  text: string;
}

export interface SubmitConfirmation {
  batchId: string;
  batchName: string;
  provider: ProfileId;
  connectionName: string;
  baseUrl: string;
  sandbox: boolean;
  rows: number;
  totals: CurrencyTotal[];
  /** Ties the confirmation to exactly these rows and this connection: submit refuses another. */
  token: string;
}

export interface RowReport {
  row: number;
  rowId: string;
  status: RowStatus;
  amountMinor: number;
  currency: string;
  amount: string;
  providerRef: string | null;
  reason: string | null;
}

export interface BatchReport {
  batchId: string;
  provider: string;
  connectionName: string;
  sandbox: boolean;
  state: 'running' | 'paused' | 'cancelled' | 'final';
  final: boolean;
  note: string | null;
  rows: number;
  counts: Record<RowStatus, number>;
  amounts: { status: RowStatus; currency: string; minor: number; amount: string }[];
  items: RowReport[];
}

export function amountText(minor: number, currency: string): string {
  const exp = currencyExponent(currency) ?? 2;
  return currency ? `${formatMinor(minor, exp)} ${currency}` : `${minor} minor units (subscription currency)`;
}

const gates = new Map<string, PaceGate>();
function gateFor(c: Connector, baseUrl: string): PaceGate {
  const k = `${c.id} ${baseUrl}`;
  let g = gates.get(k);
  if (!g) {
    g = new PaceGate(c.limits.submitIntervalMs);
    gates.set(k, g);
  }
  return g;
}

export interface OutboxOptions {
  /** Opens sealed PAN/CVC cells (the rows service's sealer); null where no card data is stored. */
  cards?: CardCells | null;
  /** Wonder's default currency and amount unit (settings). */
  amountContext?: () => AmountContext;
  /** Progress (the contract's task.progress event). */
  onProgress?: (p: { taskId: string; label: string; done: number; total: number | null }) => void;
  /** Builds a connector; tests pass one with shorter timeouts. */
  connectorFor?: (conn: Connection) => Connector;
}

export class Outbox {
  readonly store: OutboxStore;
  readonly rows: RowSource;
  /** This process's identity as a batch owner. */
  readonly owner = randomUUID();

  constructor(
    readonly db: Db,
    private readonly opts: OutboxOptions = {},
  ) {
    this.store = new OutboxStore(db);
    this.rows = new RowSource(db, opts.cards ?? null);
  }

  /** The batch's own currency and amount unit (schema 2 keeps them per batch), else the settings. */
  private amountCtx(batchId?: string): AmountContext {
    const fallback = this.opts.amountContext?.() ?? { currency: 'HKD', amountUnit: 'major' as const };
    if (batchId === undefined) return fallback;
    if (this.batchColumns === undefined) {
      const cols = this.db.prepare(`SELECT name FROM pragma_table_info('batches')`).all() as { name: string }[];
      this.batchColumns = cols.some((c) => c.name === 'currency') && cols.some((c) => c.name === 'amount_unit');
    }
    if (!this.batchColumns) return fallback;
    const r = this.db.prepare('SELECT currency, amount_unit FROM batches WHERE id = ?').get(batchId) as { currency: string; amount_unit: 'major' | 'minor' } | undefined;
    return r ? { currency: r.currency, amountUnit: r.amount_unit } : fallback;
  }
  private batchColumns: boolean | undefined;

  private batchInfo(batchId: string): { name: string; profile: ProfileId; deleted: boolean } {
    const b = this.db.prepare('SELECT name, profile, deleted_at FROM batches WHERE id = ?').get(batchId) as { name: string; profile: ProfileId; deleted_at: string | null } | undefined;
    if (!b) throw new AppError('not_found', `No batch with id ${batchId}.`);
    return { name: b.name, profile: b.profile, deleted: b.deleted_at !== null };
  }

  /** What submitting would charge. Refuses a batch with errors, an empty or deleted batch, a wrong provider. */
  confirmation(batchId: string, conn: Connection): SubmitConfirmation {
    const info = this.batchInfo(batchId);
    if (info.deleted) throw new AppError('conflict', `The batch "${info.name}" is deleted. Restore it before submitting.`);
    if (!isSubmittingProvider(conn.provider) || conn.provider !== info.profile) {
      throw new AppError('bad_input', `The batch "${info.name}" is for ${info.profile}, but the connection is for ${conn.provider}. Choose a ${info.profile} connection.`);
    }
    if (this.rows.needsSealer(batchId)) throw new AppError('unavailable', 'This batch holds card numbers, but the card-data key is not available, so it cannot be submitted.');
    const rows = this.rows.load(batchId, { withSecrets: true });
    if (rows.length === 0) throw new AppError('bad_input', `The batch "${info.name}" has no rows; nothing to submit.`);
    const ac = this.amountCtx(batchId);
    const ctx = { ...defaultContext(), currency: ac.currency, amountUnit: ac.amountUnit };
    const issues = validateRows(getProfile(info.profile), rows.map((r) => r.cells), ctx);
    const { errors } = summarize(issues);
    if (errors > 0) {
      const first = issues.filter((i) => i.severity === 'error').slice(0, 3).map((i) => `row ${i.row ?? '-'}${i.column ? ` ${i.column}` : ''}: ${i.message}`);
      throw new AppError('bad_input', `The batch "${info.name}" has ${errors} error${errors === 1 ? '' : 's'}; fix ${errors === 1 ? 'it' : 'them'} before submitting. ${first.join(' ')}`);
    }
    const totals = new Map<string, { rows: number; minor: number }>();
    const hash = createHash('sha256');
    for (const r of rows) {
      const a = rowAmount(info.profile, r.cells, ac);
      const t = totals.get(a.currency) ?? { rows: 0, minor: 0 };
      t.rows++;
      t.minor += a.minor;
      totals.set(a.currency, t);
      hash.update(`${r.rowId}\u0000${r.cells.join('\u0001')}\u0002`);
    }
    const { connection } = withoutSecrets(conn);
    hash.update(JSON.stringify(connection));
    return {
      batchId,
      batchName: info.name,
      provider: info.profile,
      connectionName: conn.name ?? (conn.sandbox ? 'Built-in sandbox' : conn.baseUrl),
      baseUrl: conn.baseUrl,
      sandbox: conn.sandbox === true,
      rows: rows.length,
      totals: [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, t]) => ({ currency, rows: t.rows, minor: t.minor, text: amountText(t.minor, currency) })),
      token: hash.digest('hex'),
    };
  }

  /**
   * Queues the batch. `token` must come from `confirmation` for the same rows and connection. A
   * batch already submitted is refused (AppError conflict) — the claim is outbox_batches' key.
   */
  submit(batchId: string, conn: Connection, input: { token: string; connectionId?: string | null }): SubmitConfirmation {
    const existing = this.store.batch(batchId);
    if (existing) throw alreadySubmitted(this.batchInfo(batchId).name, existing.state);
    const c = this.confirmation(batchId, conn);
    if (c.token !== input.token) throw new AppError('conflict', 'The batch or the connection changed after the confirmation was shown. Review the new totals and confirm again.');
    const connector = (this.opts.connectorFor ?? createConnector)(conn);
    const rows = this.rows.load(batchId);
    const ac = this.amountCtx(batchId);
    const per = Math.max(1, connector.limits.rowsPerRequest);
    const units: NewUnit[] = [];
    for (let i = 0; i < rows.length; i += per) {
      const slice = rows.slice(i, i + per);
      units.push({
        // One row per request: the row's own key; several: a key minted now for that request.
        key: per === 1 ? slice[0]!.idempotencyKey : randomUUID(),
        rows: slice.map((r) => {
          const a = rowAmount(c.provider, r.cells, ac);
          return { rowId: r.rowId, position: r.position, amountMinor: a.minor, currency: a.currency };
        }),
      });
    }
    const { connection } = withoutSecrets(conn);
    const ok = this.store.claimAndEnqueue({
      batchId,
      provider: conn.provider,
      connection: JSON.stringify(connection),
      connectionId: input.connectionId ?? null,
      sandbox: conn.sandbox === true,
      summary: JSON.stringify({ rows: c.rows, totals: c.totals, connectionName: c.connectionName }),
      units,
      owner: this.owner,
    });
    if (!ok) throw alreadySubmitted(c.batchName, this.store.batch(batchId)?.state ?? 'running');
    return c;
  }

  /** Drives a submitted batch with this connection (its secrets included) until `until`. */
  async run(batchId: string, conn: Connection, opts: RunOptions): Promise<RunEnd> {
    const b = this.store.batch(batchId);
    if (!b) throw new AppError('not_found', 'This batch has not been submitted.');
    if (b.provider !== conn.provider) throw new AppError('bad_input', `The batch was submitted to ${b.provider}; the connection is for ${conn.provider}.`);
    const connector = (this.opts.connectorFor ?? createConnector)(conn);
    const info = this.batchInfo(batchId);
    const total = this.store.rows(batchId).length;
    const taskId = `submit:${batchId}`;
    const label = `${opts.until === 'final' ? 'Following' : 'Submitting'} ${info.name}`;
    let last = 0;
    const progress = () => {
      if (!this.opts.onProgress) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      this.opts.onProgress({ taskId, label, done: this.doneCount(batchId, opts.until), total });
    };
    const runner = new BatchRunner(this.store, this.rows, connector, gateFor(connector, conn.baseUrl), batchId, info.profile, this.owner, {
      ...opts,
      onChange: () => {
        progress();
        opts.onChange?.();
      },
    });
    const end = await runner.run();
    this.opts.onProgress?.({ taskId, label, done: this.doneCount(batchId, opts.until), total });
    return end;
  }

  private doneCount(batchId: string, until: 'accepted' | 'final'): number {
    let n = 0;
    for (const c of this.store.counts(batchId)) {
      if (FINAL_STATUSES.has(c.status) || (until === 'accepted' && (c.status === 'accepted' || c.status === 'pending'))) n += c.n;
    }
    return n;
  }

  pause(batchId: string): void {
    const b = this.mustBatch(batchId);
    if (b.state === 'running') this.store.setBatchState(batchId, 'paused', 'Paused by you. Rows already sent are still followed.');
  }

  resume(batchId: string): void {
    const b = this.mustBatch(batchId);
    if (b.state === 'paused') this.store.setBatchState(batchId, 'running', null);
  }

  /** Cancels rows not yet sent; rows already sent are followed to their final status. */
  cancel(batchId: string): number {
    const b = this.mustBatch(batchId);
    if (b.state === 'final') return 0;
    this.store.setBatchState(batchId, 'cancelled', 'Cancelled by you: rows not yet sent will not be sent.');
    const n = this.store.cancelUnsent(batchId);
    if (this.store.rows(batchId).every((r) => FINAL_STATUSES.has(r.status))) this.store.setBatchState(batchId, 'final', null);
    return n;
  }

  private mustBatch(batchId: string) {
    const b = this.store.batch(batchId);
    if (!b) throw new AppError('not_found', 'This batch has not been submitted.');
    return b;
  }

  /** Where a batch stands: counts and amounts per status, each row, and whether it is final. */
  report(batchId: string): BatchReport {
    const b = this.mustBatch(batchId);
    const counts = Object.fromEntries(ROW_STATUSES.map((s) => [s, 0])) as Record<RowStatus, number>;
    const amounts: BatchReport['amounts'] = [];
    for (const c of this.store.counts(batchId)) {
      counts[c.status] += c.n;
      amounts.push({ status: c.status, currency: c.currency, minor: c.amount, amount: amountText(c.amount, c.currency) });
    }
    const rows = this.store.rows(batchId);
    const conn = JSON.parse(b.connection) as { name?: string; baseUrl?: string };
    const finalRows = rows.every((r) => FINAL_STATUSES.has(r.status));
    return {
      batchId,
      provider: b.provider,
      connectionName: conn.name ?? (b.sandbox ? 'Built-in sandbox' : (conn.baseUrl ?? '')),
      sandbox: b.sandbox === 1,
      state: b.state,
      final: finalRows,
      note: b.note,
      rows: rows.length,
      counts,
      amounts,
      items: rows.map((r, i) => ({ row: i + 1, rowId: r.row_id, status: r.status, amountMinor: r.amount_minor, currency: r.currency, amount: amountText(r.amount_minor, r.currency), providerRef: r.provider_ref, reason: r.reason })),
    };
  }

  /** Submitted batches not yet final (to resume after a restart). */
  unfinished(): { batchId: string; provider: string; connectionId: string | null; sandbox: boolean }[] {
    return (this.db.prepare(`SELECT batch_id, provider, connection_id, sandbox FROM outbox_batches WHERE state != 'final'`).all() as { batch_id: string; provider: string; connection_id: string | null; sandbox: number }[]).map((r) => ({
      batchId: r.batch_id,
      provider: r.provider,
      connectionId: r.connection_id,
      sandbox: r.sandbox === 1,
    }));
  }
}

function alreadySubmitted(name: string, state: string): AppError {
  return new AppError(
    'conflict',
    state === 'final'
      ? `The batch "${name}" was already submitted and is complete; it is never sent twice. To charge these rows again on purpose, export the batch and import the file as a new batch.`
      : `The batch "${name}" was already submitted and is being processed (${state}); it is never sent twice. Open its status to follow it.`,
  );
}

export type { RunEnd, RunOptions } from './runner';
