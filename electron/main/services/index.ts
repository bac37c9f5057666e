import { AuditLog } from './audit';
import { BatchService } from './batches';
import { databaseFile } from './paths';
import { openDatabase, schemaVersion, type Db } from './db/database';
import { SettingsService } from './settings';
import { FileCheckService, type WorkerScript } from './files/check';
import type { EventName, EventPayload } from '../../../shared/contract';
import { FileKeySource, Sealer, type KeySource } from './crypto';
import { UploadStore } from './files/uploads';

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
  /** Web mode's uploaded files (file refs of kind `upload`). */
  uploads: UploadStore;
  /** Seals card data (and other secrets) at rest with the key source's key. */
  sealer: Sealer;
  schemaVersion: number;
  close(): void;
}

export interface ServiceOptions {
  dataDir: string;
  mode: 'electron' | 'web';
  version: string;
  /** The file-check worker's script; without it `files.check` answers `unavailable`. */
  checkWorker?: WorkerScript;
  /** Where the card-data key comes from: safeStorage in the desktop app; default a 0600 key file in dataDir. */
  keySource?: KeySource;
}

export function createServices(opts: ServiceOptions): Services {
  const db = openDatabase(databaseFile(opts.dataDir));
  const audit = new AuditLog(db);
  const uploads = new UploadStore();
  return {
    db,
    dataDir: opts.dataDir,
    mode: opts.mode,
    version: opts.version,
    audit,
    batches: new BatchService(db, audit),
    settings: new SettingsService(db, audit),
    files: new FileCheckService(opts.checkWorker ?? null),
    uploads,
    sealer: new Sealer(opts.keySource ?? new FileKeySource(opts.dataDir)),
    schemaVersion: schemaVersion(db),
    close: () => {
      uploads.clear();
      db.close();
    },
  };
}
