import { AuditLog } from './audit';
import { BatchService } from './batches';
import { databaseFile } from './paths';
import { openDatabase, schemaVersion, type Db } from './db/database';
import { SettingsService } from './settings';
import { FileCheckService, type WorkerScript } from './files/check';
import type { EventName, EventPayload } from '../../../shared/contract';

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
  schemaVersion: number;
  close(): void;
}

export interface ServiceOptions {
  dataDir: string;
  mode: 'electron' | 'web';
  version: string;
  /** The file-check worker's script; without it `files.check` answers `unavailable`. */
  checkWorker?: WorkerScript;
}

export function createServices(opts: ServiceOptions): Services {
  const db = openDatabase(databaseFile(opts.dataDir));
  const audit = new AuditLog(db);
  return {
    db,
    dataDir: opts.dataDir,
    mode: opts.mode,
    version: opts.version,
    audit,
    batches: new BatchService(db, audit),
    settings: new SettingsService(db, audit),
    files: new FileCheckService(opts.checkWorker ?? null),
    schemaVersion: schemaVersion(db),
    close: () => db.close(),
  };
}
