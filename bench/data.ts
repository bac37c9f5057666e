/**
 * Deterministic generator of realistic Wonder batch rows for the benchmarks (and the CLI fixtures).
 * Values are produced per column from the profile's column labels, so the generator follows the
 * profile as the formats engine defines it.
 */

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function luhnComplete(partial: string): string {
  let sum = 0;
  // partial has length n; the check digit goes at position n (rightmost). Double every second digit from the right, starting with the last digit of partial.
  for (let i = partial.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = partial.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return partial + String((10 - (sum % 10)) % 10);
}

const BINS = ['411111', '454742', '520082', '555555', '400002', '543210', '491761', '222300'];
const REMARKS = [
  'Monthly subscription',
  'Renewal, annual plan',
  'Order #{n}',
  'Invoice {n} - "Gold" membership',
  'Top-up',
  '',
  'Late fee',
  'Gym membership; March',
];
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'GBP', 'USD'];

export interface Gen {
  random: () => number;
  int(min: number, max: number): number;
  digits(n: number): string;
  pick<T>(xs: readonly T[]): T;
}

export function makeGen(seed: number): Gen {
  const random = rng(seed);
  return {
    random,
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
    digits(n) {
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(48 + Math.floor(random() * 10));
      return s;
    },
    pick: (xs) => xs[Math.floor(random() * xs.length)]!,
  };
}

export function cardNumber(g: Gen): string {
  return luhnComplete(g.pick(BINS) + g.digits(9));
}

export function uuid(g: Gen): string {
  const h = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(g.random() * 16)];
    return s;
  };
  return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[g.int(0, 3)]}${h(3)}-${h(12)}`;
}

export function amount(g: Gen): string {
  const major = g.random() < 0.7 ? g.int(1, 300) : g.int(300, 5000);
  const minor = g.pick([0, 0, 90, 99, 50, 49, g.int(0, 99)]);
  return `${major}.${String(minor).padStart(2, '0')}`;
}

/** Expiry in the future relative to 2026: MM/YY. */
export function expiry(g: Gen): string {
  return `${String(g.int(1, 12)).padStart(2, '0')}/${g.int(28, 33)}`;
}

export function remark(g: Gen, n: number): string {
  return g.pick(REMARKS).replace('{n}', String(n));
}

export { CURRENCIES };

/** CSV-quote a value when needed (RFC 4180). */
export function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
