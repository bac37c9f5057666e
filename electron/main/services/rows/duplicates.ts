/**
 * Cross-row rules (duplicate references, duplicate charges) kept incrementally: each of the
 * profile's duplicate keys maps key text → the rows holding it, in position order. An edit moves
 * one row between two groups and re-marks only those groups' rows, never the whole batch. Uses the
 * profile's own DupSpecs (the same keys and normalisation as the CLI's DuplicateFinder).
 */
import type { Issue } from '../../../../shared/formats/types';
import type { Profile, ValidationContext } from '../../../../shared/formats/profile';
import { DuplicateFinder, normPart, type DupSpec } from '../../../../shared/formats/profiles/common';
import type { Slot } from './slot';

export class DuplicateIndex {
  readonly specs: readonly DupSpec[];
  private readonly groups: Map<string, Slot[]>[];
  /** Where the profile's onDuplicate callbacks report: read back to build a finding. */
  private readonly captured: Issue[] = [];

  constructor(profile: Profile, ctx: ValidationContext) {
    const checker = profile.createBatchChecker(ctx, this.captured, 16);
    this.captured.length = 0; // batch-level notes (e.g. an unknown currency) are not duplicates
    this.specs = checker instanceof DuplicateFinder ? checker.specs : [];
    this.groups = this.specs.map(() => new Map());
  }

  keyOf(spec: DupSpec, cells: readonly string[]): string | null {
    if (spec.skipWhenEmpty.length > 0 && spec.skipWhenEmpty.every((c) => normPart(cells[c], 'text') === '')) return null;
    let key = '';
    for (const part of spec.parts) key += normPart(cells[part.col], part.kind) + '\u0001';
    if (spec.amountOf !== null) {
      const amount = spec.amountOf(cells);
      if (!(amount > 0)) return null; // an invalid amount is the row rules' finding
      key += String(amount);
    }
    return key;
  }

  /**
   * Adds rows (in position order, e.g. a whole batch being opened) without re-marking per row;
   * call `markAll` afterwards.
   */
  bulkAdd(slots: readonly Slot[]): void {
    this.specs.forEach((spec, s) => {
      const g = this.groups[s]!;
      for (const slot of slots) {
        const k = this.keyOf(spec, slot.cells);
        if (k === null) continue;
        const list = g.get(k);
        if (list) list.push(slot);
        else g.set(k, [slot]);
      }
    });
  }

  /** Marks every row of every group with more than one row (after bulkAdd). */
  markAll(onMarked: (slot: Slot) => void): void {
    this.groups.forEach((g, s) => {
      for (const list of g.values()) if (list.length > 1) this.mark(list, s, onMarked);
    });
  }

  /** Removes a row's keys (before its cells change or it is deleted); returns the rows to re-mark. */
  remove(slot: Slot, touched: Set<Slot>): void {
    this.specs.forEach((spec, s) => {
      const k = this.keyOf(spec, slot.cells);
      if (k === null) return;
      const g = this.groups[s]!;
      const list = g.get(k);
      if (!list) return;
      const at = list.indexOf(slot);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) g.delete(k);
      for (const o of list) touched.add(o);
      if (slot.dupOf) slot.dupOf[s] = null;
    });
    touched.add(slot);
  }

  /** Adds a row's keys (after its cells changed or it was inserted); groups stay in position order. */
  add(slot: Slot, touched: Set<Slot>): void {
    this.specs.forEach((spec, s) => {
      const k = this.keyOf(spec, slot.cells);
      if (k === null) return;
      const g = this.groups[s]!;
      let list = g.get(k);
      if (!list) g.set(k, (list = []));
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
          const k = this.keyOf(spec, slot.cells);
          if (k === null) return;
          const first = this.groups[s]!.get(k)?.[0];
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
