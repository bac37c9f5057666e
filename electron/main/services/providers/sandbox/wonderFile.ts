/**
 * Wonder's side of Create Batch MIT: GET the file at `file_url` over HTTP, as the real provider
 * does, and read it with the project's formats engine (CSV in memory; XLSX through the XLSX reader,
 * which reads from a path, so the bytes go to a private temporary file — in /dev/shm where the OS
 * has it — deleted as soon as it is read). Row problems become that row's failure; a file that
 * cannot be read, or lacks required columns, fails the whole batch (process_status `failed`).
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getProfile, importCsvAndValidate } from '../../../../../shared/formats';
import { isFormatError } from '../../../../../shared/formats/errors';
import type { ValidationContext } from '../../../../../shared/formats/profile';
import type { Issue } from '../../../../../shared/formats/types';
import { importFile, sniffKind } from '../../files/importFile';

export const WONDER_FILE_MAX_BYTES = 64 * 1024 * 1024;
export const WONDER_FETCH_TIMEOUT_MS = 30_000;

export interface WonderFileRow {
  /** 1-based data row number. */
  row: number;
  cells: string[];
  /** Error messages for this row (clerk wording, card numbers masked); empty = the row is processed. */
  errors: string[];
}

export type WonderFileResult = { ok: true; kind: 'csv' | 'xlsx'; rows: WonderFileRow[] } | { ok: false; message: string };

async function download(url: string, signal: AbortSignal): Promise<{ ok: true; bytes: Buffer } | { ok: false; message: string }> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(WONDER_FETCH_TIMEOUT_MS)]), redirect: 'follow' });
  } catch (e) {
    return { ok: false, message: `The file at file_url could not be downloaded (${(e as Error).message}).` };
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, message: `The file at file_url could not be downloaded: HTTP ${res.status}${res.status === 403 ? ' (the link may have expired)' : res.status === 404 ? ' (no file there)' : ''}.` };
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > WONDER_FILE_MAX_BYTES) return { ok: false, message: `The file is larger than ${WONDER_FILE_MAX_BYTES / 1024 / 1024} MB.` };
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // Node's web ReadableStream is async-iterable; the DOM lib typings do not say so.
    for await (const chunk of (res.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
      size += (chunk as Uint8Array).length;
      if (size > WONDER_FILE_MAX_BYTES) return { ok: false, message: `The file is larger than ${WONDER_FILE_MAX_BYTES / 1024 / 1024} MB.` };
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
  } catch (e) {
    return { ok: false, message: `The download of the file was interrupted (${(e as Error).message}).` };
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

async function readXlsxBytes(bytes: Buffer, ctx: ValidationContext) {
  const dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'batchdesk-wonder-'));
  try {
    await chmod(dir, 0o700);
    const path = join(dir, 'batch.xlsx');
    await writeFile(path, bytes, { mode: 0o600 });
    return await importFile(path, { profile: 'wonder', ctx });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function toRows(rows: string[][], issues: Issue[]): { rows: WonderFileRow[]; fileErrors: string[] } {
  const byRow = new Map<number, string[]>();
  const fileErrors: string[] = [];
  for (const i of issues) {
    if (i.severity !== 'error') continue;
    if (i.row === null) fileErrors.push(i.message);
    else (byRow.get(i.row) ?? byRow.set(i.row, []).get(i.row)!).push(i.message);
  }
  return { rows: rows.map((cells, k) => ({ row: k + 1, cells, errors: byRow.get(k + 1) ?? [] })), fileErrors };
}

export async function fetchWonderFile(url: string, ctx: ValidationContext, signal: AbortSignal): Promise<WonderFileResult> {
  const got = await download(url, signal);
  if (!got.ok) return got;
  if (got.bytes.length === 0) return { ok: false, message: 'The file at file_url is empty.' };
  const kind = sniffKind(got.bytes.subarray(0, 8));
  if (kind === 'ole2') return { ok: false, message: 'The file is an old .xls or a password-protected workbook; only .csv and .xlsx are accepted.' };
  try {
    const imported = kind === 'xlsx' ? await readXlsxBytes(got.bytes, ctx) : importCsvAndValidate(getProfile('wonder'), got.bytes, ctx);
    const { rows, fileErrors } = toRows(imported.rows, imported.issues);
    if (fileErrors.length > 0) return { ok: false, message: fileErrors.join(' ') };
    if (rows.length === 0) return { ok: false, message: 'The file has a header but no rows.' };
    return { ok: true, kind, rows };
  } catch (e) {
    if (isFormatError(e)) return { ok: false, message: e.message };
    throw e;
  }
}
