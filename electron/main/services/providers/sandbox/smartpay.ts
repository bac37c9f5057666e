/**
 * J.P. Morgan Mobility Payment Solutions SmartPay OpenAPI (SPEC §4B): POST /payment/mit with
 * merchantKey in the body and a unique modificationId; resending the identical request with the same
 * modificationId returns the original result and processes nothing twice; GET
 * /payment/status/{transactionId}; POST /payment/capture. Headers Content-Type, Accept-Language,
 * Origin (whitelisted, HTTPS) and User-Agent are required on every call.
 *
 * Sandbox choices where SPEC is silent:
 * - Responses: 201 `{transactionId, modificationId, status, payment, ...}`; errors use the same
 *   envelope as KontoCloud (responseCode/responseDescription).
 * - The same modificationId with a different body is 409/4090 (it names one request, not two).
 * - GET status carries the merchantKey as the `merchantKey` query parameter or `X-Merchant-Key` header.
 * - Status path: CREATED → AUTORIZATION_INITIALIZED (sic) → AUTHORIZATION_COMPLETED, or
 *   AUTHORIZATION_FAILED with `failure{code, message}` (failure statuses were not captured).
 *   `autoCapture: true` continues CAPTURE_PENDING → CAPTURED one second later.
 * - billingAddress/consumer are accepted but not required (the stored option already carries them).
 */
import { createHash } from 'node:crypto';
import { currencyExponent } from '../../../../../shared/formats/money';
import { decide, type Outcome } from './outcomes';
import { SANDBOX_CREDENTIALS } from './credentials';
import { header, isObject, sameJson, isoUtc, jsonBody, majorNumberToMinor, minorToMajorNumber, type SimContext, type SimRequest, type SimResponse } from './sim';

type Fail = (status: number, code: string, description: string) => SimResponse;

interface MitTx {
  transactionId: string;
  modificationId: string;
  bodyHash: string;
  request: Record<string, unknown>;
  response: SimResponse;
  amountMinor: number;
  currency: string;
  autoCapture: boolean;
  createdAt: number;
  settleAt: number;
  outcome: Outcome;
  captures: { modificationId: string; amountMinor: number; at: number }[];
}

const CAPTURE_AFTER_MS = 1000;

export class SmartPay {
  private readonly txs = new Map<string, MitTx>();
  private readonly byModification = new Map<string, { tx: MitTx; request: Record<string, unknown>; bodyHash: string; response: SimResponse }>();

  constructor(
    private readonly ctx: SimContext,
    private readonly fail: Fail,
  ) {}

  handle(req: SimRequest): SimResponse {
    const denied = this.checkHeaders(req);
    if (denied) return denied;
    const { method, path } = req;
    if (path === '/payment/mit' || path === '/payment/capture') {
      if (method !== 'POST') return this.fail(405, '4050', `${method} is not allowed on ${path}; use POST.`);
      const body = jsonBody(req);
      if (!body.ok) return this.fail(400, '4000', body.message);
      if (!isObject(body.value)) return this.fail(400, '4000', 'The body must be a JSON object.');
      const b = body.value;
      if (b['merchantKey'] !== SANDBOX_CREDENTIALS.jpmmps.merchantKey) return this.fail(401, '4010', b['merchantKey'] === undefined ? 'merchantKey is required.' : 'The merchantKey is not valid.');
      const mod = b['modificationId'];
      if (typeof mod !== 'string' || mod === '') return this.fail(400, '4000', 'modificationId is required (unique per request, at most 64 characters).');
      if (mod.length > 64) return this.fail(400, '4000', 'modificationId is longer than 64 characters.');
      const bodyHash = createHash('sha256').update(req.body).digest('hex');
      const endpoint = `POST ${path}`;
      this.ctx.ledger.keySeen('jpmmps', endpoint, mod, 'received');
      const seen = this.byModification.get(mod);
      if (seen) {
        if (seen.bodyHash !== bodyHash && !sameJson(seen.request, b)) {
          return this.fail(409, '4090', `modificationId ${mod} was already used for a different request; use a new modificationId for a new request.`);
        }
        this.ctx.ledger.keySeen('jpmmps', endpoint, mod, 'replayed');
        return seen.response;
      }
      const res = path === '/payment/mit' ? this.mit(b, mod, bodyHash) : this.capture(b, mod, bodyHash);
      if (res.status < 400) this.ctx.ledger.keySeen('jpmmps', endpoint, mod, 'processed');
      return res;
    }
    const st = /^\/payment\/status\/([^/]+)$/.exec(path);
    if (st) {
      if (method !== 'GET') return this.fail(405, '4050', `${method} is not allowed on ${path}; use GET.`);
      const key = req.query.get('merchantKey') ?? header(req, 'x-merchant-key');
      if (key !== SANDBOX_CREDENTIALS.jpmmps.merchantKey) return this.fail(401, '4010', key === undefined || key === null ? 'merchantKey is required (query parameter merchantKey or header X-Merchant-Key).' : 'The merchantKey is not valid.');
      const tx = this.txs.get(decodeURIComponent(st[1]!));
      if (!tx) return this.fail(404, '4040', `No transaction ${st[1]}.`);
      return { status: 200, json: this.present(tx, true) };
    }
    return this.fail(404, '4040', `No endpoint ${method} ${path}.`);
  }

  private checkHeaders(req: SimRequest): SimResponse | null {
    const missing = ['content-type', 'accept-language', 'origin', 'user-agent'].filter((h) => (req.method === 'GET' && h === 'content-type' ? false : !header(req, h)));
    if (missing.length > 0) return this.fail(400, '4000', `Missing required header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
    if (req.method !== 'GET' && !/^application\/json\b/i.test(header(req, 'content-type')!)) return this.fail(415, '4150', 'Content-Type must be application/json.');
    const origin = header(req, 'origin')!;
    if (!origin.startsWith('https://')) return this.fail(403, '4030', 'Origin must be an HTTPS origin whitelisted for this merchant key.');
    if (origin !== SANDBOX_CREDENTIALS.jpmmps.origin) return this.fail(403, '4030', `Origin ${origin} is not whitelisted for this merchant key.`);
    return null;
  }

  private mit(b: Record<string, unknown>, modificationId: string, bodyHash: string): SimResponse {
    const problems: string[] = [];
    const spo = b['storedPaymentOptionReference'];
    const deal = b['dealReference'];
    if ((spo === undefined || spo === '') && (deal === undefined || deal === '')) problems.push('storedPaymentOptionReference is required (or dealReference)');
    if (spo !== undefined && (typeof spo !== 'string' || spo.length > 36)) problems.push('storedPaymentOptionReference must be a string of at most 36 characters');
    const cust = b['customerAccountId'];
    if (cust !== undefined && (typeof cust !== 'string' || cust.length > 255)) problems.push('customerAccountId must be a string of at most 255 characters');
    const payment = isObject(b['payment']) ? b['payment'] : null;
    let minor: number | null = null;
    let currency = '';
    if (!payment) problems.push('payment {amount, currency} is required');
    else {
      currency = typeof payment['currency'] === 'string' ? payment['currency'] : '';
      const exp = currencyExponent(currency);
      if (exp === undefined) problems.push('payment.currency must be an ISO 4217 code');
      else {
        minor = majorNumberToMinor(payment['amount'], exp);
        if (minor === null || minor <= 0) problems.push(`payment.amount must be a number greater than 0 with at most ${exp} decimals`);
      }
    }
    if (b['autoCapture'] !== undefined && typeof b['autoCapture'] !== 'boolean') problems.push('autoCapture must be true or false');
    if (problems.length > 0) return this.fail(400, '4000', `Invalid request: ${problems.join('; ')}.`);
    const now = this.ctx.clock.now();
    const d = decide(this.ctx.seed, 'jpmmps-smartpay', `${modificationId}#0`, minor!, this.ctx.outcomes);
    const tx: MitTx = {
      transactionId: this.ctx.ids.uuid('smartpay'),
      modificationId,
      bodyHash,
      request: b,
      response: { status: 201 },
      amountMinor: minor!,
      currency,
      autoCapture: b['autoCapture'] === true,
      createdAt: now,
      settleAt: now + d.settleMs,
      outcome: d.outcome,
      captures: [],
    };
    tx.response = { status: 201, json: this.present(tx, false) };
    this.txs.set(tx.transactionId, tx);
    this.byModification.set(modificationId, { tx, request: b, bodyHash, response: tx.response });
    this.ctx.ledger.record({
      provider: 'jpmmps',
      kind: tx.autoCapture ? 'charge' : 'authorization',
      providerRef: tx.transactionId,
      merchantRef: modificationId,
      idempotencyKey: modificationId,
      amountMinor: minor!,
      currency,
      acceptedAt: now,
      finalAt: tx.settleAt,
      result: d.outcome.result,
      reason: d.outcome.result === 'declined' ? d.outcome.reason.aci : null,
    });
    return tx.response;
  }

  private capture(b: Record<string, unknown>, modificationId: string, bodyHash: string): SimResponse {
    const id = b['transactionId'];
    if (typeof id !== 'string' || id.length > 36) return this.fail(400, '4000', 'transactionId is required (36 characters).');
    const tx = this.txs.get(id);
    if (!tx) return this.fail(404, '4040', `No transaction ${id}.`);
    if (this.status(tx).status !== 'AUTHORIZATION_COMPLETED') return this.fail(409, '4090', `Transaction ${id} is ${this.status(tx).status}; only AUTHORIZATION_COMPLETED can be captured.`);
    let minor = tx.amountMinor - tx.captures.reduce((s, c) => s + c.amountMinor, 0);
    const mod = b['modifiedAmount'];
    if (mod !== undefined) {
      const exp = currencyExponent(tx.currency) ?? 2;
      const m = isObject(mod) ? majorNumberToMinor(mod['amount'], exp) : null;
      if (!isObject(mod) || m === null || m <= 0 || mod['currencyCode'] !== tx.currency) return this.fail(400, '4000', `modifiedAmount needs amount (> 0, at most ${exp} decimals) and currencyCode ${tx.currency}.`);
      if (m > minor) return this.fail(400, '4000', 'modifiedAmount.amount is more than the amount left to capture.');
      minor = m;
    }
    const now = this.ctx.clock.now();
    tx.captures.push({ modificationId, amountMinor: minor, at: now });
    const response: SimResponse = { status: 201, json: { ...this.present(tx, true), modificationId } };
    this.byModification.set(modificationId, { tx, request: b, bodyHash, response });
    return response;
  }

  private status(tx: MitTx): { status: string; at: number } {
    const now = this.ctx.clock.now();
    if (tx.captures.length > 0) return { status: 'CAPTURED', at: tx.captures[tx.captures.length - 1]!.at };
    if (now < tx.createdAt + (tx.settleAt - tx.createdAt) / 3) return { status: 'CREATED', at: tx.createdAt };
    if (now < tx.settleAt) return { status: 'AUTORIZATION_INITIALIZED', at: tx.createdAt };
    if (tx.outcome.result === 'declined') return { status: 'AUTHORIZATION_FAILED', at: tx.settleAt };
    if (!tx.autoCapture) return { status: 'AUTHORIZATION_COMPLETED', at: tx.settleAt };
    return now < tx.settleAt + CAPTURE_AFTER_MS ? { status: 'CAPTURE_PENDING', at: tx.settleAt } : { status: 'CAPTURED', at: tx.settleAt + CAPTURE_AFTER_MS };
  }

  private present(tx: MitTx, history: boolean) {
    const s = this.status(tx);
    const exp = currencyExponent(tx.currency) ?? 2;
    const declined = s.status === 'AUTHORIZATION_FAILED' && tx.outcome.result === 'declined' ? tx.outcome.reason : null;
    return {
      transactionId: tx.transactionId,
      modificationId: tx.modificationId,
      status: s.status,
      statusChangedAt: isoUtc(s.at),
      payment: { amount: minorToMajorNumber(tx.amountMinor, exp), currency: tx.currency },
      storedPaymentOptionReference: tx.request['storedPaymentOptionReference'] ?? null,
      ...(s.status === 'AUTHORIZATION_COMPLETED' || s.status.startsWith('CAPTURE') ? { reconciliationReferenceId: `rr-${tx.transactionId.slice(0, 8)}` } : {}),
      ...(declined ? { failure: { code: declined.aci, message: declined.text } } : {}),
      ...(history
        ? {
            history: [
              { modificationId: tx.modificationId, type: 'MIT', at: isoUtc(tx.createdAt) },
              ...tx.captures.map((c) => ({ modificationId: c.modificationId, type: 'CAPTURE', amount: minorToMajorNumber(c.amountMinor, exp), at: isoUtc(c.at) })),
            ],
          }
        : {}),
    };
  }
}

