/**
 * The Settings → Connections screen's side of the connection store: the form's flat values
 * (dotted keys, exactly connection.json's fields) to and from stored connections, secrets in
 * only, "Test connection" (a stored connection or the built-in sandbox), export and import.
 */
import {
  checkConnection,
  CONNECTION_FIELDS,
  fieldsFor,
  PROVIDER_NAMES,
  type ConnectionProvider,
  type ConnectionView,
  type ConnectionsList,
  type JpmmpsContract,
  type UploadKind,
} from '../../../../shared/contract/connections';
import type { AuditLog } from '../audit';
import { AppError } from '../errors';
import type { Sealer } from '../crypto';
import { getPath, type Connection } from './connection';
import type { ConnectionStore, StoredConnection } from './connections';
import { testConnection, type ConnectionTestResult } from './registry';

export interface ConnectionSaveArgs {
  id?: string | undefined;
  name: string;
  provider: ConnectionProvider;
  baseUrl: string;
  upload: UploadKind | null;
  contract?: JpmmpsContract | null;
  values: Record<string, string>;
}

function setPath(obj: Record<string, unknown>, path: string, value: string): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

function uploadOf(c: StoredConnection): UploadKind | null {
  if (c.provider !== 'wonder') return null;
  return getPath(c.credentials, 'upload.fileUrl') !== undefined ? 'fileUrl' : 's3';
}

function contractOf(provider: ConnectionProvider, credentials: unknown): JpmmpsContract | null {
  if (provider !== 'jpmmps') return null;
  return getPath(credentials, 'contract') === 'smartpay' ? 'smartpay' : 'kontocloud';
}

export function toView(c: StoredConnection): ConnectionView {
  const provider = c.provider;
  const values: Record<string, string> = {};
  for (const f of CONNECTION_FIELDS[provider]) {
    if (f.secret) continue;
    const v = getPath(c.credentials, f.key);
    if (typeof v === 'string') values[f.key] = v;
  }
  return { id: c.id, name: c.name, provider, baseUrl: c.baseUrl, upload: uploadOf(c), contract: contractOf(provider, c.credentials), values, secretsSet: c.secretsSet, secretsUnreadable: c.secretsUnreadable, updatedAt: c.updatedAt };
}

export class ConnectionSettings {
  constructor(
    private readonly store: ConnectionStore,
    private readonly sealer: Sealer,
    private readonly audit: AuditLog,
    /** The built-in sandbox's connection for a provider (started in-process on first use). */
    private readonly sandbox: (provider: ConnectionProvider) => Promise<Connection>,
  ) {}

  list(): ConnectionsList {
    const problem = this.store.secretStoreProblem();
    return {
      connections: this.store.list().map(toView),
      secretStore: { available: problem === null, description: this.sealer.keyDescription, problem },
    };
  }

  save(input: ConnectionSaveArgs): ConnectionView {
    const before = input.id !== undefined ? this.store.get(input.id) : null;
    if (before && before.provider !== input.provider) throw new AppError('bad_input', `This connection is for ${PROVIDER_NAMES[before.provider]}; create a new connection for ${PROVIDER_NAMES[input.provider]}.`);
    const { upload, contract, credentials } = this.credentialsOf(input, before);
    // Secrets sealed with another key cannot be kept; the check above had them all typed again.
    if (before?.secretsUnreadable) this.store.forgetSecrets(before.id);
    // Secrets of fields no longer shown (the other JPMMPS contract, the other Wonder upload) are dropped.
    const keep = fieldsFor(input.provider, upload, contract).filter((f) => f.secret).map((f) => f.key);
    const saved = this.store.save({ ...(input.id !== undefined ? { id: input.id } : {}), name: input.name, connection: { provider: input.provider, baseUrl: input.baseUrl.trim(), credentials }, keep });
    const typed = fieldsFor(input.provider, upload, contract).filter((f) => f.secret && (input.values[f.key] ?? '').trim() !== '').map((f) => f.label);
    this.audit.record(before ? 'connection.edit' : 'connection.create', 'connection', saved.id, {
      provider: saved.provider,
      name: saved.name,
      baseUrl: saved.baseUrl,
      text: `${before ? 'Changed' : 'Added'} the ${PROVIDER_NAMES[saved.provider]} connection "${saved.name}" (${saved.baseUrl})${typed.length ? `; new ${typed.join(', ')}` : ''}`,
    });
    return toView(saved);
  }

  /** The form's values checked (one message per field) and laid out as connection.json's credentials. */
  private credentialsOf(input: ConnectionSaveArgs, before: StoredConnection | null): { upload: UploadKind | null; contract: JpmmpsContract | null; credentials: Record<string, unknown> } {
    const upload = input.provider === 'wonder' ? (input.upload ?? 's3') : null;
    const contract = input.provider === 'jpmmps' ? (input.contract ?? 'kontocloud') : null;
    // A secret left out keeps the stored value only while it is still readable on this machine.
    const set = before && !before.secretsUnreadable ? before.secretsSet : [];
    const problems = checkConnection({ name: input.name, provider: input.provider, baseUrl: input.baseUrl, upload, contract, values: input.values }, set);
    if (problems.length > 0) throw new AppError('bad_input', problems.map((p) => p.message).join(' '));
    // Options the form does not show (SIBS channel, S3 path style...) stay as they were.
    const credentials = JSON.parse(JSON.stringify(before?.credentials ?? {})) as Record<string, unknown>;
    if (upload !== null && (before ? uploadOf(before) : null) !== upload) delete credentials.upload;
    for (const f of CONNECTION_FIELDS[input.provider]) if (!f.secret) deletePath(credentials, f.key);
    for (const f of fieldsFor(input.provider, upload, contract)) {
      const v = (input.values[f.key] ?? '').trim();
      if (v !== '') setPath(credentials, f.key, v);
    }
    if (contract === 'smartpay') credentials.contract = 'smartpay';
    else delete credentials.contract;
    return { upload, contract, credentials };
  }

  /**
   * "Test connection" on the form before saving: the typed values (secrets included; an empty
   * secret of the connection being edited uses the stored one). Nothing is stored or recorded.
   */
  async testDraft(input: ConnectionSaveArgs, signal?: AbortSignal): Promise<ConnectionTestResult> {
    const before = input.id !== undefined ? this.store.get(input.id) : null;
    if (before && before.provider !== input.provider) throw new AppError('bad_input', `That connection is for ${PROVIDER_NAMES[before.provider]}.`);
    const { credentials } = this.credentialsOf({ ...input, name: input.name.trim() === '' ? '(not saved)' : input.name }, before);
    let conn: Connection;
    try {
      conn = this.store.draft(before?.id ?? null, { provider: input.provider, baseUrl: input.baseUrl.trim(), credentials });
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    return testConnection(conn, signal);
  }

  delete(id: string): { deleted: boolean } {
    const c = this.store.get(id);
    const busy = this.store.inUse(id);
    if (busy > 0) throw new AppError('conflict', `"${c.name}" is used by ${busy} batch${busy === 1 ? '' : 'es'} still being submitted; it can be deleted once ${busy === 1 ? 'that batch is' : 'they are'} final.`);
    this.store.remove(id);
    this.audit.record('connection.delete', 'connection', id, { provider: c.provider, name: c.name, text: `Deleted the ${PROVIDER_NAMES[c.provider]} connection "${c.name}"` });
    return { deleted: true };
  }

  restore(id: string): ConnectionView {
    const c = this.store.restore(id);
    this.audit.record('connection.restore', 'connection', id, { provider: c.provider, name: c.name, text: `Restored the ${PROVIDER_NAMES[c.provider]} connection "${c.name}"` });
    return toView(c);
  }

  async test(id: string | null, provider: ConnectionProvider, signal?: AbortSignal): Promise<ConnectionTestResult> {
    if (id === null) {
      const r = await testConnection(await this.sandbox(provider), signal);
      return { ok: r.ok, message: r.ok ? `Built-in sandbox: ${r.message} Nothing is charged.` : r.message };
    }
    const c = this.store.get(id);
    if (c.provider !== provider) throw new AppError('bad_input', `That connection is for ${PROVIDER_NAMES[c.provider]}.`);
    const r = await this.store.test(id, signal);
    this.audit.record('connection.test', 'connection', id, { provider: c.provider, name: c.name, ok: r.ok, text: `Tested the connection "${c.name}": ${r.ok ? 'it works' : 'it failed'}` });
    return r;
  }

  exportJson(ids?: readonly string[]): { json: string; fileName: string; count: number } {
    for (const id of ids ?? []) this.store.get(id);
    const json = this.store.exportJson(ids);
    const count = (JSON.parse(json) as { connections: unknown[] }).connections.length;
    return { json, fileName: `batchdesk-connections-${new Date().toISOString().slice(0, 10)}.json`, count };
  }

  importJson(json: string): { imported: ConnectionView[]; secretsIgnored: number } {
    const r = this.store.importJson(json);
    this.audit.record('connection.import', 'connection', null, {
      count: r.connections.length,
      secretsIgnored: r.secretsIgnored,
      text: `Imported ${r.connections.length} connection${r.connections.length === 1 ? '' : 's'}${r.secretsIgnored ? ` (${r.secretsIgnored} secret value${r.secretsIgnored === 1 ? '' : 's'} in the file left out)` : ''}`,
    });
    return { imported: r.connections.map(toView), secretsIgnored: r.secretsIgnored };
  }
}

function deletePath(obj: Record<string, unknown>, path: string): void {
  const parts = path.split('.');
  let cur: unknown = obj;
  for (const p of parts.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur !== null && typeof cur === 'object') delete (cur as Record<string, unknown>)[parts[parts.length - 1]!];
}
