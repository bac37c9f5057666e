/**
 * J.P. Morgan Mobility Payment Solutions, KontoCloud technical-account API (SPEC §4A):
 * POST /user/{userId}/issue → token + validUntil; PUT /payment/authorize with X-Auth-Token on a
 * stored payment option → 201 + uniqueReference; GET /payment/{uniqueReference}/status.
 * The SmartPay OpenAPI (§4B: /payment/mit with modificationId) lives in ./smartpay and shares the prefix.
 *
 * Sandbox choices where SPEC is silent:
 * - Error bodies use the common envelope with these responseCodes: 0000 ok, 4000 invalid request,
 *   4010 bad credentials / missing, invalid or expired token, 4030 account not assigned to the user,
 *   4040 not found, 4090 conflict, 4290 throttled, 5000 server error.
 * - Tokens are valid 30 minutes (validUntil); Authorization: <token> or Bearer <token> is accepted too (vwfspay).
 * - Authorize is synchronous (the docs show 201 AUTHORIZED): a decline is 201 with statusCode
 *   "DECLINED", statusReason and an ACI-style paymentProviderResponse.result.code.
 * - partnerReference identifies the request: resending the identical request returns the first
 *   answer (nothing authorised twice); the same partnerReference with a different body is 409/4090.
 */
import { createHash, randomBytes } from 'node:crypto';
import { currencyExponent } from '../../../../../shared/formats/money';
import { decide, type Outcome } from './outcomes';
import { SANDBOX_CREDENTIALS } from './credentials';
import { header, isObject, sameJson, isoUtc, jsonBody, majorNumberToMinor, minorToMajorNumber, type GenericError, type ProviderSim, type SimContext, type SimRequest, type SimResponse } from './sim';
import { SmartPay } from './smartpay';

export const JPMMPS_TOKEN_TTL_MS = 30 * 60 * 1000;

interface Authorization {
  uniqueReference: string;
  partnerReference: string;
  bodyHash: string;
  response: SimResponse;
  request: Record<string, unknown>;
  amountMinor: number;
  currency: string;
  outcome: Outcome;
  at: number;
}

function sysFields(now: number) {
  const iso = isoUtc(now);
  return { sysDate: iso.slice(0, 10), sysTime: iso.slice(11, 19).replace(/:/g, '') };
}

export class JpmmpsSim implements ProviderSim {
  readonly id = 'jpmmps' as const;
  private readonly tokens = new Map<string, number>();
  private readonly auths = new Map<string, Authorization>();
  private readonly byPartnerRef = new Map<string, Authorization>();
  private readonly smartpay: SmartPay;

  constructor(private readonly ctx: SimContext) {
    this.smartpay = new SmartPay(ctx, (status, code, description) => this.fail(status, code, description));
  }

  fail(status: number, responseCode: string, responseDescription: string, extra: Record<string, unknown> = {}): SimResponse {
    return {
      status,
      json: { responseCode, responseDescription, additionalInformation: { requestId: randomBytes(16).toString('hex') }, ...extra, ...sysFields(this.ctx.clock.now()) },
    };
  }

  error(kind: GenericError, message: string, retryAfterSeconds?: number): SimResponse {
    switch (kind) {
      case 'not_found':
        return this.fail(404, '4040', message);
      case 'method_not_allowed':
        return this.fail(405, '4050', message);
      case 'too_large':
        return this.fail(413, '4130', message);
      case 'rate_limited':
        return { ...this.fail(429, '4290', message), headers: { 'Retry-After': String(retryAfterSeconds ?? 1) } };
      case 'server_error':
        return this.fail(500, '5000', message);
    }
  }

  handle(req: SimRequest): SimResponse {
    const { method, path } = req;
    const issue = /^\/user\/([^/]+)\/issue$/.exec(path);
    if (issue) {
      if (method !== 'POST') return this.error('method_not_allowed', `${method} is not allowed on ${path}; use POST.`);
      return this.issue(req, decodeURIComponent(issue[1]!));
    }
    if (path === '/payment/mit' || path === '/payment/capture' || path.startsWith('/payment/status/')) return this.smartpay.handle(req);
    if (path === '/payment/authorize') {
      if (method !== 'PUT') return this.error('method_not_allowed', `${method} is not allowed on ${path}; use PUT.`);
      const denied = this.checkToken(req);
      if (denied) return denied;
      return this.authorize(req);
    }
    const st = /^\/payment\/([^/]+)\/status$/.exec(path);
    if (st) {
      if (method !== 'GET') return this.error('method_not_allowed', `${method} is not allowed on ${path}; use GET.`);
      const denied = this.checkToken(req);
      if (denied) return denied;
      return this.status(req, decodeURIComponent(st[1]!));
    }
    return this.error('not_found', `No endpoint ${method} ${path}.`);
  }

  private issue(req: SimRequest, userId: string): SimResponse {
    const body = jsonBody(req);
    if (!body.ok) return this.fail(400, '4000', body.message);
    const password = isObject(body.value) ? body.value['password'] : undefined;
    if (userId.length > 255) return this.fail(400, '4000', 'userId is longer than 255 characters.');
    if (typeof password !== 'string' || password === '') return this.fail(400, '4000', 'password is required.');
    if (password.length > 128) return this.fail(400, '4000', 'password is longer than 128 characters.');
    const c = SANDBOX_CREDENTIALS.jpmmps;
    if (userId !== c.userId || password !== c.password) return this.fail(401, '4010', 'Unknown user or wrong password.');
    const now = this.ctx.clock.now();
    const token = `sbx.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, now + JPMMPS_TOKEN_TTL_MS);
    return { status: 200, json: { token, validUntil: isoUtc(now + JPMMPS_TOKEN_TTL_MS), responseCode: '0000', responseDescription: 'Successful execution', additionalInformation: { requestId: randomBytes(16).toString('hex') }, ...sysFields(now) } };
  }

  private checkToken(req: SimRequest): SimResponse | null {
    let token = header(req, 'x-auth-token');
    if (token === undefined) {
      const auth = header(req, 'authorization');
      if (auth !== undefined) token = auth.replace(/^Bearer\s+/i, '').trim();
    }
    if (token === undefined || token === '') return this.fail(401, '4010', 'Missing X-Auth-Token: issue a token with POST /user/{userId}/issue first.');
    const until = this.tokens.get(token);
    if (until === undefined) return this.fail(401, '4010', 'The token is not valid.');
    if (this.ctx.clock.now() >= until) return this.fail(401, '4010', 'The token has expired (validUntil passed): issue a new one.');
    return null;
  }

  private authorize(req: SimRequest): SimResponse {
    const body = jsonBody(req);
    if (!body.ok) return this.fail(400, '4000', body.message);
    const b = body.value;
    if (!isObject(b)) return this.fail(400, '4000', 'The body must be a JSON object.');
    const problems: string[] = [];
    const str = (k: string, max: number, required = true): string | null => {
      const v = b[k];
      if (v === undefined || v === null || v === '') {
        if (required) problems.push(`${k} is required`);
        return null;
      }
      if (typeof v !== 'string') {
        problems.push(`${k} must be a string`);
        return null;
      }
      if (v.length > max) problems.push(`${k} is longer than ${max} characters`);
      return v;
    };
    const partnerReference = str('partnerReference', 255);
    const programAccno = str('programAccno', 64);
    const accno = str('accno', 64);
    const accnoType = str('accnoType', 8);
    const spo = str('storedPaymentOptionReference', 64);
    const currency = str('presentationCurrCode', 3);
    str('presentationUsage', 127, false);
    str('custom1', 255, false);
    const localDate = str('localDate', 10);
    const localTime = str('localTime', 6);
    if (localDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(localDate)) problems.push('localDate must be yyyy-MM-dd');
    if (localTime !== null && !/^([01]\d|2[0-3])[0-5]\d[0-5]\d$/.test(localTime)) problems.push('localTime must be HHmmss');
    const udba = b['useDifferentBillingAddress'];
    if (udba !== undefined && typeof udba !== 'boolean') problems.push('useDifferentBillingAddress must be true or false');
    const exp = currency === null ? undefined : currencyExponent(currency);
    if (currency !== null && exp === undefined) problems.push('presentationCurrCode must be an ISO 4217 code, e.g. EUR');
    let minor: number | null = null;
    if (b['presentationAmount'] === undefined) problems.push('presentationAmount is required');
    else if (exp !== undefined) {
      minor = majorNumberToMinor(b['presentationAmount'], exp);
      if (minor === null) problems.push(exp === 0 ? `presentationAmount must be a whole number for ${currency}` : `presentationAmount must be a number with at most ${exp} decimals`);
      else if (minor <= 0) problems.push('presentationAmount must be greater than 0');
    }
    if (problems.length > 0) return this.fail(400, '4000', `Invalid request: ${problems.join('; ')}.`);
    const c = SANDBOX_CREDENTIALS.jpmmps;
    if (programAccno !== c.programAccno || accno !== c.accno || accnoType !== c.accnoType) {
      return this.fail(403, '4030', `Account ${accno}/${accnoType} of program ${programAccno} is not assigned to this user.`);
    }

    const bodyHash = createHash('sha256').update(req.body).digest('hex');
    const seen = this.byPartnerRef.get(partnerReference!);
    if (seen) {
      if (seen.bodyHash !== bodyHash && !sameJson(seen.request, b)) {
        return this.fail(409, '4090', `partnerReference ${partnerReference} was already used for a different request.`);
      }
      return seen.response;
    }

    const now = this.ctx.clock.now();
    const d = decide(this.ctx.seed, 'jpmmps', `${partnerReference}#0`, minor!, this.ctx.outcomes);
    const uniqueReference = this.uniqueRef();
    const declined = d.outcome.result === 'declined' ? d.outcome.reason : null;
    const amount = minorToMajorNumber(minor!, exp!);
    const json = {
      programAccno,
      accno,
      uniqueReference,
      loadAccountReference: this.ctx.ids.alnum('jpm-load', 22),
      storedPaymentOptionReference: spo,
      presentationAmount: amount,
      presentationCurrCode: currency,
      presentationUsage: b['presentationUsage'] ?? null,
      processedAmount: amount,
      processedCurrCode: currency,
      ...(b['custom1'] !== undefined ? { custom1: b['custom1'] } : {}),
      statusCode: declined ? 'DECLINED' : 'AUTHORIZED',
      statusReason: declined ? `Transaction declined: ${declined.text}` : "Request successfully processed in 'Merchant in Integrator Test Mode'",
      paymentProviderResponse: {
        id: this.ctx.ids.alnum('jpm-ppr', 32).toLowerCase(),
        paymentType: 'PA',
        amount: amount.toFixed(exp!),
        currency,
        descriptor: uniqueReference,
        merchantTransactionId: uniqueReference,
        result: declined ? { code: declined.aci, description: `transaction declined (${declined.text.toLowerCase()})` } : { code: '000.100.110', description: "Request successfully processed in 'Merchant in Integrator Test Mode'" },
        timestamp: isoUtc(now).replace('T', ' ').replace(/\.\d+Z$/, '+0000'),
      },
      partnerReference,
      localDate,
      localTime,
      ...sysFields(now),
      responseCode: '0000',
      responseDescription: 'Successful execution',
      additionalInformation: { requestId: randomBytes(16).toString('hex') },
    };
    const response: SimResponse = { status: 201, json };
    const auth: Authorization = { uniqueReference, partnerReference: partnerReference!, bodyHash, response, request: b, amountMinor: minor!, currency: currency!, outcome: d.outcome, at: now };
    this.auths.set(uniqueReference, auth);
    this.byPartnerRef.set(partnerReference!, auth);
    this.ctx.ledger.record({
      provider: 'jpmmps',
      kind: 'authorization',
      providerRef: uniqueReference,
      merchantRef: partnerReference!,
      idempotencyKey: partnerReference!,
      amountMinor: minor!,
      currency: currency!,
      acceptedAt: now,
      finalAt: now,
      result: d.outcome.result,
      reason: declined ? declined.aci : null,
    });
    return response;
  }

  private status(req: SimRequest, uniqueReference: string): SimResponse {
    const a = this.auths.get(uniqueReference);
    if (!a) return this.fail(404, '4040', `No payment with uniqueReference ${uniqueReference}.`);
    const pr = req.query.get('partnerReference');
    if (pr !== null && pr !== a.partnerReference) return this.fail(404, '4040', `Payment ${uniqueReference} has a different partnerReference.`);
    const r = a.response.json as Record<string, unknown>;
    const exp = currencyExponent(a.currency) ?? 2;
    return {
      status: 200,
      json: {
        uniqueReference,
        partnerReference: a.partnerReference,
        initiatorAccno: r['accno'],
        initiatorName: 'Batchdesk Sandbox Merchant',
        accno: r['accno'],
        presentationAmount: minorToMajorNumber(a.amountMinor, exp),
        presentationCurrCode: a.currency,
        presentationUsage: r['presentationUsage'],
        customerFullName: 'Sandbox Customer',
        statusCode: r['statusCode'],
        statusReason: r['statusReason'],
        localDate: req.query.get('localDate') ?? r['localDate'],
        localTime: req.query.get('localTime') ?? r['localTime'],
        ...sysFields(this.ctx.clock.now()),
        responseCode: '0000',
        responseDescription: 'Successful execution',
        additionalInformation: { requestId: randomBytes(16).toString('hex') },
      },
    };
  }

  private uniqueRef(): string {
    for (;;) {
      const id = this.ctx.ids.alnum('jpm-unique', 22);
      if (!this.auths.has(id)) return id;
    }
  }
}

