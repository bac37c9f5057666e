/**
 * The batch editor's part of the contract: importing a file into a batch (preview, mapping, amount
 * unit, start/cancel), the row window the grid shows, edits through the journal (edit, insert,
 * delete, paste, undo, redo), findings, fixes, find/replace, reveal, summary and export.
 *
 * Rows are addressed by their stable row id (a UUID minted at creation), never by position: a
 * sort, a filter or another window's insert does not move an edit to another row. Cells travel as
 * text keyed by the profile's column key (`cardNumber`, `amount`, ...); card numbers are masked
 * (first 6 / last 4) and CVCs are never sent to the renderer (`rows.reveal` shows one PAN, audited).
 */
import { z } from 'zod';
import { BatchIdSchema, BatchSummarySchema, IssueSchema, ProfileIdSchema } from './schemas';

const RowId = z.uuid({ message: 'A row id is a UUID.' });
const ColumnKey = z.string().min(1).max(64);
const TaskId = z.string().min(1).max(64);

// ---------------------------------------------------------------------------------------------
// Files

/**
 * Where a file comes from. `path`: the desktop dialog, a drag-and-drop (Electron's
 * webUtils.getPathForFile) or a path pasted by the clerk (surrounding quotes, as Windows "Copy as
 * path" gives it, are stripped). `upload`: web mode, the id `POST /upload` answered for an
 * `<input type=file>` upload (the host keeps the bytes in a temp file).
 */
export const FileRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().trim().min(1, { message: "Choose a file (or enter its full path)." }).max(4096) }).strict(),
  z.object({ kind: z.literal('upload'), id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, { message: 'That upload is not known; upload the file again.' }), name: z.string().max(255) }).strict(),
]);
export type FileRef = z.infer<typeof FileRefSchema>;

/** What `POST /upload?name=<file name>` (web mode; raw bytes as the body) answers, as `{ok, value}`. */
export const UploadResultSchema = z.object({
  file: FileRefSchema,
  size: z.number().int().nonnegative(),
});
export type UploadResult = z.infer<typeof UploadResultSchema>;

export const EncodingSchema = z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252']);
export const DelimiterSchema = z.enum([',', ';', '\t', '|']);
export const DecimalMarkSchema = z.enum(['.', ',']);
export const AmountUnitSchema = z.enum(['major', 'minor']);

/** Locale options of a CSV file; each left out is detected from the content. Ignored for XLSX. */
export const LocaleOptionsSchema = z
  .object({
    encoding: EncodingSchema.optional(),
    delimiter: DelimiterSchema.optional(),
    decimalMark: DecimalMarkSchema.optional(),
  })
  .strict();
export type LocaleOptions = z.infer<typeof LocaleOptionsSchema>;

/** Profile column key → index of the file column it is read from (null: not in the file). */
export const ColumnMappingSchema = z.record(ColumnKey, z.number().int().nonnegative().nullable());
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

export const ImportPreviewInput = z
  .object({
    file: FileRefSchema,
    profile: ProfileIdSchema,
    sheet: z.string().trim().min(1).max(31).optional(),
    locale: LocaleOptionsSchema.optional(),
    /** The mapping being edited; left out → remembered mapping for these headers, else automatic. */
    mapping: ColumnMappingSchema.optional(),
    /** Sample rows to return (default 20). */
    rows: z.number().int().min(1).max(200).optional(),
  })
  .strict();

export const CurrencyTotalSchema = z.object({
  currency: z.string(),
  /** Integer minor units, as a decimal string (a total may pass 2^53). */
  minor: z.string(),
  /** The total in the currency's canonical form, e.g. `1234.50`. */
  text: z.string(),
  rows: z.number().int().nonnegative(),
});

/** The amount column read both ways, so the clerk decides the unit once for the whole import. */
export const AmountReadingSchema = z.object({
  unit: AmountUnitSchema,
  totals: z.array(CurrencyTotalSchema),
  /** Rows whose amount cannot be read this way (e.g. `12.5` as minor units). */
  unreadable: z.number().int().nonnegative(),
});

export const ImportPreviewSchema = z.object({
  file: z.object({ name: z.string(), size: z.number().int().nonnegative() }),
  detected: z.object({
    kind: z.enum(['csv', 'xlsx']),
    encoding: EncodingSchema.optional(),
    delimiter: DelimiterSchema.optional(),
    decimalMark: DecimalMarkSchema.optional(),
    sheet: z.string().optional(),
    sheets: z.array(z.string()).optional(),
  }),
  /** The file's header cells, in file order. */
  headers: z.array(z.string()),
  /** The first rows as read (file column order), card numbers masked, CVCs blanked. */
  sampleRows: z.array(z.array(z.string())),
  /** Data-row number of each sample row in the file (the first row under the header is 1, as in the CLI's messages). */
  sampleLines: z.array(z.number().int().positive()),
  /** Data rows in the file (all of them, not only the sample). */
  totalRows: z.number().int().nonnegative(),
  /** The profile's columns with the file column each is read from. */
  columns: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      required: z.boolean(),
      source: z.number().int().nonnegative().nullable(),
    }),
  ),
  mapping: ColumnMappingSchema,
  /** `remembered`: the same headers were mapped before (that mapping is used); `auto`: matched by name; `given`: as sent. */
  mappingFrom: z.enum(['remembered', 'auto', 'given']),
  unknownColumns: z.array(z.string()),
  /** Whole-file findings of the read and the mapping (missing columns, skipped title rows...). */
  issues: z.array(IssueSchema),
  amount: z.object({
    /** The file's unit is the file's, not the provider's (an ePay file may hold 129.90): always asked; the batch then stores its provider's unit. */
    choosable: z.boolean(),
    /** Distinct sample values of the amount column as written in the file. */
    samples: z.array(z.string()),
    readings: z.array(AmountReadingSchema),
    /** Preselected unit: any non-zero decimal in the column ⇒ major. */
    suggested: AmountUnitSchema,
    /** Why, in words: "12 amounts have decimals (e.g. 129.90)". */
    reason: z.string(),
  }),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const ImportTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('new'), name: z.string().trim().min(1, { message: 'Give the batch a name.' }).max(120) }).strict(),
  z.object({ kind: z.literal('append'), batchId: BatchIdSchema }).strict(),
]);

export const ImportStartInput = z
  .object({
    file: FileRefSchema,
    profile: ProfileIdSchema,
    sheet: z.string().trim().min(1).max(31).optional(),
    locale: LocaleOptionsSchema.optional(),
    mapping: ColumnMappingSchema,
    /** Decided once for the whole import, never per cell. Required where the provider leaves it open (Wonder). */
    amountUnit: AmountUnitSchema,
    /** Wonder files have no currency column: the batch currency (default: settings). */
    currency: z.string().regex(/^[A-Z]{3}$/, { message: 'A currency is three capital letters (ISO 4217), e.g. HKD.' }).optional(),
    target: ImportTargetSchema,
  })
  .strict();

export const ImportStartedSchema = z.object({ taskId: TaskId, batchId: BatchIdSchema });
export const TaskRefInput = z.object({ taskId: TaskId }).strict();
export const CancelResultSchema = z.object({ cancelled: z.boolean() });

/** Pushed when an import ends (`task.progress` reports it while it runs). */
export const ImportFinishedSchema = z.object({
  taskId: TaskId,
  batchId: BatchIdSchema,
  outcome: z.enum(['done', 'cancelled', 'failed']),
  rows: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  /** Set when outcome is `failed` or `cancelled`: what happened, in the clerk's words. */
  message: z.string().optional(),
});
export type ImportFinished = z.infer<typeof ImportFinishedSchema>;

// ---------------------------------------------------------------------------------------------
// Rows

export const SortSchema = z.object({ column: ColumnKey, dir: z.enum(['asc', 'desc']) }).strict();
export const FilterSchema = z
  .object({
    onlyErrors: z.boolean().optional(),
    /** Rows whose cell in `column` contains `text` (case-insensitive). */
    column: ColumnKey.optional(),
    text: z.string().max(200).optional(),
  })
  .strict();

export const RowsWindowInput = z
  .object({
    batchId: BatchIdSchema,
    offset: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(2000),
    sort: SortSchema.optional(),
    filter: FilterSchema.optional(),
  })
  .strict();

export const CellFindingSchema = z.object({
  column: ColumnKey.nullable(),
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  /** A suggested value; present only where it is safe (it never changes an amount's value). */
  fix: z.string().optional(),
});
export type CellFinding = z.infer<typeof CellFindingSchema>;

export const GridRowSchema = z.object({
  id: RowId,
  /** Where the row is in the imported file, as the clerk finds it there (CSV: the line the record starts on; XLSX: the sheet's row number), null for rows added in the app. */
  line: z.number().int().positive().nullable(),
  /** Cell text by column key; card numbers masked, CVC `•••` when set, `` when empty. */
  cells: z.record(ColumnKey, z.string()),
  findings: z.array(CellFindingSchema),
});
export type GridRow = z.infer<typeof GridRowSchema>;

export const RowsWindowSchema = z.object({
  batchId: BatchIdSchema,
  offset: z.number().int().nonnegative(),
  /** Rows after sort and filter. */
  total: z.number().int().nonnegative(),
  /** Rows in the batch, unfiltered. */
  batchRows: z.number().int().nonnegative(),
  rows: z.array(GridRowSchema),
  /** Journal position the window reflects; compare with rows.changed's `version`. */
  version: z.number().int().nonnegative(),
  /** True while an import fills the batch or once it was submitted: shown read-only. */
  readOnly: z.boolean(),
  /** Why it is read-only, in the clerk's words (null when editable). */
  readOnlyReason: z.string().nullable().optional(),
});
export type RowsWindow = z.infer<typeof RowsWindowSchema>;

export const CellChangeSchema = z.object({ rowId: RowId, column: ColumnKey, value: z.string().max(32_767) }).strict();

export const RowsEditInput = z
  .object({
    batchId: BatchIdSchema,
    /** One user action (one undo step): a typed cell, a paste, a fill, a replace-all. */
    changes: z.array(CellChangeSchema).min(1).max(200_000),
    /** For history: what the clerk did. */
    label: z.enum(['edit', 'paste', 'fill', 'replace', 'fix']).optional(),
  })
  .strict();

export const RowsInsertInput = z
  .object({
    batchId: BatchIdSchema,
    /** Insert before this row; null or left out: at the end. */
    beforeRowId: RowId.nullable().optional(),
    /** How many empty rows, or the cells of each new row. */
    count: z.number().int().min(1).max(100_000).optional(),
    rows: z.array(z.record(ColumnKey, z.string().max(32_767))).max(100_000).optional(),
  })
  .strict();

export const RowsDeleteInput = z.object({ batchId: BatchIdSchema, rowIds: z.array(RowId).min(1).max(1_100_000) }).strict();

export const RowsPasteInput = z
  .object({
    batchId: BatchIdSchema,
    /** Tab-separated text as Excel, LibreOffice or Google Sheets copy it (quoted cells allowed). */
    text: z.string().min(1).max(64 * 1024 * 1024),
    /**
     * Paste over cells starting at this row and column (rows past the end are added). Left out:
     * the rows are appended; a first line naming the profile's columns is taken as a header.
     */
    anchor: z.object({ rowId: RowId, column: ColumnKey }).strict().optional(),
    /** With an anchor: the visible row order (ids) the block is laid over, when sorted or filtered. */
    rowOrder: z.array(RowId).max(200_000).optional(),
  })
  .strict();

export const BatchOnlyInput = z.object({ batchId: BatchIdSchema }).strict();

/** The answer to every change: what changed, so the grid redraws only that. */
export const EditResultSchema = z.object({
  batchId: BatchIdSchema,
  /** Journal transaction id of the change (null when nothing changed). */
  txn: z.string().nullable(),
  version: z.number().int().nonnegative(),
  /** Rows whose cells or findings changed (visible ones to refetch), at most 2,000 listed. */
  changedRowIds: z.array(RowId),
  insertedRowIds: z.array(RowId),
  deletedRowIds: z.array(RowId),
  /** Rows changed in all (the lists above stop at 2,000). */
  affected: z.number().int().nonnegative(),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  rowCount: z.number().int().nonnegative(),
  /** The changed rows as the grid shows them, when few (a typed cell): no window fetch needed to paint them. */
  rows: z.array(GridRowSchema).max(200).optional(),
});
export type EditResult = z.infer<typeof EditResultSchema>;

export const FindingsInput = z
  .object({
    batchId: BatchIdSchema,
    /** Group to list rows of; left out: the groups only. */
    code: z.string().max(120).optional(),
    column: ColumnKey.nullable().optional(),
    offset: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export const FindingsSchema = z.object({
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  /** Errors and warnings per column key (row-level findings under `null` are in `rowLevel`). */
  perColumn: z.record(ColumnKey, z.object({ errors: z.number().int().nonnegative(), warnings: z.number().int().nonnegative() })),
  rowLevel: z.object({ errors: z.number().int().nonnegative(), warnings: z.number().int().nonnegative() }),
  /** One group per rule and column, with its count; every finding is in one, no cap. */
  groups: z.array(
    z.object({
      code: z.string(),
      column: ColumnKey.nullable(),
      severity: z.enum(['error', 'warning']),
      summary: z.string(),
      count: z.number().int().nonnegative(),
      /** Cells of this group that have a suggested fix (what "fix all" would change). */
      fixable: z.number().int().nonnegative(),
    }),
  ),
  /** With `code`: a page of the group's findings, in row order. */
  items: z.array(z.object({ rowId: RowId, line: z.number().int().positive().nullable(), position: z.number().int().nonnegative(), finding: CellFindingSchema })),
  itemsTotal: z.number().int().nonnegative(),
});
export type Findings = z.infer<typeof FindingsSchema>;

export const NextErrorInput = z
  .object({
    batchId: BatchIdSchema,
    /** Start after this row and column; left out: from the top. */
    from: z.object({ rowId: RowId, column: ColumnKey.nullable() }).strict().optional(),
    dir: z.enum(['next', 'previous']),
    sort: SortSchema.optional(),
    filter: FilterSchema.optional(),
    /** Warnings too (default errors only). */
    includeWarnings: z.boolean().optional(),
  })
  .strict();

export const NextErrorSchema = z.object({
  /** null: no (further) error; the search wraps around once. */
  found: z
    .object({ rowId: RowId, column: ColumnKey.nullable(), index: z.number().int().nonnegative(), finding: CellFindingSchema })
    .nullable(),
});

export const ApplyFixInput = z
  .object({
    batchId: BatchIdSchema,
    code: z.string().max(120),
    column: ColumnKey.nullable(),
    /** One cell: the row; `all`: every cell with the same finding that has a fix. */
    scope: z.discriminatedUnion('kind', [z.object({ kind: z.literal('cell'), rowId: RowId }).strict(), z.object({ kind: z.literal('all') }).strict()]),
  })
  .strict();

export const FindInput = z
  .object({
    batchId: BatchIdSchema,
    text: z.string().min(1).max(200),
    /** A column key, or left out for the whole batch. */
    column: ColumnKey.optional(),
    matchCase: z.boolean().optional(),
    wholeCell: z.boolean().optional(),
    sort: SortSchema.optional(),
    filter: FilterSchema.optional(),
    offset: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export const FindSchema = z.object({
  total: z.number().int().nonnegative(),
  /** Matches in view order: the row, its index in the (sorted/filtered) view, the column. */
  matches: z.array(z.object({ rowId: RowId, index: z.number().int().nonnegative(), column: ColumnKey })),
});

export const ReplaceInput = FindInput.omit({ offset: true, limit: true })
  .extend({
    replacement: z.string().max(32_767),
    /** Only these cells (the current match), or left out: all matches. */
    only: z.array(z.object({ rowId: RowId, column: ColumnKey }).strict()).max(1000).optional(),
  })
  .strict();

export const RevealInput = z
  .object({
    batchId: BatchIdSchema,
    rowId: RowId,
    /** Why the clerk reveals it; kept in the history. */
    reason: z.string().trim().min(3, { message: 'Say why you need to see the full card number.' }).max(200),
  })
  .strict();
export const RevealSchema = z.object({ rowId: RowId, cardNumber: z.string() });

export const BatchTotalsSchema = z.object({
  batch: BatchSummarySchema,
  rows: z.number().int().nonnegative(),
  totals: z.array(CurrencyTotalSchema),
  /** Rows per action/type value (Wonder Action, ePay type...); `` for empty. */
  actions: z.record(z.string(), z.number().int().nonnegative()),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  amountUnit: AmountUnitSchema,
  currency: z.string(),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  version: z.number().int().nonnegative(),
});
export type BatchTotals = z.infer<typeof BatchTotalsSchema>;

export const BatchExportInput = z
  .object({
    batchId: BatchIdSchema,
    /** Desktop: a path from the save dialog; left out: the data folder's exports/ folder. */
    out: z.string().trim().min(1).max(4096).optional(),
    format: z.enum(['csv', 'xlsx']).optional(),
    /** Full card numbers (for upload). Default false: a masked file for review, which says so. */
    includeFullCardNumbers: z.boolean().optional(),
  })
  .strict();

export const BatchExportSchema = z.object({
  files: z.array(z.string()),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  masked: z.boolean(),
  /** Web mode: a link (same auth) to download each file. */
  downloads: z.array(z.string()),
});

/** Pushed after any change to a batch's rows, from any window or process path. */
export const RowsChangedSchema = z.object({
  batchId: BatchIdSchema,
  version: z.number().int().nonnegative(),
  reason: z.enum(['edit', 'insert', 'delete', 'paste', 'fill', 'undo', 'redo', 'fix', 'replace', 'import']),
  /** Changed row ids (at most 2,000; `all` true when more, or rows were added/removed: refetch the window). */
  rowIds: z.array(RowId),
  all: z.boolean(),
});
