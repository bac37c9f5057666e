/**
 * Migration checksums do not depend on line endings: a store created from the SQL files checked
 * out with LF opens with the same files checked out with CRLF (git on Windows), while a real edit
 * is still refused.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase } from '../../electron/main/services/db/database';
import { checksum, MIGRATIONS, parseMigrations } from '../../electron/main/services/db/migrations';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

afterEach(cleanupTempDirs);

const files = (transform: (sql: string) => string) => Object.fromEntries(MIGRATIONS.map((m) => [`./migrations/${String(m.version).padStart(4, '0')}_${m.name}.sql`, transform(m.sql)]));
const lf = (sql: string) => sql.replace(/\r\n/g, '\n');
const crlf = (sql: string) => lf(sql).replace(/\n/g, '\r\n');

describe('migration checksums', () => {
  it('are the same for CRLF and LF text, and differ for different text', () => {
    const sql = 'CREATE TABLE t (a INTEGER);\nCREATE INDEX i ON t (a);\n';
    expect(checksum(sql.replace(/\n/g, '\r\n'))).toBe(checksum(sql));
    expect(checksum(sql)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(sql + ' ')).not.toBe(checksum(sql));
    expect(checksum(sql.replace(/\n/g, '\r'))).not.toBe(checksum(sql)); // a lone CR is content, not a line ending
    expect(checksum('a\r\n\r\nb')).toBe(checksum('a\n\nb'));
  });

  it('a store made from LF files opens with the same files in CRLF, and the reverse', () => {
    const withLf = parseMigrations(files(lf));
    const withCrlf = parseMigrations(files(crlf));
    expect(withCrlf.map((m) => m.checksum)).toEqual(withLf.map((m) => m.checksum));
    expect(withCrlf[0]!.sql).toContain('\r\n');

    const a = join(tempDir(), 'lf.sqlite');
    openDatabase(a, { migrations: withLf }).close();
    const reopened = openDatabase(a, { migrations: withCrlf });
    reopened.close();

    const b = join(tempDir(), 'crlf.sqlite');
    openDatabase(b, { migrations: withCrlf }).close();
    openDatabase(b, { migrations: withLf }).close();
  });

  it('an edited migration is still refused', () => {
    const file = join(tempDir(), 'edited.sqlite');
    openDatabase(file, { migrations: parseMigrations(files(lf)) }).close();
    const edited = parseMigrations(files((sql) => crlf(sql) + '\r\n-- edited\r\n'));
    let error: unknown;
    try {
      openDatabase(file, { migrations: edited }).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe('db.migration_edited');
  });
});
