import { AuditLog } from './audit';
import { BatchService } from './batches';
import { databaseFile } from './paths';
import { openDatabase, schemaVersion, type Db } from './db/database';
import { SettingsService } from './settings';
import { FileCheckService, type WorkerScript } from './files/check';
import type { EventName, EventPayload } from '../../../shared/contract';
import { NO_POLICY, type EffectivePolicy } from '../policy/load';
import { FileKeySource, Sealer, type KeySource } from './crypto';
import { UploadStore } from './files/uploads';
import { RowsService } from './rows/service';
import { ImportService } from './rows/imports';
import { SubmissionService } from './outbox/submissions';
import { ConnectionSettings } from './providers/connectionSettings';
import { batchNameOf, finishedOf } from './outbox/notice';

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
  /** Web mode's uploaded files (file refs of kind `upload`). */
  uploads: UploadStore;
  /** Seals card data (and other secrets) at rest with the key source's key. */
  sealer: Sealer;
  /** Open batches (main owns each: one writer) and their rows. */
  rows: RowsService;
  imports: ImportService;
  /** Submitting batches through the outbox, connections, the built-in sandbox. */
  submissions: SubmissionService;
  /** Settings → Connections: stored connections (secrets sealed, write-only), test, export/import. */
  connections: ConnectionSettings;
  /** Where services push events; the handler map connects it to the transport. */
  events: { emit: Emit };
  schemaVersion: number;
  /**
   * Closes without waiting: background submission runs are aborted but may still be writing, so
   * only where nothing can wait (tests that never submit). Everything else uses closeAsync.
   */
  close(): void;
  /** Stops the background submission runs, waits until they have stopped writing, then closes the database. */
  closeAsync(): Promise<void>;
}

export interface ServiceOptions {
  dataDir: string;
  mode: 'electron' | 'web';
  version: string;
  /** The file-check worker's script; without it `files.check` answers `unavailable`. */
  checkWorker?: WorkerScript;
  /** The managed policy (electron/main/policy); default: none. */
  policy?: EffectivePolicy;
  /** Where the card-data key comes from: safeStorage in the desktop app; default a 0600 key file in dataDir. */
  keySource?: KeySource;
}

export function createServices(opts: ServiceOptions): Services {
  const db = openDatabase(databaseFile(opts.dataDir));
  const audit = new AuditLog(db);
  const policy = opts.policy ?? NO_POLICY;
  if (policy.historyRetentionDays !== null) {
    const removed = audit.prune(policy.historyRetentionDays);
    if (removed > 0) audit.record('history.pruned', 'audit_log', null, { days: policy.historyRetentionDays, removed });
  }
  const uploads = new UploadStore();
  const events: { emit: Emit } = { emit: () => {} };
  const sealer = new Sealer(opts.keySource ?? new FileKeySource(opts.dataDir));
  const batches = new BatchService(db, audit);
  const settings = new SettingsService(db, audit, { values: policy.settings, sources: policy.settingSources });
  const rows = new RowsService(db, sealer, audit, (batchId, version, reason, rowIds, all) => events.emit('rows.changed', { batchId, version, reason, rowIds, all }));
  const imports = new ImportService(db, rows, batches, audit, sealer, uploads, () => settings.get(), {
    progress: (p) => events.emit('task.progress', p),
    finished: (f) => {
      events.emit('import.finished', f);
      events.emit('batches.changed', { reason: 'created', id: f.batchId });
    },
    ready: (batchId, version) => events.emit('rows.changed', { batchId, version, reason: 'import', rowIds: [], all: true }),
    batchCreated: (id) => events.emit('batches.changed', { reason: 'created', id }),
  });
  const submissions = new SubmissionService(db, sealer, opts.dataDir, {
    progress: (p) => events.emit('task.progress', p),
    final: (id, report) => {
      events.emit('batches.changed', { reason: 'renamed', id });
      events.emit('submit.finished', finishedOf(batchNameOf(db, id), report));
    },
    review: (id, report) => events.emit('submit.finished', finishedOf(batchNameOf(db, id), report)),
  });
  const connections = new ConnectionSettings(submissions.connections, sealer, audit, (p) => submissions.connectionFor(p, null));
  return {
    db,
    dataDir: opts.dataDir,
    mode: opts.mode,
    version: opts.version,
    audit,
    policy,
    batches,
    settings,
    files: new FileCheckService(opts.checkWorker ?? null),
    uploads,
    sealer,
    rows,
    imports,
    submissions,
    connections,
    events,
    schemaVersion: schemaVersion(db),
    close: () => {
      rows.closeSessions();
      uploads.clear();
      void submissions.close();
      db.close();
    },
    closeAsync: async () => {
      rows.closeSessions();
      uploads.clear();
      await submissions.close();
      db.close();
    },
  };
}
