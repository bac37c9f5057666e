/**
 * SIBS Gateway SPG v2 (SPEC §3): `Authorization: Bearer <token>` + `X-IBM-Client-Id`, terminalId in
 * the body; a CIT (`paymentType "AUTH"`, 0.00) returns transactionID + transactionDateTime + token;
 * an MIT (`paymentType "MIT"` + originalTransaction, on POST /api/v2/payments or on
 * POST /api/v2/payments/{originalTransactionID}/mit — both forms SPEC cites) is processed
 * asynchronously; GET /api/v2/payments/{id}/status and GET /api/v2/payments/status?merchantTransactionId=
 * are the authoritative status. merchantTransactionId is unique per transaction.
 *
 * Sandbox choices where SPEC is silent:
 * - Missing auth headers → 400, wrong bearer or a terminalId not tied to it → 401, wrong client id
 *   → 403, all before the payload is read (SPEC §3.2/§3.4).
 * - A repeated merchantTransactionId is refused (HTTP 400, statusCode "E0409"): nothing is charged
 *   and the first transaction is untouched; find it with the status-by-merchantTransactionId query.
 * - originalTransaction.id of a CIT made in this sandbox must come with its exact datetime; other
 *   ids are taken as CITs made elsewhere (any valid ISO-8601 datetime).
 * - An accepted MIT answers returnStatus "000" + paymentStatus "InProcessing"; at its settle time
 *   it is "Success" (000) or "Declined" (10.106.0001, with the reason in statusDescription).
 * - Error statusCodes (the catalogue C.5 was not retrieved): E0400 payload, E0401 token/terminal,
 *   E0403 client id, E0404 unknown transaction, E0409 duplicate, E0429 throttled, E0500 server.
 */
import { currencyExponent } from '../../../../../shared/formats/money';
import { decide, type Outcome } from './outcomes';
import { SANDBOX_CREDENTIALS } from './credentials';
import { bearer, header, isIsoDateTime, isObject, isoUtc, jsonBody, majorNumberToMinor, minorToMajorNumber, type GenericError, type ProviderSim, type SimContext, type SimRequest, type SimResponse } from './sim';

const MIT_TYPES = ['RCRR', 'UCOF'];
const QUALIFIERS = ['ACTUAL', 'ESTIMATED'];
const INTERVALS = ['DAILY', 'WEEKLY', 'BIWEEKLY', 'MONTHLY', 'QUARTERLY', 'SEMIANNUAL', 'ANNUAL'];

interface SibsTx {
  transactionID: string;
  transactionDateTime: string;
  merchantTransactionId: string;
  terminalId: string;
  channel: string;
  paymentType: 'AUTH' | 'MIT';
  amountMinor: number;
  currency: string;
  createdAt: number;
  settleAt: number;
  outcome: Outcome;
  token: string | null;
  mit: Record<string, unknown> | null;
}

function returnStatus(statusCode: string, statusMsg: string, statusDescription: string) {
  return { returnStatus: { statusCode, statusMsg, statusDescription } };
}

function fail(status: number, code: string, description: string): SimResponse {
  return { status, json: returnStatus(code, 'Error', description) };
}

export class SibsSim implements ProviderSim {
  readonly id = 'sibs' as const;
  private readonly txs = new Map<string, SibsTx>();
  private readonly byMerchantId = new Map<string, SibsTx>();

  constructor(private readonly ctx: SimContext) {}

  error(kind: GenericError, message: string, retryAfterSeconds?: number): SimResponse {
    switch (kind) {
      case 'not_found':
        return fail(404, 'E0404', message);
      case 'method_not_allowed':
        return fail(405, 'E0405', message);
      case 'too_large':
        return fail(413, 'E0413', message);
      case 'rate_limited':
        return { ...fail(429, 'E0429', message), headers: { 'Retry-After': String(retryAfterSeconds ?? 1) } };
      case 'server_error':
        return fail(500, 'E0500', message);
    }
  }

  handle(req: SimRequest): SimResponse {
    const token = bearer(req);
    const clientId = header(req, 'x-ibm-client-id');
    if (token === undefined) return fail(400, 'E0400', 'Missing Authorization header: send "Authorization: Bearer <AuthToken>" from the SIBS Backoffice.');
    if (clientId === undefined || clientId === '') return fail(400, 'E0400', 'Missing X-IBM-Client-Id header.');
    if (token !== SANDBOX_CREDENTIALS.sibs.bearerToken) return fail(401, 'E0401', 'The bearer token is not valid.');
    if (clientId !== SANDBOX_CREDENTIALS.sibs.clientId) return fail(403, 'E0403', 'The X-IBM-Client-Id does not match the token.');

    const { method, path } = req;
    if (path === '/api/v2/payments') {
      if (method !== 'POST') return this.error('method_not_allowed', `${method} is not allowed on ${path}.`);
      return this.create(req, null);
    }
    const mit = /^\/api\/v2\/payments\/([^/]+)\/mit$/.exec(path);
    if (mit) {
      if (method !== 'POST') return this.error('method_not_allowed', `${method} is not allowed on ${path}.`);
      return this.create(req, decodeURIComponent(mit[1]!));
    }
    if (path === '/api/v2/payments/status') {
      if (method !== 'GET') return this.error('method_not_allowed', `${method} is not allowed on ${path}.`);
      const mtid = req.query.get('merchantTransactionId');
      if (!mtid) return fail(400, 'E0400', 'merchantTransactionId query parameter is required.');
      const tx = this.byMerchantId.get(mtid);
      if (!tx) return fail(404, 'E0404', `No transaction with merchantTransactionId ${mtid}.`);
      return { status: 200, json: this.present(tx) };
    }
    const st = /^\/api\/v2\/payments\/([^/]+)\/status$/.exec(path);
    if (st) {
      if (method !== 'GET') return this.error('method_not_allowed', `${method} is not allowed on ${path}.`);
      const tx = this.txs.get(decodeURIComponent(st[1]!));
      if (!tx) return fail(404, 'E0404', `Transaction ${st[1]} was not found.`);
      return { status: 200, json: this.present(tx) };
    }
    return this.error('not_found', `No endpoint ${method} ${path}.`);
  }

  private create(req: SimRequest, pathOriginalId: string | null): SimResponse {
    const body = jsonBody(req);
    if (!body.ok) return fail(400, 'E0400', body.message);
    const b = body.value;
    if (!isObject(b)) return fail(400, 'E0400', 'The body must be a JSON object with merchant and transaction.');
    const problems: string[] = [];
    const merchant = isObject(b['merchant']) ? b['merchant'] : null;
    const transaction = isObject(b['transaction']) ? b['transaction'] : null;
    if (!merchant) problems.push('merchant is required');
    if (!transaction) problems.push('transaction is required');
    if (!merchant || !transaction) return fail(400, 'E0400', `Invalid request: ${problems.join('; ')}.`);

    const terminalId = merchant['terminalId'];
    if (typeof terminalId !== 'string' && typeof terminalId !== 'number') problems.push('merchant.terminalId is required');
    const channel = merchant['channel'];
    if (channel !== 'web' && channel !== 'mobile') problems.push('merchant.channel must be "web" or "mobile"');
    const mtid = merchant['merchantTransactionId'];
    if (typeof mtid !== 'string' || mtid.trim() === '') problems.push('merchant.merchantTransactionId is required');
    else if (mtid.length > 255) problems.push('merchant.merchantTransactionId is longer than 255 characters');

    if (!isIsoDateTime(transaction['transactionTimestamp'])) problems.push('transaction.transactionTimestamp must be an ISO-8601 date-time (UTC)');
    const paymentType = pathOriginalId !== null ? (transaction['paymentType'] ?? 'MIT') : transaction['paymentType'];
    if (paymentType !== 'AUTH' && paymentType !== 'MIT') {
      problems.push(paymentType === 'PURS' ? 'paymentType PURS needs the hosted payment form; server-to-server the sandbox takes AUTH (CIT) and MIT' : 'transaction.paymentType must be "AUTH" or "MIT"');
    }
    const methods = transaction['paymentMethod'];
    if (pathOriginalId === null && (!Array.isArray(methods) || !methods.includes('CARD'))) problems.push('transaction.paymentMethod must be ["CARD"]');
    if (transaction['description'] !== undefined && typeof transaction['description'] !== 'string') problems.push('transaction.description must be a string');
    const amount = isObject(transaction['amount']) ? transaction['amount'] : null;
    let minor: number | null = null;
    let currency = '';
    if (!amount) problems.push('transaction.amount {value, currency} is required');
    else {
      currency = typeof amount['currency'] === 'string' ? amount['currency'] : '';
      const exp = currencyExponent(currency);
      if (exp === undefined) problems.push('transaction.amount.currency must be an ISO 4217 code, e.g. EUR');
      else {
        minor = majorNumberToMinor(amount['value'], exp);
        if (minor === null) problems.push(`transaction.amount.value must be a number with at most ${exp} decimals`);
        else if (paymentType === 'MIT' && minor <= 0) problems.push('transaction.amount.value must be greater than 0');
        else if (paymentType === 'AUTH' && minor < 0) problems.push('transaction.amount.value must not be negative');
      }
    }

    let original: { id: string; datetime: string } | null = null;
    if (paymentType === 'MIT') {
      const o = isObject(b['originalTransaction']) ? b['originalTransaction'] : null;
      if (!o) problems.push('originalTransaction {id, datetime} is required for an MIT');
      else {
        const id = o['id'];
        const dt = o['datetime'];
        if (typeof id !== 'string' || id === '') problems.push('originalTransaction.id is required');
        if (!isIsoDateTime(dt)) problems.push('originalTransaction.datetime must be the ISO-8601 transactionDateTime of the CIT');
        if (typeof id === 'string' && pathOriginalId !== null && id !== pathOriginalId) problems.push('originalTransaction.id differs from the transaction id in the path');
        if (typeof id === 'string' && typeof dt === 'string') original = { id, datetime: dt };
      }
      const m = b['merchantInitiatedTransaction'];
      if (m !== undefined) {
        if (!isObject(m)) problems.push('merchantInitiatedTransaction must be an object');
        else {
          if (m['type'] !== undefined && !MIT_TYPES.includes(m['type'] as string)) problems.push('merchantInitiatedTransaction.type must be RCRR or UCOF');
          if (m['amountQualifier'] !== undefined && !QUALIFIERS.includes(m['amountQualifier'] as string)) problems.push('merchantInitiatedTransaction.amountQualifier must be ACTUAL or ESTIMATED');
          if (m['validityDate'] !== undefined && !isIsoDateTime(m['validityDate'])) problems.push('merchantInitiatedTransaction.validityDate must be an ISO-8601 date-time');
          const s = m['schedule'];
          if (s !== undefined) {
            if (!isObject(s)) problems.push('merchantInitiatedTransaction.schedule must be an object');
            else {
              if (!INTERVALS.includes(s['interval'] as string)) problems.push(`merchantInitiatedTransaction.schedule.interval must be one of ${INTERVALS.join(', ')}`);
              if (!isIsoDateTime(s['initialDate']) || !isIsoDateTime(s['finalDate'])) problems.push('merchantInitiatedTransaction.schedule initialDate and finalDate must be ISO-8601 date-times');
            }
          }
        }
      }
    }
    if (problems.length > 0) return fail(400, 'E0400', `Invalid request: ${problems.join('; ')}.`);
    if (String(terminalId) !== SANDBOX_CREDENTIALS.sibs.terminalId) return fail(401, 'E0401', `Terminal ${String(terminalId)} is not tied to this token.`);

    if (original) {
      const cit = this.txs.get(original.id);
      if (cit) {
        if (cit.paymentType !== 'AUTH') return fail(400, 'E0400', `originalTransaction ${original.id} is not a customer-initiated authorisation (CIT).`);
        if (cit.transactionDateTime !== original.datetime) return fail(400, 'E0400', `originalTransaction.datetime must match the CIT's transactionDateTime exactly (${cit.transactionDateTime}).`);
        if (cit.outcome.result !== 'success') return fail(400, 'E0400', `originalTransaction ${original.id} was not successful; an MIT needs a successful CIT.`);
      }
    }
    const merchantRef = mtid as string;
    if (this.byMerchantId.has(merchantRef)) return fail(400, 'E0409', `merchantTransactionId ${merchantRef} is already used by another transaction; each transaction needs a new one.`);

    const now = this.ctx.clock.now();
    const isCit = paymentType === 'AUTH';
    const d = isCit ? { outcome: { result: 'success' } as Outcome, settleMs: 0 } : decide(this.ctx.seed, 'sibs', `${merchantRef}#0`, minor!, this.ctx.outcomes);
    const tx: SibsTx = {
      transactionID: this.uniqueId(isCit ? 'txCIT' : 'txMIT'),
      transactionDateTime: isoUtc(now),
      merchantTransactionId: merchantRef,
      terminalId: String(terminalId),
      channel: channel as string,
      paymentType: isCit ? 'AUTH' : 'MIT',
      amountMinor: minor!,
      currency,
      createdAt: now,
      settleAt: now + d.settleMs,
      outcome: d.outcome,
      token: isCit ? `TKN${this.ctx.ids.alnum('sibs-token', 12)}` : null,
      mit: isObject(b['merchantInitiatedTransaction']) ? b['merchantInitiatedTransaction'] : null,
    };
    this.txs.set(tx.transactionID, tx);
    this.byMerchantId.set(merchantRef, tx);
    if (!isCit) {
      this.ctx.ledger.record({
        provider: 'sibs',
        kind: 'authorization',
        providerRef: tx.transactionID,
        merchantRef,
        idempotencyKey: null,
        amountMinor: tx.amountMinor,
        currency,
        acceptedAt: now,
        finalAt: tx.settleAt,
        result: d.outcome.result,
        reason: d.outcome.result === 'declined' ? d.outcome.reason.text : null,
      });
    }
    return { status: 200, json: this.present(tx) };
  }

  private uniqueId(prefix: string): string {
    for (;;) {
      const id = prefix + this.ctx.ids.alnum('sibs', 12);
      if (!this.txs.has(id)) return id;
    }
  }

  private present(tx: SibsTx) {
    const now = this.ctx.clock.now();
    const final = now >= tx.settleAt;
    const declined = final && tx.outcome.result === 'declined' ? tx.outcome.reason : null;
    const status = !final
      ? { ...returnStatus('000', 'Success', 'Request processed; the payment is being processed.'), paymentStatus: 'InProcessing' }
      : declined
        ? { ...returnStatus('10.106.0001', 'Declined', declined.text), paymentStatus: 'Declined' }
        : { ...returnStatus('000', 'Success', 'Payment processed.'), paymentStatus: 'Success' };
    const exp = currencyExponent(tx.currency) ?? 2;
    return {
      ...status,
      paymentMethod: 'CARD',
      transactionID: tx.transactionID,
      transactionDateTime: tx.transactionDateTime,
      amount: { value: minorToMajorNumber(tx.amountMinor, exp), currency: tx.currency },
      merchant: { transactionId: tx.merchantTransactionId, terminalId: tx.terminalId, merchantName: 'Batchdesk Sandbox Merchant' },
      paymentType: tx.paymentType,
      ...(tx.token ? { token: { tokenType: 'Card', value: tx.token, maskedPAN: '411111******1111', expireDate: '2030-12-31' } } : {}),
      ...(tx.mit ? { merchantInitiatedTransaction: tx.mit } : {}),
    };
  }
}
