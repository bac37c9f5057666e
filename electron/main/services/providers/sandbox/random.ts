/**
 * Deterministic randomness and time for the sandbox. Outcomes are a pure function of (seed, what
 * was sent), so a run with the same seed and the same requests gives the same results whatever the
 * order the requests arrive in; fault decisions use a seeded stream per provider.
 */
import { createHash } from 'node:crypto';

/** Where the sandbox reads the time (tests pass a manual clock to step through status changes). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told: `advance(ms)`. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function manualClock(start: number = Date.UTC(2026, 0, 15, 10, 0, 0)): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('manualClock.advance: ms must be a non-negative number');
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

/** A number in [0, 1) from a hash of the parts: the same parts always give the same number. */
export function hashUnit(...parts: readonly (string | number)[]): number {
  const h = createHash('sha256').update(parts.join('\u001f')).digest();
  return h.readUInt32BE(0) / 0x1_0000_0000;
}

/** mulberry32: a small seeded PRNG stream (fault decisions). */
export function seededStream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

export function seedFor(seed: number, label: string): number {
  return Math.floor(hashUnit(seed, label) * 0x1_0000_0000);
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Provider-side identifiers: unique per server (counter), shaped like the provider's. */
export class IdMaker {
  private n = 0;
  constructor(private readonly seed: number) {}

  /** e.g. ePay's `LDG7M4WW44G`: `len` characters of A-Z/2-9. */
  alnum(label: string, len: number): string {
    const h = createHash('sha256').update(`${this.seed}|${label}|${++this.n}`).digest();
    let s = '';
    for (let i = 0; i < len; i++) s += ALNUM[h[i]! % ALNUM.length];
    return s;
  }

  uuid(label: string): string {
    const h = createHash('sha256').update(`${this.seed}|${label}|${++this.n}`).digest('hex');
    // RFC 4122 version 4 layout (variant 8-b) from hash bits.
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
