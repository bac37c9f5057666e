/**
 * The amount sort's packed fast path gives exactly the comparator's order (ties by position,
 * unreadable amounts last ascending and first descending), and declines keys it cannot pack.
 */
import { describe, expect, it } from 'vitest';
import { packedSort } from '../../electron/main/services/rows/view';

function byComparator(keys: Float64Array, sign: 1 | -1): number[] {
  const idx = Array.from({ length: keys.length }, (_, i) => i);
  return idx.sort((a, b) => (keys[a] === keys[b] ? a - b : keys[a]! < keys[b]! ? -sign : sign));
}

describe('packedSort', () => {
  for (const sign of [1, -1] as const) {
    it(`matches the comparator ${sign === 1 ? 'ascending' : 'descending'}, with ties and unreadable amounts`, () => {
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const keys = new Float64Array(5000);
      for (let i = 0; i < keys.length; i++) keys[i] = rnd() < 0.1 ? Number.POSITIVE_INFINITY : 1 + Math.floor(rnd() * 300);
      keys[0] = 2 ** 31 - 1; // the largest key that packs
      const idx = new Int32Array(keys.length);
      expect(packedSort(keys, sign, idx)).toBe(true);
      expect(Array.from(idx)).toEqual(byComparator(keys, sign));
    });
  }

  it('declines amounts too large to pack (the comparator sorts them)', () => {
    const idx = new Int32Array(2);
    expect(packedSort(new Float64Array([5, 2 ** 31]), 1, idx)).toBe(false);
    expect(packedSort(new Float64Array([5, 1.5]), 1, idx)).toBe(false);
  });
});
