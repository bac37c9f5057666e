/**
 * `batchdesk backup --out <file>`: SQLite's online backup API (through better-sqlite3), so a
 * consistent copy is taken even while the app is running and writing. The copy is written beside
 * its target under a temporary name, checked with PRAGMA integrity_check, then renamed: a target
 * never holds half a backup. An existing target is never overwritten.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DatabaseError } from './database';

export interface BackupResult {
  from: string;
  to: string;
  pages: number;
  bytes: number;
}

export async function backupDatabase(file: string, out: string): Promise<BackupResult> {
  const to = resolve(out);
  if (!existsSync(file)) {
    throw new DatabaseError('db.open_failed', `There is no Batchdesk database at ${file}. Set BATCHDESK_HOME to the data folder to back up.`);
  }
  if (existsSync(to)) throw new DatabaseError('db.open_failed', `${to} already exists: choose a new file name for the backup (nothing was written).`);
  const partial = `${to}.partial-${process.pid}`;
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 15_000 });
  try {
    const r = await db.backup(partial);
    // A backup is one self-contained file: out of WAL mode, so no -wal/-shm files go with it.
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new DatabaseError('db.corrupt', `The backup of ${file} failed SQLite's integrity check (${String(check)}); it was not kept.`);
    } finally {
      copy.close();
    }
    renameSync(partial, to);
    return { from: file, to, pages: r.totalPages, bytes: statSync(to).size };
  } catch (e) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true });
    throw e;
  } finally {
    db.close();
  }
}
