/**
 * Wonder Batch MIT (SPEC §1): signed requests (./wonderAuth); Create Batch MIT with `file_url`
 * (Wonder GETs the file itself, ./wonderFile); Query By ID; Query By Search (Advanced Query DSL);
 * the echo call. process_status pending → success (file processed) | failed (file unusable); each
 * row becomes a transaction that is pending, then succeeds or is declined.
 *
 * Sandbox choices where SPEC is silent (the three operations' paths and schemas are unknown):
 * - Paths (WONDER_PATHS): POST /svc/payment/api/v1/openapi/batch_mit_transactions {file_url},
 *   …/batch_mit_transactions/query_by_id {uuid, offset?, limit?},
 *   …/batch_mit_transactions/query_by_search?filter[created_at][_gte]=…&offset=&limit= (≤ 1000).
 *   Search filters: uuid (_eq,_in), process_status (_eq,_neq,_in), file_url (_eq),
 *   reference_number (_eq: batches holding that row), created_at (_gt,_gte,_lt,_lte).
 * - Success envelope `{code: "000000", message: "Success", data}`; errors `{code: "E0000xx", message}`.
 * - No dedupe (SPEC §1.8): the same file_url twice makes two batches and charges twice. A client
 *   whose Create answer was lost finds its batch with filter[file_url][_eq] before sending again.
 * - Amounts: the merchant's currency (default HKD) in major units (default), per the sandbox options.
 * - Void/refund/cancellation must name a transaction of this sandbox (else the row is declined
 *   "original transaction not found"); refunds need a successful payment and at most its amount.
 * - The file is processed 1 s (sandbox clock) after it was downloaded; rows settle per ./outcomes.
 */
import { currencyExponent, formatMinor, parseMinorStrict } from '../../../../../shared/formats/money';
import { defaultContext } from '../../../../../shared/formats';
import { maskPan } from '../../../../../shared/formats/profiles/common';
import { decide, type Outcome } from './outcomes';
import { SANDBOX_CREDENTIALS, wonderPublicKey } from './credentials';
import type { MovementKind } from './ledger';
import { isHttpUrl, isObject, isoUtc, jsonBody, type GenericError, type ProviderSim, type SimContext, type SimRequest, type SimResponse } from './sim';
import { WonderAuth } from './wonderAuth';
import { fetchWonderFile, type WonderFileRow } from './wonderFile';

const API = '/svc/payment/api/v1/openapi';
export const WONDER_PATHS = {
  echo: '/svc/payment/api/v1/echo',
  echoOpenapi: `${API}/echo`,
  create: `${API}/batch_mit_transactions`,
  queryById: `${API}/batch_mit_transactions/query_by_id`,
  search: `${API}/batch_mit_transactions/query_by_search`,
} as const;
export const WONDER_LIST_MAX = 1000;
const PROCESS_AFTER_MS = 1000;

export interface WonderOptions {
  /** The merchant account's currency (Wonder files carry none). Default HKD. */
  currency?: string;
  /** The unit of the Amount column per the "interface agreement". Default major (10.00). */
  amountUnit?: 'major' | 'minor';
}

interface RowTx {
  row: number;
  action: string;
  reference: string;
  uuid: string | null;
  amountMinor: number | null;
  original: string;
  token: string;
  maskedCard: string;
  remark: string;
  rejected: string | null;
  outcome: Outcome;
  settleAt: number;
  refunded: number;
}

interface Batch {
  uuid: string;
  fileUrl: string;
  createdAt: number;
  /** Set when the download + read finished (sandbox clock). */
  processedAt: number | null;
  failure: string | null;
  rows: RowTx[];
}

const ok = (data: unknown): SimResponse => ({ status: 200, json: { code: '000000', message: 'Success', data } });
const err = (status: number, code: string, message: string): SimResponse => ({ status, json: { code, message } });

const TYPE: Record<string, string> = { authorize: 'Authorization', payment: 'Sales', refund: 'Refund', void: 'Void', cancellation: 'Cancellation' };
const KIND: Record<string, MovementKind> = { authorize: 'authorization', payment: 'charge', refund: 'refund', void: 'void', cancellation: 'cancellation' };

export class WonderSim implements ProviderSim {
  readonly id = 'wonder' as const;
  private readonly auth: WonderAuth;
  private readonly batches = new Map<string, Batch>();
  private readonly txIndex = new Map<string, RowTx>();
  private readonly aborter = new AbortController();
  private readonly inflight = new Set<Promise<void>>();
  private readonly currency: string;
  private readonly unit: 'major' | 'minor';

  constructor(
    private readonly ctx: SimContext,
    opts: WonderOptions = {},
  ) {
    this.auth = new WonderAuth(ctx.clock, new Map([[SANDBOX_CREDENTIALS.wonder.appId, wonderPublicKey()]]));
    this.currency = opts.currency ?? 'HKD';
    this.unit = opts.amountUnit ?? 'major';
    if (currencyExponent(this.currency) === undefined) throw new RangeError(`Wonder sandbox currency ${this.currency} is not an ISO 4217 code`);
  }

  error(kind: GenericError, message: string, retryAfterSeconds?: number): SimResponse {
    switch (kind) {
      case 'not_found':
        return err(404, 'E000404', message);
      case 'method_not_allowed':
        return err(405, 'E000405', message);
      case 'too_large':
        return err(413, 'E000413', message);
      case 'rate_limited':
        return { ...err(429, 'E000429', message), headers: { 'Retry-After': String(retryAfterSeconds ?? 1) } };
      case 'server_error':
        return err(500, 'E000500', message);
    }
  }

  /** Waits for downloads under way, then stops (server close). */
  async close(): Promise<void> {
    this.aborter.abort();
    await Promise.allSettled([...this.inflight]);
  }

  /** Resolves when every file download started so far has been read (tests). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  handle(req: SimRequest): SimResponse {
    const denied = this.auth.check(req);
    if (denied) return denied;
    const known = (Object.values(WONDER_PATHS) as string[]).includes(req.path);
    if (!known) return this.error('not_found', `No endpoint ${req.method} ${req.path}.`);
    if (req.method !== 'POST') return this.error('method_not_allowed', `${req.method} is not allowed on ${req.path}; use POST.`);
    const body = req.body.length === 0 ? { ok: true as const, value: {} } : jsonBody(req);
    if (!body.ok) return err(400, 'E000010', body.message);
    if (!isObject(body.value)) return err(400, 'E000010', 'The body must be a JSON object.');
    const b = body.value;
    switch (req.path) {
      case WONDER_PATHS.echo:
      case WONDER_PATHS.echoOpenapi:
        return ok({ message: typeof b['message'] === 'string' ? b['message'] : '' });
      case WONDER_PATHS.create:
        return this.create(b);
      case WONDER_PATHS.queryById:
        return this.queryById(b);
      default:
        return this.search(req.query);
    }
  }

  private create(b: Record<string, unknown>): SimResponse {
    const fileUrl = b['file_url'];
    if (fileUrl === undefined || fileUrl === null || fileUrl === '') return err(400, 'E000011', 'file_url is required.');
    if (!isHttpUrl(fileUrl)) return err(400, 'E000012', 'file_url must be a complete http(s) URL to a .csv or .xlsx file.');
    const batch: Batch = { uuid: this.ctx.ids.uuid('wonder-batch'), fileUrl, createdAt: this.ctx.clock.now(), processedAt: null, failure: null, rows: [] };
    this.batches.set(batch.uuid, batch);
    const p = this.process(batch).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
    return ok(this.present(batch, null));
  }

  private async process(batch: Batch): Promise<void> {
    const vctx = { ...defaultContext(this.ctx.clock.now()), currency: this.currency, amountUnit: this.unit };
    let result;
    try {
      result = await fetchWonderFile(batch.fileUrl, vctx, this.aborter.signal);
    } catch (e) {
      result = { ok: false as const, message: `The file could not be processed (${(e as Error).message}).` };
    }
    const at = this.ctx.clock.now() + PROCESS_AFTER_MS;
    if (!result.ok) batch.failure = result.message;
    else batch.rows = result.rows.map((r) => this.rowTx(batch, r, at));
    batch.processedAt = at;
  }

  private rowTx(batch: Batch, r: WonderFileRow, at: number): RowTx {
    const c = r.cells;
    const cell = (i: number) => (c[i] ?? '').trim();
    const action = cell(0);
    const exp = currencyExponent(this.currency)!;
    const minor = parseMinorStrict(cell(4), exp, this.unit);
    const token = cell(5);
    const card = cell(6).replace(/\D/g, '');
    const tx: RowTx = {
      row: r.row,
      action,
      reference: cell(1),
      uuid: null,
      amountMinor: minor > 0 ? minor : null,
      original: cell(2),
      token,
      maskedCard: card === '' ? '' : maskPan(card),
      remark: cell(10),
      rejected: r.errors.length > 0 ? r.errors.join(' ') : null,
      outcome: { result: 'success' },
      settleAt: at,
      refunded: 0,
    };
    if (tx.rejected !== null || tx.amountMinor === null) {
      tx.rejected ??= 'Amount is not valid.';
      return tx;
    }
    const merchantRef = tx.reference !== '' ? `${action}:${tx.reference}` : `${action}:${token || tx.maskedCard || tx.original}:${tx.amountMinor}`;
    const attempt = this.ctx.ledger.attemptsFor('wonder', merchantRef);
    const d = decide(this.ctx.seed, 'wonder', `${merchantRef}#${attempt}`, tx.amountMinor, this.ctx.outcomes);
    tx.outcome = d.outcome;
    tx.settleAt = at + d.settleMs;
    if (action === 'void' || action === 'refund' || action === 'cancellation') {
      const orig = this.txIndex.get(tx.original);
      const problem = !orig
        ? 'Original transaction not found.'
        : action === 'refund'
          ? orig.action !== 'payment' || orig.outcome.result !== 'success'
            ? 'Only a successful payment can be refunded.'
            : orig.refunded + tx.amountMinor > orig.amountMinor!
              ? 'The refund is more than what is left of the original payment.'
              : null
          : orig.action !== 'authorize' && orig.action !== 'payment'
            ? 'Only an authorization or payment can be voided or cancelled.'
            : null;
      if (problem) {
        tx.rejected = problem;
        return tx;
      }
      tx.outcome = { result: 'success' };
      if (action === 'refund') orig!.refunded += tx.amountMinor;
    }
    tx.uuid = this.ctx.ids.uuid('wonder-tx');
    this.txIndex.set(tx.uuid, tx);
    this.ctx.ledger.record({
      provider: 'wonder',
      kind: KIND[action] ?? 'charge',
      providerRef: tx.uuid,
      merchantRef,
      idempotencyKey: `${batch.uuid}#${r.row}`,
      amountMinor: tx.amountMinor,
      currency: this.currency,
      acceptedAt: at,
      finalAt: tx.settleAt,
      result: tx.outcome.result,
      reason: tx.outcome.result === 'declined' ? tx.outcome.reason.iso : null,
    });
    return tx;
  }

  private status(b: Batch): 'pending' | 'success' | 'failed' {
    if (b.processedAt === null || this.ctx.clock.now() < b.processedAt) return 'pending';
    return b.failure === null ? 'success' : 'failed';
  }

  private presentRow(t: RowTx) {
    const now = this.ctx.clock.now();
    const pending = t.rejected === null && now < t.settleAt;
    const declined = !pending && t.rejected === null && t.outcome.result === 'declined' ? t.outcome.reason : null;
    const success = !pending && t.rejected === null && !declined;
    const exp = currencyExponent(this.currency)!;
    return {
      row_number: t.row,
      action: t.action,
      reference_number: t.reference || null,
      uuid: t.uuid,
      type: TYPE[t.action] ?? null,
      currency: this.currency,
      amount: t.amountMinor === null ? null : formatMinor(t.amountMinor, exp),
      success,
      is_pending: pending,
      captured: success && t.action === 'payment',
      allow_void: success && (t.action === 'authorize' || t.action === 'payment'),
      allow_refund: success && t.action === 'payment',
      void_is_pending: false,
      payment_method: 'CreditCard',
      note: t.remark || null,
      original_transaction_uuid: t.original || null,
      payment_data: {
        transaction_state: t.rejected !== null ? 'rejected' : pending ? 'pending' : declined ? 'declined' : 'approved',
        rrn: success && t.uuid ? t.uuid.replace(/-/g, '').slice(0, 12) : null,
        auth_code: success && t.uuid ? t.uuid.slice(0, 6).toUpperCase() : null,
        token: t.token || null,
        card_number: t.maskedCard || null,
        response_code: t.rejected !== null ? null : pending ? null : declined ? declined.iso : '00',
      },
      error_code: t.rejected !== null ? 'ROW_REJECTED' : declined ? `ISO_${declined.iso}` : null,
      error_message: t.rejected ?? (declined ? declined.text : null),
    };
  }

  private present(b: Batch, page: { offset: number; limit: number } | null) {
    const status = this.status(b);
    const rows = status === 'pending' ? [] : b.rows;
    const view = rows.map((r) => this.presentRow(r));
    const counts = { total: view.length, pending: 0, succeeded: 0, declined: 0, rejected: 0 };
    for (const v of view) {
      if (v.payment_data.transaction_state === 'pending') counts.pending++;
      else if (v.payment_data.transaction_state === 'approved') counts.succeeded++;
      else if (v.payment_data.transaction_state === 'declined') counts.declined++;
      else counts.rejected++;
    }
    return {
      uuid: b.uuid,
      file_url: b.fileUrl,
      process_status: status,
      created_at: isoUtc(b.createdAt),
      processed_at: status === 'pending' || b.processedAt === null ? null : isoUtc(b.processedAt),
      error_message: status === 'failed' ? b.failure : null,
      counts,
      ...(page ? { offset: page.offset, limit: page.limit, transactions: view.slice(page.offset, page.offset + page.limit) } : {}),
    };
  }

  private page(offsetRaw: unknown, limitRaw: unknown): { offset: number; limit: number } | SimResponse {
    const offset = offsetRaw === undefined || offsetRaw === null || offsetRaw === '' ? 0 : Number(offsetRaw);
    const limit = limitRaw === undefined || limitRaw === null || limitRaw === '' ? 100 : Number(limitRaw);
    if (!Number.isInteger(offset) || offset < 0) return err(400, 'E000013', 'offset must be a whole number ≥ 0.');
    if (!Number.isInteger(limit) || limit < 1 || limit > WONDER_LIST_MAX) return err(400, 'E000013', `limit must be between 1 and ${WONDER_LIST_MAX}.`);
    return { offset, limit };
  }

  private queryById(b: Record<string, unknown>): SimResponse {
    const uuid = b['uuid'];
    if (typeof uuid !== 'string' || uuid === '') return err(400, 'E000011', 'uuid (the batch id) is required.');
    const batch = this.batches.get(uuid);
    if (!batch) return err(404, 'E000404', `Batch ${uuid} was not found.`);
    const page = this.page(b['offset'], b['limit']);
    if ('status' in page) return page;
    return ok(this.present(batch, page));
  }

  private search(q: URLSearchParams): SimResponse {
    const page = this.page(q.get('offset'), q.get('limit'));
    if ('status' in page) return page;
    const tests: ((b: Batch) => boolean)[] = [];
    for (const [k, v] of q) {
      if (k === 'offset' || k === 'limit') continue;
      const m = /^filter\[([a-z_]+)\]\[(_[a-z_]+)\]$/.exec(k);
      if (!m) return err(400, 'E000014', `Unsupported query parameter ${k}: use filter[<field>][<op>]=<value>, offset and limit.`);
      const [, field, op] = m as unknown as [string, string, string];
      const list = v.split(',');
      const t = this.filter(field, op, v, list);
      if (!t) return err(400, 'E000014', `Unsupported filter ${field} ${op}.`);
      tests.push(t);
    }
    const found = [...this.batches.values()].filter((b) => tests.every((t) => t(b))).sort((a, b) => b.createdAt - a.createdAt);
    return ok({ total: found.length, offset: page.offset, limit: page.limit, items: found.slice(page.offset, page.offset + page.limit).map((b) => this.present(b, null)) });
  }

  private filter(field: string, op: string, v: string, list: string[]): ((b: Batch) => boolean) | null {
    switch (field) {
      case 'uuid':
        return op === '_eq' ? (b) => b.uuid === v : op === '_in' ? (b) => list.includes(b.uuid) : null;
      case 'file_url':
        return op === '_eq' ? (b) => b.fileUrl === v : null;
      case 'reference_number':
        return op === '_eq' ? (b) => b.rows.some((r) => r.reference === v) : null;
      case 'process_status':
        return op === '_eq' ? (b) => this.status(b) === v : op === '_neq' ? (b) => this.status(b) !== v : op === '_in' ? (b) => list.includes(this.status(b)) : null;
      case 'created_at': {
        const t = Date.parse(v);
        if (Number.isNaN(t)) return null;
        if (op === '_gt') return (b) => b.createdAt > t;
        if (op === '_gte') return (b) => b.createdAt >= t;
        if (op === '_lt') return (b) => b.createdAt < t;
        if (op === '_lte') return (b) => b.createdAt <= t;
        return null;
      }
      default:
        return null;
    }
  }
}
