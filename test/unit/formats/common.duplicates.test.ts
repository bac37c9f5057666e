/**
 * Duplicate keys: the hash only brings candidates together, the cells decide. Hundreds of
 * thousands of distinct keys (or amounts) make a 32-bit hash collide somewhere; none of those
 * collisions may be reported. Also: missing cells, sparse row indexes, sizes, and normPart (which
 * the editor's incremental index uses) agreeing with the finder.
 */
import { describe, expect, it } from 'vitest';
import { DuplicateFinder, type DupSpec, findDuplicates, normPart } from '../../../shared/formats/profiles/common';

/** Deterministic pseudo-random 32-bit values (xorshift32). */
function* xorshift(seed: number): Generator<number> {
  let x = seed | 0;
  for (;;) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield x >>> 0;
  }
}

function found(rows: readonly (readonly string[])[], spec: Omit<DupSpec, 'onDuplicate'>): [number, number][] {
  const out: [number, number][] = [];
  findDuplicates(rows, [{ ...spec, onDuplicate: (i, j) => out.push([i, j]) }]);
  return out.sort((a, b) => a[0] - b[0]);
}

describe('DuplicateFinder: the cells decide, not the hash', () => {
  it('300 000 distinct text keys (some hashes must collide): only the planted duplicates are reported', () => {
    const rnd = xorshift(0x9e3779b9);
    const rows: string[][] = [];
    const seen = new Set<string>();
    while (rows.length < 300_000) {
      const k = `${rnd.next().value!.toString(36)}-${rnd.next().value!.toString(36)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      rows.push([k]);
    }
    rows.push([rows[123]![0]!], [` ${rows[299_999]![0]!}`]);
    expect(found(rows, { parts: [{ col: 0, kind: 'text' }], skipWhenEmpty: [], amountOf: null })).toEqual([
      [300_000, 123],
      [300_001, 299_999],
    ]);
  });

  it('300 000 distinct amounts under one key (hashes collide): only equal amounts are duplicates, rows fed with gaps', () => {
    const rnd = xorshift(0x2545f491);
    const amounts: number[] = [];
    const seen = new Set<number>();
    while (amounts.length < 300_000) {
      const a = (rnd.next().value! % 2_097_152) * 4_294_967_296 + rnd.next().value! + 1; // up to 2^53
      if (seen.has(a)) continue;
      seen.add(a);
      amounts.push(a);
    }
    amounts.push(amounts[7]!);
    const out: [number, number][] = [];
    const finder = new DuplicateFinder([{ parts: [{ col: 0, kind: 'text' }], skipWhenEmpty: [0], amountOf: (r) => Number(r[1]), onDuplicate: (i, j) => out.push([i, j]) }], 1);
    const rows: string[][] = [];
    amounts.forEach((a, n) => {
      const index = n * 3; // the rows between are left out (e.g. another spec's rows): amounts stored by index
      rows[index] = ['k', String(a)];
      rows[index + 1] = ['', '1'];
      rows[index + 2] = ['', '1'];
    });
    rows.forEach((r, i) => finder.add(r, i));
    finder.finish(rows);
    expect(out).toEqual([[300_000 * 3, 7 * 3]]);
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
