/**
 * How a sandbox charge ends: success, or a decline with a realistic soft (may succeed later) or hard
 * (never retry) reason, each in the provider's own vocabulary. Deterministic: a pure function of the
 * seed and the charge's identity, so a run can be repeated exactly.
 *
 * Magic amounts force an outcome, whatever the seed (ISO 8583 response codes as minor units):
 *   5 → do not honour (soft) · 14 → invalid card number (hard) · 43 → lost or stolen (hard) ·
 *   51 → insufficient funds (soft) · 54 → card expired (hard) · 61 → amount limit exceeded (soft) ·
 *   62 → card restricted (hard) · 91 → issuer unavailable (soft).   e.g. 0.51 EUR → insufficient funds.
 */
import { hashUnit } from './random';

export interface DeclineReason {
  id: string;
  /** Soft: the issuer may approve a later attempt. Hard: never retry this card/agreement. */
  soft: boolean;
  /** ISO 8583 response code (Wonder's payment_data, and the magic amounts). */
  iso: string;
  text: string;
  /** ePay `errorCode` (SPEC §2.5). */
  epay: string;
  /** ACI-style result code JPMMPS returns in paymentProviderResponse.result (sandbox choice). */
  aci: string;
}

export const DECLINE_REASONS: readonly DeclineReason[] = [
  { id: 'insufficient_funds', soft: true, iso: '51', text: 'Insufficient funds', epay: 'INSUFFICIENT_FUNDS', aci: '800.100.203' },
  { id: 'do_not_honor', soft: true, iso: '05', text: 'Do not honour', epay: 'DO_NOT_HONOR', aci: '800.100.100' },
  { id: 'issuer_down', soft: true, iso: '91', text: 'Issuer or switch inoperative', epay: 'ISSUER_DOWN', aci: '800.100.152' },
  { id: 'amount_limit_exceeded', soft: true, iso: '61', text: 'Exceeds amount limit', epay: 'AMOUNT_LIMIT_EXCEEDED', aci: '800.100.162' },
  { id: 'card_expired', soft: false, iso: '54', text: 'Expired card', epay: 'CARD_EXPIRED', aci: '100.100.303' },
  { id: 'card_lost_or_stolen', soft: false, iso: '43', text: 'Lost or stolen card, pick up', epay: 'CARD_LOST_OR_STOLEN', aci: '800.100.171' },
  { id: 'card_restricted', soft: false, iso: '62', text: 'Restricted card', epay: 'CARD_RESTRICTED', aci: '800.100.170' },
  { id: 'invalid_card_number', soft: false, iso: '14', text: 'Invalid card number', epay: 'INVALID_CARD_NUMBER', aci: '800.100.151' },
];

const MAGIC: ReadonlyMap<number, DeclineReason> = new Map(DECLINE_REASONS.map((r) => [Number(r.iso), r]));

export interface OutcomeConfig {
  /** Share of charges declined, 0..1 (default 0.15). */
  declineRate?: number;
  /** Of the declines, the share that are soft (default 0.6). */
  softShare?: number;
  /** A charge becomes final this long after it was accepted, in ms: [min, max] (default [1000, 10000]). */
  settleMs?: readonly [number, number];
}

export type Outcome = { result: 'success' } | { result: 'declined'; reason: DeclineReason };

export interface Decided {
  outcome: Outcome;
  /** ms after acceptance at which the charge is final. */
  settleMs: number;
}

export const DEFAULT_OUTCOMES: Required<OutcomeConfig> = { declineRate: 0.15, softShare: 0.6, settleMs: [1000, 10_000] };

/**
 * `identity` names the charge (the merchant's reference plus how many times that reference was
 * charged before), so a soft-declined row tried again later can succeed.
 */
export function decide(seed: number, provider: string, identity: string, amountMinor: number, cfg: OutcomeConfig = {}): Decided {
  const c = { ...DEFAULT_OUTCOMES, ...cfg };
  const [lo, hi] = c.settleMs;
  const settleMs = Math.round(lo + hashUnit(seed, provider, 'settle', identity) * Math.max(0, hi - lo));
  const magic = MAGIC.get(amountMinor);
  if (magic) return { outcome: { result: 'declined', reason: magic }, settleMs };
  if (hashUnit(seed, provider, 'outcome', identity) >= c.declineRate) return { outcome: { result: 'success' }, settleMs };
  const soft = hashUnit(seed, provider, 'softness', identity) < c.softShare;
  const pool = DECLINE_REASONS.filter((r) => r.soft === soft);
  const reason = pool[Math.floor(hashUnit(seed, provider, 'reason', identity) * pool.length)]!;
  return { outcome: { result: 'declined', reason }, settleMs };
}
