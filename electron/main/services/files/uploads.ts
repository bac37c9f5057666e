/**
 * Files uploaded in web mode (`<input type=file>` → `POST /upload`): a browser cannot hand the host
 * a path, so the bytes are kept in a private temp folder and named by a random id that the import
 * channels accept as a file ref. Uploads are removed when the host stops (and may hold card data,
 * so the folder and files are owner-only).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AppError } from '../errors';
import type { FileRef } from '../../../../shared/contract';

export interface StoredUpload {
  id: string;
  name: string;
  path: string;
  size: number;
}

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export class UploadStore {
  private dir: string | null = null;
  private readonly files = new Map<string, StoredUpload>();

  constructor(private readonly maxBytes = MAX_UPLOAD_BYTES) {}

  private folder(): string {
    if (!this.dir) this.dir = mkdtempSync(join(tmpdir(), 'batchdesk-uploads-'));
    return this.dir;
  }

  /** Stores the body chunks; refuses more than maxBytes (nothing is kept then). */
  async save(name: string, chunks: AsyncIterable<Uint8Array>): Promise<StoredUpload> {
    const id = randomBytes(18).toString('base64url');
    const path = join(this.folder(), id);
    const fh = await open(path, 'wx', 0o600);
    let size = 0;
    try {
      for await (const c of chunks) {
        size += c.length;
        if (size > this.maxBytes) {
          throw new AppError('file.too_large', `The file is larger than ${Math.round(this.maxBytes / 1024 / 1024)} MB. Split the batch into smaller files.`);
        }
        await fh.write(c);
      }
    } catch (e) {
      await fh.close();
      await unlink(path).catch(() => undefined);
      throw e;
    }
    await fh.close();
    const clean = basename(name.replace(/\\/g, '/')).slice(0, 255) || 'upload';
    const stored = { id, name: clean, path, size };
    this.files.set(id, stored);
    return stored;
  }

  get(id: string): StoredUpload {
    const f = this.files.get(id);
    if (!f) throw new AppError('not_found', 'That uploaded file is no longer here (the app was restarted). Choose the file again.');
    return f;
  }

  /** Removes every upload (host shutdown). */
  clear(): void {
    this.files.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}

/**
 * A path as a clerk gives it: Windows "Copy as path" wraps it in double quotes, some tools in
 * single quotes; both are stripped, with surrounding spaces.
 */
export function cleanPath(raw: string): string {
  let p = raw.trim();
  while (p.length >= 2 && ((p.startsWith('"') && p.endsWith('"')) || (p.startsWith("'") && p.endsWith("'")))) p = p.slice(1, -1).trim();
  return p;
}

/** The file on disk a file ref names, and the name to show. */
export function resolveFileRef(ref: FileRef, uploads: UploadStore): { path: string; name: string } {
  if (ref.kind === 'upload') {
    const u = uploads.get(ref.id);
    return { path: u.path, name: u.name };
  }
  const path = cleanPath(ref.path);
  return { path, name: basename(path.replace(/\\/g, '/')) };
}
