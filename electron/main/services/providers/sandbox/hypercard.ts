/**
 * HyperCard 2.1.23 Single card transaction Inquiry-v2 (SPEC §5): POST /v2/openapi/card/transaction/record
 * with headers timestamp, nonce, api-key, signature, version (lang optional) and body
 * {card_id, start_time, end_time} (MMyyyy, at most 6 months); SHA256withRSA signature over every
 * header and body field except `signature` and empty values, sorted by name (ASCII), joined
 * `name=value` with `&`. Envelope {code, msg, data}; "00000" = ok.
 *
 * Sandbox choices where SPEC is silent:
 * - "At most 6 months" counts months inclusively: 012026..062026 is accepted, 012026..072026 is
 *   refused (A0003); a client that splits longer ranges into 6-month pieces is right either way.
 * - Answers are HTTP 200 with the envelope for every business outcome: A0000 authentication
 *   (missing headers, wrong api-key, bad signature, timestamp more than 5 min off, nonce reused),
 *   A0003 parameter error, A0004 card does not exist.
 * - Nested body values are signed as their JSON text (canonicalisation of nested JSON is unknown).
 * - Statements are synthetic and deterministic per (seed, card, month), dated in GMT+8; months
 *   after the current one have no statement; rows of the last two days are `status 0` (in
 *   operation) and become final as the clock moves on.
 */
import { createVerify } from 'node:crypto';
import { hashUnit, type Clock } from './random';
import { SANDBOX_CREDENTIALS, SANDBOX_HYPERCARD_CARD_IDS, hypercardPublicKey } from './credentials';
import { header, isObject, jsonBody, type GenericError, type ProviderSim, type SimContext, type SimRequest, type SimResponse } from './sim';

export const HYPERCARD_MAX_MONTHS = 6;
export const HYPERCARD_SKEW_S = 300;
const GMT8_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const SIGNED_HEADERS = ['timestamp', 'nonce', 'api-key', 'version', 'lang'];

const reply = (code: string, msg: string, data: unknown = null): SimResponse => ({ status: 200, json: { code, msg, data } });

/** The string HyperCard signs: fields sorted by name, empty values and `signature` left out. */
export function hypercardSigningString(fields: Record<string, unknown>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature' && fields[k] !== undefined && fields[k] !== null && fields[k] !== '')
    .sort()
    .map((k) => {
      const v = fields[k];
      return `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
    })
    .join('&');
}

/** `MMyyyy` → months since year 0, or null. */
function monthIndex(s: unknown): number | null {
  if (typeof s !== 'string' || !/^(0[1-9]|1[0-2])\d{4}$/.test(s)) return null;
  return Number(s.slice(2)) * 12 + Number(s.slice(0, 2)) - 1;
}

function mmyyyy(index: number): string {
  return String((index % 12) + 1).padStart(2, '0') + String(Math.floor(index / 12));
}

export class HypercardSim implements ProviderSim {
  readonly id = 'hypercard' as const;
  private readonly nonces = new Map<string, number>();
  private readonly clock: Clock;

  constructor(private readonly ctx: SimContext) {
    this.clock = ctx.clock;
  }

  error(kind: GenericError, message: string, retryAfterSeconds?: number): SimResponse {
    const status = { not_found: 404, method_not_allowed: 405, too_large: 413, rate_limited: 429, server_error: 500 }[kind];
    return { status, ...(kind === 'rate_limited' ? { headers: { 'Retry-After': String(retryAfterSeconds ?? 1) } } : {}), json: { code: kind === 'server_error' ? 'B0001' : 'A0000', msg: message, data: null } };
  }

  handle(req: SimRequest): SimResponse {
    if (req.path !== '/v2/openapi/card/transaction/record') return this.error('not_found', `No endpoint ${req.method} ${req.path}.`);
    if (req.method !== 'POST') return this.error('method_not_allowed', `${req.method} is not allowed; use POST.`);
    const body = jsonBody(req);
    if (!body.ok) return reply('A0003', body.message);
    if (!isObject(body.value)) return reply('A0003', 'The body must be a JSON object.');
    const b = body.value;
    const denied = this.authenticate(req, b);
    if (denied) return denied;

    if (typeof b['card_id'] !== 'string' || b['card_id'] === '') return reply('A0003', 'card_id is required.');
    const start = monthIndex(b['start_time']);
    const end = monthIndex(b['end_time']);
    if (start === null) return reply('A0003', 'start_time must be MMyyyy, e.g. 012026.');
    if (end === null) return reply('A0003', 'end_time must be MMyyyy, e.g. 062026.');
    if (end < start) return reply('A0003', 'end_time is before start_time.');
    if (end - start + 1 > HYPERCARD_MAX_MONTHS) return reply('A0003', `The range spans ${end - start + 1} months; at most ${HYPERCARD_MAX_MONTHS} months can be queried at once.`);
    const cardId = b['card_id'];
    if (!(SANDBOX_HYPERCARD_CARD_IDS as readonly string[]).includes(cardId)) return reply('A0004', 'Card does not exist.');

    const now = this.clock.now();
    const nowLocal = new Date(now + GMT8_MS);
    const current = nowLocal.getUTCFullYear() * 12 + nowLocal.getUTCMonth();
    const data = [];
    for (let m = start; m <= Math.min(end, current); m++) data.push(this.statement(cardId, m, now, m === current));
    return reply('00000', 'ok', data);
  }

  private authenticate(req: SimRequest, body: Record<string, unknown>): SimResponse | null {
    const h: Record<string, string | undefined> = {};
    for (const k of [...SIGNED_HEADERS, 'signature']) h[k] = header(req, k);
    const missing = ['timestamp', 'nonce', 'api-key', 'signature', 'version'].filter((k) => !h[k]);
    if (missing.length > 0) return reply('A0000', `Missing header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
    if (h['api-key'] !== SANDBOX_CREDENTIALS.hypercard.apiKey) return reply('A0000', 'Unknown api-key.');
    if (h['version'] !== '1.0') return reply('A0000', `Unsupported version ${h['version']}; use 1.0.`);
    if (!/^\d{1,12}$/.test(h['timestamp']!)) return reply('A0000', 'timestamp must be Unix seconds.');
    const nowS = Math.floor(this.clock.now() / 1000);
    if (Math.abs(nowS - Number(h['timestamp'])) > HYPERCARD_SKEW_S) return reply('A0000', 'timestamp is more than 5 minutes from server time: check the computer clock.');
    if (h['nonce']!.length !== 10) return reply('A0000', 'nonce must be 10 random characters.');
    const fields: Record<string, unknown> = { ...body };
    for (const k of SIGNED_HEADERS) if (h[k] !== undefined) fields[k] = h[k];
    let ok = false;
    try {
      ok = createVerify('RSA-SHA256').update(hypercardSigningString(fields)).verify(hypercardPublicKey(), h['signature']!, 'base64');
    } catch {
      ok = false;
    }
    if (!ok) return reply('A0000', 'Signature verification failed.');
    const nowMs = this.clock.now();
    for (const [n, exp] of this.nonces) if (exp <= nowMs) this.nonces.delete(n);
    if (this.nonces.has(h['nonce']!)) return reply('A0000', 'nonce was already used: sign every request with a new nonce.');
    this.nonces.set(h['nonce']!, nowMs + HYPERCARD_SKEW_S * 2000);
    return null;
  }

  /** One deterministic statement month: a monthly fee, a few purchases, sometimes a refund or a failed purchase. */
  private statement(cardId: string, month: number, now: number, current: boolean) {
    const seed = this.ctx.seed;
    const y = Math.floor(month / 12);
    const mo = month % 12;
    const monthStart = Date.UTC(y, mo, 1) - GMT8_MS;
    const days = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
    const n = 2 + Math.floor(hashUnit(seed, cardId, month, 'n') * 5);
    const rows = [];
    for (let i = 0; i < n; i++) {
      const u = (what: string) => hashUnit(seed, cardId, month, i, what);
      const at = monthStart + Math.floor((i === 0 ? 0 : u('day') * days) * DAY_MS) + Math.floor(u('time') * 20 * 3600 * 1000);
      if (at > now) continue;
      const kindRoll = u('kind');
      const type = i === 0 ? 10 : kindRoll < 0.75 ? 1 : kindRoll < 0.88 ? 8 : 14;
      const amount = type === 10 ? 250 : 100 + Math.floor(u('amount') * 20_000);
      const value = (amount / 100).toFixed(2);
      const settled = at + 2 * DAY_MS <= now;
      const status = !settled ? 0 : type === 14 ? 2 : 1;
      const isCredit = type === 8;
      rows.push({
        tx_id: String(Math.floor(hashUnit(seed, cardId, month, i, 'id') * 9e12) + 1e12),
        type,
        status,
        credit: isCredit ? value : '0',
        debit: isCredit || type === 14 ? '0' : value,
        tx_amount: value,
        tx_currency: 'USD',
        fee: type === 1 ? (amount * 0.01 / 100).toFixed(2) : '0',
        description: type === 10 ? 'MONTHLY FEE' : type === 8 ? 'REFUND SANDBOX STORE' : type === 14 ? 'CONSUMPTION FAILURE' : 'SANDBOX STORE PURCHASE',
        transaction_date: String(Math.floor(at / 1000)),
        posting_date: settled ? String(Math.floor((at + DAY_MS) / 1000)) : '',
      });
    }
    const last = new Date(Date.UTC(y, mo, days));
    return {
      month_year: mmyyyy(month),
      statement_cycle_date: current ? '' : `${String(last.getUTCDate()).padStart(2, '0')}/${String(mo + 1).padStart(2, '0')}/${y}`,
      bank_tx_list: rows,
    };
  }
}
