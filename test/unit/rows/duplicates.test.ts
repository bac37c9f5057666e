/**
 * The open batch's duplicate index keys its groups by a 32-bit hash of the key: two different keys
 * with the same hash must never be called duplicates of each other, and rows that do share a key
 * must be, through bulk loading and through edits alike. The colliding references are found by
 * search with the index's own hash, so the test does not depend on hard-coded values.
 */
import { describe, expect, it } from 'vitest';
import { getProfile } from '../../../shared/formats/profiles';
import { keyHash, mixAmount } from '../../../shared/formats/profiles/common';
import { defaultContext } from '../../../shared/formats/validate';
import { DuplicateIndex } from '../../../electron/main/services/rows/duplicates';
import type { Slot } from '../../../electron/main/services/rows/slot';

const profile = getProfile('wonder');
const ctx = { ...defaultContext(), currency: 'HKD', amountUnit: 'major' as const };
const col = (key: string) => profile.columns.findIndex((c) => c.key === key);
const REF = col('referenceNumber');

function cellsFor(ref: string): string[] {
  const cells = profile.columns.map(() => '');
  cells[col('action')] = 'payment';
  cells[REF] = ref;
  cells[col('amount')] = '10.00';
  return cells; // no card, token or original transaction: only the reference key applies
}

function slot(i: number, ref: string): Slot {
  return { id: `row-${i}`, line: i + 1, position: (i + 1) * 1024, cells: cellsFor(ref), alive: true, issues: null, dupOf: null, index: i };
}

/** Two different references whose reference-key hashes are equal (birthday search, ~2^16 tries expected). */
function collidingRefs(index: DuplicateIndex): [string, string] {
  const spec = index.specs[0]!;
  const seen = new Map<number, string>();
  for (let i = 0; i < 2_000_000; i++) {
    const ref = `R-${i}`;
    const h = mixAmount(keyHash(spec.parts, cellsFor(ref)), 0) | 0;
    const other = seen.get(h);
    if (other !== undefined) return [other, ref];
    seen.set(h, ref);
  }
  throw new Error('no collision found');
}

describe('DuplicateIndex (hashed groups)', () => {
  it('keeps rows whose different keys share a hash apart, and marks real duplicates among them', () => {
    const index = new DuplicateIndex(profile, ctx);
    expect(index.specs[0]!.parts.map((p) => p.col)).toContain(REF);
    const [a, b] = collidingRefs(index);
    expect(a).not.toBe(b);
    // a, b (same hash, other key), a again, b again
    const rows = [slot(0, a), slot(1, b), slot(2, a), slot(3, b), slot(4, 'UNIQUE-1')];
    index.bulkAdd(rows);
    const marked: string[] = [];
    index.markAll((s) => marked.push(s.id));
    expect(marked.sort()).toEqual(['row-2', 'row-3']);
    expect(rows[0]!.dupOf).toBeNull();
    expect(rows[1]!.dupOf).toBeNull();
    expect(rows[2]!.dupOf![0]).toBe(rows[0]);
    expect(rows[3]!.dupOf![0]).toBe(rows[1]);
    expect(rows[4]!.dupOf).toBeNull();
  });

  it('edits move a row between colliding keys correctly (remove, change, add, remark)', () => {
    const index = new DuplicateIndex(profile, ctx);
    const [a, b] = collidingRefs(index);
    const rows = [slot(0, a), slot(1, b)];
    index.bulkAdd(rows);
    index.markAll(() => {});
    expect(rows.map((r) => r.dupOf)).toEqual([null, null]);

    const edit = (s: Slot, ref: string) => {
      const touched = new Set<Slot>();
      index.remove(s, touched);
      s.cells = cellsFor(ref);
      index.add(s, touched);
      index.remark(touched, () => {});
    };
    // row 1 becomes a: a real duplicate of row 0
    edit(rows[1]!, a);
    expect(rows[1]!.dupOf![0]).toBe(rows[0]);
    expect(rows[0]!.dupOf).toBeNull();
    // back to b: same hash bucket, but no longer a duplicate
    edit(rows[1]!, b);
    expect(rows[1]!.dupOf).toBeNull();
    // a third row with b, inserted before row 1 by position: row 1 now repeats it
    const third: Slot = { ...slot(2, b), position: 1500 };
    const touched = new Set<Slot>();
    index.add(third, touched);
    index.remark(touched, () => {});
    expect(third.dupOf).toBeNull();
    expect(rows[1]!.dupOf![0]).toBe(third);
    expect(rows[0]!.dupOf).toBeNull();
    // removing the first of the group frees the other
    const gone = new Set<Slot>();
    index.remove(third, gone);
    third.alive = false;
    index.remark(gone, () => {});
    expect(rows[1]!.dupOf).toBeNull();
  });

  it('a row alone under its key is not a duplicate; blank references are left out', () => {
    const index = new DuplicateIndex(profile, ctx);
    const rows = [slot(0, ''), slot(1, ''), slot(2, 'X-1'), slot(3, ' X-1 ')];
    index.bulkAdd(rows);
    index.markAll(() => {});
    expect(rows[0]!.dupOf).toBeNull();
    expect(rows[1]!.dupOf).toBeNull();
    expect(rows[3]!.dupOf![0]).toBe(rows[2]); // compared trimmed, as the CLI does
  });
});
