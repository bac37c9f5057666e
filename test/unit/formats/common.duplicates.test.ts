/**
 * Duplicate keys: the hash only brings candidates together, the cells decide (keys and amounts
 * whose hashes collide are not duplicates). Also: missing cells, sparse row indexes, sizes, and
 * normPart (which the editor's incremental index uses) agreeing with the finder.
 */
import { describe, expect, it } from 'vitest';
import { seededStream } from '../../../electron/main/services/providers/sandbox/random';
import { DuplicateFinder, type DupSpec, findDuplicates, keyHash, mixAmount, normPart } from '../../../shared/formats/profiles/common';

function found(rows: readonly (readonly string[])[], spec: Omit<DupSpec, 'onDuplicate'>): [number, number][] {
  const out: [number, number][] = [];
  findDuplicates(rows, [{ ...spec, onDuplicate: (i, j) => out.push([i, j]) }]);
  return out.sort((a, b) => a[0] - b[0]);
}

describe('DuplicateFinder: the cells decide, not the hash', () => {
  // Keys and amounts whose 32-bit key hashes collide under the current hash (found by hashing
  // 300 000 random ones); with another hash they are ordinary distinct keys and the tests still hold.
  const KEY_PAIRS = [
    ['clmdl8-1wjnioc', 'q3zhbb-1uzt1rw'],
    ['1wmr0d5-1k68vbx', 'ku37xu-erhyk6'],
    ['12lllzs-1t98ky7', '1477puf-1k4vbz3'],
  ] as const;
  const AMOUNT_PAIRS = [
    [977462150436146, 1881126544303762],
    [2883163548455103, 7966514567718647],
    [7253765709813035, 3269217162321974],
  ] as const;
  const text = { parts: [{ col: 0, kind: 'text' as const }], skipWhenEmpty: [], amountOf: null };

  it.each(KEY_PAIRS)('%s and %s share a hash but are different keys', (a, b) => {
    expect(found([[a], [b]], text)).toEqual([]);
    // a duplicate of each, after the other: each is reported against its own first row, skipping
    // the row already reported
    expect(found([[a], [a], [b], [` ${b}`], [a], [b]], text)).toEqual([
      [1, 0],
      [3, 2],
      [4, 0],
      [5, 2],
    ]);
  });

  it.each(AMOUNT_PAIRS)('amounts %d and %d share a hash under one key but are different charges', (x, y) => {
    const spec = { parts: [{ col: 0, kind: 'text' as const }], skipWhenEmpty: [0], amountOf: (r: readonly string[]) => Number(r[1]) };
    expect(found([['k', String(x)], ['k', String(y)]], spec)).toEqual([]);
    expect(found([['k', String(x)], ['k', String(y)], ['k', String(y)]], spec)).toEqual([[2, 1]]);
  });

  it('amounts are kept by row index across gaps in the rows fed', () => {
    const [x, y] = AMOUNT_PAIRS[0];
    const out: [number, number][] = [];
    const finder = new DuplicateFinder([{ parts: [{ col: 0, kind: 'text' }], skipWhenEmpty: [0], amountOf: (r) => Number(r[1]), onDuplicate: (i, j) => out.push([i, j]) }], 1);
    const rows: string[][] = [];
    rows[0] = ['k', String(x)];
    rows[1000] = ['k', String(y)];
    rows[5000] = ['k', String(x)];
    for (const i of [0, 1000, 5000]) finder.add(rows[i]!, i);
    finder.finish(rows);
    expect(out).toEqual([[5000, 0]]);
  });

  it('a finder sized for no rows still takes rows', () => {
    const out: [number, number][] = [];
    const finder = new DuplicateFinder([{ parts: [{ col: 0, kind: 'text' }], skipWhenEmpty: [], amountOf: null, onDuplicate: (i, j) => out.push([i, j]) }], 0);
    const rows = Array.from({ length: 40 }, (_, i) => [`k${i % 20}`]);
    rows.forEach((r, i) => finder.add(r, i));
    finder.finish(rows);
    expect(out.sort((a, b) => a[0] - b[0])).toEqual(Array.from({ length: 20 }, (_, i) => [20 + i, i]));
  });

  it('cells beyond a short row count as empty: skipped when all skip cells are missing, equal to "" in a key', () => {
    expect(found([['a'], ['a'], ['a', '']], { parts: [{ col: 0, kind: 'text' }], skipWhenEmpty: [1, 2], amountOf: null })).toEqual([]);
    expect(found([['a'], ['a', ''], ['a', ' ']], { parts: [{ col: 0, kind: 'text' }, { col: 1, kind: 'text' }], skipWhenEmpty: [0], amountOf: null })).toEqual([
      [1, 0],
      [2, 0],
    ]);
    for (const kind of ['text', 'digits', 'upper'] as const) {
      expect(found([['x'], ['x', '']], { parts: [{ col: 0, kind: 'text' }, { col: 1, kind }], skipWhenEmpty: [], amountOf: null }), kind).toEqual([[1, 0]]);
    }
  });

  it('one row, no rows, or no keys: nothing reported', () => {
    const spec = { parts: [{ col: 0, kind: 'text' as const }], skipWhenEmpty: [], amountOf: null };
    expect(found([['a']], spec)).toEqual([]);
    expect(found([], spec)).toEqual([]);
    expect(() => findDuplicates([['a'], ['a']], [])).not.toThrow();
  });
});

describe('normPart: the key the editor’s duplicate index compares, equal to the finder’s', () => {
  it.each([
    [' ab-1 ', 'text', 'ab-1'],
    ['\u00a0\tab\u202f\ufeff', 'text', 'ab'],
    [' 4111-1111 ', 'digits', '41111111'],
    ['0a9/:', 'digits', '09'],
    [' refund ', 'upper', 'REFUND'],
    ['a{z`', 'upper', 'A{Z`'],
    ['', 'text', ''],
    ['   ', 'upper', ''],
  ] as const)('%j as %s → %j', (s, kind, expected) => {
    expect(normPart(s, kind)).toBe(expected);
  });

  it('a missing cell is the empty key', () => {
    expect(normPart(undefined, 'text')).toBe('');
    expect(normPart(undefined, 'digits')).toBe('');
    expect(normPart(undefined, 'upper')).toBe('');
  });

  it('only the spaces cells are trimmed of, only 0-9 and only a-z: as the finder hashes them', () => {
    expect(normPart('\u2003a', 'text')).toBe('\u2003a');
    expect(normPart('\u00e9', 'upper')).toBe('\u00e9');
    expect(normPart('\u00df', 'upper')).toBe('\u00df');
    expect(normPart('\uff11', 'digits')).toBe('');
    // …and the finder agrees on each
    const spec = (kind: 'text' | 'upper') => ({ parts: [{ col: 0, kind }], skipWhenEmpty: [], amountOf: null });
    expect(found([['a'], ['\u2003a']], spec('text'))).toEqual([]);
    expect(found([['\u00c9'], ['\u00e9']], spec('upper'))).toEqual([]);
    expect(found([['SS'], ['\u00df']], spec('upper'))).toEqual([]);
  });
});

describe('the key hash spreads keys (the finder groups by it: collisions cost comparisons, a bad hash makes finish quadratic)', () => {
  const distinct = (xs: Iterable<number>) => new Set(xs).size;
  const N = 20_000;
  const parts = [{ col: 0, kind: 'text' as const }];

  it.each([
    ['sequential references', 'text', (i: number) => [`REF-${String(i).padStart(6, '0')}`]],
    ['card-like digits', 'digits', (i: number) => [`4111 1111 ${String(i).padStart(8, '0')}`]],
    ['one-character keys', 'upper', (i: number) => [String.fromCharCode(0x4e00 + i)]],
  ] as const)('%s (%s): nearly every key its own hash, in both 16-bit halves the radix sort uses', (_, kind, key) => {
    const hs = Array.from({ length: N }, (__, i) => mixAmount(keyHash([{ col: 0, kind }], key(i)), 0));
    expect(distinct(hs)).toBeGreaterThanOrEqual(N - 5);
    // 20,000 random draws from 65,536 buckets fill ~17,300 of them
    expect(distinct(hs.map((h) => h & 0xffff))).toBeGreaterThan(15_000);
    expect(distinct(hs.map((h) => h >>> 16))).toBeGreaterThan(15_000);
  });

  it('amounts under one key: small ones and ones beyond 32 bits each their own hash', () => {
    const base = keyHash(parts, ['same']);
    const small = Array.from({ length: N }, (_, i) => mixAmount(base, i + 1));
    const big = Array.from({ length: N }, (_, i) => mixAmount(base, 2 ** 40 + i * 2 ** 32));
    for (const hs of [small, big]) {
      expect(distinct(hs)).toBeGreaterThanOrEqual(N - 5);
      expect(distinct(hs.map((h) => h & 0xffff))).toBeGreaterThan(15_000);
    }
  });

  it('every part and its order count: (a, b) and (b, a) and (ab, "") hash apart', () => {
    const two = [
      { col: 0, kind: 'text' as const },
      { col: 1, kind: 'text' as const },
    ];
    const h = (r: string[]) => mixAmount(keyHash(two, r), 0);
    expect(new Set([h(['a', 'b']), h(['b', 'a']), h(['ab', '']), h(['', 'ab'])]).size).toBe(4);
    // and equal keys as the finder compares them hash alike: trimmed; digits only; a-z upper-cased
    expect(mixAmount(keyHash([{ col: 0, kind: 'text' }], [' x1 ']), 0)).toBe(mixAmount(keyHash([{ col: 0, kind: 'text' }], ['x1']), 0));
    expect(mixAmount(keyHash([{ col: 0, kind: 'digits' }], ['4111-1111 1']), 0)).toBe(mixAmount(keyHash([{ col: 0, kind: 'digits' }], ['411111111']), 0));
    expect(mixAmount(keyHash([{ col: 0, kind: 'upper' }], ['Refund ']), 0)).toBe(mixAmount(keyHash([{ col: 0, kind: 'upper' }], ['REFUND']), 0));
    // odd and even lengths pack the last digit or code unit apart from the pairs
    expect(mixAmount(keyHash([{ col: 0, kind: 'digits' }], ['123']), 0)).not.toBe(mixAmount(keyHash([{ col: 0, kind: 'digits' }], ['1203']), 0));
    expect(mixAmount(keyHash([{ col: 0, kind: 'text' }], ['abc']), 0)).not.toBe(mixAmount(keyHash([{ col: 0, kind: 'text' }], ['ab']), 0));
  });
});

describe('DuplicateFinder against a plain Map, on many rows', () => {
  it.each([1, 2, 3])('seed %d: 30,000 rows with repeats of references and amounts, each duplicate against its first row', (seed) => {
    const rnd = seededStream(seed); // the same rows every run
    const rows: string[][] = [];
    for (let i = 0; i < 30_000; i++) {
      // one row in ten repeats an earlier reference, some with another amount (not a duplicate)
      const ref = i > 0 && rnd() < 0.1 ? rows[Math.floor(rnd() * i)]![0]! : `R${Math.floor(rnd() * 1e9)}`;
      const amount = rnd() < 0.5 ? '100' : String(1 + Math.floor(rnd() * 3));
      rows.push([rnd() < 0.05 ? ` ${ref}` : ref, amount]);
    }
    const spec = { parts: [{ col: 0, kind: 'text' as const }], skipWhenEmpty: [0], amountOf: (r: readonly string[]) => Number(r[1]) };
    const expected: [number, number][] = [];
    const first = new Map<string, number>();
    rows.forEach((r, i) => {
      const key = `${r[0]!.trim()}\u0000${r[1]}`;
      const j = first.get(key);
      if (j === undefined) first.set(key, i);
      else expected.push([i, j]);
    });
    expect(expected.length).toBeGreaterThan(1000);
    expect(found(rows, spec)).toEqual(expected);
  });
});
