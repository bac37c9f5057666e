/**
 * What the outbox needs from a provider connector. The outbox owns durability, retries, rate limits
 * and reconciliation order; a connector only knows its provider's wire format, auth and statuses.
 */
import type { ProfileId } from '../../../../shared/formats/types';

export type ProviderId = ProfileId | 'hypercard';
export const PROVIDER_IDS: readonly ProviderId[] = ['wonder', 'epay', 'sibs', 'jpmmps', 'hypercard'];

/** Row status in the outbox (SQLite outbox_rows.status). */
export type RowStatus = 'draft' | 'queued' | 'sending' | 'accepted' | 'pending' | 'succeeded' | 'failed' | 'needs_review' | 'cancelled';
export const ROW_STATUSES: readonly RowStatus[] = ['draft', 'queued', 'sending', 'accepted', 'pending', 'succeeded', 'failed', 'needs_review', 'cancelled'];
export const FINAL_STATUSES: ReadonlySet<RowStatus> = new Set(['succeeded', 'failed', 'needs_review', 'cancelled']);

/** One row as the connector sees it: cells in the profile's column order (PAN/CVC unsealed only in memory). */
export interface OutboxRow {
  rowId: string;
  position: number;
  /** The row's stable idempotency key (batch_rows.idempotency_key). */
  idempotencyKey: string;
  cells: readonly string[];
}

/** What the provider said about one row. */
export interface RowOutcome {
  rowId: string;
  status: 'accepted' | 'pending' | 'succeeded' | 'failed' | 'needs_review';
  /** Provider-side id (ePay transaction id, SIBS transactionID, JPMMPS uniqueReference, Wonder batch id). */
  providerRef?: string;
  /** Provider's reason, for failed / needs_review (e.g. `INSUFFICIENT_FUNDS`, `10.106.0001 Declined`). */
  reason?: string;
}

/** A request as built for one unit (one HTTP submission of one or more rows). */
export interface Prepared {
  method: 'POST' | 'PUT';
  path: string;
  /** Exact body text; stored with the unit when it holds no card data, so a replay sends the same bytes. */
  body: string;
  /** False when the body carries card data and must not be written to disk (Wonder's file stays in the bucket). */
  storable: boolean;
}

export interface UnitContext {
  unitId: string;
  /** The unit's idempotency key: minted once when the unit is created, the same on every retry. */
  key: string;
  rows: readonly OutboxRow[];
  /** Provider-specific facts kept with the unit (Wonder: object key, file URL, batch id). */
  meta: Record<string, unknown>;
  /** Writes `meta` durably (before the HTTP call that depends on it). */
  saveMeta(meta: Record<string, unknown>): void;
  /** When the first attempt of this unit was written (epoch ms), or null before any. */
  firstAttemptAt: number | null;
}

export type SendResult =
  /** The provider answered for the rows (per-row outcomes, in any order). */
  | { kind: 'answered'; http: number; outcomes: RowOutcome[]; providerRef?: string; summary: string }
  /** Throttled or a server error: nothing is known to have been processed; retry the same request. */
  | { kind: 'retry'; http: number; retryAfterMs?: number; summary: string }
  /** The request as a whole was refused and not processed (validation, auth): rows fail with the reason. */
  | { kind: 'refused'; http: number; reason: string; summary: string };

export type ReconcileResult =
  | { kind: 'known'; outcomes: RowOutcome[]; providerRef?: string; summary: string }
  /** The provider confirms it has no such request: sending again (same key) cannot charge twice. */
  | { kind: 'absent'; summary: string }
  /** Could not ask now (provider unreachable, throttled): ask again later. */
  | { kind: 'later'; retryAfterMs?: number; summary: string }
  /** Cannot be found out safely: the rows go to needs_review with what is known. */
  | { kind: 'unreconcilable'; reason: string };

/** A row being followed to a final status. */
export interface TrackedRow {
  rowId: string;
  unitId: string;
  /** 1-based place of the row in its unit's request (Wonder: the data row number in the file). */
  line: number;
  idempotencyKey: string;
  providerRef: string | null;
  status: RowStatus;
  cells: readonly string[];
  /** The unit's facts; a connector may update them while polling (saved after the poll). */
  unitMeta: Record<string, unknown>;
}

export interface ProviderLimits {
  /** Rows per submission request (ePay 500; one-per-row providers 1; Wonder: the whole batch in one file). */
  rowsPerRequest: number;
  /** Minimum spacing between submission requests (ePay Batch MIT: 1 batch/s). */
  submitIntervalMs: number;
  /** Submission requests in flight at once. */
  submitConcurrency: number;
  /** Minimum spacing between two status reads of the same resource (ePay: 5/min per id → 12 s). */
  pollIntervalMs: number;
  /** Status reads in flight at once. */
  pollConcurrency: number;
  /** HTTP timeout per call. */
  timeoutMs: number;
  /**
   * How long an unknown outcome may wait for the provider to be reachable before it becomes needs
   * review (default 15 min). ePay: its replay window, since replaying with the same key stays safe.
   */
  reconcileGiveUpMs?: number;
  /** Status is read per unit (Wonder batch) rather than per row. */
  pollPerUnit: boolean;
}

export interface Connector {
  readonly id: ProviderId;
  readonly limits: ProviderLimits;
  /** Builds (Wonder: uploads and presigns) the request for a unit. */
  prepare(unit: UnitContext, signal?: AbortSignal): Promise<Prepared>;
  /** Sends it; throws TransportError when no answer arrived. */
  send(unit: UnitContext, req: Prepared, signal?: AbortSignal): Promise<SendResult>;
  /** Finds out what happened to a unit whose last attempt has no known outcome. */
  reconcile(unit: UnitContext, req: Prepared | null, signal?: AbortSignal): Promise<ReconcileResult>;
  /** Current status of tracked rows (one unit's rows when pollPerUnit). */
  poll(rows: readonly TrackedRow[], signal?: AbortSignal): Promise<RowOutcome[]>;
  /** Called once every row of the unit is final (Wonder: delete the uploaded file). */
  finish?(unit: UnitContext, signal?: AbortSignal): Promise<void>;
  /** Side-effect-free call proving URL and credentials work; resolves to a short description. */
  test(signal?: AbortSignal): Promise<string>;
}

/** A provider refused our credentials or configuration: retrying cannot help. */
export class ConnectionProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionProblem';
  }
}

/** The provider asked us to slow down (429): wait at least `retryAfterMs` before the next call. */
export class Throttled extends Error {
  constructor(readonly retryAfterMs: number | undefined, message = 'The provider asked to slow down.') {
    super(message);
    this.name = 'Throttled';
  }
}
