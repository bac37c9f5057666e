/**
 * Import a file into a batch: preview (detected locale, headers, mapping remembered for the same
 * headers, the amount column read both ways) and the import itself. The file is read by content
 * (CSV or XLSX, whatever its name), with the same readers as the CLI. The amount unit is decided
 * once for the whole import; every amount is stored in the batch's unit in the currency's
 * canonical form (`5,5` → `5.50`), its value never changed. Rows are stored in transactions of
 * IMPORT_CHUNK rows with prepared statements; the grid can show the batch once it is validated.
 */
import { stat } from 'node:fs/promises';
import type { ColumnMapping, ImportPreview, LocaleOptions } from '../../../../shared/contract';
import { parseCsv } from '../../../../shared/formats/csv/parse';
import { createRowImporter, locateHeader, looksLikeHeader, matchColumns, normalizeHeader } from '../../../../shared/formats/import';
import { currencyExponent, formatMinor, numberToPlainString, parseAmount, parseAmountCode, parseMinorStrict, type AmountUnit } from '../../../../shared/formats/money';
import { getProfile } from '../../../../shared/formats/profiles';
import { maskPanForExport } from '../../../../shared/formats/profiles/common';
import { maskPans } from '../../../../shared/formats/mask';
import { defaultContext } from '../../../../shared/formats/validate';
import type { Cell, Issue, ProfileId, RawTable } from '../../../../shared/formats/types';
import type { Profile } from '../../../../shared/formats/profile';
import type { Db } from '../db/database';
import { readInput } from '../files/importFile';
import { AppError } from '../errors';
import { POSITION_GAP, type BatchSession } from './session';
import type { Slot } from './slot';
import { storageError } from './storageError';
import { uuid7 } from './uuid7';

/** Rows per SQLite transaction while importing. */
export const IMPORT_CHUNK = 20_000;
const SAMPLE_ROWS = 20;

export interface ReadOptions {
  profile: ProfileId;
  sheet?: string | undefined;
  locale?: LocaleOptions | undefined;
  onProgress?: (done: number, total: number) => void;
}

/** A file read into raw rows (file column order), with what was found about it. */
export interface ReadFile {
  path: string;
  size: number;
  mtimeMs: number;
  table: RawTable;
  key: string;
}

function cacheKey(path: string, size: number, mtimeMs: number, o: ReadOptions): string {
  return JSON.stringify([path, size, mtimeMs, o.profile, o.sheet ?? null, o.locale ?? null]);
}

/** Reads the file by its content (CSV/text or XLSX), in the clerk's locale options when given. */
export async function readFileTable(path: string, o: ReadOptions): Promise<ReadFile> {
  const profile = getProfile(o.profile);
  const input = await readInput(path, {
    profile: o.profile,
    ...(o.sheet !== undefined ? { sheet: o.sheet } : {}),
    ...(o.onProgress ? { onProgress: (p: { done: number; total: number }) => o.onProgress!(p.done, p.total) } : {}),
  });
  let table: RawTable;
  if (input.kind === 'xlsx') table = locateHeader(profile, input.table);
  else {
    const loc = o.locale ?? {};
    table = parseCsv(input.bytes, {
      isHeader: (cells) => looksLikeHeader(profile, cells),
      ...(loc.encoding !== undefined ? { encoding: loc.encoding } : {}),
      ...(loc.delimiter !== undefined ? { delimiter: loc.delimiter } : {}),
      ...(loc.decimalMark !== undefined ? { decimalComma: loc.decimalMark === ',' } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
  }
  const st = await stat(path);
  return { path, size: st.size, mtimeMs: st.mtimeMs, table, key: cacheKey(path, st.size, st.mtimeMs, o) };
}

export function headersKey(header: readonly string[]): string {
  return JSON.stringify(header.map((h) => normalizeHeader(h ?? '')));
}

/** Profile-order mapping (index → file column) from the contract's {key: column}. */
export function mappingArray(profile: Profile, mapping: ColumnMapping, fileColumns: number): (number | null)[] {
  return profile.columns.map((c) => {
    const v = mapping[c.key];
    return v === undefined || v === null || v >= fileColumns ? null : v;
  });
}

export function mappingRecord(profile: Profile, arr: readonly (number | null)[]): ColumnMapping {
  const out: ColumnMapping = {};
  profile.columns.forEach((c, i) => (out[c.key] = arr[i] ?? null));
  return out;
}

function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return numberToPlainString(c);
  if (typeof c === 'boolean') return c ? 'TRUE' : 'FALSE';
  return c.trim();
}

/** The amount column's values read as major and as minor units, and the preselected unit. */
export function amountReadings(profile: Profile, table: RawTable, mapping: readonly (number | null)[], defaultCurrency: string, decimalComma: boolean, fallbackUnit: AmountUnit): ImportPreview['amount'] {
  const amountCol = mapping[profile.columns.findIndex((c) => c.key === profile.amount.column)] ?? null;
  const curIdx = profile.amount.currencyColumn ? profile.columns.findIndex((c) => c.key === profile.amount.currencyColumn) : -1;
  const curCol = curIdx >= 0 ? (mapping[curIdx] ?? null) : null;
  const readings = (['major', 'minor'] as const).map((unit) => ({ unit, totals: new Map<string, { minor: bigint; rows: number }>(), unreadable: 0 }));
  const samples = new Set<string>();
  let withDecimals = 0;
  let nonZeroDecimals = 0;
  let example = '';
  const mark = decimalComma ? 44 : 46;
  const decimal = decimalComma ? ',' : '.';
  // per currency and reading: a Number sum (exact below 2^53), folded into a BigInt when large
  const sums = new Map<string, { exponent: number; s: number[]; n: number[] }>();
  if (amountCol !== null) {
    for (const row of table.rows) {
      const raw = row[amountCol];
      const text = typeof raw === 'string' ? raw.trim() : cellText(raw ?? '');
      if (text === '') continue;
      if (samples.size < 12) samples.add(text);
      const currency = (curCol !== null ? cellText(row[curCol] ?? '').toUpperCase() : '') || defaultCurrency;
      let acc = sums.get(currency);
      if (!acc) sums.set(currency, (acc = { exponent: currencyExponent(currency) ?? 2, s: [0, 0], n: [0, 0] }));
      const at = text.lastIndexOf(String.fromCharCode(mark));
      if (at >= 0 && at < text.length - 1) {
        let digits = true;
        let nonZero = false;
        for (let i = at + 1; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (c < 48 || c > 57) digits = false;
          else if (c !== 48) nonZero = true;
        }
        if (digits) {
          withDecimals++;
          if (nonZero) {
            nonZeroDecimals++;
            if (example === '') example = text;
          }
        }
      }
      for (let k = 0; k < 2; k++) {
        const minor = parseAmountCode(text, { exponent: acc.exponent, unit: k === 0 ? 'major' : 'minor', decimal });
        if (minor <= 0) {
          readings[k]!.unreadable++;
          continue;
        }
        acc.s[k]! += minor;
        acc.n[k]!++;
        if (acc.s[k]! > 2 ** 52) {
          const t = readings[k]!.totals.get(currency) ?? { minor: 0n, rows: 0 };
          t.minor += BigInt(acc.s[k]!);
          readings[k]!.totals.set(currency, t);
          acc.s[k] = 0;
        }
      }
    }
  }
  for (const [currency, acc] of sums) {
    for (let k = 0; k < 2; k++) {
      if (acc.n[k] === 0) continue;
      const t = readings[k]!.totals.get(currency) ?? { minor: 0n, rows: 0 };
      t.minor += BigInt(acc.s[k]!);
      t.rows = acc.n[k]!;
      readings[k]!.totals.set(currency, t);
    }
  }
  const suggested: AmountUnit = nonZeroDecimals > 0 || withDecimals > 0 ? 'major' : fallbackUnit;
  const reason =
    nonZeroDecimals > 0
      ? `${nonZeroDecimals.toLocaleString('en-US')} amount${nonZeroDecimals === 1 ? ' has' : 's have'} decimals (e.g. ${example}), so they are major units.`
      : withDecimals > 0
        ? 'The amounts are written with decimals (e.g. 49.00), so they look like major units.'
        : amountCol === null
          ? 'The file has no amount column.'
          : `The amounts are whole numbers: check one. ${fallbackUnit === 'minor' ? 'Preselected: minor units (cents).' : 'Preselected: major units.'}`;
  return {
    choosable: true,
    samples: [...samples],
    readings: readings.map((r) => ({
      unit: r.unit,
      unreadable: r.unreadable,
      totals: [...r.totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, t]) => {
        const exp = currencyExponent(currency) ?? 2;
        return { currency, minor: t.minor.toString(), text: t.minor <= BigInt(Number.MAX_SAFE_INTEGER) ? formatMinor(Number(t.minor), exp) : t.minor.toString(), rows: t.rows };
      }),
    })),
    suggested,
    reason,
  };
}

/** A sample row for the preview: card numbers masked, CVCs blanked, card-like digits elsewhere masked too. */
function sampleRow(profile: Profile, row: readonly Cell[], mapping: readonly (number | null)[], width: number): string[] {
  const sensitive = new Map<number, 'pan' | 'cvc'>();
  profile.columns.forEach((c, i) => {
    const m = mapping[i];
    if (c.sensitive && m !== null && m !== undefined) sensitive.set(m, c.sensitive);
  });
  const out: string[] = [];
  for (let f = 0; f < width; f++) {
    const t = cellText(row[f] ?? '');
    const kind = sensitive.get(f);
    out.push(kind === 'pan' ? maskPanForExport(t) : kind === 'cvc' ? (t === '' ? '' : '•••') : maskPans(t));
  }
  return out;
}

export function buildPreview(
  db: Db,
  read: ReadFile,
  name: string,
  profileId: ProfileId,
  givenMapping: ColumnMapping | undefined,
  defaultCurrency: string,
  fallbackUnit: AmountUnit,
  sampleCount = SAMPLE_ROWS,
): ImportPreview {
  const profile = getProfile(profileId);
  const { table } = read;
  const header = table.header;
  const auto = matchColumns(profile, header);
  let mapping = auto.mapping;
  let from: ImportPreview['mappingFrom'] = 'auto';
  if (givenMapping) {
    mapping = mappingArray(profile, givenMapping, header.length);
    from = 'given';
  } else {
    const remembered = db.prepare('SELECT mapping FROM import_mappings WHERE profile = ? AND headers = ?').get(profileId, headersKey(header)) as { mapping: string } | undefined;
    if (remembered) {
      mapping = mappingArray(profile, JSON.parse(remembered.mapping) as ColumnMapping, header.length);
      from = 'remembered';
    }
  }
  const mapped = new Set(mapping.filter((m): m is number => m !== null));
  const issues: Issue[] = [...table.issues, ...(from === 'auto' ? auto.issues : missingColumns(profile, mapping))];
  const rows = table.rows.slice(0, sampleCount);
  const src = table.source;
  return {
    file: { name, size: read.size },
    detected: {
      kind: src.kind,
      ...(src.encoding ? { encoding: src.encoding } : {}),
      ...(src.delimiter ? { delimiter: src.delimiter } : {}),
      ...(src.kind === 'csv' ? { decimalMark: src.decimalComma ? (',' as const) : ('.' as const) } : {}),
      ...(src.sheet ? { sheet: src.sheet } : {}),
      ...(src.sheets ? { sheets: src.sheets } : {}),
    },
    headers: header.map((h) => maskPans(h)),
    // copies, not substrings of the file's text: a preview kept by its caller must not keep the whole text alive
    sampleRows: JSON.parse(JSON.stringify(rows.map((r) => sampleRow(profile, r, mapping, header.length)))) as string[][],
    sampleLines: rows.map((_, i) => table.lines?.[i] ?? i + 1),
    totalRows: table.rows.length,
    columns: profile.columns.map((c, i) => ({ key: c.key, label: c.label, required: c.required, source: mapping[i] ?? null })),
    mapping: mappingRecord(profile, mapping),
    mappingFrom: from,
    unknownColumns: header.filter((h, i) => h.trim() !== '' && !mapped.has(i)).map((h) => maskPans(h)),
    // the app numbers rows by their line in the file (the CLI's reports count from under the header)
    issues: issues.map((i) => ({ ...i, message: maskPans(i.message).replace('Row numbers count from the row under the headers.', 'The Line column shows where each row is in the file.') })),
    amount: amountReadings(profile, table, mapping, defaultCurrency, src.decimalComma === true, fallbackUnit),
  };
}

function missingColumns(profile: Profile, mapping: readonly (number | null)[]): Issue[] {
  const out: Issue[] = [];
  profile.columns.forEach((c, i) => {
    if (c.required && mapping[i] === null) {
      out.push({ row: null, column: c.label, severity: 'error', code: 'import.missing_column', message: `No file column is mapped to "${c.label}", which ${profile.provider} requires. Choose the column that holds it.` });
    }
  });
  for (const group of profile.requiredColumnGroups) {
    const idx = group.map((k) => profile.columns.findIndex((c) => c.key === k)).filter((i) => i >= 0);
    if (idx.every((i) => mapping[i] === null)) {
      const labels = idx.map((i) => `"${profile.columns[i]!.label}"`);
      out.push({ row: null, column: profile.columns[idx[0]!]?.label ?? null, severity: 'error', code: 'import.missing_column', message: `Map a file column to ${labels.join(' or ')}.` });
    }
  }
  return out;
}

export interface ConvertOptions {
  profile: Profile;
  mapping: readonly (number | null)[];
  /** The unit the FILE's amounts are written in (the clerk's choice). */
  fileUnit: AmountUnit;
  /** The unit the batch stores and exports (Wonder: the settings' unit; others: the provider's). */
  batchUnit: AmountUnit;
  currency: string;
}

/**
 * Raw rows → profile rows (the CLI's row importer over a header rebuilt from the mapping), then
 * every amount restated in the batch's unit, canonical: the same value, decided once.
 */
export function convertRows(table: RawTable, o: ConvertOptions): { rows: string[][]; issues: Issue[] } {
  const c = rowConverter(table, o);
  const rows: string[][] = new Array(table.rows.length);
  for (let r = 0; r < table.rows.length; r++) rows[r] = c.convert(r);
  return { rows, issues: c.issues() };
}

/** convertRows one row at a time (an import converts in steps, showing the first rows early). */
export function rowConverter(table: RawTable, o: ConvertOptions): { convert(r: number): string[]; issues(): Issue[] } {
  const p = o.profile;
  const width = Math.max(table.header.length, ...o.mapping.map((m) => (m === null ? 0 : m + 1)));
  const synthetic = new Array<string>(width).fill('');
  o.mapping.forEach((m, i) => {
    if (m !== null) synthetic[m] = p.columns[i]!.label;
  });
  const ctx = { ...defaultContext(), currency: o.currency, amountUnit: o.fileUnit };
  const importer = createRowImporter(p, synthetic, table.source, ctx);
  const amountCol = p.columns.findIndex((c) => c.key === p.amount.column);
  const curCol = p.amount.currencyColumn ? p.columns.findIndex((c) => c.key === p.amount.currencyColumn) : -1;
  const convert = (r: number): string[] => {
    const row = importer.convert(table.rows[r]!, r + 1);
    if (amountCol >= 0) {
      const text = row[amountCol] ?? '';
      if (text !== '') {
        const currency = (curCol >= 0 ? (row[curCol] ?? '').toUpperCase() : '') || o.currency;
        const exponent = currencyExponent(currency);
        if (exponent !== undefined) {
          // the usual case first, allocation-free: already canonical in the batch's unit
          const strict = parseMinorStrict(text, exponent, o.fileUnit);
          const minor = strict > 0 ? strict : (() => {
            const parsed = parseAmount(text, { exponent, unit: o.fileUnit, decimal: '.' });
            return parsed.ok ? parsed.minor : -1;
          })();
          if (minor > 0) {
            const canon = o.batchUnit === 'major' ? formatMinor(minor, exponent) : String(minor);
            if (canon !== text) row[amountCol] = canon;
          }
        }
      }
    }
    return row;
  };
  return { convert, issues: () => importer.finish().items.filter((i) => i.row === null && i.code !== 'import.unknown_column') };
}

/** Slots for converted rows, appended after `lastPosition`, each with a fresh row id (the idempotency key is minted when it is stored). */
export function slotsFor(rows: string[][], lastPosition: number): Slot[] {
  const out: Slot[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = slotFor(rows[i]!, i, lastPosition);
  return out;
}

/**
 * The cells as the open batch keeps them: a copy through JSON, so each text is its own flat
 * string and the array is exactly as long as the row. The parser's cells are substrings that keep
 * the whole file's text alive, in arrays grown by push; measured at 200k Wonder rows (23 MB) the
 * open batch's heap went from 170 to 140 MB for ~2 µs a row.
 */
export function compactCells(cells: string[]): string[] {
  return JSON.parse(JSON.stringify(cells)) as string[];
}

/** The slot of the `i`-th imported row (0-based), after `lastPosition`; `line`: where it is in the file. */
export function slotFor(cells: string[], i: number, lastPosition: number, line = i + 1): Slot {
  return { id: uuid7(), line, position: lastPosition + (i + 1) * POSITION_GAP, cells, alive: true, issues: null, dupOf: null, index: i };
}

/**
 * Stores the slots in transactions of IMPORT_CHUNK rows; yields to the event loop between them
 * (windows and other calls are answered meanwhile). `cancelled()` is asked between chunks.
 * Returns false when cancelled (the caller removes what was stored).
 */
export async function storeSlots(db: Db, session: BatchSession, slots: Slot[], onChunk: (done: number) => void, cancelled: () => boolean): Promise<boolean> {
  const insert = db.prepare(
    'INSERT INTO batch_rows (id, batch_id, position, idempotency_key, cells, sealed, line, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const now = new Date().toISOString();
  const chunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const s = slots[i]!;
      const stored = session.storedForInsert(s);
      insert.run(s.id, session.id, s.position, uuid7(), stored.cells, stored.sealed, s.line, now, now); // the idempotency key is minted as the row is stored
    }
  });
  for (let from = 0; from < slots.length; from += IMPORT_CHUNK) {
    if (cancelled()) return false;
    const to = Math.min(slots.length, from + IMPORT_CHUNK);
    try {
      chunk(from, to);
    } catch (e) {
      throw storageError(e);
    }
    onChunk(to);
    await new Promise<void>((r) => setImmediate(r));
  }
  return !cancelled();
}

export function assertMapped(profile: Profile, mapping: readonly (number | null)[]): void {
  const missing = missingColumns(profile, mapping);
  if (missing.length > 0) throw new AppError('bad_input', missing.map((m) => m.message).join(' '));
}
