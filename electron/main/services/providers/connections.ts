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
import { PROVIDER_NAMES } from '../../../../shared/contract/connections';
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
  /** Secrets are stored but cannot be opened with this machine's key: enter them again. */
  secretsUnreadable: boolean;
  updatedAt: string;
}

export const SECRETS_FILE = 'connection-secrets.json';
export const EXPORT_FORMAT = 'batchdesk-connections/1';

interface Row {
  id: string;
  provider: ProviderId;
  name: string;
  connection: string;
  updated_at: string;
}

const COLUMNS = 'id, provider, name, connection, updated_at';

export class ConnectionStore {
  private readonly file: string;
  private readonly trash = new Map<string, { row: Row & { created_at: string }; sealed: string | undefined }>();

  constructor(
    private readonly db: Db,
    private readonly sealer: Sealer,
    dataDir: string,
  ) {
    this.file = join(dataDir, SECRETS_FILE);
  }

  /** Sealed secrets by connection id; null when the file is damaged (not a JSON object of strings). */
  private loadSecrets(): Record<string, string> | null {
    if (!existsSync(this.file)) return {};
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) return null;
      return v as Record<string, string>;
    } catch {
      return null;
    }
  }

  private readSecrets(): Record<string, string> {
    const all = this.loadSecrets();
    if (all === null) throw new AppError('connections.secrets_damaged', 'The stored connection secrets are damaged. Open Settings → Connections and enter the secrets of your connections again.');
    return all;
  }

  /** For a change: a damaged file is set aside (kept for inspection, never read again) and a new one started. */
  private readSecretsForWrite(): Record<string, string> {
    const all = this.loadSecrets();
    if (all !== null) return all;
    renameSync(this.file, `${this.file}.damaged-${Date.now()}`);
    return {};
  }

  private writeSecrets(all: Record<string, string>): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 1), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private secretsOf(id: string, all: Record<string, string> = this.readSecrets()): Record<string, string> {
    const sealed = Object.prototype.hasOwnProperty.call(all, id) ? all[id] : undefined;
    if (!sealed) return {};
    return this.secretsOfSealed(id, sealed);
  }

  private secretsOfSealed(id: string, sealed: string): Record<string, string> {
    return JSON.parse(this.sealer.openText(Buffer.from(sealed, 'base64'), `connection:${id}`)) as Record<string, string>;
  }

  private toStored(r: Row, sealedAll: Record<string, string> | null = this.loadSecrets()): StoredConnection {
    const c = JSON.parse(r.connection) as { baseUrl: string; credentials: Record<string, unknown> };
    let set: string[] = [];
    // A damaged secrets file: every connection's secrets are to be entered again.
    let unreadable = sealedAll === null;
    if (sealedAll && Object.prototype.hasOwnProperty.call(sealedAll, r.id)) {
      try {
        set = Object.keys(this.secretsOfSealed(r.id, sealedAll[r.id]!));
      } catch {
        // Another key (copied data folder, keyring reset) or a damaged file: shown as "enter again".
        unreadable = true;
      }
    }
    return { id: r.id, name: r.name, provider: r.provider, baseUrl: c.baseUrl, credentials: c.credentials, secretsSet: set, secretsUnreadable: unreadable, updatedAt: r.updated_at };
  }

  list(): StoredConnection[] {
    const sealed = this.loadSecrets();
    return (this.db.prepare(`SELECT ${COLUMNS} FROM connections ORDER BY provider, name`).all() as Row[]).map((r) => this.toStored(r, sealed));
  }

  get(id: string): StoredConnection {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM connections WHERE id = ?`).get(id) as Row | undefined;
    if (!r) throw new AppError('not_found', 'This connection no longer exists.');
    return this.toStored(r);
  }

  /**
   * Saves a connection. Secret fields left empty keep the stored value (the form never shows
   * them). Where secrets cannot be sealed by the OS (safeStorage missing or plain text) a
   * connection with a secret is refused before anything is written.
   */
  /** `keep`: the stored secrets an edit may keep when left out (default all; the form passes those it shows). */
  save(input: { id?: string; name: string; connection: unknown; keep?: readonly string[] }): StoredConnection {
    const name = input.name.trim();
    if (input.id !== undefined) this.get(input.id); // an edit of a connection deleted meanwhile is refused
    const id = input.id ?? randomUUID();
    const stored = this.readSecretsForWrite();
    let keep: Record<string, string> = {};
    try {
      keep = input.id ? this.secretsOf(id, stored) : {};
    } catch {
      // sealed with another key: nothing to keep (the form asked for every secret again)
    }
    const raw = withSecrets(input.connection as Record<string, unknown>, Object.fromEntries(Object.entries(keep).filter(([path]) => !hasValue(input.connection, path) && (input.keep === undefined || input.keep.includes(path)))));
    let conn: Connection;
    try {
      conn = parseConnection(raw, `The ${name} connection`);
    } catch (e) {
      if (e instanceof ConnectionError) throw new AppError('bad_input', e.message);
      throw e;
    }
    const clash = this.db.prepare('SELECT id FROM connections WHERE provider = ? AND name = ? AND id != ?').get(conn.provider, name, id);
    if (clash) throw new AppError('conflict', `Another ${PROVIDER_NAMES[conn.provider]} connection is already named "${name}": choose another name.`);
    const { connection, secrets } = withoutSecrets(conn);
    const sealed = Object.keys(secrets).length > 0 ? this.sealSecrets(id, secrets) : null;
    const now = new Date().toISOString();
    this.db
      .prepare(`INSERT INTO connections (id, provider, name, connection, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, name = excluded.name, connection = excluded.connection, updated_at = excluded.updated_at`)
      .run(id, conn.provider, name, JSON.stringify(connection), now, now);
    const all = this.readSecretsForWrite();
    if (sealed) all[id] = sealed;
    else delete all[id];
    this.writeSecrets(all);
    return this.get(id);
  }

  /** Seals with the OS-held key, or refuses in the clerk's words (nothing written). */
  private sealSecrets(id: string, secrets: Record<string, string>): string {
    try {
      return this.sealer.seal(JSON.stringify(secrets), `connection:${id}`).toString('base64');
    } catch (e) {
      if (e instanceof AppError && e.code === 'crypto.no_secure_storage') throw new AppError('connections.no_secure_storage', SECRET_STORE_REFUSAL);
      throw e;
    }
  }

  /** Why secrets cannot be stored on this machine, or null when they can. */
  secretStoreProblem(): string | null {
    try {
      this.sealer.ready();
      return null;
    } catch (e) {
      if (e instanceof AppError && e.code === 'crypto.no_secure_storage') return SECRET_STORE_REFUSAL;
      return e instanceof AppError ? e.message : 'The key that protects stored secrets cannot be used.';
    }
  }

  /** Batches still being submitted with this connection (they need its secrets to finish). */
  inUse(id: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM outbox_batches WHERE connection_id = ? AND state != 'final'`).get(id) as { n: number }).n;
  }

  remove(id: string): void {
    const row = this.db.prepare('SELECT id, provider, name, connection, created_at, updated_at FROM connections WHERE id = ?').get(id) as (Row & { created_at: string }) | undefined;
    const all = this.loadSecrets();
    const sealed = all && Object.prototype.hasOwnProperty.call(all, id) ? all[id] : undefined;
    this.db.prepare('DELETE FROM connections WHERE id = ?').run(id);
    this.forgetSecrets(id);
    // Kept (secrets still sealed) for Undo while this process runs.
    if (row) this.trash.set(id, { row, sealed });
  }

  /** Undoes remove() while this process runs: the same id, settings and sealed secrets. */
  restore(id: string): StoredConnection {
    const t = this.trash.get(id);
    if (!t) throw new AppError('not_found', 'This connection can no longer be restored (Batchdesk was restarted since it was deleted). Add it again.');
    const clash = this.db.prepare('SELECT 1 FROM connections WHERE provider = ? AND name = ?').get(t.row.provider, t.row.name);
    if (clash) throw new AppError('conflict', `Another ${PROVIDER_NAMES[t.row.provider]} connection is now named "${t.row.name}": rename it first.`);
    this.db.prepare('INSERT INTO connections (id, provider, name, connection, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(t.row.id, t.row.provider, t.row.name, t.row.connection, t.row.created_at, t.row.updated_at);
    if (t.sealed) {
      const all = this.readSecretsForWrite();
      all[id] = t.sealed;
      this.writeSecrets(all);
    }
    this.trash.delete(id);
    return this.get(id);
  }

  /** Drops a connection's sealed secrets (deleted, or sealed with a key this machine no longer has). */
  forgetSecrets(id: string): void {
    const all = this.readSecretsForWrite();
    if (Object.prototype.hasOwnProperty.call(all, id)) {
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

  /**
   * A connection the form has not saved: typed secrets as given, a secret left empty taken from
   * stored connection `id` (when editing). Parsed like a saved one; nothing is written.
   */
  draft(id: string | null, connection: { provider: ProviderId; baseUrl: string; credentials: Record<string, unknown> }): Connection {
    let keep: Record<string, string> = {};
    try {
      keep = id !== null ? this.secretsOf(id) : {};
    } catch {
      // unreadable here: the form asked for every secret again
    }
    const raw = withSecrets(connection, Object.fromEntries(Object.entries(keep).filter(([path]) => !hasValue(connection, path))));
    try {
      return parseConnection(raw, 'The connection');
    } catch (e) {
      if (e instanceof ConnectionError) throw new AppError('bad_input', e.message);
      throw e;
    }
  }

  /** JSON of the chosen (default all) connections, without any secret. */
  exportJson(ids?: readonly string[]): string {
    const list = this.list().filter((c) => !ids || ids.includes(c.id));
    return JSON.stringify({ format: EXPORT_FORMAT, connections: list.map((c) => ({ name: c.name, provider: c.provider, baseUrl: c.baseUrl, credentials: c.credentials })) }, null, 2);
  }

  /**
   * Imports connections exported by exportJson (or connection.json files). Every entry is checked
   * before anything is written (all or nothing). Secret values in the input are ignored — they are
   * entered on this machine — and counted. An existing connection is never overwritten: one
   * identical to a stored one is skipped, one that differs is added under a new name (a file must
   * not redirect a stored secret to another address).
   */
  importJson(text: string): { connections: StoredConnection[]; secretsIgnored: number } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppError('bad_input', 'The file is not JSON: choose a file exported from Batchdesk\'s connection settings.');
    }
    const list = (parsed as { connections?: unknown } | null)?.connections;
    const items = Array.isArray(list) ? list : parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'provider' in parsed ? [parsed] : null;
    if (!items) throw new AppError('bad_input', 'The file holds no connections: choose a file exported from Batchdesk\'s connection settings, or a connection.json.');
    if (items.length > 1000) throw new AppError('bad_input', `The file lists ${items.length} connections; at most 1,000 can be imported at once.`);
    let secretsIgnored = 0;
    const clean = items.map((item, i) => {
      const where = `Connection ${i + 1} in the file`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new AppError('bad_input', `${where} is not a connection object.`);
      const o = item as Record<string, unknown>;
      const provider = o.provider;
      if (typeof provider !== 'string' || !Object.prototype.hasOwnProperty.call(SECRET_FIELDS, provider)) throw new AppError('bad_input', `${where} has no known provider (wonder, epay, sibs, jpmmps or hypercard).`);
      const p = provider as ProviderId;
      if (typeof o.baseUrl !== 'string' || !isHttp(o.baseUrl)) throw new AppError('bad_input', `${where} (${p}): the base URL must be an http(s) address.`);
      const rawName = typeof o.name === 'string' ? o.name.trim() : '';
      if (rawName.length > 100) throw new AppError('bad_input', `${where} (${p}): the name can be at most 100 characters.`);
      const creds = o.credentials === undefined ? {} : o.credentials;
      if (creds === null || typeof creds !== 'object' || Array.isArray(creds)) throw new AppError('bad_input', `${where} (${p}): "credentials" must be an object.`);
      for (const path of SECRET_FIELDS[p]) if (hasValue({ credentials: creds }, path)) secretsIgnored++;
      return { provider: p, name: rawName || `${p} (imported)`, baseUrl: o.baseUrl.trim().replace(/\/+$/, ''), credentials: importableCredentials(p, creds as Record<string, unknown>) };
    });
    const now = new Date().toISOString();
    const ids: string[] = [];
    this.db.transaction(() => {
      for (const c of clean) {
        const json = JSON.stringify({ provider: c.provider, baseUrl: c.baseUrl, credentials: c.credentials });
        const same = this.db.prepare('SELECT id, connection FROM connections WHERE provider = ? AND name = ?').get(c.provider, c.name) as { id: string; connection: string } | undefined;
        if (same && same.connection === json) {
          ids.push(same.id);
          continue;
        }
        let name = c.name;
        for (let n = 2; this.db.prepare('SELECT 1 FROM connections WHERE provider = ? AND name = ?').get(c.provider, name); n++) name = `${c.name} (${n})`;
        const id = randomUUID();
        this.db.prepare('INSERT INTO connections (id, provider, name, connection, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, c.provider, name, json, now, now);
        ids.push(id);
      }
    })();
    return { connections: ids.map((id) => this.get(id)), secretsIgnored };
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

export const SECRET_STORE_REFUSAL =
  "Batchdesk cannot keep passwords and keys safe on this computer: the operating system's credential store is not available, or would keep them as plain text anyone could read (on Linux: no GNOME Keyring or KWallet is running). Nothing was saved. Unlock or install a keyring and restart Batchdesk. The built-in sandbox needs no secrets and works as it is.";

function isHttp(v: string): boolean {
  try {
    const u = new URL(v.trim());
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The non-secret credential values an import keeps: strings (and the few known options) of known fields only. */
const IMPORTABLE: { [K in ProviderId]: readonly string[] } = {
  epay: [],
  sibs: ['clientId', 'terminalId', 'channel'],
  jpmmps: ['userId', 'programAccno', 'accno', 'accnoType', 'contract', 'origin'],
  wonder: ['appId', 'upload.s3.endpoint', 'upload.s3.region', 'upload.s3.bucket', 'upload.s3.accessKeyId', 'upload.fileUrl'],
  hypercard: [],
};

function importableCredentials(p: ProviderId, creds: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of IMPORTABLE[p]) {
    let cur: unknown = creds;
    for (const k of path.split('.')) cur = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[k] : undefined;
    if (typeof cur !== 'string' || cur.length > 2048) continue;
    const parts = path.split('.');
    let at = out;
    for (const k of parts.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]!] = cur;
  }
  const s3 = (creds.upload as { s3?: { forcePathStyle?: unknown } } | undefined)?.s3;
  if (typeof s3?.forcePathStyle === 'boolean' && (out.upload as { s3?: Record<string, unknown> } | undefined)?.s3) (out.upload as { s3: Record<string, unknown> }).s3.forcePathStyle = s3.forcePathStyle;
  return out;
}

function hasValue(obj: unknown, path: string): boolean {
  let cur = (obj as { credentials?: unknown } | null)?.credentials;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === 'string' && cur !== '';
}
