/** Backoff with jitter and a per-provider pacing gate (in-process). */

/** Full-jitter exponential backoff: a random delay in [base/2, base·2^tries], capped; Retry-After is a floor. */
export function backoffMs(tries: number, opts: { baseMs?: number; capMs?: number; retryAfterMs?: number | undefined; random?: () => number } = {}): number {
  const base = opts.baseMs ?? 500;
  const cap = opts.capMs ?? 60_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(tries, 20));
  const rnd = opts.random ?? Math.random;
  const jittered = base / 2 + rnd() * Math.max(0, ceiling - base / 2);
  return Math.max(opts.retryAfterMs ?? 0, Math.round(jittered));
}

/**
 * Spaces calls at least `intervalMs` apart and holds everyone back after a 429 (`holdUntil`).
 * One gate per provider and connection, shared by every batch this process drives.
 */
export class PaceGate {
  private next = 0;
  private held = 0;
  constructor(private readonly intervalMs: number) {}

  /** Reserves the next slot; resolves when it is due (or rejects when aborted). */
  async take(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next, this.held);
    this.next = at + this.intervalMs;
    const wait = at - now;
    if (wait > 0) await sleep(wait, signal);
  }

  hold(ms: number): void {
    this.held = Math.max(this.held, Date.now() + ms);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
