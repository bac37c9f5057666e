/**
 * Read side of an open batch: sorted/filtered views (cached per sort+filter until a change can
 * move rows), windows of masked rows with their findings, the findings list, next error, find.
 */
import type { CellFinding, GridRow } from '../../../../shared/contract';
import type { Issue } from '../../../../shared/formats/types';
import { parseMinorStrict, currencyExponent } from '../../../../shared/formats/money';
import { maskPanForExport } from '../../../../shared/formats/profiles/common';
import { AppError } from '../errors';
import type { BatchSession } from './session';
import type { Slot } from './slot';

export interface ViewSpec {
  sort?: { column: string; dir: 'asc' | 'desc' } | undefined;
  filter?: { onlyErrors?: boolean | undefined; column?: string | undefined; text?: string | undefined } | undefined;
}

interface CachedView {
  key: string;
  epoch: number;
  rows: Slot[];
  /** row id → index in `rows`, built on demand */
  at: Map<string, number> | null;
}

const cache = new WeakMap<BatchSession, CachedView[]>();

/** What the grid shows for a cell: card numbers masked (first 6 / last 4), a CVC never. */
export function displayCell(s: BatchSession, col: number, value: string): string {
  const c = s.profile.columns[col]!;
  if (value === '') return '';
  if (c.sensitive === 'pan') return maskPanForExport(value);
  if (c.sensitive === 'cvc') return '•••';
  return value;
}

export function columnIndexOf(s: BatchSession, key: string): number {
  const i = s.keyToCol.get(key);
  if (i === undefined) throw new AppError('bad_input', `There is no column "${key}" in a ${s.profile.provider} batch.`);
  return i;
}

export function hasError(s: BatchSession, slot: Slot): boolean {
  if (slot.issues && slot.issues.some((i) => i.severity === 'error')) return true;
  return false; // duplicates are warnings or errors per profile: checked below when present
}

function rowHasError(s: BatchSession, slot: Slot): boolean {
  if (hasError(s, slot)) return true;
  if (!slot.dupOf) return false;
  return s.findingsOf(slot).some((i) => i.severity === 'error');
}

export function view(s: BatchSession, spec: ViewSpec): Slot[] {
  const key = JSON.stringify([spec.sort ?? null, spec.filter ?? null]);
  if (!spec.sort && !spec.filter?.onlyErrors && !(spec.filter?.text ?? '')) return s.order;
  const views = cache.get(s) ?? [];
  const hit = views.find((v) => v.key === key && v.epoch === s.viewEpoch);
  if (hit) return hit.rows.filter((r) => r.alive).length === hit.rows.length ? hit.rows : (hit.rows = hit.rows.filter((r) => r.alive));
  let rows = s.order;
  const f = spec.filter;
  if (f?.onlyErrors) rows = rows.filter((r) => rowHasError(s, r));
  if (f?.text) {
    const needle = f.text.toLowerCase();
    const cols = f.column !== undefined ? [columnIndexOf(s, f.column)] : s.profile.columns.map((_, i) => i);
    rows = rows.filter((r) => cols.some((c) => displayCell(s, c, r.cells[c] ?? '').toLowerCase().includes(needle)));
  }
  if (spec.sort) rows = sorted(s, rows, spec.sort);
  const fresh: CachedView = { key, epoch: s.viewEpoch, rows, at: null };
  // a few views per batch (the grid's current one and the one before)
  cache.set(s, [fresh, ...views.filter((v) => v.key !== key && v.epoch === s.viewEpoch)].slice(0, 3));
  return rows;
}

function sorted(s: BatchSession, rows: Slot[], sort: { column: string; dir: 'asc' | 'desc' }): Slot[] {
  const col = columnIndexOf(s, sort.column);
  const sign = sort.dir === 'asc' ? 1 : -1;
  const n = rows.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const isAmount = s.profile.columns[col]!.type === 'amount';
  if (isAmount) {
    // amounts by value in minor units (unreadable ones last), then by position
    const keys = new Float64Array(n);
    const unit = s.profile.amount.unit === 'context' ? s.ctx.amountUnit : s.profile.amount.unit;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      const v = parseMinorStrict(r.cells[col] ?? '', currencyExponent(s.currencyOf(r)) ?? 2, unit);
      keys[i] = v > 0 ? v : Number.POSITIVE_INFINITY;
    }
    if (!packedSort(keys, sign, idx)) idx.sort((a, b) => (keys[a] === keys[b] ? a - b : keys[a]! < keys[b]! ? -sign : sign));
  } else {
    const keys: string[] = new Array(n);
    for (let i = 0; i < n; i++) keys[i] = displayCell(s, col, rows[i]!.cells[col] ?? '').toLowerCase();
    idx.sort((a, b) => {
      const x = keys[a]!;
      const y = keys[b]!;
      if (x === y) return a - b;
      // empty cells last in both directions
      if (x === '') return 1;
      if (y === '') return -1;
      return x < y ? -sign : sign;
    });
  }
  const out: Slot[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = rows[idx[i]!]!;
  return out;
}

const PACK_SHIFT = 2 ** 21;
const PACK_MAX = 2 ** 31;

/**
 * The amount sort without a comparator: key and position packed into one double (key × 2^21 +
 * position, exact below 2^53) and sorted natively, ~20× faster at 1M rows than idx.sort(cmp).
 * Same order as the comparator (ties by position; unreadable amounts last ascending, first
 * descending). False when a key or the row count does not fit: the caller sorts with the comparator.
 */
export function packedSort(keys: Float64Array, sign: 1 | -1, idx: Int32Array): boolean {
  const n = keys.length;
  if (n >= PACK_SHIFT) return false;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const finite = k !== Number.POSITIVE_INFINITY;
    if (finite && !(Number.isInteger(k) && k < PACK_MAX)) return false;
    const key = sign === 1 ? (finite ? k : PACK_MAX) : finite ? PACK_MAX - k : 0;
    packed[i] = key * PACK_SHIFT + i;
  }
  packed.sort();
  for (let i = 0; i < n; i++) idx[i] = packed[i]! % PACK_SHIFT;
  return true;
}

/** Index of a row in a view (the view's id map is built once per view). */
export function indexInView(s: BatchSession, spec: ViewSpec, rows: Slot[], rowId: string): number {
  if (rows === s.order) {
    s.ensureIndex();
    const slot = s.slots.get(rowId);
    return slot && slot.alive ? slot.index : -1;
  }
  const views = cache.get(s) ?? [];
  const v = views.find((x) => x.rows === rows);
  if (v) {
    v.at ??= new Map(rows.map((r, i) => [r.id, i]));
    return v.at.get(rowId) ?? -1;
  }
  return rows.findIndex((r) => r.id === rowId);
}

export function toCellFinding(s: BatchSession, i: Issue): CellFinding {
  return {
    column: i.column === null ? null : (s.labelToKey.get(i.column) ?? null),
    severity: i.severity,
    code: i.code,
    message: i.message,
    ...(i.fix !== undefined && !isSensitiveLabel(s, i.column) ? { fix: i.fix } : {}),
  };
}

function isSensitiveLabel(s: BatchSession, label: string | null): boolean {
  if (label === null) return false;
  const c = s.profile.columns.find((x) => x.label === label);
  return c?.sensitive !== undefined;
}

export function gridRow(s: BatchSession, slot: Slot): GridRow {
  const cells: Record<string, string> = {};
  s.profile.columns.forEach((c, i) => (cells[c.key] = displayCell(s, i, slot.cells[i] ?? '')));
  return { id: slot.id, line: slot.line, cells, findings: s.findingsOf(slot).map((i) => toCellFinding(s, i)) };
}
