/**
 * HyperCard 2.1.23 Single card transaction Inquiry-v2 (SPEC §5.2): POST
 * /v2/openapi/card/transaction/record with card_id, start_time and end_time as `MMyyyy`, at most 6
 * months per call (we read "span max 6 months" as six statement months, start and end included);
 * longer ranges are split into consecutive windows. Used to reconcile what was charged to a card.
 */
import { request, joinUrl, TransportError } from '../http';
import { errorSummary, obj, str } from '../common';
import { ConnectionProblem, Throttled } from '../types';
import type { ConnectionOf } from '../connection';
import { hypercardSign } from './sign';

export const HYPERCARD_RECORD_PATH = '/v2/openapi/card/transaction/record';
export const HYPERCARD_MAX_MONTHS = 6;

export interface Month {
  month: number; // 1-12
  year: number;
}

export function parseMonth(mmyyyy: string): Month {
  const m = /^(0[1-9]|1[0-2])(\d{4})$/.exec(mmyyyy);
  if (!m) throw new RangeError(`"${mmyyyy}" is not a month written MMyyyy (e.g. 012024).`);
  return { month: Number(m[1]), year: Number(m[2]) };
}

export function formatMonth(m: Month): string {
  return String(m.month).padStart(2, '0') + String(m.year);
}

const index = (m: Month) => m.year * 12 + (m.month - 1);
const fromIndex = (i: number): Month => ({ year: Math.floor(i / 12), month: (i % 12) + 1 });

/** Splits [start, end] (inclusive months) into windows of at most `max` months, in order. */
export function splitMonths(start: string, end: string, max = HYPERCARD_MAX_MONTHS): { start_time: string; end_time: string }[] {
  const a = index(parseMonth(start));
  const b = index(parseMonth(end));
  if (b < a) throw new RangeError(`The end month ${end} is before the start month ${start}.`);
  const out: { start_time: string; end_time: string }[] = [];
  for (let i = a; i <= b; i += max) out.push({ start_time: formatMonth(fromIndex(i)), end_time: formatMonth(fromIndex(Math.min(b, i + max - 1))) });
  return out;
}

export interface CardTransaction {
  monthYear: string;
  txId: string;
  type: number | null;
  /** 0 in operation · 1 success · 2 fail. */
  status: number | null;
  credit: string | null;
  debit: string | null;
  txAmount: string | null;
  txCurrency: string | null;
  fee: string | null;
  description: string | null;
  transactionDate: number | null;
  postingDate: number | null;
  mcTradeNo: string | null;
}

/** credit/debit/amounts may arrive as strings or JSON numbers (SPEC §5.7): kept as text, never floats. */
function amountText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function intOrNull(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

export function parseInquiry(json: unknown): CardTransaction[] {
  const o = obj(json) ?? {};
  const code = str(o.code);
  if (code !== '00000') throw new Error(`HyperCard answered code ${code ?? '(none)'}${str(o.msg) ? `: ${str(o.msg)}` : ''}.`);
  const months = Array.isArray(o.data) ? o.data : [];
  const out: CardTransaction[] = [];
  for (const m of months) {
    const mo = obj(m) ?? {};
    const monthYear = str(mo.month_year) ?? '';
    for (const t of Array.isArray(mo.bank_tx_list) ? mo.bank_tx_list : []) {
      const x = obj(t) ?? {};
      out.push({
        monthYear,
        txId: str(x.tx_id) ?? '',
        type: intOrNull(x.type),
        status: intOrNull(x.status),
        credit: amountText(x.credit),
        debit: amountText(x.debit),
        txAmount: amountText(x.tx_amount),
        txCurrency: str(x.tx_currency) ?? null,
        fee: amountText(x.fee),
        description: str(x.description) ?? null,
        transactionDate: intOrNull(x.transaction_date),
        postingDate: intOrNull(x.posting_date),
        mcTradeNo: str(x.mc_trade_no) ?? null,
      });
    }
  }
  return out;
}

export class HypercardClient {
  constructor(private readonly conn: ConnectionOf<'hypercard'>) {}

  private async post(path: string, body: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
    const text = JSON.stringify(body);
    const headers = hypercardSign({ apiKey: this.conn.credentials.apiKey, privateKeyPem: this.conn.credentials.privateKeyPem, body });
    const res = await request({ method: 'POST', url: joinUrl(this.conn.baseUrl, path), headers: { ...headers }, body: text, timeoutMs: 30_000, ...(signal ? { signal } : {}) });
    if (res.status === 401 || res.status === 403) throw new ConnectionProblem(`HyperCard refused the signature or API key (${errorSummary(res)}).`);
    if (res.status === 429) throw new Throttled(undefined, 'HyperCard asked to slow down.');
    if (res.status >= 500) throw new TransportError('network', false, `HyperCard answered ${errorSummary(res)}.`);
    return res.json;
  }

  /** Every transaction of a card between two months (inclusive), one call per ≤ 6-month window. */
  async transactions(cardId: string, startMonth: string, endMonth: string, signal?: AbortSignal): Promise<CardTransaction[]> {
    const out: CardTransaction[] = [];
    for (const w of splitMonths(startMonth, endMonth)) {
      const json = await this.post(HYPERCARD_RECORD_PATH, { card_id: cardId, ...w }, signal);
      const o = obj(json);
      if (o && str(o.code) !== '00000' && /sign|signature|api.?key/i.test(str(o.msg) ?? '')) throw new ConnectionProblem(`HyperCard refused the request: ${str(o.msg)}.`);
      out.push(...parseInquiry(json));
    }
    return out;
  }

  async test(signal?: AbortSignal): Promise<string> {
    const now = new Date();
    const month = formatMonth({ month: now.getUTCMonth() + 1, year: now.getUTCFullYear() });
    const cardId = this.conn.credentials.cardIds?.[0] ?? 'batchdesk-connection-test';
    const json = await this.post(HYPERCARD_RECORD_PATH, { card_id: cardId, start_time: month, end_time: month }, signal);
    const o = obj(json) ?? {};
    const code = str(o.code);
    if (code === '00000') return 'HyperCard answered: the signature and API key were accepted.';
    if (code === 'A0004' || code === 'A0003') return `HyperCard checked the signature and answered ${code} (${str(o.msg) ?? 'no such card'}): the connection works.`;
    throw new ConnectionProblem(`HyperCard answered code ${code ?? '(none)'}${str(o.msg) ? ` (${str(o.msg)})` : ''}.`);
  }
}
