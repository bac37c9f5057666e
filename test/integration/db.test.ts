import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseError, migrate, openDatabase, schemaVersion } from '../../electron/main/services/db/database';
import { MIGRATIONS, parseMigrations, type Migration } from '../../electron/main/services/db/migrations';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

afterEach(cleanupTempDirs);

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function expectDbError(fn: () => unknown, code: DatabaseError['code'], text: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DatabaseError);
    expect((e as DatabaseError).code).toBe(code);
    expect((e as Error).message).toMatch(text);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('SQLite store', () => {
  it('creates the file with WAL, full sync, foreign keys and every table of schema 1', () => {
    const file = join(tempDir(), 'data', 'batchdesk.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['batches', 'batch_rows', 'edit_journal', 'submission_attempts', 'status_events', 'settings', 'audit_log', 'schema_migrations']) {
      expect(tables).toContain(t);
    }
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('records each migration with its checksum and does not re-apply on reopen', () => {
    const file = join(tempDir(), 'batchdesk.sqlite');
    openDatabase(file).close();
    const db = openDatabase(file);
    const rows = db.prepare('SELECT version, name, checksum FROM schema_migrations').all() as { version: number; name: string; checksum: string }[];
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })));
    db.close();
  });

  it('gives every row a unique idempotency key and cascades rows with their batch', () => {
    const db = openDatabase(join(tempDir(), 'batchdesk.sqlite'));
    const now = new Date().toISOString();
    db.prepare("INSERT INTO batches (id, name, profile, created_at, updated_at) VALUES ('b1', 'B', 'wonder', ?, ?)").run(now, now);
    const ins = db.prepare("INSERT INTO batch_rows (id, batch_id, position, idempotency_key, cells, created_at, updated_at) VALUES (?, 'b1', ?, ?, '[]', ?, ?)");
    ins.run('r1', 1, 'key-1', now, now);
    expect(() => ins.run('r2', 2, 'key-1', now, now)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO batches (id, name, profile, created_at, updated_at) VALUES ('b2', 'B', 'visa', ?, ?)").run(now, now)).toThrow(/CHECK/);
    db.prepare("DELETE FROM batches WHERE id = 'b1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM batch_rows').get()).toEqual({ n: 0 });
    db.close();
  });

  it('applies a new migration in a transaction and rolls a failing one back completely', () => {
    const file = join(tempDir(), 'batchdesk.sqlite');
    openDatabase(file).close();
    const good = parseMigrations({
      ...Object.fromEntries(MIGRATIONS.map((m) => [`./migrations/${String(m.version).padStart(4, '0')}_${m.name}.sql`, m.sql])),
      [`./migrations/${String(MIGRATIONS.length + 1).padStart(4, '0')}_bad.sql`]: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);',
    });
    const db = new Database(file);
    expect(() => migrate(db, good)).toThrow(/nowhere/);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses an edited migration history and changes nothing', () => {
    const file = join(tempDir(), 'batchdesk.sqlite');
    openDatabase(file).close();
    const edited: Migration[] = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, checksum: 'not-the-same' } : m));
    expectDbError(() => openDatabase(file, { migrations: edited }), 'db.migration_edited', /0001_init.*checksum mismatch.*Nothing was changed/);
  });

  it('refuses an out-of-order history', () => {
    const file = join(tempDir(), 'batchdesk.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.prepare("UPDATE schema_migrations SET version = 3 WHERE version = 1").run();
    raw.close();
    expectDbError(() => openDatabase(file), 'db.migration_gap', /out of order/);
  });

  it('refuses a database written by a newer version, naming both versions', () => {
    const file = join(tempDir(), 'batchdesk.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations VALUES (?, 'future', 'x', '2030-01-01')").run(MIGRATIONS.length + 1);
    raw.close();
    const before = sha(file);
    expectDbError(() => openDatabase(file), 'db.newer_version', new RegExp(`newer Batchdesk \\(schema ${MIGRATIONS.length + 1}; this app knows up to ${MIGRATIONS.length}\\)`));
    expect(sha(file)).toBe(before);
  });

  it('refuses a corrupt file with a clear error and never resets it', () => {
    const dir = tempDir();
    const file = join(dir, 'batchdesk.sqlite');
    writeFileSync(file, 'Action,Amount\npayment,10.00\n'.repeat(200));
    const before = sha(file);
    expectDbError(() => openDatabase(file), 'db.corrupt', /not a Batchdesk database.*Nothing was changed/);
    expect(sha(file)).toBe(before);
  });

  it('refuses a file damaged after a valid header', () => {
    const file = join(tempDir(), 'batchdesk.sqlite');
    const db = openDatabase(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0xab, 100, bytes.length); // keep the 100-byte header, wreck every page
    writeFileSync(file, bytes);
    const before = sha(file);
    expectDbError(() => openDatabase(file), 'db.corrupt', /damaged/);
    expect(sha(file)).toBe(before);
  });

  it('lets several processes open a new data folder at once: one migrates, the others wait and see it', async () => {
    const child = (file: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/open-db.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.stderr.on('data', (d: Buffer) => (out += d.toString()));
        p.on('close', (code) => resolve({ code, out: out.trim() }));
      });
    for (let trial = 0; trial < 4; trial++) {
      const file = join(tempDir(), 'batchdesk.sqlite');
      const results = await Promise.all([child(file), child(file), child(file)]);
      expect(results).toEqual([
        { code: 0, out: String(MIGRATIONS.length) },
        { code: 0, out: String(MIGRATIONS.length) },
        { code: 0, out: String(MIGRATIONS.length) },
      ]);
      const db = openDatabase(file);
      expect((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
      db.close();
    }
  });

  it('waits while another process holds the write lock, and says so clearly when it is held too long', async () => {
    const file = join(tempDir(), 'batchdesk.sqlite');
    openDatabase(file).close();
    // Another process takes the write lock and keeps it for `ms`; resolves once it holds it, with
    // a promise of its exit code (wrapped: a promise resolved with a promise would wait for it).
    const holdLock = (ms: number) =>
      new Promise<{ exited: Promise<number | null> }>((resolve, reject) => {
        const code = `const db = require('better-sqlite3')(process.argv[1]); db.exec('BEGIN IMMEDIATE'); process.stdout.write('held\\n'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
        const p = spawn(process.execPath, ['-e', code, file, String(ms)], { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
        const exited = new Promise<number | null>((res) => p.on('close', res));
        p.stdout.once('data', () => resolve({ exited }));
        p.on('error', reject);
      });
    const locked = () => {
      const probe = new Database(file, { timeout: 0 });
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
        return false;
      } catch {
        return true;
      } finally {
        probe.close();
      }
    };

    let holder = await holdLock(1000);
    expect(locked()).toBe(true);
    // Each statement gives up after 20 ms; opening as a whole keeps trying for up to 20 s.
    const db = openDatabase(file, { busyTimeoutMs: 20, lockWaitMs: 20_000 });
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
    expect(await holder.exited).toBe(0);

    holder = await holdLock(2500);
    expectDbError(() => openDatabase(file, { busyTimeoutMs: 20, lockWaitMs: 300 }), 'db.locked', /in use by another Batchdesk process\. Close it and try again/);
    expect(locked()).toBe(true); // the other process kept its lock: nothing was taken from it
    expect(await holder.exited).toBe(0);
  });

  it('parses migration file names strictly', () => {
    expect(() => parseMigrations({ './migrations/init.sql': 'SELECT 1' })).toThrow(/0001_name\.sql/);
    expect(() => parseMigrations({ './migrations/0001_a.sql': 'SELECT 1', './migrations/0003_c.sql': 'SELECT 1' })).toThrow(/without gaps/);
  });
});
