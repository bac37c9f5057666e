import { AuditLog } from './audit';
import { BatchService } from './batches';
import { databaseFile } from './paths';
import { openDatabase, schemaVersion, type Db } from './db/database';
import { SettingsService } from './settings';
import { FileCheckService, type WorkerScript } from './files/check';
import type { EventName, EventPayload } from '../../../shared/contract';
import { NO_POLICY, type EffectivePolicy } from '../policy/load';

export type Emit = <K extends EventName>(name: K, payload: EventPayload<K>) => void;

export interface Services {
  db: Db;
  dataDir: string;
  mode: 'electron' | 'web';
  version: string;
  audit: AuditLog;
  batches: BatchService;
  settings: SettingsService;
  files: FileCheckService;
  /** The machine's managed policy as loaded at start (NO_POLICY when none). */
  policy: EffectivePolicy;
  schemaVersion: number;
  close(): void;
}

export interface ServiceOptions {
  dataDir: string;
  mode: 'electron' | 'web';
  version: string;
  /** The file-check worker's script; without it `files.check` answers `unavailable`. */
  checkWorker?: WorkerScript;
  /** The managed policy (electron/main/policy); default: none. */
  policy?: EffectivePolicy;
}

export function createServices(opts: ServiceOptions): Services {
  const db = openDatabase(databaseFile(opts.dataDir));
  const audit = new AuditLog(db);
  const policy = opts.policy ?? NO_POLICY;
  if (policy.historyRetentionDays !== null) {
    const removed = audit.prune(policy.historyRetentionDays);
    if (removed > 0) audit.record('history.pruned', 'audit_log', null, { days: policy.historyRetentionDays, removed });
  }
  return {
    db,
    dataDir: opts.dataDir,
    mode: opts.mode,
    version: opts.version,
    audit,
    batches: new BatchService(db, audit),
    settings: new SettingsService(db, audit, { values: policy.settings, sources: policy.settingSources }),
    files: new FileCheckService(opts.checkWorker ?? null),
    policy,
    schemaVersion: schemaVersion(db),
    close: () => db.close(),
  };
}
