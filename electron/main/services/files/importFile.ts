/**
 * Reads a batch file from disk (CSV or XLSX, sniffed from its bytes, not its extension), matches it
 * to a profile and validates every row. Node only: used by Electron main and by the CLI.
 */
import { open, stat } from 'node:fs/promises';
import { FormatError } from '../../../../shared/formats/errors';
import type { Issue, ProfileId, RawTable, TableSource } from '../../../../shared/formats/types';
import { defaultContext, getProfile, importAndValidate, importCsvAndValidate, type OnImportProgress } from '../../../../shared/formats';
import { looksLikeHeader } from '../../../../shared/formats/import';
import type { ValidationContext } from '../../../../shared/formats/profile';
import { readXlsx } from './xlsx';


export interface ImportFileOptions {
  profile: ProfileId;
  /** XLSX only: the sheet to read (default: the first one). */
  sheet?: string;
  ctx?: ValidationContext;
  /** Refuse files larger than this (bytes). Default 512 MiB. */
  maxBytes?: number;
  /** Progress of a long import: characters read (CSV), rows checked, duplicates. */
  onProgress?: OnImportProgress;
}

export interface ImportFileResult {
  /** What the reader found out about the file (kind, encoding, delimiter, sheet…). */
  source: TableSource;
  rows: string[][];
  /** Read + import + validation findings, sorted: whole-file first, then by row, then column order. */
  issues: Issue[];
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

/** Reads the whole file, keeping the first bytes for sniffing. One open, one read. */
async function readAll(path: string, size: number): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new FormatError('file.unreadable', `Cannot open ${describe(path)}: ${(e as Error).message}`);
  }
  try {
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return off === size ? buf : buf.subarray(0, off);
  } catch (e) {
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
export async function readInput(path: string, opts: { profile: ProfileId; sheet?: string; maxBytes?: number; onProgress?: OnImportProgress }): Promise<FileInput> {
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
      ...(onProgress ? { onProgress: (done: number, total: number) => onProgress({ step: 'reading', done, total }) } : {}),
    });
    return { kind: 'xlsx', table };
  }
  if (opts.sheet !== undefined) {
    throw new FormatError('file.sheet_not_xlsx', `${describe(path)} is a CSV/text file; a sheet name (--sheet) only applies to XLSX workbooks.`);
  }
  return { kind: 'csv', bytes: await readAll(path, size) };
}

/** The profile's column labels, in profile order (the header of an export). */
export function profileColumnLabels(profileId: ProfileId): string[] {
  return getProfile(profileId).columns.map((c) => c.label);
}

export async function importFile(path: string, opts: ImportFileOptions): Promise<ImportFileResult> {
  const profile = getProfile(opts.profile);
  const ctx = opts.ctx ?? defaultContext();
  const input = await readInput(path, opts);
  // CSV rows are converted as they are parsed; then the row rules and the cross-row rules. Issues
  // include the reader's.
  const imported = input.kind === 'csv' ? importCsvAndValidate(profile, input.bytes, ctx, undefined, opts.onProgress) : importAndValidate(profile, input.table, ctx, opts.onProgress);
  return {
    source: imported.source,
    rows: imported.rows,
    issues: imported.issues,
    unknownColumns: imported.unknownColumns,
  };
}
