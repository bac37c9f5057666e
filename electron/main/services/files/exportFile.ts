/**
 * Writes a validated batch to disk in the provider's format. Refuses a batch with errors, never
 * writes a full card number unless asked, and never leaves a half-written file: everything is
 * written under a temporary name next to the target and renamed into place when complete.
 * Node only: used by Electron main and by the CLI.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { FormatError } from '../../../../shared/formats/errors';
import type { ProfileId } from '../../../../shared/formats/types';
import type { ValidationContext } from '../../../../shared/formats/profile';
import {
  assertExportable,
  defaultContext,
  epayRequestBodies,
  epayRequestJson,
  getProfile,
  jsonLinesChunks,
  maskSensitiveRow,
  canonicalAmountRows,
  type JsonLinesSettings,
  validateRows,
  wonderCsvChunks,
} from '../../../../shared/formats';
import { writeXlsx } from './xlsx';
import { profileColumnLabels } from './importFile';

export function tempSibling(path: string, suffix = '.tmp'): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}${suffix}`);
}

export type Chunk = string | Uint8Array;

/**
 * Streams chunks to `path`: small chunks are batched into ~1 MiB writes. Accepts sync or async
 * iterables. Returns the bytes written.
 */
export async function writeChunks(
  path: string,
  chunks: Iterable<Chunk> | AsyncIterable<Chunk>,
  opts: { sync?: boolean } = {},
): Promise<number> {
  const fh = await open(path, 'wx');
  let bytes = 0;
  try {
    const LIMIT = 1 << 20;
    let pending: string[] = [];
    let pendingLen = 0;
    const flushStrings = async () => {
      if (pending.length === 0) return;
      const buf = Buffer.from(pending.length === 1 ? pending[0]! : pending.join(''), 'utf8');
      pending = [];
      pendingLen = 0;
      await writeAll(fh, buf);
      bytes += buf.length;
    };
    for await (const chunk of chunks as AsyncIterable<Chunk>) {
      if (typeof chunk === 'string') {
        pending.push(chunk);
        pendingLen += chunk.length;
        if (pendingLen >= LIMIT) await flushStrings();
      } else {
        await flushStrings();
        await writeAll(fh, chunk);
        bytes += chunk.length;
      }
    }
    await flushStrings();
    if (opts.sync !== false) await fh.sync().catch(() => undefined);
  } finally {
    await fh.close();
  }
  return bytes;
}

async function writeAll(fh: FileHandle, buf: Uint8Array): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/** Writes a single file via a temp sibling + rename. `produce` writes the temp path. */
export async function writeFileAtomically<T>(path: string, produce: (tmpPath: string) => Promise<T>): Promise<T> {
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) {
    throw new FormatError('export.out_is_directory', `${JSON.stringify(path)} is a folder; give a file name (e.g. batch.csv).`);
  }
  await ensureParent(path);
  const tmp = tempSibling(path);
  try {
    const result = await produce(tmp);
    await rename(tmp, path);
    return result;
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

async function ensureParent(path: string): Promise<void> {
  const dir = dirname(path);
  const st = await stat(dir).catch(() => null);
  if (st === null) {
    await mkdir(dir, { recursive: true });
  } else if (!st.isDirectory()) {
    throw new FormatError('export.bad_out', `${JSON.stringify(dir)} is not a folder.`);
  }
}

/**
 * Writes a set of files into `outDir`. The folder may not exist, be empty, or contain only files
 * `isOwn` recognises (our previous output, which is replaced; stale ones are removed). Anything
 * else in it is an error: we never mix our output with someone else's files.
 * Files are first written into a temp folder next to `outDir`, then moved in.
 */
export async function writeFolderAtomically<T>(
  outDir: string,
  isOwn: (name: string) => boolean,
  produce: (tmpDir: string) => Promise<T>,
): Promise<{ result: T; files: string[]; replaced: string[] }> {
  const st = await stat(outDir).catch(() => null);
  let existing: string[] = [];
  if (st !== null) {
    if (!st.isDirectory()) {
      throw new FormatError('export.out_not_folder', `${JSON.stringify(outDir)} is a file; this profile exports a folder of request files. Give a folder path.`);
    }
    existing = await readdir(outDir);
    const foreign = existing.filter((n) => !isOwn(n));
    if (foreign.length > 0) {
      const list = foreign.slice(0, 3).map((n) => JSON.stringify(n)).join(', ');
      throw new FormatError(
        'export.out_not_empty',
        `The folder ${JSON.stringify(outDir)} already contains other files (${list}${foreign.length > 3 ? ', ...' : ''}). Choose an empty or new folder.`,
      );
    }
  }
  await ensureParent(outDir);
  const tmpDir = tempSibling(outDir, '.tmpdir');
  await mkdir(tmpDir);
  try {
    const result = await produce(tmpDir);
    const files = (await readdir(tmpDir)).sort();
    if (st === null || existing.length === 0) {
      if (st !== null) await rmdir(outDir);
      await rename(tmpDir, outDir);
    } else {
      for (const f of files) await rename(join(tmpDir, f), join(outDir, f));
      const fresh = new Set(files);
      for (const f of existing) if (!fresh.has(f)) await rm(join(outDir, f), { force: true });
      await rmdir(tmpDir);
    }
    return { result, files, replaced: existing };
  } catch (e) {
    await rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Provider outputs
// ---------------------------------------------------------------------------------------------

export interface ExportFileOptions {
  profile: ProfileId;
  /** wonder: a `.csv` or `.xlsx` file; epay, sibs, jpmmps: a folder. */
  out: string;
  ctx?: ValidationContext;
  /** Write full card numbers (and CVCs). Default false: card numbers masked (first 6 / last 4), CVC empty. */
  includeFullCardNumbers?: boolean;
  /** SIBS/JPMMPS export settings (SIBS needs `terminalId`). */
  jsonLines?: JsonLinesSettings;
  /**
   * A masked export's first line (every format; XLSX: its first row), saying it is for review and
   * not for upload. Required by exportBatch when card numbers are masked.
   */
  reviewNote?: string;
}

export interface ExportFileResult {
  profile: ProfileId;
  out: string;
  kind: 'csv' | 'xlsx' | 'json-folder' | 'jsonl-folder';
  /** Absolute paths of the files written. */
  files: string[];
  rows: number;
  bytes: number;
  /** Our own files from a previous export that were replaced or removed (folder outputs). */
  replaced: string[];
  fullCardNumbers: boolean;
}

export const EPAY_ENTRIES_PER_FILE = 500;

export const ownFilePattern = (profile: ProfileId): RegExp =>
  profile === 'epay' ? /^epay-request-\d{4,}\.json$/ : new RegExp(`^${profile}-requests\\.jsonl$`);

/** Columns written as text in XLSX so Excel never turns IDs/card numbers into numbers. */
export function exportTextColumns(profileId: ProfileId): string[] {
  return getProfile(profileId)
    .columns.filter((c) => c.textInSpreadsheet === true || c.sensitive !== undefined)
    .map((c) => c.label);
}

/** Copy of `rows` with card numbers masked and CVCs emptied (the formats engine's maskSensitiveRow). */
export function maskRows(profileId: ProfileId, rows: readonly (readonly string[])[]): string[][] {
  const cols = getProfile(profileId).columns;
  if (!cols.some((c) => c.sensitive !== undefined)) return rows as string[][];
  return rows.map((r) => maskSensitiveRow(cols, r));
}

/** The review note's line first, then the writer's chunks (streamed, never collected). */
function* withNote(note: readonly string[], chunks: Iterable<string>): Generator<string, void, undefined> {
  yield* note;
  yield* chunks;
}

export async function exportFile(input: string[][], opts: ExportFileOptions): Promise<ExportFileResult> {
  const profile = getProfile(opts.profile);
  const ctx = opts.ctx ?? defaultContext();
  // Amounts are written from their minor units in the currency's canonical form (5.5 → 5.50).
  const rows = canonicalAmountRows(profile, input, ctx);
  const note = opts.reviewNote !== undefined && opts.includeFullCardNumbers !== true ? opts.reviewNote : null;
  const noteLine = note === null ? [] : [note.replace(/[\r\n]+/g, ' ') + '\r\n'];
  const full = opts.includeFullCardNumbers === true;
  // A header-only file would export "0 rows": an empty CSV for Wonder, an empty folder for ePay
  // (whose batch request needs 1..500 transactions), an empty .jsonl. Nothing to send: refuse.
  if (rows.length === 0) {
    throw new FormatError(
      'export.empty',
      `The batch has no rows, so there is nothing to export to ${profile.provider}. Nothing was written. Import a file with at least one data row under its header.`,
    );
  }
  // Always re-validate: the caller's view of the batch may be stale.
  assertExportable(validateRows(profile, rows, ctx));
  const out = resolve(opts.out);
  const base = { profile: opts.profile, out, rows: rows.length, fullCardNumbers: full };

  if (opts.profile === 'wonder') {
    const ext = extname(out).toLowerCase();
    if (ext === '.csv') {
      const bytes = await writeFileAtomically(out, (tmp) => writeChunks(tmp, withNote(noteLine, wonderCsvChunks(rows, { includeFullCardNumbers: full }))));
      return { ...base, kind: 'csv', files: [out], bytes, replaced: [] };
    }
    if (ext === '.xlsx') {
      const header = profileColumnLabels('wonder');
      const written = await writeFileAtomically(out, (tmp) =>
        note === null
          ? writeXlsx(tmp, { name: 'Batch', header, rows: full ? rows : maskRows('wonder', rows), textColumns: exportTextColumns('wonder') })
          : writeXlsx(tmp, { name: 'Review only', header: [note], rows: [header, ...maskRows('wonder', rows)], textColumns: [] }),
      );
      return { ...base, kind: 'xlsx', files: [out], bytes: written.bytes, replaced: [] };
    }
    throw new FormatError('export.bad_extension', `Wonder exports a .csv or .xlsx file; ${JSON.stringify(opts.out)} has neither extension.`);
  }

  if (extname(out).toLowerCase() === '.json' || extname(out).toLowerCase() === '.jsonl' || extname(out).toLowerCase() === '.csv') {
    throw new FormatError('export.out_not_folder', `The ${opts.profile} profile exports a folder of request files; give a folder path, not ${JSON.stringify(opts.out)}.`);
  }
  const isOwn = (name: string) => ownFilePattern(opts.profile).test(name);

  if (opts.profile === 'epay') {
    const bodies = epayRequestBodies(full ? rows : maskRows('epay', rows), ctx, EPAY_ENTRIES_PER_FILE);
    const { result: bytes, files, replaced } = await writeFolderAtomically(out, isOwn, async (dir) => {
      let total = 0;
      let i = 0;
      for (const body of bodies) {
        i++;
        // epayRequestJson keeps each attributes cell's JSON text as written (JSON.stringify would
        // round big integers and drop duplicate keys).
        const text = (i === 1 && noteLine.length ? noteLine[0]! : '') + epayRequestJson(body) + '\n';
        total += await writeChunks(join(dir, `epay-request-${String(i).padStart(4, '0')}.json`), [text]);
      }
      return total;
    });
    return { ...base, kind: 'json-folder', files: files.map((f) => join(out, f)), bytes, replaced };
  }

  const name = `${opts.profile}-requests.jsonl`;
  const { result: bytes, files, replaced } = await writeFolderAtomically(out, isOwn, (dir) =>
    writeChunks(join(dir, name), withNote(noteLine, jsonLinesChunks(opts.profile, full ? rows : maskRows(opts.profile, rows), ctx, opts.jsonLines ?? {}))),
  );
  return { ...base, kind: 'jsonl-folder', files: files.map((f) => join(out, f)), bytes, replaced };
}
