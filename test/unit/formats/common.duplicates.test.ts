/**
 * Duplicate keys: the hash only brings candidates together, the cells decide (keys and amounts
 * whose hashes collide are not duplicates). Also: missing cells, sparse row indexes, sizes, and
 * normPart (which the editor's incremental index uses) agreeing with the finder.
 */
import { describe, expect, it } from 'vitest';
import { DuplicateFinder, type DupSpec, findDuplicates, normPart } from '../../../shared/formats/profiles/common';

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
