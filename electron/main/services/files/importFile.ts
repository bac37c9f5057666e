/**
 * Reads a batch file from disk (CSV or XLSX, sniffed from its bytes, not its extension), matches it
 * to a profile and validates every row. Node only: used by Electron main and by the CLI.
 */
import { open, stat } from 'node:fs/promises';
import { FormatError, isFormatError } from '../../../../shared/formats/errors';
import { CSV_DEFAULT_LIMITS, type CsvLimits } from '../../../../shared/formats/csv/parse';
import { checkRecordLimit, CSV_HEAD_BYTES, prescanCsvHead } from '../../../../shared/formats/csv/prescan';
import type { Issue, ProfileId, RawTable, TableSource } from '../../../../shared/formats/types';
import { defaultContext, getProfile, importAndValidate, importCsvAndValidate, type OnImportProgress } from '../../../../shared/formats';
import { looksLikeHeader, textColumnLabels } from '../../../../shared/formats/import';
import type { ValidationContext } from '../../../../shared/formats/profile';
import type { OmittedIssues } from '../../../../shared/formats/issues';
import { readXlsx } from './xlsx';


export interface ImportFileOptions {
  profile: ProfileId;
  /** XLSX only: the sheet to read (default: the active sheet when visible, else the first visible one). */
  sheet?: string;
  ctx?: ValidationContext;
  /** Refuse files larger than this (bytes). Default 512 MiB. */
  maxBytes?: number;
  /** Progress of a long import: characters read (CSV), rows checked, duplicates. */
  onProgress?: OnImportProgress;
  /** CSV row and cell limits (default CSV_DEFAULT_LIMITS); the file size limit is `maxBytes`. */
  csvLimits?: Omit<CsvLimits, 'maxBytes'>;
}

export interface ImportFileResult {
  /** What the reader found out about the file (kind, encoding, delimiter, sheet…). */
  source: TableSource;
  rows: string[][];
  /**
   * Read + import + validation findings, sorted: whole-file first, then by row, then column order.
   * At most ISSUES_PER_CODE per code; the rest are counted in `omitted`.
   */
  issues: Issue[];
  omitted: OmittedIssues[];
  unknownColumns: string[];
}

export const DEFAULT_MAX_IMPORT_BYTES = 512 * 1024 * 1024;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_MAGIC = [0x50, 0x4b, 0x05, 0x06];
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export type SniffedKind = 'xlsx' | 'ole2' | 'csv';

export function sniffKind(head: Uint8Array): SniffedKind {
  const starts = (magic: number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b);
  if (starts(ZIP_MAGIC) || starts(ZIP_EMPTY_MAGIC)) return 'xlsx';
  if (starts(OLE2_MAGIC)) return 'ole2';
  return 'csv';
}

function describe(path: string): string {
  return JSON.stringify(path);
}

/** stat + size checks with messages a clerk can act on. */
async function checkFile(path: string, maxBytes: number): Promise<number> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FormatError('file.not_found', `File not found: ${describe(path)}.`);
    if (code === 'EACCES' || code === 'EPERM') throw new FormatError('file.unreadable', `No permission to read ${describe(path)}.`);
    throw new FormatError('file.unreadable', `Cannot read ${describe(path)}: ${(e as Error).message}`);
  }
  if (st.isDirectory()) throw new FormatError('file.is_directory', `${describe(path)} is a folder, not a CSV or XLSX file.`);
  if (!st.isFile()) throw new FormatError('file.unreadable', `${describe(path)} is not a regular file.`);
  if (st.size === 0) throw new FormatError('file.empty', `${describe(path)} is empty (0 bytes).`);
  if (st.size > maxBytes) {
    const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
    throw new FormatError('file.too_large', `${describe(path)} is ${mb(st.size)}; the limit is ${mb(maxBytes)}. Split the batch into smaller files.`);
  }
  return st.size;
}

/** Bytes read per call after the head: small enough to stop soon after a limit is crossed. */
const READ_CHUNK = 4 << 20;

/**
 * Reads a CSV file into one buffer, checking it while it comes in: binary content is refused from
 * the first MiB, and the rows are counted chunk by chunk, so a file over the row limit is refused
 * once the limit is crossed, not after it has been read (and decoded) whole.
 */
async function readCsvBytes(path: string, size: number, maxRows: number): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new FormatError('file.unreadable', `Cannot open ${describe(path)}: ${(e as Error).message}`);
  }
  try {
    const buf = Buffer.allocUnsafe(size);
    const readInto = async (off: number, len: number): Promise<number> => {
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(buf, off + got, len - got, off + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got;
    };
    let off = await readInto(0, Math.min(size, CSV_HEAD_BYTES));
    const counter = prescanCsvHead(buf.subarray(0, off));
    if (counter) checkRecordLimit(counter, maxRows);
    while (off < size) {
      const got = await readInto(off, Math.min(READ_CHUNK, size - off));
      if (got === 0) break;
      if (counter) {
        counter.feed(buf.subarray(off, off + got));
        checkRecordLimit(counter, maxRows);
      }
      off += got;
    }
    return off === size ? buf : buf.subarray(0, off);
  } catch (e) {
    if (isFormatError(e)) throw e;
    throw new FormatError('file.unreadable', `Cannot read ${describe(path)}: ${(e as Error).message}`);
  } finally {
    await fh.close();
  }
}

async function readHead(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, 'r').catch((e: Error) => {
    throw new FormatError('file.unreadable', `Cannot open ${describe(path)}: ${e.message}`);
  });
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export type FileInput = { kind: 'csv'; bytes: Uint8Array } | { kind: 'xlsx'; table: RawTable };

/** Reads a file: an XLSX workbook into a RawTable, CSV/text as bytes (parsed with the profile). */
export async function readInput(path: string, opts: ImportFileOptions): Promise<FileInput> {
  const size = await checkFile(path, opts.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES);
  const kind = sniffKind(await readHead(path, 8));
  if (kind === 'ole2') {
    throw new FormatError(
      'file.xls_or_encrypted',
      `${describe(path)} is a password-protected workbook or an old Excel 97-2003 .xls file. Remove the password or save it as .xlsx or CSV in Excel, then try again.`,
    );
  }
  if (kind === 'xlsx') {
    const profile = getProfile(opts.profile);
    const onProgress = opts.onProgress;
    const table = await readXlsx(path, {
      ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
      isHeader: (cells) => looksLikeHeader(profile, cells),
      textColumns: (header) => textColumnLabels(profile, header),
      ...(onProgress ? { onProgress: (done: number, total: number) => onProgress({ step: 'reading', done, total }) } : {}),
    });
    return { kind: 'xlsx', table };
  }
  if (opts.sheet !== undefined) {
    throw new FormatError('file.sheet_not_xlsx', `${describe(path)} is a CSV/text file; a sheet name (--sheet) only applies to XLSX workbooks.`);
  }
  return { kind: 'csv', bytes: await readCsvBytes(path, size, opts.csvLimits?.maxRows ?? CSV_DEFAULT_LIMITS.maxRows) };
}

/** The profile's column labels, in profile order (the header of an export). */
export function profileColumnLabels(profileId: ProfileId): string[] {
  return getProfile(profileId).columns.map((c) => c.label);
}

export async function importFile(path: string, opts: ImportFileOptions): Promise<ImportFileResult> {
  const profile = getProfile(opts.profile);
  const ctx = opts.ctx ?? defaultContext();
  let input: FileInput | null = await readInput(path, opts);
  // CSV rows are converted as they are parsed; then the row rules and the cross-row rules. Issues
  // include the reader's.
  const limits: CsvLimits = { ...(opts.csvLimits ?? {}), maxBytes: opts.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES };
  let imported;
  if (input.kind === 'csv') {
    // handed over, not passed: the parser frees the bytes once it has decoded them
    let held: Uint8Array | null = input.bytes;
    input = null;
    const take = () => {
      const b = held!;
      held = null;
      return b;
    };
    imported = importCsvAndValidate(profile, { take }, ctx, limits, opts.onProgress);
  } else {
    imported = importAndValidate(profile, input.table, ctx, opts.onProgress);
  }
  return {
    source: imported.source,
    rows: imported.rows,
    issues: imported.issues,
    omitted: imported.omitted,
    unknownColumns: imported.unknownColumns,
  };
}
