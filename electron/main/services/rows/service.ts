/**
 * The batch editor's service: opens batches into sessions (main owns each open batch: one writer),
 * turns the contract's row calls into journal transactions, and answers windows, findings,
 * find/replace, reveal and the summary from the session's in-memory indexes.
 */
import type { z } from 'zod';
import type {
  ApplyFixInput,
  BatchTotals,
  EditResult,
  FindInput,
  Findings,
  NextErrorInput,
  ReplaceInput,
  RowsDeleteInput,
  RowsEditInput,
  RowsInsertInput,
  RowsPasteInput,
  RowsWindow,
  RowsWindowInput,
  FindingsInput,
} from '../../../../shared/contract';
import { getProfile } from '../../../../shared/formats/profiles';
import { defaultContext } from '../../../../shared/formats/validate';
import { looksLikeHeader, matchColumns } from '../../../../shared/formats/import';
import { currencyExponent, formatMinor } from '../../../../shared/formats/money';
import { maskPan } from '../../../../shared/formats/profiles/common';
import { parseTsv } from '../../../../shared/formats/tsv';
import type { ProfileId } from '../../../../shared/formats/types';
import type { AuditLog } from '../audit';
import type { Db } from '../db/database';
import type { Sealer } from '../crypto';
import { AppError } from '../errors';
import { BatchSession, type ChangeKind, type CommitResult } from './session';
import type { Slot } from './slot';
import { columnIndexOf, displayCell, gridRow, indexInView, toCellFinding, view, type ViewSpec } from './view';
import { storageError } from './storageError';
import { assertNotSubmitted, submittedReason } from './submitted';
import { SummaryTotals } from './totals';

type In<T extends z.ZodType> = z.output<T>;

/** Ids listed in an EditResult / rows.changed; beyond it the grid refetches its window. */
export const LISTED_IDS = 2000;

export interface BatchRowMeta {
  id: string;
  name: string;
  profile: ProfileId;
  amount_unit: 'major' | 'minor';
  currency: string;
  importing_from: number | null;
  deleted_at: string | null;
}

export type RowsChanged = (batchId: string, version: number, reason: ChangeKind, rowIds: string[], all: boolean) => void;

export class RowsService {
  private readonly sessions = new Map<string, BatchSession>();
  /** Changes made per open batch since it was opened: one history line per edit session. */
  private readonly edits = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly sealer: Sealer,
    private readonly audit: AuditLog,
    private readonly onChanged: RowsChanged = () => {},
  ) {}

  meta(batchId: string): BatchRowMeta {
    const m = this.db.prepare('SELECT id, name, profile, amount_unit, currency, importing_from, deleted_at FROM batches WHERE id = ?').get(batchId) as BatchRowMeta | undefined;
    if (!m) throw new AppError('not_found', 'That batch does not exist (it may have been deleted permanently).');
    return m;
  }

  /** The open session of a batch, loading it on first use. */
  open(batchId: string): BatchSession {
    const existing = this.sessions.get(batchId);
    if (existing) return existing;
    const m = this.meta(batchId);
    if (m.deleted_at !== null) throw new AppError('conflict', `The batch "${m.name}" is deleted. Restore it first.`);
    if (m.importing_from !== null) this.dropInterruptedImport(m);
    const s = this.newSession(m);
    s.load();
    this.sessions.set(batchId, s);
    return s;
  }

  /** A session for a batch being created by an import (rows adopted from the importer). */
  newSession(m: BatchRowMeta): BatchSession {
    const ctx = { ...defaultContext(), currency: m.currency, amountUnit: m.amount_unit };
    return new BatchSession(this.db, this.sealer, { id: m.id, name: m.name, profile: getProfile(m.profile), ctx });
  }

  register(s: BatchSession): void {
    this.sessions.set(s.id, s);
  }

  forget(batchId: string): void {
    this.sessions.delete(batchId);
  }

  /** The app was closed in the middle of an import: its rows are removed, the batch's own rows kept. */
  private dropInterruptedImport(m: BatchRowMeta): void {
    try {
      this.db.transaction(() => {
        const r = this.db.prepare('DELETE FROM batch_rows WHERE batch_id = ? AND position >= ?').run(m.id, m.importing_from);
        this.db.prepare('UPDATE batches SET importing_from = NULL WHERE id = ?').run(m.id);
        this.audit.record('import.interrupted', 'batch', m.id, { name: m.name, removedRows: r.changes, text: `An import into "${m.name}" was interrupted; its ${r.changes.toLocaleString('en-US')} rows were removed. Import the file again.` });
      })();
    } catch (e) {
      throw storageError(e);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  window(input: In<typeof RowsWindowInput>): RowsWindow {
    const s = this.open(input.batchId);
    const rows = view(s, input);
    const page = rows.slice(input.offset, input.offset + input.limit);
    return { batchId: s.id, offset: input.offset, total: rows.length, batchRows: s.order.length, rows: page.map((r) => gridRow(s, r)), version: s.version, ...this.readOnlyOf(s) };
  }

  /** Rows of the open batch as main holds them (undefined while an import is still adding rows). */
  liveRowCount(batchId: string): number | undefined {
    const s = this.open(batchId);
    return s.importing === null ? s.order.length : undefined;
  }

  findings(input: In<typeof FindingsInput>): Findings {
    const s = this.open(input.batchId);
    const c = s.counts;
    const perColumn: Findings['perColumn'] = {};
    for (const [k, v] of c.perColumn) if (k !== null && (v.errors || v.warnings)) perColumn[k] = { ...v };
    const rowLevel = c.perColumn.get(null) ?? { errors: 0, warnings: 0 };
    const summaries = new Map(s.profile.rules.map((r) => [r.code, r.summary]));
    const groups = [...c.groups.values()]
      .filter((g) => g.count > 0)
      .sort((a, b) => (a.severity === b.severity ? b.count - a.count : a.severity === 'error' ? -1 : 1))
      .map((g) => ({ ...g, summary: summaries.get(g.code) ?? g.code }));
    const items: Findings['items'] = [];
    let itemsTotal = 0;
    if (input.code !== undefined) {
      const offset = input.offset ?? 0;
      const limit = input.limit ?? 100;
      s.ensureIndex();
      for (const slot of s.order) {
        if (!slot.issues && !slot.dupOf) continue;
        for (const f of s.findingsOf(slot)) {
          const cf = toCellFinding(s, f);
          if (cf.code !== input.code || (input.column !== undefined && cf.column !== input.column)) continue;
          if (itemsTotal >= offset && items.length < limit) items.push({ rowId: slot.id, line: slot.line, position: slot.index, finding: cf });
          itemsTotal++;
        }
      }
    }
    return { errors: c.errors, warnings: c.warnings, perColumn, rowLevel: { errors: rowLevel.errors, warnings: rowLevel.warnings }, groups, items, itemsTotal };
  }

  nextError(input: In<typeof NextErrorInput>) {
    const s = this.open(input.batchId);
    const rows = view(s, input);
    const n = rows.length;
    if (n === 0) return { found: null };
    const wanted = (sev: string) => sev === 'error' || input.includeWarnings === true;
    const colOrder = (key: string | null) => (key === null ? -1 : (s.keyToCol.get(key) ?? -1));
    const start = input.from ? indexInView(s, input, rows, input.from.rowId) : -1;
    const fromCol = input.from ? colOrder(input.from.column) : -2;
    const step = input.dir === 'next' ? 1 : -1;
    // the starting row first (cells after/before the current one), then the others, wrapping once
    for (let k = 0; k <= n; k++) {
      const i = start < 0 ? (step === 1 ? k : n - 1 - k) : (((start + step * k) % n) + n) % n;
      if (start < 0 && k === n) break;
      const slot = rows[i]!;
      if (!slot.issues && !slot.dupOf) continue;
      let fs = s.findingsOf(slot).filter((f) => wanted(f.severity)).map((f) => toCellFinding(s, f));
      fs.sort((a, b) => (colOrder(a.column) - colOrder(b.column)) * step);
      if (k === 0 && start >= 0) fs = fs.filter((f) => (step === 1 ? colOrder(f.column) > fromCol : colOrder(f.column) < fromCol));
      if (k === n && start >= 0) fs = fs.filter((f) => (step === 1 ? colOrder(f.column) <= fromCol : colOrder(f.column) >= fromCol));
      const f = fs[0];
      if (f) return { found: { rowId: slot.id, column: f.column, index: i, finding: f } };
    }
    return { found: null };
  }

  find(input: In<typeof FindInput>) {
    const s = this.open(input.batchId);
    const all = this.matches(s, input);
    const offset = input.offset ?? 0;
    return { total: all.length, matches: all.slice(offset, offset + (input.limit ?? 200)) };
  }

  private matches(s: BatchSession, input: Omit<In<typeof FindInput>, 'offset' | 'limit'>) {
    const rows = view(s, input);
    const cols = input.column !== undefined ? [columnIndexOf(s, input.column)] : s.profile.columns.map((_, i) => i);
    const needle = input.matchCase ? input.text : input.text.toLowerCase();
    const out: { rowId: string; index: number; column: string }[] = [];
    rows.forEach((slot, index) => {
      for (const c of cols) {
        let v = displayCell(s, c, slot.cells[c] ?? '');
        if (!input.matchCase) v = v.toLowerCase();
        if (input.wholeCell ? v === needle : v.includes(needle)) out.push({ rowId: slot.id, index, column: s.profile.columns[c]!.key });
      }
    });
    return out;
  }

  summary(batchId: string, batch: BatchTotals['batch']): BatchTotals {
    const s = this.open(batchId);
    const amountCol = s.keyToCol.get(s.profile.amount.column) ?? -1;
    const unit = s.profile.amount.unit === 'context' ? s.ctx.amountUnit : s.profile.amount.unit;
    const actionCol = s.profile.columns.findIndex((c) => c.type === 'enum');
    // One pass over the rows the first time; every change keeps it up to date after that. While an
    // import is still adding rows it is counted afresh (the rows are not all there yet).
    const reader = { amountCol, actionCol, unit, currencyOf: (slot: Slot) => s.currencyOf(slot) };
    const built = s.importing === null ? (s.totals ??= SummaryTotals.build(reader, s.order)) : SummaryTotals.build(reader, s.order);
    const totals = built.currencies;
    const actions: Record<string, number> = Object.fromEntries(built.actions);
    return {
      batch,
      rows: s.order.length,
      totals: [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, t]) => totalOf(currency, t.minor, t.rows)),
      actions,
      errors: s.counts.errors,
      warnings: s.counts.warnings,
      amountUnit: s.ctx.amountUnit,
      currency: s.ctx.currency,
      canUndo: s.canUndo(),
      canRedo: s.canRedo(),
      version: s.version,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Changes

  edit(input: In<typeof RowsEditInput>): EditResult {
    const s = this.editable(input.batchId);
    const updates = new Map<Slot, string[]>();
    for (const ch of input.changes) {
      const slot = s.slot(ch.rowId);
      const col = columnIndexOf(s, ch.column);
      const cells = updates.get(slot) ?? slot.cells.slice();
      cells[col] = this.cellValue(s, col, ch.value, slot.cells[col] ?? '');
      updates.set(slot, cells);
    }
    return this.done(s, input.label ?? 'edit', s.change(input.label ?? 'edit', updates));
  }

  insert(input: In<typeof RowsInsertInput>): EditResult {
    const s = this.editable(input.batchId);
    const before = input.beforeRowId ? s.slot(input.beforeRowId) : null;
    const n = s.profile.columns.length;
    const rows = input.rows
      ? input.rows.map((r) => {
          const cells = new Array<string>(n).fill('');
          for (const [k, v] of Object.entries(r)) cells[columnIndexOf(s, k)] = v.trim();
          return cells;
        })
      : Array.from({ length: input.count ?? 1 }, () => new Array<string>(n).fill(''));
    return this.done(s, 'insert', s.change('insert', new Map(), rows, before));
  }

  delete(input: In<typeof RowsDeleteInput>): EditResult {
    const s = this.editable(input.batchId);
    const slots = [...new Set(input.rowIds)].map((id) => s.slot(id));
    const r = s.delete(slots);
    if (slots.length > 1) this.audit.record('rows.delete', 'batch', s.id, { rows: slots.length, text: `Deleted ${fmt(slots.length)} rows from "${s.name}"` });
    return this.done(s, 'delete', r);
  }

  paste(input: In<typeof RowsPasteInput>): EditResult {
    const s = this.editable(input.batchId);
    const grid = parseTsv(input.text);
    if (grid.length === 0) throw new AppError('bad_input', 'There is nothing to paste (the clipboard holds no cells).');
    const n = s.profile.columns.length;
    if (!input.anchor) {
      // appended as rows: a header line naming the provider's columns maps them; else profile order
      let mapping: (number | null)[] = s.profile.columns.map((_, i) => i);
      let body = grid;
      if (looksLikeHeader(s.profile, grid[0]!)) {
        mapping = matchColumns(s.profile, grid[0]!).mapping;
        body = grid.slice(1);
      }
      const rows = body.map((line) => mapping.map((src, c) => (src === null ? '' : this.cellValue(s, c, line[src] ?? '', ''))));
      return this.done(s, 'paste', s.change('paste', new Map(), rows.filter((r) => r.some((v) => v !== '')).slice(0, 1_100_000)));
    }
    const order = input.rowOrder ? input.rowOrder.map((id) => s.slot(id)) : s.order;
    const startCol = columnIndexOf(s, input.anchor.column);
    let start = order.findIndex((r) => r.id === input.anchor!.rowId);
    if (start < 0) {
      s.slot(input.anchor.rowId); // throws not_found for a deleted row
      start = order.length;
    }
    const updates = new Map<Slot, string[]>();
    const extra: string[][] = [];
    grid.forEach((line, r) => {
      const slot = order[start + r];
      const cells = slot ? (updates.get(slot) ?? slot.cells.slice()) : new Array<string>(n).fill('');
      line.forEach((v, k) => {
        const c = startCol + k;
        if (c < n) cells[c] = this.cellValue(s, c, v, slot ? (slot.cells[c] ?? '') : '');
      });
      if (slot) updates.set(slot, cells);
      else extra.push(cells);
    });
    return this.done(s, 'paste', s.change('paste', updates, extra));
  }

  undo(batchId: string): EditResult {
    const s = this.editable(batchId);
    return this.done(s, 'undo', s.undo());
  }

  redo(batchId: string): EditResult {
    const s = this.editable(batchId);
    return this.done(s, 'redo', s.redo());
  }

  applyFix(input: In<typeof ApplyFixInput>): EditResult {
    const s = this.editable(input.batchId);
    const col = input.column === null ? -1 : columnIndexOf(s, input.column);
    if (col < 0) throw new AppError('bad_input', 'This finding is about the whole row; there is no cell value to fix.');
    const label = s.profile.columns[col]!.label;
    const targets = input.scope.kind === 'cell' ? [s.slot(input.scope.rowId)] : s.order;
    const updates = new Map<Slot, string[]>();
    for (const slot of targets) {
      const issue = slot.issues?.find((i) => i.code === input.code && i.column === label && i.fix !== undefined);
      if (!issue) continue;
      const cells = slot.cells.slice();
      cells[col] = issue.fix!;
      updates.set(slot, cells);
    }
    if (updates.size === 0) throw new AppError('not_found', 'There is no suggested fix for this finding any more (the cell was changed).');
    const r = s.change('fix', updates);
    if (input.scope.kind === 'all') {
      this.audit.record('rows.fix_all', 'batch', s.id, { code: input.code, column: label, cells: updates.size, text: `Applied the suggested fix to ${fmt(updates.size)} ${label} cells in "${s.name}" (${input.code})` });
    }
    return this.done(s, 'fix', r);
  }

  replace(input: In<typeof ReplaceInput>): EditResult {
    const s = this.editable(input.batchId);
    if (input.column !== undefined && s.profile.columns[columnIndexOf(s, input.column)]!.sensitive) {
      throw new AppError('bad_input', 'Card numbers and CVCs cannot be replaced with find and replace; type the new value into the cell.');
    }
    const only = input.only ? new Set(input.only.map((o) => `${o.rowId}\u0000${o.column}`)) : null;
    const updates = new Map<Slot, string[]>();
    let cellsChanged = 0;
    for (const m of this.matches(s, input)) {
      if (only && !only.has(`${m.rowId}\u0000${m.column}`)) continue;
      const col = s.keyToCol.get(m.column)!;
      if (s.profile.columns[col]!.sensitive) continue; // masked: never replaced blindly
      const slot = s.slot(m.rowId);
      const cells = updates.get(slot) ?? slot.cells.slice();
      const old = cells[col] ?? '';
      cells[col] = input.wholeCell ? input.replacement : replaceText(old, input.text, input.replacement, input.matchCase === true);
      updates.set(slot, cells);
      cellsChanged++;
    }
    const r = s.change('replace', updates);
    if (!only) this.audit.record('rows.replace', 'batch', s.id, { cells: cellsChanged, text: `Replaced "${input.text}" with "${input.replacement}" in ${fmt(cellsChanged)} cells of "${s.name}"` });
    return this.done(s, 'replace', r);
  }

  reveal(input: { batchId: string; rowId: string; reason: string }): { rowId: string; cardNumber: string } {
    const s = this.open(input.batchId);
    const slot = s.slot(input.rowId);
    const pan = s.cardNumber(slot);
    if (pan === '') throw new AppError('not_found', 'This row has no card number.');
    this.audit.record('card.reveal', 'batch', s.id, {
      row: s.shown(slot),
      masked: maskPan(pan),
      reason: input.reason,
      text: `Revealed card number ${maskPan(pan)} on line ${fmt(s.shown(slot))} of "${s.name}" — ${input.reason}`,
    });
    return { rowId: slot.id, cardNumber: pan };
  }

  // -------------------------------------------------------------------------------------------

  /** Read-only while an import fills the batch, or once it was submitted (with the reason shown). */
  private readOnlyOf(s: BatchSession): { readOnly: boolean; readOnlyReason: string | null } {
    const why = submittedReason(this.db, s.id) ?? (s.importing !== null ? 'Rows are still being imported into this batch: it is read-only until the import ends.' : null);
    return { readOnly: why !== null, readOnlyReason: why };
  }

  private editable(batchId: string): BatchSession {
    const s = this.open(batchId);
    s.assertEditable();
    assertNotSubmitted(this.db, batchId);
    return s;
  }

  /** A typed or pasted value as stored: trimmed (cells are compared trimmed everywhere). */
  private cellValue(_s: BatchSession, _col: number, value: string, _old: string): string {
    return value.trim();
  }

  /** Writes "Edited "X" — N changes" for every batch changed in this session (on close). */
  closeSessions(): void {
    for (const [id, n] of this.edits) {
      const s = this.sessions.get(id);
      if (!s || n === 0) continue;
      try {
        this.audit.record('batch.edit_session', 'batch', id, { changes: n, text: `Edited "${s.name}" — ${fmt(n)} change${n === 1 ? '' : 's'} (typing, pastes, fixes, undo/redo)` });
      } catch {
        // the store is read-only or gone: the edits themselves are in the journal
      }
    }
    this.edits.clear();
  }

  private done(s: BatchSession, reason: ChangeKind, r: CommitResult): EditResult {
    if (r.txn !== null) {
      const n = this.edits.get(s.id) ?? 0;
      if (n === 0) this.audit.record('batch.edit_start', 'batch', s.id, { text: `Started editing "${s.name}"` });
      this.edits.set(s.id, n + 1);
    }
    const changed = r.changed.map((x) => x.id);
    const inserted = r.inserted.map((x) => x.id);
    const deleted = r.deleted.map((x) => x.id);
    const affected = changed.length + inserted.length + deleted.length;
    if (r.txn !== null) {
      const all = affected > LISTED_IDS || inserted.length > 0 || deleted.length > 0;
      this.onChanged(s.id, s.version, reason, all ? [] : changed, all);
    }
    return {
      batchId: s.id,
      txn: r.txn,
      version: s.version,
      changedRowIds: changed.slice(0, LISTED_IDS),
      insertedRowIds: inserted.slice(0, LISTED_IDS),
      deletedRowIds: deleted.slice(0, LISTED_IDS),
      affected,
      canUndo: s.canUndo(),
      canRedo: s.canRedo(),
      errors: s.counts.errors,
      warnings: s.counts.warnings,
      rowCount: s.order.length,
      ...(inserted.length === 0 && deleted.length === 0 && r.changed.length <= EDIT_ROWS ? { rows: r.changed.map((slot) => gridRow(s, slot)) } : {}),
    };
  }
}

/** Rows sent back with an edit (a typed cell and the rows sharing its duplicate keys). */
const EDIT_ROWS = 200;

function replaceText(cell: string, needle: string, replacement: string, matchCase: boolean): string {
  if (matchCase) return cell.split(needle).join(replacement);
  const lower = cell.toLowerCase();
  const n = needle.toLowerCase();
  let out = '';
  let i = 0;
  for (;;) {
    const at = lower.indexOf(n, i);
    if (at < 0) return out + cell.slice(i);
    out += cell.slice(i, at) + replacement;
    i = at + n.length;
  }
}

export function totalOf(currency: string, minor: bigint, rows: number) {
  const exp = currencyExponent(currency) ?? 2;
  const text = minor <= BigInt(Number.MAX_SAFE_INTEGER) ? formatMinor(Number(minor), exp) : bigText(minor, exp);
  return { currency, minor: minor.toString(), text, rows };
}

function bigText(minor: bigint, exp: number): string {
  const s = minor.toString().padStart(exp + 1, '0');
  return exp === 0 ? s : `${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

export { displayCell };
export type { ViewSpec };
