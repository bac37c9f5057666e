/**
 * What a provider profile is: data (columns, rules, limits, notes) plus pure functions that check
 * rows. Rows are `string[]` in the profile's column order.
 */
import type { ProfileId, Severity } from './types';
import type { IssueSink } from './issues';

export interface ValidationContext {
  /** The clerk's calendar date, `YYYY-MM-DD` (card expiry, schedule checks). */
  today: string;
  /** Epoch milliseconds (validity dates, datetimes, export timestamps). */
  now: number;
  /** Default currency where the file has no currency column or leaves it empty (Wonder: HKD). */
  currency: string;
  /** Unit of amounts in files whose provider does not fix it (Wonder). */
  amountUnit: 'major' | 'minor';
  /** SIBS: the datetime SIBS returned for a CIT transaction id, when known locally. */
  knownCitDatetime?: (id: string) => string | undefined;
}

export type ColumnType =
  | 'enum'
  | 'text'
  | 'id'
  | 'uuid'
  | 'amount'
  | 'currency'
  | 'card_number'
  | 'month'
  | 'year'
  | 'cvc'
  | 'url'
  | 'json'
  | 'datetime'
  | 'date'
  | 'time'
  | 'boolean';

export interface ColumnDef {
  /** Stable key (camelCase), used in code and settings. */
  key: string;
  /** The provider's header / field name, exactly as published. Used in issues and exports. */
  label: string;
  /** Other accepted headers: human labels, API field names, dotted API paths. */
  aliases: readonly string[];
  type: ColumnType;
  /** The column must be present in an imported file. (Conditional requirements are row rules.) */
  required: boolean;
  /** One line for the clerk: what goes in the column. */
  description: string;
  sensitive?: 'pan' | 'cvc';
  /** IDs and card numbers: must be stored as Text in a spreadsheet (Excel destroys long numbers). */
  textInSpreadsheet?: boolean;
  enumValues?: readonly string[];
  maxLength?: number;
}

export interface RuleDef {
  /** Stable code, `<profile>.<field>.<problem>`. Never renamed once published. */
  code: string;
  severity: Severity;
  /** Column label the rule reports on; null for row-level rules. */
  column: string | null;
  /** `row`: checked on one row; `batch`: needs the whole batch (duplicates). */
  scope: 'row' | 'batch';
  summary: string;
}

/** A profile's cross-row rules, fed one row at a time; `finish` reports what the rows share. */
export interface BatchChecker {
  /** Row `index` (0-based, in order, each once). */
  add(row: readonly string[], index: number): void;
  /** Reports; `rows` are the rows that were added, by index. */
  finish(rows: readonly (readonly string[])[]): void;
}

/** Checks one row; pushes issues to `out`. Created once per batch by Profile.createRowChecker. */
export type RowChecker = (row: readonly string[], rowNumber: number, out: IssueSink) => void;

export interface ExportInfo {
  /** `csv-file`: a file uploaded to the provider; `api-batch`: JSON request bodies; `json-lines`: one request body per line. */
  kind: 'csv-file' | 'api-batch' | 'json-lines';
  fileExtension: string;
  mediaType: string;
  description: string;
}

export interface SubmissionLimits {
  /** Maximum entries per API request (ePay batch: 500). */
  maxRowsPerRequest?: number;
  /** Maximum rows in one file we will produce (spreadsheet limit minus header). */
  maxRowsPerFile?: number;
}

export interface AmountSpec {
  /** Column key of the amount. */
  column: string;
  /** `context`: ValidationContext.amountUnit decides (Wonder). */
  unit: 'major' | 'minor' | 'context';
  /** Column key of the currency, when the file has one. Empty cell → ctx.currency. */
  currencyColumn?: string;
}

export interface Profile {
  id: ProfileId;
  provider: string;
  title: string;
  columns: readonly ColumnDef[];
  /** Column keys of which at least one must be present in an imported file, per group. */
  requiredColumnGroups: readonly (readonly string[])[];
  amount: AmountSpec;
  rules: readonly RuleDef[];
  createRowChecker(ctx: ValidationContext): RowChecker;
  /**
   * Cross-row rules (duplicates) and batch-level checks, pushing issues to `out`: fed each row in
   * order (an importer does it while the row is still in cache), then `finish` with all the rows.
   * `checkBatch` in validate.ts runs it over a whole batch at once. `expectedRows` sizes its
   * tables (it grows past it).
   */
  createBatchChecker(ctx: ValidationContext, out: IssueSink, expectedRows?: number): BatchChecker;
  export: ExportInfo;
  limits: SubmissionLimits;
  /** Documented choices where the provider's documentation is silent. */
  notes: readonly string[];
}
