/**
 * Cross-row rules (duplicate references, duplicate charges) kept incrementally: each of the
 * profile's duplicate keys maps its key's hash → the rows holding it, in position order. An edit moves
 * one row between two groups and re-marks only those groups' rows, never the whole batch. Uses the
 * profile's own DupSpecs (the same keys and normalisation as the CLI's DuplicateFinder).
 */
import type { Issue } from '../../../../shared/formats/types';
import type { Profile, ValidationContext } from '../../../../shared/formats/profile';
import { DuplicateFinder, isBlank, keyHash, keysEqual, mixAmount, type DupSpec } from '../../../../shared/formats/profiles/common';
import type { Slot } from './slot';

/**
 * Rows with one key hash, in position order: the row itself while it is alone (most keys are
 * unique; no array per key), else a list. Two different keys can share a hash: a group is the
 * rows of a bucket whose key equals the row's own (compared cell by cell), never the hash alone.
 */
type Bucket = Slot | Slot[];

/**
 * The hash of a row's key, or null when the row has no key (its key cells are empty, or its
 * amount is not valid). A 32-bit integer, so the map's keys are small integers, not strings:
 * measured at 200k Wonder rows, string keys (and a list per key) took 86 MB of main's heap.
 */
function hashOf(spec: DupSpec, cells: readonly string[]): number | null {
  const skip = spec.skipWhenEmpty;
  if (skip.length > 0) {
    let empty = true;
    for (let i = 0; i < skip.length; i++) {
      if (!isBlank(cells[skip[i]!])) {
        empty = false;
        break;
      }
    }
    if (empty) return null;
  }
  let amount = 0;
  if (spec.amountOf !== null) {
    amount = spec.amountOf(cells);
    if (!(amount > 0)) return null; // an invalid amount is the row rules' finding
  }
  return mixAmount(keyHash(spec.parts, cells), amount) | 0;
}

/** Same key (not only the same hash): the parts as the CLI compares them, and the amount. */
function sameKey(spec: DupSpec, a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (!keysEqual(a, b, spec.parts)) return false;
  return spec.amountOf === null || spec.amountOf(a) === spec.amountOf(b);
}

function rowsOf(b: Bucket | undefined): readonly Slot[] {
  return b === undefined ? [] : Array.isArray(b) ? b : [b];
}

export class DuplicateIndex {
  readonly specs: readonly DupSpec[];
  private readonly groups: Map<number, Bucket>[];
  /** Where the profile's onDuplicate callbacks report: read back to build a finding. */
  private readonly captured: Issue[] = [];

  constructor(profile: Profile, ctx: ValidationContext) {
    const checker = profile.createBatchChecker(ctx, this.captured, 16);
    this.captured.length = 0; // batch-level notes (e.g. an unknown currency) are not duplicates
    this.specs = checker instanceof DuplicateFinder ? checker.specs : [];
    this.groups = this.specs.map(() => new Map());
  }

  /**
   * Adds rows (in position order, e.g. a whole batch being opened) without re-marking per row;
   * call `markAll` afterwards.
   */
  bulkAdd(slots: readonly Slot[]): void {
    this.specs.forEach((spec, s) => {
      const g = this.groups[s]!;
      for (const slot of slots) {
        const h = hashOf(spec, slot.cells);
        if (h === null) continue;
        const b = g.get(h);
        if (b === undefined) g.set(h, slot);
        else if (Array.isArray(b)) b.push(slot);
        else g.set(h, [b, slot]);
      }
    });
  }

  /** Marks every row that repeats an earlier row's key (after bulkAdd). */
  markAll(onMarked: (slot: Slot) => void): void {
    this.groups.forEach((g, s) => {
      const spec = this.specs[s]!;
      for (const b of g.values()) {
        if (!Array.isArray(b)) continue;
        // usually one key per bucket; a hash collision splits it into the keys' own groups
        let rest: Slot[] = b;
        while (rest.length > 1) {
          const first = rest[0]!;
          const same: Slot[] = [];
          const other: Slot[] = [];
          for (const slot of rest) (sameKey(spec, first.cells, slot.cells) ? same : other).push(slot);
          if (same.length > 1) this.mark(same, s, onMarked);
          rest = other;
        }
      }
    });
  }

  /** Removes a row's keys (before its cells change or it is deleted); returns the rows to re-mark. */
  remove(slot: Slot, touched: Set<Slot>): void {
    this.specs.forEach((spec, s) => {
      const h = hashOf(spec, slot.cells);
      if (h === null) return;
      const g = this.groups[s]!;
      const b = g.get(h);
      if (b === undefined) return;
      if (!Array.isArray(b)) {
        if (b === slot) g.delete(h);
      } else {
        const at = b.indexOf(slot);
        if (at >= 0) b.splice(at, 1);
        if (b.length === 1) g.set(h, b[0]!);
        else if (b.length === 0) g.delete(h);
        for (const o of b) touched.add(o);
      }
      if (slot.dupOf) slot.dupOf[s] = null;
    });
    touched.add(slot);
  }

  /** Adds a row's keys (after its cells changed or it was inserted); buckets stay in position order. */
  add(slot: Slot, touched: Set<Slot>): void {
    this.specs.forEach((spec, s) => {
      const h = hashOf(spec, slot.cells);
      if (h === null) return;
      const g = this.groups[s]!;
      const b = g.get(h);
      if (b === undefined) {
        g.set(h, slot);
        return;
      }
      const list = Array.isArray(b) ? b : [b];
      if (list !== b) g.set(h, list);
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.position < slot.position) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, slot);
      for (const o of list) touched.add(o);
    });
    touched.add(slot);
  }

  /** Recomputes `dupOf` of the touched rows from their groups; calls onMarked for each. */
  remark(touched: Iterable<Slot>, onMarked: (slot: Slot) => void): void {
    for (const slot of touched) {
      const before = slot.dupOf ? slot.dupOf.slice() : null;
      let any = false;
      const next: (Slot | null)[] = this.specs.map(() => null);
      if (slot.alive) {
        this.specs.forEach((spec, s) => {
          const h = hashOf(spec, slot.cells);
          if (h === null) return;
          const first = rowsOf(this.groups[s]!.get(h)).find((o) => sameKey(spec, o.cells, slot.cells));
          if (first && first !== slot) {
            next[s] = first;
            any = true;
          }
        });
      }
      slot.dupOf = any ? next : null;
      const same = before === null ? !any : any && before.every((b, i) => b === next[i]);
      if (!same) onMarked(slot);
    }
  }

  private mark(list: readonly Slot[], s: number, onMarked: (slot: Slot) => void): void {
    const first = list[0]!;
    for (let i = 1; i < list.length; i++) {
      const slot = list[i]!;
      if (!slot.dupOf) slot.dupOf = this.specs.map(() => null);
      slot.dupOf[s] = first;
      onMarked(slot);
    }
  }

  /** The duplicate findings of a row, with the row numbers as shown (`shown(slot)`). */
  findings(slot: Slot, shown: (s: Slot) => number): Issue[] {
    if (!slot.dupOf) return [];
    const out: Issue[] = [];
    slot.dupOf.forEach((first, s) => {
      if (!first) return;
      this.captured.length = 0;
      this.specs[s]!.onDuplicate(shown(slot) - 1, shown(first) - 1);
      out.push(...this.captured);
    });
    this.captured.length = 0;
    return out;
  }

  /** Code, column and severity of each key's finding (for counts), from one probe call. */
  describe(): { code: string; column: string | null; severity: Issue['severity'] }[] {
    return this.specs.map((spec) => {
      this.captured.length = 0;
      spec.onDuplicate(1, 0);
      const i = this.captured[0];
      this.captured.length = 0;
      return { code: i?.code ?? 'duplicate', column: i?.column ?? null, severity: i?.severity ?? 'warning' };
    });
  }
}
