/**
 * Numbered SQL migrations (`migrations/NNNN_name.sql`), bundled at build time. Each is applied in
 * its own transaction and recorded with a SHA-256 checksum; a history that was edited, has gaps,
 * or comes from a newer app version is refused with a clear error instead of being "fixed".
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/** Parse `{ './migrations/0001_init.sql': sql, ... }` into an ordered, gap-free list. */
export function parseMigrations(files: Record<string, string>): Migration[] {
  const list = Object.entries(files).map(([path, sql]) => {
    const file = path.split('/').pop() ?? path;
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new Error(`Migration file name "${file}" must look like 0001_name.sql`);
    return { version: Number(m[1]), name: m[2]!, sql, checksum: checksum(sql) };
  });
  list.sort((a, b) => a.version - b.version);
  list.forEach((mig, i) => {
    if (mig.version !== i + 1) {
      throw new Error(`Migrations must be numbered 1, 2, 3… without gaps or repeats; found ${mig.version} at position ${i + 1}.`);
    }
  });
  return list;
}

/**
 * Built code (electron-vite, vitest) gets the SQL inlined by Vite's import.meta.glob. Code run from
 * source without Vite (tsx: the CLI, child processes in tests) has no import.meta.glob, so the
 * same files are read from the folder beside this module.
 */
function loadMigrationFiles(): Record<string, string> {
  try {
    return import.meta.glob('./migrations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
  } catch {
    const dir = new URL('./migrations/', import.meta.url);
    const files: Record<string, string> = {};
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.sql')) files[`./migrations/${name}`] = readFileSync(new URL(name, dir), 'utf8');
    }
    return files;
  }
}

export const MIGRATIONS: readonly Migration[] = parseMigrations(loadMigrationFiles());
