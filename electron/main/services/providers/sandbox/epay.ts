/**
 * ePay Payments API (SPEC §2): Bearer API key; POST /public/api/v1/mit (single) and
 * /public/api/v1/mit/batch (1..500, per-entry results in order); GET /public/api/v1/transactions/{id};
 * Idempotency-Key cached 24 h per (key + endpoint + verb), replays carry `Idempotent-Replayed: true`;
 * the published rate limits with 429 RATE_LIMIT_REACHED + Retry-After + X-RateLimit-* headers.
 *
 * Sandbox choices where SPEC is silent:
 * - A repeat of a key returns the stored response whatever its body (SPEC: the response is cached
 *   per key + endpoint + verb); the ledger counts such body mismatches so tests catch the bug.
 * - Rate limits are checked before the idempotency cache (a replay costs a request too); 429, 401
 *   and 5xx answers are not cached, 200/400/422 are.
 * - Transaction reads: at most one per transaction per 12 s (5/min per resource id, evenly).
 * - Subscriptions: every UUID is a sandbox subscription in DKK, except those starting `00000000-`
 *   (not found). Amount must be a positive integer.
 * - Batch entry errors are `{errorCode, message, errors?}` (SPEC §2.8 "presumably").
 * - notificationUrl callbacks are not sent (the app runs offline; status is read with GET).
 */
import { createHash } from 'node:crypto';
import { isCurrencyCode } from '../../../../../shared/formats/money';
import { decide, type Outcome } from './outcomes';
import { bearer, header, isHttpUrl, isObject, isoUtc, jsonBody, RateLimiter, UUID_RE, type GenericError, type ProviderSim, type SimContext, type SimRequest, type SimResponse } from './sim';
import { SANDBOX_CREDENTIALS } from './credentials';

const DAY_MS = 24 * 60 * 60 * 1000;
export const EPAY_BATCH_MAX = 500;
export const EPAY_READ_INTERVAL_MS = 12_000;

interface EpayTx {
  id: string;
  subscriptionId: string;
  amount: number;
  currency: string;
  reference: string | null;
  instantCapture: string;
  textOnStatement: string | null;
  attributes: Record<string, unknown>;
  createdAt: number;
  settleAt: number;
  outcome: Outcome;
}

interface Cached {
  at: number;
  bodyHash: string;
  response: SimResponse;
}

type FieldErrors = Record<string, string[]>;

function errorBody(errorCode: string, message: string): { success: false; errorCode: string; message: string } {
  return { success: false, errorCode, message };
}

function validationBody(errors: FieldErrors) {
  return { errorCode: 'VALIDATION_ERROR', message: 'Input validation errors', errors };
}

export class EpaySim implements ProviderSim {
  readonly id = 'epay' as const;
  private readonly txs = new Map<string, EpayTx>();
  private readonly cache = new Map<string, Cached>();
  private readonly batchLimit: RateLimiter;
  private readonly singleLimit: RateLimiter;
  private readonly readLimit: RateLimiter;

  constructor(private readonly ctx: SimContext) {
    this.batchLimit = new RateLimiter(ctx.clock, 1, 1000); // 1 batch/s
    this.singleLimit = new RateLimiter(ctx.clock, 300, 200); // 5 req/s, burst 300
    this.readLimit = new RateLimiter(ctx.clock, 1, EPAY_READ_INTERVAL_MS);
  }

  error(kind: GenericError, message: string, retryAfterSeconds?: number): SimResponse {
    switch (kind) {
      case 'not_found':
        return { status: 404, json: errorBody('NOT_FOUND', message) };
      case 'method_not_allowed':
        return { status: 405, json: errorBody('METHOD_NOT_ALLOWED', message) };
      case 'too_large':
        return { status: 413, json: errorBody('PAYLOAD_TOO_LARGE', message) };
      case 'rate_limited':
        return { status: 429, headers: { 'Retry-After': String(retryAfterSeconds ?? 1) }, json: errorBody('RATE_LIMIT_REACHED', message) };
      case 'server_error':
        return { status: 500, json: errorBody('INTERNAL_SERVER_ERROR', message) };
    }
  }

  handle(req: SimRequest): SimResponse {
    const key = bearer(req);
    if (key === undefined) return { status: 401, json: errorBody('UNAUTHORIZED', 'Missing Authorization header: send "Authorization: Bearer <ApiKey>".') };
    if (key !== SANDBOX_CREDENTIALS.epay.apiKey) return { status: 401, json: errorBody('UNAUTHORIZED', 'The API key is not valid.') };

    const { method, path } = req;
    if (path === '/public/api/v1/mit/batch' || path === '/public/api/v1/mit') {
      if (method !== 'POST') return this.error('method_not_allowed', `${method} is not allowed on ${path}; use POST.`);
      const batch = path.endsWith('/batch');
      const limited = this.limit(batch ? this.batchLimit : this.singleLimit, 'merchant', batch ? '1 batch per second' : '5 requests per second');
      if (limited.status === 429) return limited;
      return this.withIdempotency(req, `POST ${path}`, limited.headers ?? {}, () => (batch ? this.createBatch(req) : this.createSingle(req)));
    }
    const m = /^\/public\/api\/v1\/transactions\/([^/]+)$/.exec(path);
    if (m) {
      if (method !== 'GET') return this.error('method_not_allowed', `${method} is not allowed on ${path}; use GET.`);
      const id = decodeURIComponent(m[1]!);
      const tx = this.txs.get(id);
      if (!tx) return { status: 404, json: errorBody('NOT_FOUND', `Transaction ${id} was not found.`) };
      const limited = this.limit(this.readLimit, id, '5 requests per minute per transaction');
      if (limited.status === 429) return limited;
      return { status: 200, headers: limited.headers ?? {}, json: { transaction: this.present(tx) } };
    }
    return this.error('not_found', `No endpoint ${method} ${path}.`);
  }

  private limit(limiter: RateLimiter, key: string, what: string): SimResponse {
    const r = limiter.take(key);
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(limiter.capacity),
      'X-RateLimit-Remaining': String(r.remaining),
      'X-RateLimit-Reset': String(Math.ceil(r.resetAt / 1000)),
    };
    if (r.waitMs === 0) return { status: 200, headers };
    this.ctx.ledger.rateLimited('epay');
    const retry = Math.max(1, Math.ceil(r.waitMs / 1000));
    return { status: 429, headers: { ...headers, 'Retry-After': String(retry) }, json: errorBody('RATE_LIMIT_REACHED', `Rate limit reached (${what}); retry after ${retry} s.`) };
  }

  private withIdempotency(req: SimRequest, endpoint: string, headers: Record<string, string>, run: (key: string | null) => SimResponse): SimResponse {
    const key = header(req, 'idempotency-key');
    const now = this.ctx.clock.now();
    const bodyHash = createHash('sha256').update(req.body).digest('hex');
    if (key === undefined || key === '') {
      const res = run(null);
      return { ...res, headers: { ...headers, ...res.headers } };
    }
    const ledger = this.ctx.ledger;
    ledger.keySeen('epay', endpoint, key, 'received');
    const id = `${key}\u001f${endpoint}`;
    const hit = this.cache.get(id);
    if (hit && now - hit.at < DAY_MS) {
      ledger.keySeen('epay', endpoint, key, 'replayed', hit.bodyHash !== bodyHash);
      return { ...hit.response, headers: { ...headers, ...hit.response.headers, 'Idempotent-Replayed': 'true' } };
    }
    const res = run(key);
    ledger.keySeen('epay', endpoint, key, 'processed');
    if (res.status < 500 && res.status !== 401 && res.status !== 429) this.cache.set(id, { at: now, bodyHash, response: res });
    return { ...res, headers: { ...headers, ...res.headers } };
  }

  private createBatch(req: SimRequest): SimResponse {
    const body = jsonBody(req);
    if (!body.ok) return { status: 400, json: errorBody('INVALID_JSON', body.message) };
    const v = body.value;
    if (!isObject(v)) return { status: 422, json: validationBody({ transactions: ['[required]: the body must be an object with a "transactions" array'] }) };
    const list = v['transactions'];
    if (!Array.isArray(list)) return { status: 422, json: validationBody({ transactions: ['[required]: transactions is required and must be an array'] }) };
    if (list.length < 1) return { status: 422, json: validationBody({ transactions: ['[min]: transactions must contain at least 1 item'] }) };
    if (list.length > EPAY_BATCH_MAX) return { status: 422, json: validationBody({ transactions: [`[max]: transactions must contain at most ${EPAY_BATCH_MAX} items, got ${list.length}`] }) };
    const key = header(req, 'idempotency-key') ?? null;
    const results = list.map((entry, i) => {
      const r = this.accept(entry, key === null ? null : `${key}#${i}`);
      return 'error' in r ? { transaction: null, error: r.error } : { transaction: this.present(r.tx), error: null };
    });
    return { status: 200, json: { transactions: results } };
  }

  private createSingle(req: SimRequest): SimResponse {
    const body = jsonBody(req);
    if (!body.ok) return { status: 400, json: errorBody('INVALID_JSON', body.message) };
    const r = this.accept(body.value, header(req, 'idempotency-key') ?? null);
    if ('error' in r) return { status: r.error.errorCode === 'VALIDATION_ERROR' ? 422 : 400, json: 'errors' in r.error ? r.error : { success: false, ...r.error } };
    return { status: 200, json: { transaction: this.present(r.tx) } };
  }

  /** Validates one MitAuthorizationRequest and, when it passes, creates the transaction. */
  private accept(entry: unknown, idempotencyKey: string | null): { tx: EpayTx } | { error: { errorCode: string; message: string; errors?: FieldErrors } } {
    const errors: FieldErrors = {};
    const add = (field: string, msg: string) => (errors[field] ??= []).push(msg);
    if (!isObject(entry)) return { error: validationBody({ transaction: ['[object]: each transaction must be an object'] }) };
    const e = entry;
    const sub = e['subscriptionId'];
    if (sub === undefined || sub === null) add('subscriptionId', '[required]: subscriptionId is required');
    else if (typeof sub !== 'string' || !UUID_RE.test(sub)) add('subscriptionId', '[uuid]: subscriptionId must be a UUID');
    const amount = e['amount'];
    if (amount === undefined || amount === null) add('amount', '[required]: amount is required');
    else if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) add('amount', '[int]: amount must be an integer in minor units (1095 = 10.95 DKK)');
    else if (amount < 1) add('amount', '[min]: amount must be at least 1');
    const currency = e['currency'];
    if (currency !== undefined && currency !== null && (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency) || !isCurrencyCode(currency))) {
      add('currency', '[regex]: currency must match ^[A-Z]{3}$ and be an ISO 4217 code, or be null');
    }
    const reference = e['reference'];
    if (reference !== undefined && reference !== null && typeof reference !== 'string') add('reference', '[string]: reference must be a string');
    const capture = e['instantCapture'];
    if (capture !== undefined && capture !== null && capture !== 'OFF' && capture !== 'VOID' && capture !== 'NO_VOID') add('instantCapture', '[enum]: instantCapture must be one of OFF, VOID, NO_VOID');
    const text = e['textOnStatement'];
    if (text !== undefined && text !== null && (typeof text !== 'string' || text.length < 1 || text.length > 39)) add('textOnStatement', '[length]: textOnStatement must be 1 to 39 characters');
    const notif = e['notificationUrl'];
    if (notif === undefined || notif === null) add('notificationUrl', '[required]: notificationUrl is required');
    else if (!isHttpUrl(notif)) add('notificationUrl', '[uri]: notificationUrl must be an absolute http(s) URL');
    const attrs = e['attributes'];
    if (attrs !== undefined && attrs !== null && !isObject(attrs)) add('attributes', '[object]: attributes must be an object');
    if (Object.keys(errors).length > 0) return { error: validationBody(errors) };

    const subscriptionId = (sub as string).toLowerCase();
    if (subscriptionId.startsWith('00000000-')) return { error: { errorCode: 'SUBSCRIPTION_NOT_FOUND', message: `Subscription ${subscriptionId} was not found for this merchant.` } };
    const now = this.ctx.clock.now();
    const ref = typeof reference === 'string' ? reference : null;
    const merchantRef = ref ?? `subscription:${subscriptionId}`;
    const attempt = this.ctx.ledger.attemptsFor('epay', merchantRef);
    const d = decide(this.ctx.seed, 'epay', `${merchantRef}#${attempt}`, amount as number, this.ctx.outcomes);
    const tx: EpayTx = {
      id: this.uniqueId(),
      subscriptionId,
      amount: amount as number,
      currency: typeof currency === 'string' ? currency : 'DKK',
      reference: ref,
      instantCapture: typeof capture === 'string' ? capture : 'OFF',
      textOnStatement: typeof text === 'string' ? text : null,
      attributes: isObject(attrs) ? attrs : {},
      createdAt: now,
      settleAt: now + d.settleMs,
      outcome: d.outcome,
    };
    this.txs.set(tx.id, tx);
    this.ctx.ledger.record({
      provider: 'epay',
      kind: tx.instantCapture === 'OFF' ? 'authorization' : 'charge',
      providerRef: tx.id,
      merchantRef,
      idempotencyKey,
      amountMinor: tx.amount,
      currency: tx.currency,
      acceptedAt: now,
      finalAt: tx.settleAt,
      result: d.outcome.result,
      reason: d.outcome.result === 'declined' ? d.outcome.reason.epay : null,
    });
    return { tx };
  }

  private uniqueId(): string {
    for (;;) {
      const id = this.ctx.ids.alnum('epay', 11);
      if (!this.txs.has(id)) return id;
    }
  }

  /** PENDING (not yet attempted) for the first third of the settle time, then PROCESSING, then final. */
  private present(tx: EpayTx) {
    const now = this.ctx.clock.now();
    const final = now >= tx.settleAt;
    const state = final ? (tx.outcome.result === 'success' ? 'SUCCESS' : 'FAILED') : now >= tx.createdAt + (tx.settleAt - tx.createdAt) / 3 ? 'PROCESSING' : 'PENDING';
    const declined = final && tx.outcome.result === 'declined' ? tx.outcome.reason : null;
    return {
      id: tx.id,
      subscriptionId: tx.subscriptionId,
      billingAgreementChargeId: null,
      state,
      errorCode: declined ? declined.epay : null,
      externalStatusCodes: declined ? { acquirer: declined.iso, network: declined.iso, sca: null } : null,
      amount: tx.amount,
      currency: tx.currency,
      reference: tx.reference,
      instantCapture: tx.instantCapture,
      textOnStatement: tx.textOnStatement,
      attributes: tx.attributes,
      createdAt: isoUtc(tx.createdAt),
      updatedAt: isoUtc(final ? tx.settleAt : now),
    };
  }
}
