/**
 * An open batch, owned by main (one writer). Rows live in memory (full cells, for live validation
 * and the grid's windows) and in SQLite (card data sealed). Every change is one journal
 * transaction written together with the rows it changes, in one SQLite transaction, BEFORE the
 * call answers; memory is updated only after the commit, so a refused write (disk full, file
 * locked) changes nothing. Undo/redo replay the journal, so the history survives a crash.
 */
import { randomUUID } from 'node:crypto';
import { uuid7 } from './uuid7';
import type { Issue } from '../../../../shared/formats/types';
import type { Profile, RowChecker, ValidationContext } from '../../../../shared/formats/profile';
import { currencyExponent, parseAmount } from '../../../../shared/formats/money';
import { checkCellText } from '../../../../shared/formats/textDamage';
import type { Db } from '../db/database';
import type { Sealer } from '../crypto';
import { AppError } from '../errors';
import { FindingCounts, type CountedFinding } from './counts';
import type { SummaryTotals } from './totals';
import { DuplicateIndex } from './duplicates';
import type { Slot, StoredRow } from './slot';
import { storageError } from './storageError';

/** Gap between positions of consecutive rows: room to insert rows between them without renumbering. */
export const POSITION_GAP = 1024;

export type ChangeKind = 'edit' | 'insert' | 'delete' | 'paste' | 'fill' | 'undo' | 'redo' | 'fix' | 'replace' | 'import';

/** One row's change: from null = insert, to null = delete. */
interface RowChange {
  rowId: string;
  from: StoredRow | null;
  to: StoredRow | null;
}

export interface CommitResult {
  txn: string | null;
  changed: Slot[];
  inserted: Slot[];
  deleted: Slot[];
}

export interface BatchMeta {
  id: string;
  name: string;
  profile: Profile;
  ctx: ValidationContext;
}

interface JournalRow {
  seq: number;
  txn: string;
  op: 'insert' | 'update' | 'delete';
  row_id: string;
  before: string | null;
  after: string | null;
}

export class BatchSession {
  readonly id: string;
  readonly profile: Profile;
  readonly ctx: ValidationContext;
  readonly slots = new Map<string, Slot>();
  /** Live rows in position order. */
  order: Slot[] = [];
  readonly counts = new FindingCounts();
  /** The summary's totals, built on first use (service.summary) and kept up to date by changes; null when rows were adopted since. */
  totals: SummaryTotals | null = null;
  readonly dups: DuplicateIndex;
  /** Bumped by every change (the grid compares it with rows.changed). */
  version = 0;
  /** Bumped by changes that can move rows in a sorted/filtered view (not by a small edit). */
  viewEpoch = 0;
  /** Rows whose stored form could not be read (damaged, or sealed with another key): shown, not blocking. */
  damaged = 0;
  /** Set while an import is filling this batch: edits are refused until it ends. */
  importing: string | null = null;
  name: string;
  readonly sensitiveCols: number[];
  readonly keyToCol: Map<string, number>;
  readonly labelToKey: Map<string, string>;
  private readonly checker: RowChecker;
  private readonly dupMeta: ReturnType<DuplicateIndex['describe']>;
  private indexStale = true;
  private readonly amountCol: number;
  private readonly currencyCol: number;
  private readonly st;

  constructor(
    private readonly db: Db,
    private readonly sealer: Sealer,
    meta: BatchMeta,
  ) {
    this.id = meta.id;
    this.name = meta.name;
    this.profile = meta.profile;
    this.ctx = meta.ctx;
    this.checker = meta.profile.createRowChecker(meta.ctx);
    this.dups = new DuplicateIndex(meta.profile, meta.ctx);
    this.dupMeta = this.dups.describe();
    const cols = meta.profile.columns;
    this.sensitiveCols = cols.flatMap((c, i) => (c.sensitive ? [i] : []));
    this.keyToCol = new Map(cols.map((c, i) => [c.key, i]));
    this.labelToKey = new Map(cols.map((c) => [c.label, c.key]));
    this.dupMeta = this.dupMeta.map((d) => ({ ...d, column: d.column === null ? null : (this.labelToKey.get(d.column) ?? d.column) }));
    this.amountCol = cols.findIndex((c) => c.key === meta.profile.amount.column);
    this.currencyCol = meta.profile.amount.currencyColumn ? cols.findIndex((c) => c.key === meta.profile.amount.currencyColumn) : -1;
    this.st = {
      select: db.prepare('SELECT id, idempotency_key AS k, position AS p, line AS l, cells AS c, sealed AS s FROM batch_rows WHERE id = ?'),
      insert: db.prepare(
        `INSERT INTO batch_rows (id, batch_id, position, idempotency_key, cells, sealed, line, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare('UPDATE batch_rows SET cells = ?, sealed = ?, updated_at = ? WHERE id = ? AND batch_id = ?'),
      delete: db.prepare('DELETE FROM batch_rows WHERE id = ? AND batch_id = ?'),
      journal: db.prepare('INSERT INTO edit_journal (batch_id, txn, op, row_id, before, after, at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      clearRedo: db.prepare('DELETE FROM edit_journal WHERE batch_id = ? AND undone = 1'),
      lastLive: db.prepare('SELECT txn FROM edit_journal WHERE batch_id = ? AND undone = 0 ORDER BY seq DESC LIMIT 1'),
      firstUndone: db.prepare('SELECT txn FROM edit_journal WHERE batch_id = ? AND undone = 1 ORDER BY seq ASC LIMIT 1'),
      entries: db.prepare('SELECT seq, txn, op, row_id, before, after FROM edit_journal WHERE batch_id = ? AND txn = ? ORDER BY seq'),
      markUndone: db.prepare('UPDATE edit_journal SET undone = ? WHERE batch_id = ? AND txn = ?'),
      touch: db.prepare('UPDATE batches SET updated_at = ? WHERE id = ?'),
      maxSeq: db.prepare('SELECT max(seq) AS v FROM edit_journal WHERE batch_id = ?'),
    };
    this.version = ((this.st.maxSeq.get(this.id) as { v: number | null }).v ?? 0) + 1;
  }

  // -------------------------------------------------------------------------------------------
  // Loading

  /** Reads every row of the batch; a row that cannot be read is kept (cells as stored) and counted. */
  load(): void {
    const rows = this.db
      .prepare('SELECT id, position AS p, line AS l, cells AS c, sealed AS s FROM batch_rows WHERE batch_id = ? ORDER BY position')
      .raw()
      .iterate(this.id) as IterableIterator<[string, number, number | null, string, Buffer | null]>;
    const list: Slot[] = [];
    for (const [id, p, l, c, s] of rows) {
      const before = this.damaged;
      const slot: Slot = { id, line: l, position: p, cells: this.decodeCells(id, c, s), alive: true, issues: null, dupOf: null, index: list.length };
      if (this.damaged !== before) slot.damaged = true;
      list.push(slot);
    }
    this.adopt(list);
  }

  /** Takes rows already in position order (a load or an import) and validates them all once. */
  adopt(list: Slot[]): void {
    this.totals = null;
    for (const slot of list) this.slots.set(slot.id, slot);
    this.order = this.order.length === 0 ? list : this.order.concat(list);
    this.indexStale = true;
    for (const slot of list) slot.issues = this.checkRow(slot);
    this.dups.bulkAdd(list);
    this.dups.markAll(() => {});
    for (const slot of this.order) this.counts.apply(this.countedOf(slot), 1);
    this.viewEpoch++;
  }

  /**
   * adopt() for an import: the first rows are checked and `onFirst` called (the grid can show its
   * first screen), then the rest are checked in steps that yield to the event loop, then the
   * duplicate keys and the counts. Rows checked later show their findings once they are.
   */
  async adoptInSteps(list: Slot[], onFirst: () => void, fill: (from: number, to: number) => void = () => {}, step = 50_000, first = 2_000): Promise<void> {
    const before = this.order;
    this.totals = null;
    const head = Math.min(first, list.length);
    fill(0, head);
    for (let i = 0; i < head; i++) {
      list[i]!.issues = this.checkRow(list[i]!);
      this.slots.set(list[i]!.id, list[i]!);
    }
    // the first rows are shown while the others are still being converted and checked
    this.order = before.concat(list.slice(0, head));
    this.indexStale = true;
    this.viewEpoch++;
    onFirst();
    for (let from = head; from < list.length; from += step) {
      await new Promise<void>((r) => setImmediate(r));
      const to = Math.min(list.length, from + step);
      fill(from, to);
      for (let i = from; i < to; i++) {
        list[i]!.issues = this.checkRow(list[i]!);
        this.slots.set(list[i]!.id, list[i]!);
      }
    }
    this.order = before.length === 0 ? list : before.concat(list);
    this.totals = null;
    this.indexStale = true;
    this.dups.bulkAdd(list);
    this.dups.markAll(() => {});
    if (before.length === 0) for (const slot of this.order) this.counts.apply(this.countedOf(slot), 1);
    else this.recount();
    this.viewEpoch++;
  }

  /** Recounts every finding (after adopting more rows into a batch that had some). */
  recount(): void {
    const fresh = new FindingCounts();
    for (const slot of this.order) fresh.apply(this.countedOf(slot), 1);
    Object.assign(this.counts, { errors: fresh.errors, warnings: fresh.warnings, rowsWithErrors: fresh.rowsWithErrors });
    this.counts.groups.clear();
    for (const [k, v] of fresh.groups) this.counts.groups.set(k, v);
    this.counts.perColumn.clear();
    for (const [k, v] of fresh.perColumn) this.counts.perColumn.set(k, v);
  }

  private decodeCells(id: string, cellsJson: string, sealed: Buffer | null): string[] {
    const n = this.profile.columns.length;
    let cells: string[];
    try {
      const parsed = JSON.parse(cellsJson) as unknown;
      cells = Array.isArray(parsed) ? parsed.map((v) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v))) : [];
    } catch {
      cells = [];
      this.damaged++;
    }
    while (cells.length < n) cells.push('');
    if (cells.length > n) cells.length = n;
    if (sealed && sealed.length > 0) {
      try {
        const secret = JSON.parse(this.sealer.openText(sealed, id)) as Record<string, string>;
        for (const [i, v] of Object.entries(secret)) if (Number(i) < n) cells[Number(i)] = v;
      } catch {
        // Refused by the sealer (changed on disk, or another key): the row stays, without its card data.
        this.damaged++;
      }
    }
    return cells;
  }

  // -------------------------------------------------------------------------------------------
  // Validation

  private checkRow(slot: Slot): Issue[] | null {
    const out: Issue[] = [];
    if (slot.damaged) {
      out.push({
        row: slot.line,
        column: null,
        severity: 'error',
        code: 'batch.row_unreadable',
        message: 'Part of this row could not be read (its stored data was changed outside Batchdesk, or its card data was sealed with another key). Re-enter the row\'s values, or delete the row.',
      });
    }
    this.checker(slot.cells, slot.line ?? 1, out);
    checkCellText(this.profile, slot.cells, slot.line ?? 1, out);
    if (out.length === 0) return null;
    if (this.amountCol >= 0) this.guardAmountFixes(slot, out);
    return out;
  }

  /** A suggested amount is kept only if it has the same value in the batch's unit: a fix never changes an amount. */
  private guardAmountFixes(slot: Slot, out: Issue[]): void {
    const label = this.profile.columns[this.amountCol]!.label;
    for (const issue of out) {
      if (issue.fix === undefined || issue.column !== label) continue;
      const exponent = currencyExponent(this.currencyOf(slot)) ?? 2;
      const unit = this.profile.amount.unit === 'context' ? this.ctx.amountUnit : this.profile.amount.unit;
      const was = parseAmount(slot.cells[this.amountCol] ?? '', { exponent, unit, decimal: 'auto' });
      const fix = parseAmount(issue.fix, { exponent, unit, decimal: '.' });
      if (!(was.ok && fix.ok && was.minor === fix.minor)) delete issue.fix;
    }
  }

  currencyOf(slot: Slot): string {
    const c = this.currencyCol >= 0 ? (slot.cells[this.currencyCol] ?? '').trim().toUpperCase() : '';
    return c === '' ? this.ctx.currency : c;
  }

  private countedOf(slot: Slot): CountedFinding[] {
    if (!slot.alive) return [];
    const out: CountedFinding[] = [];
    if (slot.issues) {
      for (const i of slot.issues) out.push({ code: i.code, column: i.column === null ? null : (this.labelToKey.get(i.column) ?? i.column), severity: i.severity, fixable: i.fix !== undefined });
    }
    if (slot.dupOf) slot.dupOf.forEach((first, s) => first && out.push({ ...this.dupMeta[s]!, fixable: false }));
    return out;
  }

  /** Every finding of a row (row rules and duplicates), with row numbers as the grid shows them. */
  findingsOf(slot: Slot): Issue[] {
    const own = slot.issues ?? [];
    if (!slot.dupOf) return own;
    return own.concat(this.dups.findings(slot, (s) => this.shown(s)));
  }

  /** The number the grid shows for a row: its line in the source file, else its place in the batch. */
  shown(slot: Slot): number {
    if (slot.line !== null) return slot.line;
    this.ensureIndex();
    return slot.index + 1;
  }

  ensureIndex(): void {
    if (!this.indexStale) return;
    const o = this.order;
    for (let i = 0; i < o.length; i++) o[i]!.index = i;
    this.indexStale = false;
  }

  // -------------------------------------------------------------------------------------------
  // Stored form

  private stored(slot: { id: string; key: string; position: number; line: number | null }, cells: readonly string[]): StoredRow {
    const c = cells.slice();
    let secret: Record<number, string> | null = null;
    for (const i of this.sensitiveCols) {
      const v = c[i] ?? '';
      if (v !== '') (secret ??= {})[i] = v;
      c[i] = '';
    }
    const s = secret ? this.sealer.seal(JSON.stringify(secret), slot.id).toString('base64') : null;
    return { id: slot.id, k: slot.key, p: slot.position, l: slot.line, c, s };
  }

  /** A new row's stored form for a bulk insert (import): cells JSON (card data blanked) and the sealed card data. */
  storedForInsert(slot: Slot): { cells: string; sealed: Buffer | null } {
    const cells = slot.cells;
    let secret = '';
    let blanked: string[] | null = null;
    for (const i of this.sensitiveCols) {
      const v = cells[i] ?? '';
      if (v === '') continue;
      secret += (secret === '' ? '{' : ',') + `"${i}":${JSON.stringify(v)}`;
      (blanked ??= cells.slice())[i] = '';
    }
    // no base64 round trip and one copy at most: this runs a million times in an import
    return { cells: JSON.stringify(blanked ?? cells), sealed: secret === '' ? null : this.sealer.seal(secret + '}', slot.id) };
  }

  private readStored(id: string): StoredRow {
    const r = this.st.select.get(id) as { id: string; k: string; p: number; l: number | null; c: string; s: Buffer | null } | undefined;
    if (!r) throw new AppError('conflict', 'A row changed in another window; reload the batch.');
    return { id: r.id, k: r.k, p: r.p, l: r.l, c: JSON.parse(r.c) as string[], s: r.s ? r.s.toString('base64') : null };
  }

  // -------------------------------------------------------------------------------------------
  // Changes

  assertEditable(): void {
    if (this.importing) throw new AppError('conflict', 'Rows are still being imported into this batch; edit it when the import has finished.');
  }

  slot(rowId: string): Slot {
    const s = this.slots.get(rowId);
    if (!s || !s.alive) throw new AppError('not_found', 'That row is no longer in the batch (it was deleted). Reload the view.');
    return s;
  }

  /**
   * One user action as one undo step: cell updates (slot → its full new cells; unchanged rows are
   * left out) and new rows (profile order) inserted before `before` or at the end.
   */
  change(kind: ChangeKind, updates: Map<Slot, string[]>, newRows: string[][] = [], before: Slot | null = null): CommitResult {
    const changes: RowChange[] = [];
    for (const [slot, cells] of updates) {
      if (cells.every((v, i) => v === slot.cells[i])) continue;
      const from = this.readStored(slot.id);
      changes.push({ rowId: slot.id, from, to: this.stored({ id: slot.id, key: from.k, position: slot.position, line: slot.line }, cells) });
    }
    if (newRows.length > 0) {
      const positions = this.positionsFor(newRows.length, before);
      newRows.forEach((cells, i) => {
        const id = uuid7();
        const meta = { id, key: uuid7(), position: positions[i]!, line: null };
        changes.push({ rowId: id, from: null, to: this.stored(meta, cells) });
      });
    }
    return this.commit(kind, changes);
  }

  /**
   * Rows appended from another file become one undo step: an 'insert' journal entry per row, read
   * back from batch_rows (card data stays sealed). Runs inside the caller's transaction, which
   * ends the import; the redo list is dropped as for any new change.
   */
  journalAppended(fromPosition: number): void {
    const txn = randomUUID();
    const now = new Date().toISOString();
    this.st.clearRedo.run(this.id);
    const rows = this.db
      .prepare('SELECT id, idempotency_key AS k, position AS p, line AS l, cells AS c, sealed AS s FROM batch_rows WHERE batch_id = ? AND position >= ? ORDER BY position')
      .raw()
      .all(this.id, fromPosition) as [string, string, number, number | null, string, Buffer | null][];
    let n = 0;
    for (const [id, k, p, l, c, s] of rows) {
      const stored: StoredRow = { id, k, p, l, c: JSON.parse(c) as string[], s: s ? s.toString('base64') : null };
      this.st.journal.run(this.id, txn, 'insert', id, null, JSON.stringify(stored), now);
      n++;
    }
    if (n > 0) this.version++;
  }

  delete(slots: Slot[]): CommitResult {
    return this.commit('delete', slots.map((s) => ({ rowId: s.id, from: this.readStored(s.id), to: null })));
  }

  undo(): CommitResult {
    return this.replay(true);
  }

  redo(): CommitResult {
    return this.replay(false);
  }

  canUndo(): boolean {
    return this.st.lastLive.get(this.id) !== undefined;
  }

  canRedo(): boolean {
    return this.st.firstUndone.get(this.id) !== undefined;
  }

  private replay(undo: boolean): CommitResult {
    const head = (undo ? this.st.lastLive : this.st.firstUndone).get(this.id) as { txn: string } | undefined;
    if (!head) return { txn: null, changed: [], inserted: [], deleted: [] };
    const entries = this.st.entries.all(this.id, head.txn) as JournalRow[];
    if (undo) entries.reverse();
    const parse = (j: string | null) => (j === null ? null : (JSON.parse(j) as StoredRow));
    const changes: RowChange[] = entries.map((e) =>
      undo ? { rowId: e.row_id, from: parse(e.after), to: parse(e.before) } : { rowId: e.row_id, from: parse(e.before), to: parse(e.after) },
    );
    return this.apply(changes, () => this.st.markUndone.run(undo ? 1 : 0, this.id, head.txn), head.txn, undo ? 'undo' : 'redo');
  }

  private commit(kind: ChangeKind, changes: RowChange[]): CommitResult {
    if (changes.length === 0) return { txn: null, changed: [], inserted: [], deleted: [] };
    const txn = randomUUID();
    const now = new Date().toISOString();
    return this.apply(
      changes,
      () => {
        this.st.clearRedo.run(this.id);
        for (const c of changes) {
          const op = c.from === null ? 'insert' : c.to === null ? 'delete' : 'update';
          this.st.journal.run(this.id, txn, op, c.rowId, c.from && JSON.stringify(c.from), c.to && JSON.stringify(c.to), now);
        }
      },
      txn,
      kind,
    );
  }

  /** Writes the rows (and the journal, through `journal`) in one transaction, then updates memory. */
  private apply(changes: RowChange[], journal: () => void, txn: string, kind: ChangeKind): CommitResult {
    const now = new Date().toISOString();
    try {
      this.db.transaction(() => {
        journal();
        for (const c of changes) {
          if (c.to === null) this.st.delete.run(c.rowId, this.id);
          else if (c.from === null) this.st.insert.run(c.to.id, this.id, c.to.p, c.to.k, JSON.stringify(c.to.c), c.to.s && Buffer.from(c.to.s, 'base64'), c.to.l, now, now);
          else this.st.update.run(JSON.stringify(c.to.c), c.to.s && Buffer.from(c.to.s, 'base64'), now, c.rowId, this.id);
        }
        this.st.touch.run(now, this.id);
      })();
    } catch (e) {
      throw storageError(e);
    }
    return this.applyToMemory(changes, txn, kind);
  }

  private applyToMemory(changes: RowChange[], txn: string, kind: ChangeKind): CommitResult {
    const result: CommitResult = { txn, changed: [], inserted: [], deleted: [] };
    const touched = new Set<Slot>();
    const present: Slot[] = [];
    // 1. take the old keys out of the duplicate index and the old findings out of the counts
    for (const c of changes) {
      const slot = this.slots.get(c.rowId);
      if (slot && slot.alive) this.dups.remove(slot, touched);
    }
    for (const s of touched) this.counts.apply(this.countedOf(s), -1);
    const subtracted = new Set(touched);
    const totals = this.totals;
    const inTotals = new Set<Slot>();
    if (totals) {
      const out = new Set<Slot>();
      for (const c of changes) {
        const slot = this.slots.get(c.rowId);
        if (slot && slot.alive && !out.has(slot)) {
          out.add(slot);
          totals.apply(slot, -1);
        }
      }
    }
    // 2. the new cells
    let structural = false;
    for (const c of changes) {
      if (c.to === null) {
        const slot = this.slots.get(c.rowId);
        if (!slot) continue;
        slot.alive = false;
        slot.issues = null;
        slot.dupOf = null;
        result.deleted.push(slot);
        structural = true;
        continue;
      }
      const cells = this.decodeCells(c.to.id, JSON.stringify(c.to.c), c.to.s ? Buffer.from(c.to.s, 'base64') : null);
      let slot = this.slots.get(c.rowId);
      if (c.from === null || !slot) {
        slot = { id: c.to.id, line: c.to.l, position: c.to.p, cells, alive: true, issues: null, dupOf: null, index: 0 };
        this.slots.set(slot.id, slot);
        this.placeInOrder(slot);
        result.inserted.push(slot);
        subtracted.add(slot); // a new row has nothing counted yet
        structural = true;
      } else {
        slot.cells = cells;
        delete slot.damaged;
        result.changed.push(slot);
      }
      slot.issues = this.checkRow(slot);
      if (totals && !inTotals.has(slot)) {
        inTotals.add(slot);
        totals.apply(slot, 1);
      }
      present.push(slot);
    }
    if (result.deleted.length > 0) {
      this.order = this.order.filter((s) => s.alive);
      for (const s of result.deleted) this.slots.delete(s.id);
      this.indexStale = true;
    }
    // 3. the new keys; rows newly sharing a group lose their old findings from the counts first
    const added = new Set<Slot>();
    for (const slot of present) this.dups.add(slot, added);
    for (const s of added) if (!subtracted.has(s)) this.counts.apply(this.countedOf(s), -1);
    const all = new Set([...touched, ...added]);
    this.dups.remark(all, () => {});
    for (const s of all) this.counts.apply(this.countedOf(s), 1);
    // A Set, not includes(): a 10,000-row paste whose rows all join duplicate groups made this quadratic.
    const listed = new Set([...result.changed, ...result.inserted]);
    for (const s of all) if (s.alive && !listed.has(s)) result.changed.push(s);
    this.version++;
    if (structural || kind !== 'edit' || changes.length > 1000) this.viewEpoch++;
    return result;
  }

  private placeInOrder(slot: Slot): void {
    const o = this.order;
    let lo = 0;
    let hi = o.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (o[mid]!.position < slot.position) lo = mid + 1;
      else hi = mid;
    }
    o.splice(lo, 0, slot);
    this.indexStale = true;
  }

  /** `n` free positions before `before` (or after the last row), renumbering the batch if there is no room. */
  private positionsFor(n: number, before: Slot | null): number[] {
    this.ensureIndex();
    const o = this.order;
    if (!before) {
      const last = o.length ? o[o.length - 1]!.position : 0;
      return Array.from({ length: n }, (_, i) => last + (i + 1) * POSITION_GAP);
    }
    const prev = before.index > 0 ? o[before.index - 1]!.position : before.position - (n + 1) * POSITION_GAP;
    const room = before.position - prev - 1;
    if (room < n) {
      this.renumber();
      return this.positionsFor(n, before);
    }
    const step = Math.floor((before.position - prev) / (n + 1));
    return Array.from({ length: n }, (_, i) => prev + (i + 1) * step);
  }

  /** Spreads positions out again (rare: many inserts at one spot). Two passes keep (batch, position) unique. */
  private renumber(): void {
    const now = new Date().toISOString();
    const set = this.db.prepare('UPDATE batch_rows SET position = ?, updated_at = ? WHERE id = ?');
    try {
      this.db.transaction(() => {
        this.order.forEach((s, i) => set.run(-(i + 1), now, s.id));
        this.order.forEach((s, i) => set.run((i + 1) * POSITION_GAP, now, s.id));
      })();
    } catch (e) {
      throw storageError(e);
    }
    this.order.forEach((s, i) => (s.position = (i + 1) * POSITION_GAP));
  }

  /** Full card number of a row (for rows.reveal; the caller audits it). */
  cardNumber(slot: Slot): string {
    const pan = this.profile.columns.findIndex((c) => c.sensitive === 'pan');
    return pan >= 0 ? (slot.cells[pan] ?? '') : '';
  }
}
