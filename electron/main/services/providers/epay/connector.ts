/**
 * ePay (SPEC §2): POST /public/api/v1/mit/batch with ≤ 500 MitAuthorizationRequest entries, Bearer API
 * key, one Idempotency-Key per request that stays the same on every retry (ePay replays the stored
 * answer for 24 h). Per-entry results come back in submission order. Status: GET
 * /public/api/v1/transactions/{id}, at most every 12 s per transaction (5/min per resource).
 */
import { epayRequestJson, epayTransaction } from '../../../../../shared/formats/export';
import { EPAY_MAX_PER_REQUEST } from '../../../../../shared/formats/profiles/epay';
import { request, retryAfterMs, joinUrl, TransportError, type HttpResponse } from '../http';
import { authProblem, checkReadResponse, errorSummary, obj, str } from '../common';
import type { ConnectionOf } from '../connection';
import type { Connector, Prepared, ReconcileResult, RowOutcome, SendResult, TrackedRow, UnitContext } from '../types';

export const EPAY_BATCH_PATH = '/public/api/v1/mit/batch';
/** ePay keeps idempotent answers 24 h; past 23 h a replay could be processed as new, so we stop replaying. */
export const EPAY_REPLAY_WINDOW_MS = 23 * 3600_000;

/** ePay transaction state → our row status (PENDING = not yet attempted, PROCESSING = under way). */
export function epayStatus(state: string | undefined): RowOutcome['status'] | null {
  switch (state) {
    case 'PENDING':
      return 'accepted';
    case 'PROCESSING':
      return 'pending';
    case 'SUCCESS':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
    default:
      return null;
  }
}

function transactionOutcome(rowId: string, t: Record<string, unknown>): RowOutcome {
  const state = str(t.state);
  const status = epayStatus(state);
  const id = str(t.id);
  const out: RowOutcome = { rowId, status: status ?? 'pending', ...(id ? { providerRef: id } : {}) };
  if (status === 'failed') out.reason = str(t.errorCode) ?? 'FAILED';
  if (status === null) out.reason = `unknown ePay state ${state ?? '(none)'}`;
  return out;
}

/** Parses CreateMitBatchTransactionResponse: entry i answers row i. */
export function parseEpayBatchResponse(json: unknown, rows: readonly { rowId: string }[]): RowOutcome[] | null {
  const list = obj(json)?.transactions;
  if (!Array.isArray(list) || list.length !== rows.length) return null;
  return rows.map((r, i) => {
    const entry = obj(list[i]) ?? {};
    const t = obj(entry.transaction);
    if (t) return transactionOutcome(r.rowId, t);
    const err = obj(entry.error);
    const code = str(err?.errorCode) ?? str(err?.code) ?? 'REJECTED';
    const msg = str(err?.message);
    return { rowId: r.rowId, status: 'failed', reason: msg ? `${code}: ${msg}` : code };
  });
}

export class EpayConnector implements Connector {
  readonly id = 'epay' as const;
  readonly limits = {
    rowsPerRequest: EPAY_MAX_PER_REQUEST,
    // Batch MIT: 1 batch/s; 2 % margin so a request that arrives a little early is not throttled.
    submitIntervalMs: 1020,
    // Two in flight: the next body is built and written down while the previous call runs.
    submitConcurrency: 2,
    pollIntervalMs: 12_000, // resource endpoints: 5 req/min per id
    // No global read limit is published, only 5/min per transaction: 8 reads in flight.
    pollConcurrency: 8,
    timeoutMs: 30_000,
    pollPerUnit: false,
    // Unreachable for a while is no reason to give up: the same key can be replayed safely for 23 h.
    reconcileGiveUpMs: EPAY_REPLAY_WINDOW_MS,
  };

  constructor(private readonly conn: ConnectionOf<'epay'>) {}

  private headers(key?: string): Record<string, string> {
    return {
      Authorization: `Bearer ${this.conn.credentials.apiKey}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...(key ? { 'Idempotency-Key': key } : {}),
    };
  }

  async prepare(unit: UnitContext): Promise<Prepared> {
    const transactions = unit.rows.map((r) => epayTransaction(r.cells, r.position + 1));
    return { method: 'POST', path: EPAY_BATCH_PATH, body: epayRequestJson({ transactions }), storable: true };
  }

  async send(unit: UnitContext, req: Prepared, signal?: AbortSignal): Promise<SendResult> {
    const res = await request({ method: 'POST', url: joinUrl(this.conn.baseUrl, req.path), headers: this.headers(unit.key), body: req.body, timeoutMs: this.limits.timeoutMs, ...(signal ? { signal } : {}) });
    return this.interpret(unit, res);
  }

  private interpret(unit: UnitContext, res: HttpResponse): SendResult {
    const auth = authProblem(res, 'ePay');
    if (auth) throw auth;
    const replayed = res.headers.get('idempotent-replayed') === 'true' ? ' (replayed)' : '';
    if (res.status === 429) return { kind: 'retry', http: 429, retryAfterMs: retryAfterMs(res.headers), summary: errorSummary(res) };
    // A gateway timeout may hide a processed request; the same key makes the next try a replay.
    if (res.status >= 500 || res.status === 408) return { kind: 'retry', http: res.status, summary: errorSummary(res) };
    if (res.status >= 200 && res.status < 300) {
      const outcomes = parseEpayBatchResponse(res.json, unit.rows);
      if (outcomes === null) {
        return {
          kind: 'answered',
          http: res.status,
          outcomes: unit.rows.map((r) => ({ rowId: r.rowId, status: 'needs_review', reason: 'ePay answered with a different number of results than rows sent; check these rows in the ePay backoffice.' })),
          summary: `HTTP ${res.status} unreadable batch response${replayed}`,
        };
      }
      return { kind: 'answered', http: res.status, outcomes, summary: `HTTP ${res.status}${replayed}` };
    }
    return { kind: 'refused', http: res.status, reason: errorSummary(res), summary: errorSummary(res) };
  }

  /** Replays the identical request with the same Idempotency-Key: ePay returns the stored answer or processes it once. */
  async reconcile(unit: UnitContext, req: Prepared | null, signal?: AbortSignal): Promise<ReconcileResult> {
    if (req === null) return { kind: 'unreconcilable', reason: 'The request body of the unanswered ePay call was not kept, so it cannot be replayed.' };
    if (unit.firstAttemptAt !== null && Date.now() - unit.firstAttemptAt > EPAY_REPLAY_WINDOW_MS) {
      return { kind: 'unreconcilable', reason: 'ePay did not answer and its idempotency window (24 h) has passed; check these rows in the ePay backoffice before sending them again.' };
    }
    let r: SendResult;
    try {
      r = await this.send(unit, req, signal);
    } catch (e) {
      if (e instanceof TransportError) return { kind: 'later', summary: e.message };
      throw e;
    }
    if (r.kind === 'answered') return { kind: 'known', outcomes: r.outcomes, summary: `replay ${r.summary}` };
    if (r.kind === 'retry') return { kind: 'later', ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}), summary: r.summary };
    return { kind: 'known', outcomes: unit.rows.map((row) => ({ rowId: row.rowId, status: 'failed', reason: r.reason })), summary: r.summary };
  }

  async poll(rows: readonly TrackedRow[], signal?: AbortSignal): Promise<RowOutcome[]> {
    const out: RowOutcome[] = [];
    for (const row of rows) {
      if (!row.providerRef) continue;
      const res = await request({ method: 'GET', url: joinUrl(this.conn.baseUrl, `/public/api/v1/transactions/${encodeURIComponent(row.providerRef)}`), headers: this.headers(), timeoutMs: this.limits.timeoutMs, ...(signal ? { signal } : {}) });
      checkReadResponse(res, 'ePay');
      if (res.status !== 200) continue;
      const t = obj(obj(res.json)?.transaction);
      if (t) out.push(transactionOutcome(row.rowId, t));
    }
    return out;
  }

  async test(signal?: AbortSignal): Promise<string> {
    // A read of a transaction id that cannot exist: 404 proves URL and key, 401 says the key is wrong.
    const res = await request({ method: 'GET', url: joinUrl(this.conn.baseUrl, '/public/api/v1/transactions/BATCHDESK-CONNECTION-TEST'), headers: this.headers(), timeoutMs: 15_000, ...(signal ? { signal } : {}) });
    checkReadResponse(res, 'ePay');
    if (res.status >= 500) throw new TransportError('network', false, `ePay answered ${errorSummary(res)}; try again later.`);
    return `ePay answered (HTTP ${res.status}); the API key was accepted.`;
  }
}
