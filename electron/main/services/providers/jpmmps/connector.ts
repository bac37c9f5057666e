/**
 * J.P. Morgan Mobility Payment Solutions (SPEC §4). Two contracts:
 * - `kontocloud` (default; the technical-account API the connection file describes): POST
 *   /user/{userId}/issue → token, sent as X-Auth-Token; PUT /payment/authorize on the stored payment
 *   option; keep uniqueReference for status (GET /payment/{uniqueReference}/status). The API offers
 *   no idempotency and no lookup by partnerReference, so an authorize whose answer was lost cannot be
 *   reconciled: it goes to needs_review rather than risk a second charge.
 * - `smartpay`: POST /payment/mit with merchantKey and a modificationId (our unit key); after a
 *   timeout the identical request is resent with the same modificationId (SmartPay returns the
 *   original result and processes nothing twice). Status: GET /payment/status/{transactionId}.
 */
import { jpmmpsRequestJson } from '../../../../../shared/formats/export';
import { JPMMPS_COLUMNS } from '../../../../../shared/formats/profiles/jpmmps';
import { currencyExponent, formatMinor, parseMinorStrict } from '../../../../../shared/formats/money';
import { defaultContext } from '../../../../../shared/formats/validate';
import { request, retryAfterMs, joinUrl, TransportError, type HttpResponse } from '../http';
import { checkReadResponse, errorSummary, obj, str, USER_AGENT } from '../common';
import { ConnectionProblem, type Connector, type Prepared, type ReconcileResult, type RowOutcome, type SendResult, type TrackedRow, type UnitContext } from '../types';
import type { ConnectionOf } from '../connection';

/** Payment status (KontoCloud statusCode / SmartPay status) → our row status. */
export function jpmmpsStatus(code: string | undefined): RowOutcome['status'] | null {
  switch ((code ?? '').toUpperCase()) {
    case 'AUTHORIZED':
    case 'AUTHORIZATION_COMPLETED':
    case 'CAPTURED':
    case 'SETTLED':
      return 'succeeded';
    case 'CREATED':
    case 'AUTORIZATION_INITIALIZED':
    case 'AUTHORIZATION_INITIALIZED':
    case 'CAPTURE_PENDING':
    case 'PENDING':
    case 'INITIALIZED':
      return 'pending';
    case 'DECLINED':
    case 'REFUSED':
    case 'REJECTED':
    case 'FAILED':
    case 'ERROR':
    case 'CANCELLED':
    case 'CANCELED':
    case 'AUTHORIZATION_FAILED':
    case 'AUTHORIZATION_DECLINED':
    case 'EXPIRED':
      return 'failed';
    default:
      return null;
  }
}

export function jpmmpsOutcome(rowId: string, json: unknown): RowOutcome {
  const o = obj(json) ?? {};
  const code = str(o.statusCode) ?? str(o.status) ?? str(obj(o.payment)?.status) ?? str(o.paymentStatus);
  const ref = str(o.uniqueReference) ?? str(o.transactionId);
  const responseCode = str(o.responseCode);
  const base = ref ? { providerRef: ref } : {};
  const refusal = [responseCode, str(o.responseDescription)].filter(Boolean).join(' ');
  if (responseCode !== undefined && responseCode !== '0000') return { rowId, status: 'failed', reason: refusal || 'refused', ...base };
  const reason = [code, str(o.statusReason)].filter(Boolean).join(': ');
  const status = jpmmpsStatus(code);
  if (status === null) return { rowId, status: ref ? 'accepted' : 'needs_review', reason: `JPMMPS status ${code ?? '(none)'}`, ...base };
  return status === 'failed' ? { rowId, status, reason: reason || code || 'failed', ...base } : { rowId, status, ...base };
}

export class JpmmpsConnector implements Connector {
  readonly id = 'jpmmps' as const;
  readonly limits = {
    rowsPerRequest: 1,
    // No published limits: 5 calls/s, 2 in flight; JPMMPS asks clients to wait ≥ 90 s for an answer.
    submitIntervalMs: 200,
    submitConcurrency: 2,
    pollIntervalMs: 5_000,
    pollConcurrency: 2,
    timeoutMs: 90_000,
    pollPerUnit: false,
  };
  private token: { value: string; until: number } | null = null;
  private readonly smartpay: boolean;

  constructor(private readonly conn: ConnectionOf<'jpmmps'>, opts: { timeoutMs?: number } = {}) {
    this.smartpay = conn.credentials.contract === 'smartpay';
    if (opts.timeoutMs !== undefined) this.limits.timeoutMs = opts.timeoutMs;
  }

  private async authToken(signal?: AbortSignal, force = false): Promise<string> {
    if (!force && this.token && Date.now() < this.token.until - 60_000) return this.token.value;
    const c = this.conn.credentials;
    if (c.contract === 'smartpay') throw new ConnectionProblem('A SmartPay connection has no token to issue.');
    const res = await request({
      method: 'POST',
      url: joinUrl(this.conn.baseUrl, `/user/${encodeURIComponent(c.userId)}/issue`),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': 'en-US' },
      body: JSON.stringify({ userId: c.userId, password: c.password }),
      timeoutMs: 30_000,
      ...(signal ? { signal } : {}),
    });
    if (res.status === 401 || res.status === 403 || res.status === 400 || res.status === 404) {
      throw new ConnectionProblem(`JPMMPS did not issue a token for user ${c.userId} (${errorSummary(res)}). Check the user id and password.`);
    }
    if (res.status === 429 || res.status >= 500) throw new TransportError('network', false, `JPMMPS token issue answered ${errorSummary(res)}.`);
    const o = obj(res.json) ?? {};
    const token = str(o.token);
    if (!token) throw new ConnectionProblem('JPMMPS answered the token request without a token.');
    const until = Date.parse(str(o.validUntil) ?? '');
    this.token = { value: token, until: Number.isNaN(until) ? Date.now() + 10 * 60_000 : until };
    return token;
  }

  private headers(token?: string, method = 'POST'): Record<string, string> {
    const h: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': 'en-US', 'User-Agent': USER_AGENT };
    if (token) h['X-Auth-Token'] = token;
    if (this.smartpay) h.Origin = this.conn.credentials.origin ?? 'https://batchdesk.invalid';
    // A GET has no body for the merchantKey: SPEC is silent; it goes in a header (never the URL, which gets logged).
    if (this.smartpay && method === 'GET' && this.conn.credentials.merchantKey) h['X-Merchant-Key'] = this.conn.credentials.merchantKey;
    return h;
  }

  async prepare(unit: UnitContext): Promise<Prepared> {
    const row = unit.rows[0]!;
    const ctx = defaultContext(Date.now());
    const c = this.conn.credentials;
    if (c.contract !== 'smartpay') {
      const body = jpmmpsRequestJson(row.cells, row.position + 1, ctx, { programAccno: c.programAccno, accno: c.accno, accnoType: c.accnoType });
      return { method: 'PUT', path: '/payment/authorize', body, storable: true };
    }
    const C = JPMMPS_COLUMNS;
    const currency = row.cells[C.presentationCurrCode] ?? '';
    const exponent = currencyExponent(currency) ?? 2;
    const minor = parseMinorStrict(row.cells[C.presentationAmount] ?? '', exponent, 'major');
    const usage = row.cells[C.presentationUsage] ?? '';
    const body =
      `{"merchantKey":${JSON.stringify(c.merchantKey ?? '')},"modificationId":${JSON.stringify(unit.key)},` +
      `"storedPaymentOptionReference":${JSON.stringify(row.cells[C.storedPaymentOptionReference] ?? '')},` +
      `"payment":{"amount":${formatMinor(minor, exponent)},"currency":${JSON.stringify(currency)}` +
      (usage ? `,"description":${JSON.stringify(usage)}` : '') +
      `,"reference":${JSON.stringify(row.cells[C.partnerReference] ?? '')}}}`;
    return { method: 'POST', path: '/payment/mit', body, storable: true };
  }

  private async call(method: 'GET' | 'PUT' | 'POST', path: string, body: string | undefined, signal?: AbortSignal): Promise<HttpResponse> {
    let token = this.smartpay ? undefined : await this.authToken(signal);
    for (let i = 0; ; i++) {
      const res = await request({ method, url: joinUrl(this.conn.baseUrl, path), headers: this.headers(token, method), ...(body !== undefined ? { body } : {}), timeoutMs: this.limits.timeoutMs, ...(signal ? { signal } : {}) });
      // An expired token is refused before processing: issue a new one once and repeat.
      if (!this.smartpay && res.status === 401 && i === 0) {
        token = await this.authToken(signal, true);
        continue;
      }
      return res;
    }
  }

  async send(unit: UnitContext, req: Prepared, signal?: AbortSignal): Promise<SendResult> {
    const res = await this.call(req.method, req.path, req.body, signal);
    const row = unit.rows[0]!;
    if (res.status === 401 || res.status === 403) throw new ConnectionProblem(`JPMMPS refused the credentials (${errorSummary(res)}).`);
    if (res.status === 429 || res.status === 503) return { kind: 'retry', http: res.status, retryAfterMs: retryAfterMs(res.headers), summary: errorSummary(res) };
    if (res.status >= 500 || res.status === 408) throw new TransportError('timeout', true, `JPMMPS answered ${errorSummary(res)}: the authorization may or may not have been made.`);
    if (res.status >= 200 && res.status < 300) {
      const o = jpmmpsOutcome(row.rowId, res.json);
      return { kind: 'answered', http: res.status, outcomes: [o], ...(o.providerRef ? { providerRef: o.providerRef } : {}), summary: `HTTP ${res.status} ${o.status}` };
    }
    return { kind: 'refused', http: res.status, reason: errorSummary(res), summary: errorSummary(res) };
  }

  async reconcile(unit: UnitContext, req: Prepared | null, signal?: AbortSignal): Promise<ReconcileResult> {
    const ref = unit.rows[0]?.cells[JPMMPS_COLUMNS.partnerReference] ?? '';
    if (!this.smartpay) {
      return { kind: 'unreconcilable', reason: `JPMMPS did not answer the authorization of partnerReference ${ref}, and its API has no lookup without the uniqueReference it would have returned. Check this payment in the JPMMPS portal before charging it again.` };
    }
    if (req === null) return { kind: 'unreconcilable', reason: 'The unanswered SmartPay request was not kept, so it cannot be resent with its modificationId.' };
    try {
      const r = await this.send(unit, req, signal);
      if (r.kind === 'answered') return { kind: 'known', outcomes: r.outcomes, summary: `resent with the same modificationId: ${r.summary}` };
      if (r.kind === 'retry') return { kind: 'later', ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}), summary: r.summary };
      return { kind: 'known', outcomes: [{ rowId: unit.rows[0]!.rowId, status: 'failed', reason: r.reason }], summary: r.summary };
    } catch (e) {
      if (e instanceof TransportError) return { kind: 'later', summary: e.message };
      throw e;
    }
  }

  async poll(rows: readonly TrackedRow[], signal?: AbortSignal): Promise<RowOutcome[]> {
    const out: RowOutcome[] = [];
    for (const row of rows) {
      if (!row.providerRef) continue;
      const C = JPMMPS_COLUMNS;
      const now = new Date();
      const localDate = row.cells[C.localDate] || now.toISOString().slice(0, 10);
      const localTime = row.cells[C.localTime] || now.toISOString().slice(11, 19).replace(/:/g, '');
      const path = this.smartpay
        ? `/payment/status/${encodeURIComponent(row.providerRef)}`
        : `/payment/${encodeURIComponent(row.providerRef)}/status?partnerReference=${encodeURIComponent(row.cells[C.partnerReference] ?? '')}&localDate=${encodeURIComponent(localDate)}&localTime=${encodeURIComponent(localTime)}`;
      const res = await this.call('GET', path, undefined, signal);
      checkReadResponse(res, 'JPMMPS');
      if (res.status === 200) out.push(jpmmpsOutcome(row.rowId, res.json));
    }
    return out;
  }

  async test(signal?: AbortSignal): Promise<string> {
    if (this.smartpay) {
      const res = await request({ method: 'GET', url: joinUrl(this.conn.baseUrl, '/payment/status/batchdesk-connection-test'), headers: this.headers(undefined, 'GET'), timeoutMs: 15_000, ...(signal ? { signal } : {}) });
      checkReadResponse(res, 'JPMMPS SmartPay');
      // A status lookup of an id that does not exist: 404 (or 200) means the key and origin were accepted.
      if (res.status === 200 || res.status === 404) return 'JPMMPS SmartPay accepted the merchant key and origin.';
      if (res.status >= 500) throw new TransportError('network', false, `JPMMPS SmartPay answered ${errorSummary(res)}; try again later.`);
      throw new ConnectionProblem(`JPMMPS SmartPay refused the test (${errorSummary(res)}). Check the base URL, the merchant key and the origin.`);
    }
    this.token = null;
    await this.authToken(signal, true);
    return 'JPMMPS issued a token: user id and password are right.';
  }
}
