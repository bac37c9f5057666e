/**
 * Fault injection, per provider. A faulted request is one of:
 *   latency  — delayed by latencyMs, then processed and answered normally;
 *   429      — refused before processing, with the provider's rate-limit body and Retry-After;
 *   500      — refused before processing, with the provider's server-error body;
 *   reset    — the connection is destroyed before processing (nothing happened);
 *   drop     — processed in full (money moves, the ledger records it), then the connection is
 *              destroyed instead of answering: the "outcome unknown" case a client must reconcile.
 * Decisions come from a seeded stream per provider, so a run with one seed repeats.
 */
import { seededStream, seedFor } from './random';
import type { SandboxProviderId } from './ledger';

export const FAULT_KINDS = ['latency', '429', '500', 'reset', 'drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig {
  /** Share of requests that get a fault, 0..1. */
  rate: number;
  /** Which faults, with relative weights (default: all five, equal weight). An array means equal weights. */
  kinds?: readonly FaultKind[] | Partial<Record<FaultKind, number>>;
  /** Delay of a `latency` fault in ms, [min, max] (default [200, 1500]). */
  latencyMs?: readonly [number, number];
  /** Retry-After of an injected 429, seconds (default 1). */
  retryAfterSeconds?: number;
  /** Only requests whose method + path match, e.g. /^POST /. Default: every provider request. */
  match?: RegExp;
  /** Fault at most this many requests, then stop (e.g. `{rate: 1, kinds: ['drop'], count: 1}` = the next one). */
  count?: number;
}

/** Per provider, or `all` for every provider without its own entry. */
export type FaultsConfig = Partial<Record<SandboxProviderId | 'all', FaultConfig | null>>;

export interface FaultDecision {
  kind: FaultKind;
  latencyMs: number;
  retryAfterSeconds: number;
}

interface Active {
  cfg: FaultConfig;
  weights: [FaultKind, number][];
  total: number;
  left: number;
}

function weightsOf(kinds: FaultConfig['kinds']): [FaultKind, number][] {
  if (kinds === undefined) return FAULT_KINDS.map((k) => [k, 1]);
  if (Array.isArray(kinds)) return (kinds as readonly FaultKind[]).map((k) => [k, 1]);
  return Object.entries(kinds as Partial<Record<FaultKind, number>>).filter(([, w]) => typeof w === 'number' && w > 0) as [FaultKind, number][];
}

function validate(cfg: FaultConfig): void {
  if (!(cfg.rate >= 0 && cfg.rate <= 1)) throw new RangeError(`fault rate must be between 0 and 1, got ${cfg.rate}`);
  for (const [k] of weightsOf(cfg.kinds)) if (!FAULT_KINDS.includes(k)) throw new RangeError(`unknown fault kind "${k}" (expected ${FAULT_KINDS.join(', ')})`);
  if (cfg.latencyMs && !(cfg.latencyMs[0] >= 0 && cfg.latencyMs[1] >= cfg.latencyMs[0])) throw new RangeError('latencyMs must be [min, max] with 0 <= min <= max');
}

export class Faults {
  private active = new Map<SandboxProviderId | 'all', Active>();
  private readonly streams = new Map<SandboxProviderId, () => number>();

  constructor(private readonly seed: number, config: FaultsConfig = {}) {
    this.set(config);
  }

  /** Replaces the whole configuration (`{}` = no faults). */
  set(config: FaultsConfig): void {
    const next = new Map<SandboxProviderId | 'all', Active>();
    for (const [p, cfg] of Object.entries(config) as [SandboxProviderId | 'all', FaultConfig | null | undefined][]) {
      if (!cfg) continue;
      validate(cfg);
      const weights = weightsOf(cfg.kinds);
      next.set(p, { cfg, weights, total: weights.reduce((s, [, w]) => s + w, 0), left: cfg.count ?? Infinity });
    }
    this.active = next;
  }

  decide(provider: SandboxProviderId, method: string, path: string): FaultDecision | null {
    const a = this.active.get(provider) ?? this.active.get('all');
    if (!a || a.left <= 0 || a.total <= 0) return null;
    if (a.cfg.match && !a.cfg.match.test(`${method} ${path}`)) return null;
    let rnd = this.streams.get(provider);
    if (!rnd) {
      rnd = seededStream(seedFor(this.seed, `faults:${provider}`));
      this.streams.set(provider, rnd);
    }
    const hit = rnd() < a.cfg.rate;
    const pick = rnd() * a.total;
    const lat = rnd();
    if (!hit) return null;
    a.left--;
    let acc = 0;
    let kind: FaultKind = a.weights[0]![0];
    for (const [k, w] of a.weights) {
      acc += w;
      if (pick < acc) {
        kind = k;
        break;
      }
    }
    const [lo, hi] = a.cfg.latencyMs ?? [200, 1500];
    return { kind, latencyMs: Math.round(lo + lat * (hi - lo)), retryAfterSeconds: a.cfg.retryAfterSeconds ?? 1 };
  }
}
