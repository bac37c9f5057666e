/**
 * The SQLite store: one file in the app's data folder, WAL, synchronous=FULL, foreign keys on.
 * Opening never resets or repairs anything silently: a corrupt file, a newer schema or an edited
 * migration history stops with a DatabaseError that says what happened and where the file is.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export class DatabaseError extends Error {
  readonly code: 'db.corrupt' | 'db.newer_version' | 'db.migration_edited' | 'db.migration_gap' | 'db.locked' | 'db.open_failed';
  constructor(code: DatabaseError['code'], message: string) {
    super(message);
    this.name = 'DatabaseError';
    this.code = code;
  }
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

function checkHeader(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) return; // a zero-byte file is what SQLite itself creates before the first write
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    if (n < 16 || buf.toString('latin1') !== SQLITE_HEADER) {
      throw new DatabaseError(
        'db.corrupt',
        `The data file ${file} is not a Batchdesk database (it is damaged or was replaced). Nothing was changed. ` +
          `Restore it from a backup, or move it aside to start with an empty store.`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

export interface OpenOptions {
  migrations?: readonly Migration[];
  readonly?: boolean;
  /** SQLite's busy timeout: how long one statement waits for another process's lock. Default 5 s. */
  busyTimeoutMs?: number;
  /**
   * How long opening keeps trying while the file is locked by another process, in total. Some
   * lock conflicts (switching a new file to WAL, WAL recovery after a crash) make SQLite answer
   * "busy" at once instead of waiting; the whole open is then tried again. Default 15 s.
   */
  lockWaitMs?: number;
}

/** Blocks the thread for `ms` (opening happens before the app does anything else). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const deadline = Date.now() + (opts.lockWaitMs ?? 15_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return openOnce(file, opts);
    } catch (e) {
      if (!(e instanceof DatabaseError && e.code === 'db.locked') || Date.now() >= deadline) throw e;
      sleepSync(Math.min(25 * attempt, 250) + Math.random() * 25);
    }
  }
}

function openOnce(file: string, opts: OpenOptions): Db {
  const migrations = opts.migrations ?? MIGRATIONS;
  mkdirSync(dirname(file), { recursive: true });
  checkHeader(file);
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, timeout: opts.busyTimeoutMs ?? 5000 });
  } catch (e) {
    throw new DatabaseError('db.open_failed', `Cannot open the data file ${file}: ${(e as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Reading the schema forces SQLite to parse the file: damage beyond the header shows up here.
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    migrate(db, migrations, file);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof DatabaseError) throw e;
    const msg = (e as Error).message;
    if (/malformed|not a database|corrupt/i.test(msg)) {
      throw new DatabaseError(
        'db.corrupt',
        `The data file ${file} is damaged (${msg}). Nothing was changed. Restore it from a backup, or move it aside to start with an empty store.`,
      );
    }
    if (/locked|busy/i.test(msg)) {
      throw new DatabaseError('db.locked', `The data file ${file} is in use by another Batchdesk process. Close it and try again.`);
    }
    throw e;
  }
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Apply pending migrations; refuse an edited, gapped or newer history. Reading the history, the
 * checks and every pending migration run in ONE immediate (write-locked) transaction, so two
 * processes opening a new data folder at once cannot both apply migration 1: the second waits for
 * the lock, then sees the history the first wrote. A failing migration rolls everything back.
 */
export function migrate(db: Db, migrations: readonly Migration[], file = 'the database'): number {
  const latest = migrations.length;
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedRow[];
    applied.forEach((row, i) => {
      if (row.version !== i + 1) {
        throw new DatabaseError(
          'db.migration_gap',
          `The schema history in ${file} is out of order (found version ${row.version} where ${i + 1} was expected). Nothing was changed; restore a backup.`,
        );
      }
      if (row.version > latest) {
        throw new DatabaseError(
          'db.newer_version',
          `${file} was written by a newer Batchdesk (schema ${applied.length}; this app knows up to ${latest}). Update Batchdesk to open it. Nothing was changed.`,
        );
      }
      const known = migrations[row.version - 1]!;
      if (known.checksum !== row.checksum) {
        throw new DatabaseError(
          'db.migration_edited',
          `Migration ${String(row.version).padStart(4, '0')}_${known.name} differs from the one applied to ${file} (checksum mismatch). ` +
            `An applied migration must never be edited; add a new one instead. Nothing was changed.`,
        );
      }
    });
    const insert = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
    for (const mig of migrations.slice(applied.length)) {
      db.exec(mig.sql);
      insert.run(mig.version, mig.name, mig.checksum, new Date().toISOString());
      db.pragma(`user_version = ${mig.version}`);
    }
  });
  run.immediate();
  return latest;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
