/**
 * Resource limits for reading XLSX workbooks. Every limit is enforced while the data is produced
 * (bytes actually inflated, rows actually seen), never from the sizes a file claims about itself.
 */
export interface XlsxLimits {
  /** Largest workbook file accepted on disk, in bytes. */
  maxFileBytes: number;
  /** Largest total of inflated bytes over all zip entries read, in bytes. */
  maxTotalUncompressedBytes: number;
  /**
   * Largest inflated:compressed ratio of one entry. Checked once an entry has produced more than
   * `ratioFloorBytes`, so tiny, very regular parts (rels, styles) never trip it.
   */
  maxCompressionRatio: number;
  /** Inflated bytes an entry may produce before the ratio check applies. */
  ratioFloorBytes: number;
  /** Highest row number accepted (Excel's sheet limit). */
  maxRows: number;
  /** Longest cell text accepted, in UTF-16 code units (Excel's cell limit). */
  maxCellChars: number;
  /** Most entries accepted in the zip's central directory. */
  maxEntries: number;
  /** Most cells (row slots, empty gaps included) kept in memory for one sheet. */
  maxCells: number;
  /** Highest column accepted (at most Excel's 16,384, XFD). */
  maxColumns: number;
  /**
   * Most entries of the shared-strings table. Counted apart from their text: empty `<si/>`
   * entries cost no characters yet each one a slot (150 million of them once aborted V8).
   */
  maxSharedStrings: number;
  /** Most per-cell findings the reader lists (dates read in text columns); the rest are counted in one. */
  maxFindings: number;
  /**
   * Most characters of text held in memory while reading: every shared string (the whole table is
   * kept, referenced or not) plus the text of inline, formula (`str`), error and date cells kept
   * for the rows. The byte limits alone do not bound this: a part of highly repetitive strings
   * stays under the ratio limit and the total limit yet would be held whole as strings.
   */
  maxRetainedTextChars: number;
}

export const MiB = 1024 * 1024;
export const Mi = 1024 * 1024;

/**
 * Defaults. Total inflated bytes: a realistic 1,000,000-row x 11-column Wonder batch written with
 * inline strings (our writer) is ~507 MB of sheet XML, ~761 MB with every cell filled; files with
 * shared strings (Excel) are smaller. 1 GiB admits those and halves what a bomb can make us inflate.
 * Shared strings: such a batch has at most 11 Mi cells, so at most that many distinct strings;
 * 16 Mi entries are 128 MiB of slots. Findings: 10,000 listed cells are more than anyone reads.
 * Retained text: those batches hold ~99 Mi and ~146 Mi characters; 256 Mi (0.25-0.5 GiB of V8
 * heap) admits them while a part of repetitive strings can no longer fill the heap.
 * The compression ratio: real sheets deflate 5-30x (up to ~100x for very repetitive
 * exports), DEFLATE itself tops out near 1032:1 and zip bombs sit right there. 200:1 leaves a wide
 * margin for genuine files while stopping a bomb after `ratioFloorBytes` + 200 x its input.
 */
export const DEFAULT_XLSX_LIMITS: Readonly<XlsxLimits> = Object.freeze({
  maxFileBytes: 256 * MiB,
  maxTotalUncompressedBytes: 1024 * MiB,
  maxCompressionRatio: 200,
  ratioFloorBytes: 4 * MiB,
  maxRows: 1_048_576,
  maxCellChars: 32_767,
  maxEntries: 10_000,
  maxCells: 32_000_000,
  maxColumns: 16_384,
  maxSharedStrings: 16 * Mi,
  maxFindings: 10_000,
  maxRetainedTextChars: 256 * Mi,
});

/** Excel's column limit (XFD). Not configurable: a workbook past it is not a valid workbook. */
export const MAX_COLUMNS = 16_384;

export function resolveLimits(partial?: Partial<XlsxLimits>): XlsxLimits {
  const out: XlsxLimits = { ...DEFAULT_XLSX_LIMITS };
  if (partial) {
    for (const key of Object.keys(out) as (keyof XlsxLimits)[]) {
      const v = partial[key];
      if (v !== undefined) {
        if (typeof v !== 'number' || !(v > 0)) throw new RangeError(`XLSX limit ${key} must be a positive number`);
        out[key] = key === 'maxColumns' ? Math.min(v, MAX_COLUMNS) : v;
      }
    }
  }
  return out;
}
