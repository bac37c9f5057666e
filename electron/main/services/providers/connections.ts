/**
 * Stored connections: settings in SQLite without secrets; the secrets sealed with the OS-held key
 * (services/crypto: Electron safeStorage on the desktop, refusing where it would fall back to plain
 * text; a 0600 key file in web mode and the CLI) in `connection-secrets.json`. Export/import is JSON
 * without secrets. Test connection makes one side-effect-free call.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database';
import type { Sealer } from '../crypto';
import { AppError } from '../errors';
import { ConnectionError, parseConnection, SECRET_FIELDS, withSecrets, withoutSecrets, type Connection } from './connection';
import { testConnection, type ConnectionTestResult } from './registry';
import type { ProviderId } from './types';

export interface StoredConnection {
  id: string;
  name: string;
  provider: ProviderId;
  baseUrl: string;
  /** Non-secret credentials. */
  credentials: Record<string, unknown>;
  /** Which secret fields are set (never their values). */
  secretsSet: string[];
}

export const SECRETS_FILE = 'connection-secrets.json';
export const EXPORT_FORMAT = 'batchdesk-connections/1';

interface Row {
  id: string;
  provider: ProviderId;
  name: string;
  connection: string;
}

export class ConnectionStore {
  private readonly file: string;

  constructor(
    private readonly db: Db,
    private readonly sealer: Sealer,
    dataDir: string,
  ) {
    this.file = join(dataDir, SECRETS_FILE);
  }

  private readSecrets(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      throw new AppError('connections.secrets_damaged', `The stored connection secrets (${this.file}) are damaged; enter the secrets of your connections again.`);
    }
  }

  private writeSecrets(all: Record<string, string>): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 1), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private secretsOf(id: string): Record<string, string> {
    const sealed = this.readSecrets()[id];
    if (!sealed) return {};
    return JSON.parse(this.sealer.openText(Buffer.from(sealed, 'base64'), `connection:${id}`)) as Record<string, string>;
  }

  private toStored(r: Row): StoredConnection {
    const c = JSON.parse(r.connection) as { baseUrl: string; credentials: Record<string, unknown> };
    const sealedIds = this.readSecrets();
    const set = sealedIds[r.id] ? Object.keys(this.secretsOf(r.id)) : [];
    return { id: r.id, name: r.name, provider: r.provider, baseUrl: c.baseUrl, credentials: c.credentials, secretsSet: set };
  }

  list(): StoredConnection[] {
    return (this.db.prepare('SELECT id, provider, name, connection FROM connections ORDER BY provider, name').all() as Row[]).map((r) => this.toStored(r));
  }

  get(id: string): StoredConnection {
    const r = this.db.prepare('SELECT id, provider, name, connection FROM connections WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new AppError('not_found', 'This connection no longer exists.');
    return this.toStored(r);
  }

  /**
   * Saves a connection. Secret fields left empty keep the stored value (the form never shows
   * them). The sealer refuses (no secure OS store) before anything is written.
   */
  save(input: { id?: string; name: string; connection: unknown }): StoredConnection {
    const id = input.id ?? randomUUID();
    const keep = input.id ? this.secretsOf(id) : {};
    const raw = withSecrets(input.connection as Record<string, unknown>, Object.fromEntries(Object.entries(keep).filter(([path]) => !hasValue(input.connection, path))));
    let conn: Connection;
    try {
      conn = parseConnection(raw, `The ${input.name} connection`);
    } catch (e) {
      if (e instanceof ConnectionError) throw new AppError('bad_input', e.message);
      throw e;
    }
    const { connection, secrets } = withoutSecrets(conn);
    const sealed = this.sealer.seal(JSON.stringify(secrets), `connection:${id}`).toString('base64');
    const now = new Date().toISOString();
    this.db
      .prepare(`INSERT INTO connections (id, provider, name, connection, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, name = excluded.name, connection = excluded.connection, updated_at = excluded.updated_at`)
      .run(id, conn.provider, input.name, JSON.stringify(connection), now, now);
    const all = this.readSecrets();
    all[id] = sealed;
    this.writeSecrets(all);
    return this.get(id);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM connections WHERE id = ?').run(id);
    const all = this.readSecrets();
    if (id in all) {
      delete all[id];
      this.writeSecrets(all);
    }
  }

  /** The full connection, secrets included, for the outbox (in memory only). */
  resolve(id: string): Connection {
    const s = this.get(id);
    const raw = withSecrets({ provider: s.provider, baseUrl: s.baseUrl, credentials: s.credentials, name: s.name }, this.secretsOf(id));
    try {
      return parseConnection(raw, `The ${s.name} connection`);
    } catch (e) {
      if (e instanceof ConnectionError) throw new AppError('bad_input', `${e.message} Enter it in Settings → Connections.`);
      throw e;
    }
  }

  /** JSON of the chosen (default all) connections, without any secret. */
  exportJson(ids?: readonly string[]): string {
    const list = this.list().filter((c) => !ids || ids.includes(c.id));
    return JSON.stringify({ format: EXPORT_FORMAT, connections: list.map((c) => ({ name: c.name, provider: c.provider, baseUrl: c.baseUrl, credentials: c.credentials })) }, null, 2);
  }

  /**
   * Imports connections exported by exportJson (or connection.json files). Secret values in the
   * input are ignored — they are entered on this machine — so the imported ones need their secrets.
   */
  importJson(text: string): StoredConnection[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppError('bad_input', 'The file is not JSON: choose a file exported from Batchdesk\'s connection settings.');
    }
    const items = Array.isArray((parsed as { connections?: unknown }).connections) ? ((parsed as { connections: unknown[] }).connections) : [parsed];
    const out: StoredConnection[] = [];
    const now = new Date().toISOString();
    for (const [i, item] of items.entries()) {
      const o = (item ?? {}) as Record<string, unknown>;
      const provider = o.provider as ProviderId;
      if (!(provider in SECRET_FIELDS)) throw new AppError('bad_input', `Connection ${i + 1} in the file has no known provider (wonder, epay, sibs, jpmmps or hypercard).`);
      const creds = JSON.parse(JSON.stringify(o.credentials ?? {})) as Record<string, unknown>;
      const stripped = withoutSecrets({ provider, baseUrl: String(o.baseUrl ?? ''), credentials: creds } as Connection).connection;
      const name = typeof o.name === 'string' && o.name.trim() ? o.name.trim() : `${provider} (imported)`;
      const id = randomUUID();
      this.db
        .prepare('INSERT INTO connections (id, provider, name, connection, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (provider, name) DO UPDATE SET connection = excluded.connection, updated_at = excluded.updated_at')
        .run(id, provider, name, JSON.stringify({ provider, baseUrl: stripped.baseUrl, credentials: stripped.credentials }), now, now);
      const row = this.db.prepare('SELECT id FROM connections WHERE provider = ? AND name = ?').get(provider, name) as { id: string };
      out.push(this.get(row.id));
    }
    return out;
  }

  async test(id: string, signal?: AbortSignal): Promise<ConnectionTestResult> {
    let conn: Connection;
    try {
      conn = this.resolve(id);
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    return testConnection(conn, signal);
  }
}

function hasValue(obj: unknown, path: string): boolean {
  let cur = (obj as { credentials?: unknown } | null)?.credentials;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === 'string' && cur !== '';
}
