/**
 * Core types of the formats engine. Pure data: used by the renderer (live validation), by main
 * (import/export/submission) and by the CLI. No Node, Electron or DOM imports in shared/.
 */

import type { OmittedIssues } from './issues';

export type ProfileId = 'wonder' | 'epay' | 'sibs' | 'jpmmps';
export const PROFILE_IDS: readonly ProfileId[] = ['wonder', 'epay', 'sibs', 'jpmmps'];

export type Severity = 'error' | 'warning';

/** One finding. `row` counts data rows from 1 (the first row under the header is 1); null = whole file. */
export interface Issue {
  row: number | null;
  /** The profile's column label (e.g. `Card Number`, `subscriptionId`); null when not about one column. */
  column: string | null;
  severity: Severity;
  /** Stable machine code, e.g. `wonder.card.luhn`. Never renamed once published. */
  code: string;
  /** Tells the clerk what is wrong and how to fix it. Never contains a full card number or CVC. */
  message: string;
  /** A suggested replacement value for the cell, when one can be derived safely. */
  fix?: string;
}

/**
 * A cell as a reader delivers it. CSV cells are always strings. XLSX cells keep their stored type,
 * because a number where an ID belongs is Excel damage we must report (lost digits, `4.11111E+15`).
 */
export type Cell = string | number | boolean | null;

/** A file's grid before it is matched to a profile. */
export interface RawTable {
  /** Header cells as found in the file (first non-empty row). */
  header: string[];
  /** Data rows, in file order; rows shorter than the header are padded by the consumer. */
  rows: Cell[][];
  /** Per data row, where the clerk finds it in the file: the CSV line it starts on, the sheet's row number. */
  lines?: number[];
  source: TableSource;
  /** File-level findings made while reading (encoding guesses, skipped blank lines...). */
  issues: Issue[];
  /** Reader findings counted but not kept in `issues` (beyond ISSUES_PER_CODE of a code). */
  omitted?: OmittedIssues[];
}

export interface TableSource {
  kind: 'csv' | 'xlsx';
  /** CSV only. */
  encoding?: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  delimiter?: ',' | ';' | '\t' | '|';
  lineEnding?: '\r\n' | '\n' | '\r';
  /** Byte sequences that were not valid UTF-8 in a UTF-8 file or workbook part (each read as U+FFFD). */
  invalidUtf8?: number;
  /** The text holds NUL characters (zero bytes; in a workbook also `_x0000_` or `&#0;`). */
  nul?: boolean;
  /** True when numbers in the file use a decimal comma (European Excel). */
  decimalComma?: boolean;
  /** XLSX only: the sheet read, and all sheet names in workbook order. */
  sheet?: string;
  sheets?: string[];
  /** XLSX only: the workbook counts dates in Excel's 1904 date system (old Mac Excel). */
  date1904?: boolean;
}
