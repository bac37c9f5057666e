/**
 * SIBS Gateway SPG v2 (SPEC §3): one MIT per row, POST /api/v2/payments with paymentType "MIT" and
 * originalTransaction {id, datetime} (the form on SIBS's own annotated page; the /{id}/mit form is
 * only seen in a third-party simulator). Auth: Bearer token + X-IBM-Client-Id; terminalId in the
 * body. merchantTransactionId (the row's own cell) is the idempotency handle: after an unanswered
 * call we look it up (GET /api/v2/payments/status?merchantTransactionId=) before sending again.
 * Decisions use returnStatus.statusCode and paymentStatus together ("000" alone is not success).
 */
import { sibsRequestJson } from '../../../../../shared/formats/export';
import { SIBS_COLUMNS } from '../../../../../shared/formats/profiles/sibs';
import { defaultContext } from '../../../../../shared/formats/validate';
import { request, retryAfterMs, joinUrl, TransportError, type HttpResponse } from '../http';
import { authProblem, checkReadResponse, errorSummary, obj, str } from '../common';
import type { ConnectionOf } from '../connection';
import type { Connector, Prepared, ReconcileResult, RowOutcome, SendResult, TrackedRow, UnitContext } from '../types';

export const SIBS_PAYMENTS_PATH = '/api/v2/payments';

/** paymentStatus (business state) → our row status. */
export function sibsStatus(paymentStatus: string | undefined): RowOutcome['status'] | null {
  switch (paymentStatus) {
    case 'Success':
      return 'succeeded';
    case 'Pending':
      return 'accepted';
    case 'InProcessing':
      return 'pending';
    case 'Declined':
    case 'Error':
    case 'Timeout':
      return 'failed';
    default:
      return null;
  }
}

export function sibsOutcome(rowId: string, json: unknown): RowOutcome {
  const o = obj(json) ?? {};
  const rs = obj(o.returnStatus) ?? {};
  const code = str(rs.statusCode);
  const ps = str(o.paymentStatus);
  const id = str(o.transactionID) ?? str(o.transactionId);
  const status = sibsStatus(ps);
  const reasonText = [code, str(rs.statusMsg), str(rs.statusDescription)].filter(Boolean).join(' ');
  const base = id ? { providerRef: id } : {};
  if (status === null) {
    // No business state: a non-"000" technical code is a refusal, otherwise we keep asking.
    if (code !== undefined && code !== '000') return { rowId, status: 'failed', reason: reasonText || 'SIBS refused the payment', ...base };
    return { rowId, status: 'pending', reason: `SIBS paymentStatus ${ps ?? '(none)'}`, ...base };
  }
  if (status === 'failed') return { rowId, status, reason: `${ps}${reasonText ? ` (${reasonText})` : ''}`, ...base };
  return { rowId, status, ...base };
}

export class SibsConnector implements Connector {
  readonly id = 'sibs' as const;
  readonly limits = {
    rowsPerRequest: 1,
    // SIBS publishes no numbers (429 exists): 10 calls/s with 4 in flight, slowed further by Retry-After.
    submitIntervalMs: 100,
    submitConcurrency: 4,
    pollIntervalMs: 5_000,
    pollConcurrency: 4,
    timeoutMs: 30_000,
    pollPerUnit: false,
  };

  constructor(private readonly conn: ConnectionOf<'sibs'>) {}

  private headers(): Record<string, string> {
    return {
      Authorization: `Bearer ${this.conn.credentials.bearerToken}`,
      'X-IBM-Client-Id': this.conn.credentials.clientId,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    };
  }

  async prepare(unit: UnitContext): Promise<Prepared> {
    const row = unit.rows[0]!;
    const ctx = defaultContext(Date.now());
    const body = sibsRequestJson(row.cells, row.position + 1, ctx, { terminalId: this.conn.credentials.terminalId, channel: this.conn.credentials.channel ?? 'web' });
    return { method: 'POST', path: SIBS_PAYMENTS_PATH, body, storable: true };
  }

  async send(unit: UnitContext, req: Prepared, signal?: AbortSignal): Promise<SendResult> {
    const res = await request({ method: 'POST', url: joinUrl(this.conn.baseUrl, req.path), headers: this.headers(), body: req.body, timeoutMs: this.limits.timeoutMs, ...(signal ? { signal } : {}) });
    return this.interpret(unit, res);
  }

  private interpret(unit: UnitContext, res: HttpResponse): SendResult {
    const row = unit.rows[0]!;
    const auth = authProblem(res, 'SIBS');
    if (auth) throw auth;
    if (res.status === 429 || res.status === 503) return { kind: 'retry', http: res.status, retryAfterMs: retryAfterMs(res.headers), summary: errorSummary(res) };
    // 408/504 (and other 5xx): SIBS may have processed it; outcome unknown → reconcile by merchantTransactionId.
    if (res.status >= 500 || res.status === 408) throw new TransportError('timeout', true, `SIBS answered ${errorSummary(res)}: the payment may or may not have been made.`);
    if (res.status >= 200 && res.status < 300) {
      const outcome = sibsOutcome(row.rowId, res.json);
      return { kind: 'answered', http: res.status, outcomes: [outcome], ...(outcome.providerRef ? { providerRef: outcome.providerRef } : {}), summary: `HTTP ${res.status} ${outcome.status}` };
    }
    return { kind: 'refused', http: res.status, reason: errorSummary(res), summary: errorSummary(res) };
  }

  async reconcile(unit: UnitContext, _req: Prepared | null, signal?: AbortSignal): Promise<ReconcileResult> {
    const row = unit.rows[0]!;
    const mtid = row.cells[SIBS_COLUMNS.merchantTransactionId] ?? '';
    let res: HttpResponse;
    try {
      res = await request({ method: 'GET', url: joinUrl(this.conn.baseUrl, `${SIBS_PAYMENTS_PATH}/status?merchantTransactionId=${encodeURIComponent(mtid)}`), headers: this.headers(), timeoutMs: this.limits.timeoutMs, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (e instanceof TransportError) return { kind: 'later', summary: e.message };
      throw e;
    }
    if (res.status === 429 || res.status >= 500) return { kind: 'later', retryAfterMs: retryAfterMs(res.headers), summary: errorSummary(res) };
    if (res.status === 401 || res.status === 403) checkReadResponse(res, 'SIBS');
    if (res.status === 404) return { kind: 'absent', summary: `no SIBS payment with merchantTransactionId ${mtid}` };
    if (res.status === 200) {
      const outcome = sibsOutcome(row.rowId, res.json);
      return { kind: 'known', outcomes: [outcome], summary: `found by merchantTransactionId: ${outcome.status}` };
    }
    return { kind: 'unreconcilable', reason: `SIBS could not say whether merchantTransactionId ${mtid} was processed (${errorSummary(res)}). Check it in the SIBS Backoffice.` };
  }

  async poll(rows: readonly TrackedRow[], signal?: AbortSignal): Promise<RowOutcome[]> {
    const out: RowOutcome[] = [];
    for (const row of rows) {
      if (!row.providerRef) continue;
      const res = await request({ method: 'GET', url: joinUrl(this.conn.baseUrl, `${SIBS_PAYMENTS_PATH}/${encodeURIComponent(row.providerRef)}/status`), headers: this.headers(), timeoutMs: this.limits.timeoutMs, ...(signal ? { signal } : {}) });
      checkReadResponse(res, 'SIBS');
      if (res.status === 200) out.push(sibsOutcome(row.rowId, res.json));
    }
    return out;
  }

  async test(signal?: AbortSignal): Promise<string> {
    const res = await request({ method: 'GET', url: joinUrl(this.conn.baseUrl, `${SIBS_PAYMENTS_PATH}/status?merchantTransactionId=BATCHDESK-CONNECTION-TEST`), headers: this.headers(), timeoutMs: 15_000, ...(signal ? { signal } : {}) });
    checkReadResponse(res, 'SIBS');
    if (res.status >= 500) throw new TransportError('network', false, `SIBS answered ${errorSummary(res)}; try again later.`);
    return `SIBS answered (HTTP ${res.status}); token and client id were accepted.`;
  }
}
