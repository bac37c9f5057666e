/**
 * One row of an open batch as main holds it: full cell text (card number and CVC included, in
 * memory only; on disk they are sealed), where it sits, and its current findings.
 */
import type { Issue } from '../../../../shared/formats/types';

export interface Slot {
  readonly id: string;
  // The idempotency key is not held here: it is read from the store when a change needs it (a
  // 36-character string per row, ~56 bytes: ~50 MB of main's heap with a 1M-row batch open).
  /** Where the row is in the imported file (CSV: the line it starts on; XLSX: the sheet row); null if added in the app. */
  line: number | null;
  position: number;
  /** Profile column order; '' for empty. */
  cells: string[];
  alive: boolean;
  /** Row-rule findings (null: none). */
  issues: Issue[] | null;
  /** Per duplicate key of the profile: the first row with the same key, when this row repeats it. */
  dupOf: (Slot | null)[] | null;
  /** Index in the batch's position order; valid while the session's order is not stale. */
  index: number;
  /** Its stored form could not be read completely (damaged, foreign, or sealed with another key). */
  damaged?: boolean;
}

/** Stored form of a row (batch_rows and the journal's before/after), card data sealed. */
export interface StoredRow {
  id: string;
  /** idempotency key */
  k: string;
  /** position */
  p: number;
  /** line */
  l: number | null;
  /** cells, card number and CVC blanked */
  c: string[];
  /** sealed card data, base64, or null */
  s: string | null;
}
