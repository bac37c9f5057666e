/**
 * Validation entry points. Row rules run through a checker created once per batch (context-derived
 * values precomputed); valid rows allocate nothing. Issues come back sorted by row, then column order.
 */
import type { Issue, RawTable, Severity } from './types';
import type { Profile, ValidationContext } from './profile';
import { createRowImporter, finishImport, importTable, looksLikeHeader, reportTextDamage, type ImportResult, type RowImporter } from './import';
import { parseCsv, type CsvBytes, type CsvLimits } from './csv/parse';
import { ISSUES_PER_CODE, IssueList, type IssueSink, type OmittedIssues } from './issues';

export type { ValidationContext } from './profile';

/** `YYYY-MM-DD` of an epoch-ms instant in the local time zone of the runtime. */
export function localDateString(now: number): string {
  const d = new Date(now);
  return `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Today's context: local date, HKD (Wonder's default market), major units. */
export function defaultContext(now: number = Date.now()): ValidationContext {
  return { today: localDateString(now), now, currency: 'HKD', amountUnit: 'major' };
}

function columnOrder(profile: Profile): Map<string | null, number> {
  const m = new Map<string | null, number>();
  m.set(null, -1);
  profile.columns.forEach((c, i) => m.set(c.label, i));
  return m;
}

/** Sorts issues by row (file-level `null` first), then the profile's column order; stable otherwise. */
export function sortIssues(profile: Profile, issues: Issue[]): Issue[] {
  if (issues.length < 2) return issues;
  const order = columnOrder(profile);
  return issues.sort((a, b) => {
    const ra = a.row ?? 0;
    const rb = b.row ?? 0;
    if (ra !== rb) return ra - rb;
    return (order.get(a.column) ?? -1) - (order.get(b.column) ?? -1);
  });
}

/**
 * The cross-row rules (duplicates) over a whole batch, pushed to `out`. A loop of its own after
 * the row rules: hashing each row's keys in the row-rule loop, or in the CSV parser's callback,
 * measured slower on a million rows (`npm run bench`, CSV import+validate), not faster.
 */
export function checkBatch(profile: Profile, rows: readonly (readonly string[])[], ctx: ValidationContext, out: IssueSink): void {
  const batch = profile.createBatchChecker(ctx, out, rows.length);
  for (let i = 0; i < rows.length; i++) batch.add(rows[i]!, i);
  batch.finish(rows);
}

/**
 * Where a long import or validation is: `reading` (characters of a CSV file, or bytes of an XLSX
 * sheet, read of the total), `checking` (rows checked of the rows), then `duplicates`.
 */
export interface ImportProgress {
  step: 'reading' | 'checking' | 'duplicates';
  done: number;
  total: number;
}

export type OnImportProgress = (p: ImportProgress) => void;

/** Rows checked between two progress reports. */
const CHECK_PROGRESS_ROWS = 65_536;

/** Row rules, then cross-row rules, over a batch; issues pushed to `out` unsorted. */
function validateInto(profile: Profile, rows: readonly (readonly string[])[], ctx: ValidationContext, out: IssueSink, onProgress?: OnImportProgress): void {
  const check = profile.createRowChecker(ctx);
  const n = rows.length;
  for (let start = 0; start < n; start += CHECK_PROGRESS_ROWS) {
    onProgress?.({ step: 'checking', done: start, total: n });
    const end = Math.min(n, start + CHECK_PROGRESS_ROWS);
    for (let i = start; i < end; i++) check(rows[i]!, i + 1, out);
  }
  onProgress?.({ step: 'duplicates', done: 0, total: n });
  checkBatch(profile, rows, ctx, out);
}

/** All row rules and cross-row rules over a batch. Row numbers start at 1. */
export function validateRows(profile: Profile, rows: readonly (readonly string[])[], ctx: ValidationContext): Issue[] {
  const out: Issue[] = [];
  validateInto(profile, rows, ctx, out);
  return sortIssues(profile, out);
}

/**
 * validateRows for a batch of any size: at most ISSUES_PER_CODE findings kept per code, the rest
 * counted in `omitted` (a million rows with a warning each would otherwise hold a million findings).
 */
export function validateRowsBounded(profile: Profile, rows: readonly (readonly string[])[], ctx: ValidationContext): { issues: Issue[]; omitted: OmittedIssues[] } {
  const out = new IssueList();
  validateInto(profile, rows, ctx, out);
  return { issues: sortIssues(profile, out.items), omitted: out.omitted() };
}

/**
 * Import a table and validate it: importTable + validateRows, with `issues` holding the import
 * issues and the validation issues together, sorted.
 */
export function importAndValidate(profile: Profile, table: RawTable, ctx: ValidationContext, onProgress?: OnImportProgress): ImportResult {
  const imported = importTable(profile, table, ctx);
  // As for CSV: NULs and undecodable bytes first (the XLSX reader flags them on the raw parts).
  const damage = new IssueList();
  reportTextDamage(profile, imported.rows, table.source, damage);
  const found = new IssueList(ISSUES_PER_CODE, imported.causes);
  validateInto(profile, imported.rows, ctx, found, onProgress);
  return withFindings(profile, imported, damage, found);
}

/** An import's result with more findings added (bounded lists; counts of the omitted merged), sorted. */
function withFindings(profile: Profile, imported: ImportResult, ...found: IssueList[]): ImportResult {
  const omitted = new IssueList();
  omitted.addOmitted(imported.omitted);
  for (const f of found) omitted.addOmitted(f.omitted());
  return { ...imported, issues: sortIssues(profile, imported.issues.concat(...found.map((f) => f.items))), omitted: omitted.omitted() };
}

/**
 * CSV bytes to validated profile rows, the path files take; same result as parseCsv +
 * importAndValidate. Each row is converted as soon as the parser has read it (in place, no second
 * copy of the rows); the row rules and the cross-row rules then run as loops of their own.
 * Checking each row inside the parser's callback as well measured slower on a million rows
 * (`npm run bench`: about 170 ms more on 2.8 s), so they do not.
 */
export function importCsvAndValidate(profile: Profile, bytes: CsvBytes, ctx: ValidationContext, limits?: CsvLimits, onProgress?: OnImportProgress): ImportResult {
  const state: { importer: RowImporter | null } = { importer: null };
  const table = parseCsv(bytes, {
    ...(limits ? { limits } : {}),
    isHeader: (cells) => looksLikeHeader(profile, cells),
    ...(onProgress ? { onProgress: (done: number, total: number) => onProgress({ step: 'reading', done, total }) } : {}),
    sink: {
      start(header, source) {
        state.importer = createRowImporter(profile, header, source, ctx);
      },
      row(fields, rowNumber) {
        return state.importer!.convert(fields, rowNumber);
      },
    },
  });
  // parseCsv always calls start() before returning (a file without a header is an error).
  const importer = state.importer ?? createRowImporter(profile, table.header, table.source, ctx);
  const rows = table.rows as string[][];
  // NULs and undecodable bytes first: NULs are removed before the rules see the cells.
  const damage = new IssueList();
  reportTextDamage(profile, rows, table.source, damage);
  // One cause, one finding: the rules skip cells whose import finding already explains them.
  const found = new IssueList(ISSUES_PER_CODE, importer.causes);
  validateInto(profile, rows, ctx, found, onProgress);
  return withFindings(profile, finishImport(table, importer, rows), damage, found);
}

/**
 * Row rules for one row (live editing). Cross-row rules (duplicates) need the batch: use
 * validateRows. Pass `column` (label or key) to get only the issues of that cell.
 */
export function validateRow(profile: Profile, row: readonly string[], rowNumber: number, ctx: ValidationContext, column?: string): Issue[] {
  const out: Issue[] = [];
  profile.createRowChecker(ctx)(row, rowNumber, out);
  let result = out;
  if (column !== undefined) {
    const col = profile.columns.find((c) => c.label === column || c.key === column);
    const label = col ? col.label : column;
    result = out.filter((i) => i.column === label);
  }
  return sortIssues(profile, result);
}

export interface IssueSummary {
  errors: number;
  warnings: number;
}

export function summarize(issues: readonly Issue[]): IssueSummary {
  let errors = 0;
  let warnings = 0;
  for (const i of issues) {
    if (i.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

export function hasErrors(issues: readonly Issue[]): boolean {
  for (const i of issues) if (i.severity === ('error' satisfies Severity)) return true;
  return false;
}
