/**
 * What the sandbox did, for tests and fault scripts: every money movement it accepted (charge,
 * authorization, refund, void) and every idempotency key it saw, with how often the key was
 * received, processed and replayed. "Charged twice" = two charge entries with the same merchant
 * reference; `duplicates()` lists them. Card numbers never enter the ledger.
 */

export type SandboxProviderId = 'wonder' | 'epay' | 'sibs' | 'jpmmps' | 'hypercard';
export const SANDBOX_PROVIDERS: readonly SandboxProviderId[] = ['wonder', 'epay', 'sibs', 'jpmmps', 'hypercard'];

export type MovementKind = 'charge' | 'authorization' | 'refund' | 'void' | 'cancellation';

export interface LedgerEntry {
  seq: number;
  provider: SandboxProviderId;
  kind: MovementKind;
  /** The provider's id for it (ePay transaction id, SIBS transactionID, JPMMPS uniqueReference...). */
  providerRef: string;
  /** The merchant's reference: ePay `reference`, SIBS `merchantTransactionId`, JPMMPS `partnerReference`, Wonder `Reference Number`. */
  merchantRef: string;
  /** Idempotency key / modificationId the request carried, when it had one. */
  idempotencyKey: string | null;
  amountMinor: number;
  currency: string;
  acceptedAt: number;
  /** When it becomes final (SUCCESS/FAILED…). */
  finalAt: number;
  result: 'success' | 'declined';
  reason: string | null;
}

export interface KeyStats {
  provider: SandboxProviderId;
  /** The endpoint the key is scoped to, e.g. `POST /public/api/v1/mit/batch`. */
  endpoint: string;
  key: string;
  received: number;
  processed: number;
  replayed: number;
  /** Replays whose body differed from the first request (a client bug: one key, two requests). */
  bodyMismatch: number;
}

export interface RequestStats {
  received: number;
  processed: number;
  faults: Record<string, number>;
  rateLimited: number;
}

export interface DuplicateCharge {
  provider: SandboxProviderId;
  key: string;
  count: number;
  providerRefs: string[];
}

const CHARGING: ReadonlySet<MovementKind> = new Set<MovementKind>(['charge', 'authorization']);

export class Ledger {
  private seq = 0;
  private readonly list: LedgerEntry[] = [];
  private readonly keyStats = new Map<string, KeyStats>();
  private readonly reqStats = new Map<SandboxProviderId, RequestStats>();

  record(e: Omit<LedgerEntry, 'seq'>): LedgerEntry {
    const entry = { ...e, seq: ++this.seq };
    this.list.push(entry);
    return entry;
  }

  entries(provider?: SandboxProviderId): LedgerEntry[] {
    return this.list.filter((e) => provider === undefined || e.provider === provider);
  }

  /** Charges and authorizations (money taken or blocked on a card), declined ones included. */
  charges(provider?: SandboxProviderId): LedgerEntry[] {
    return this.entries(provider).filter((e) => CHARGING.has(e.kind));
  }

  /** How many earlier charges carry this merchant reference (feeds the outcome of a new attempt). */
  attemptsFor(provider: SandboxProviderId, merchantRef: string): number {
    let n = 0;
    for (const e of this.list) if (e.provider === provider && e.merchantRef === merchantRef && CHARGING.has(e.kind)) n++;
    return n;
  }

  /**
   * Charges that share a key (default: provider + merchant reference), i.e. the same row charged
   * more than once. Declined attempts count: a retry after a soft decline is the caller's choice,
   * so pass `keyOf` to group differently (e.g. only successful charges).
   */
  duplicates(provider?: SandboxProviderId, keyOf: (e: LedgerEntry) => string | null = (e) => e.merchantRef): DuplicateCharge[] {
    const groups = new Map<string, DuplicateCharge>();
    for (const e of this.charges(provider)) {
      const k = keyOf(e);
      if (k === null) continue;
      const id = `${e.provider}\u001f${k}`;
      const g = groups.get(id) ?? { provider: e.provider, key: k, count: 0, providerRefs: [] };
      g.count++;
      g.providerRefs.push(e.providerRef);
      groups.set(id, g);
    }
    return [...groups.values()].filter((g) => g.count > 1);
  }

  keySeen(provider: SandboxProviderId, endpoint: string, key: string, how: 'processed' | 'replayed' | 'received', bodyMismatch = false): void {
    const id = `${provider}\u001f${endpoint}\u001f${key}`;
    const s = this.keyStats.get(id) ?? { provider, endpoint, key, received: 0, processed: 0, replayed: 0, bodyMismatch: 0 };
    if (how === 'received') s.received++;
    else if (how === 'processed') s.processed++;
    else s.replayed++;
    if (bodyMismatch) s.bodyMismatch++;
    this.keyStats.set(id, s);
  }

  keys(provider?: SandboxProviderId): KeyStats[] {
    return [...this.keyStats.values()].filter((s) => provider === undefined || s.provider === provider);
  }

  key(provider: SandboxProviderId, key: string): KeyStats[] {
    return this.keys(provider).filter((s) => s.key === key);
  }

  private stats(provider: SandboxProviderId): RequestStats {
    let s = this.reqStats.get(provider);
    if (!s) {
      s = { received: 0, processed: 0, faults: {}, rateLimited: 0 };
      this.reqStats.set(provider, s);
    }
    return s;
  }

  requestReceived(provider: SandboxProviderId): void {
    this.stats(provider).received++;
  }

  requestProcessed(provider: SandboxProviderId): void {
    this.stats(provider).processed++;
  }

  faultApplied(provider: SandboxProviderId, kind: string): void {
    const f = this.stats(provider).faults;
    f[kind] = (f[kind] ?? 0) + 1;
  }

  rateLimited(provider: SandboxProviderId): void {
    this.stats(provider).rateLimited++;
  }

  requests(provider: SandboxProviderId): RequestStats {
    const s = this.stats(provider);
    return { ...s, faults: { ...s.faults } };
  }

  /** Plain JSON of everything (also served at GET /_sandbox/ledger). */
  snapshot(): { entries: LedgerEntry[]; keys: KeyStats[]; requests: Record<string, RequestStats>; duplicates: DuplicateCharge[] } {
    const requests: Record<string, RequestStats> = {};
    for (const p of this.reqStats.keys()) requests[p] = this.requests(p);
    return { entries: this.entries(), keys: this.keys(), requests, duplicates: this.duplicates() };
  }

  reset(): void {
    this.list.length = 0;
    this.keyStats.clear();
    this.reqStats.clear();
  }
}
