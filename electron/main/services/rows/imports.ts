/**
 * Import tasks: preview a file, import it into a new batch or append it to one, cancel. One task
 * at a time per batch. Progress goes out as task.progress, the end as import.finished; the batch's
 * rows can be shown as soon as they are read and validated, and are durable when the task ends.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ImportFinished, ImportPreview, ImportPreviewInput, ImportStartInput, Settings } from '../../../../shared/contract';
import { isFormatError } from '../../../../shared/formats/errors';
import { getProfile } from '../../../../shared/formats/profiles';
import type { Cell, Issue, ProfileId } from '../../../../shared/formats/types';
import type { AuditLog } from '../audit';
import type { BatchService } from '../batches';
import type { Db } from '../db/database';
import type { Sealer } from '../crypto';
import { assertNotSubmitted } from './submitted';
import { AppError } from '../errors';
import { resolveFileRef, type UploadStore } from '../files/uploads';
import { assertMapped, buildPreview, compactCells, headersKey, mappingArray, mappingRecord, readFileTable, rowConverter, slotFor, storeSlots, type ReadFile } from './importer';
import type { Slot } from './slot';
import { fmt, type RowsService } from './service';
import type { BatchSession } from './session';

type In<T extends z.ZodType> = z.output<T>;

/** Put in place of a file row once it is converted (the file's rows are not read again). */
const RELEASED: Cell[] = [];

export interface ImportOutcome {
  batchId: string;
  rows: number;
  errors: number;
  warnings: number;
  /** File-level findings of the import (skipped title rows, decimal commas converted...). */
  issues: Issue[];
}

export interface ImportEvents {
  progress(p: { taskId: string; label: string; done: number; total: number | null }): void;
  finished(f: ImportFinished): void;
  /** The batch's rows can be shown (validated, not yet all durable). */
  ready(batchId: string, version: number): void;
  batchCreated(batchId: string): void;
}

/** The unit a batch stores and exports amounts in, and its default currency. */
export function batchDefaults(profile: ProfileId, settings: Settings): { amountUnit: 'major' | 'minor'; currency: string } {
  const p = getProfile(profile);
  const amountUnit = p.amount.unit === 'context' ? settings.wonderAmountUnit : p.amount.unit;
  return { amountUnit, currency: settings.wonderCurrency };
}

interface Task {
  id: string;
  batchId: string;
  cancelled: boolean;
  done: Promise<ImportOutcome>;
}

export class ImportService {
  private readonly tasks = new Map<string, Task>();
  /** The last file read by a preview, kept so that the import does not read it again. */
  private lastRead: ReadFile | null = null;

  constructor(
    private readonly db: Db,
    private readonly rows: RowsService,
    private readonly batches: BatchService,
    private readonly audit: AuditLog,
    private readonly sealer: Sealer,
    private readonly uploads: UploadStore,
    private readonly settings: () => Settings,
    private readonly events: ImportEvents,
  ) {}

  private async read(input: { file: In<typeof ImportPreviewInput>['file']; profile: ProfileId; sheet?: string | undefined; locale?: In<typeof ImportPreviewInput>['locale'] }, onProgress?: (d: number, t: number) => void): Promise<{ read: ReadFile; name: string }> {
    const { path, name } = resolveFileRef(input.file, this.uploads);
    const opts = { profile: input.profile, sheet: input.sheet, locale: input.locale, ...(onProgress ? { onProgress } : {}) };
    try {
      const cached = this.lastRead;
      if (cached && cached.path === path) {
        const { stat } = await import('node:fs/promises');
        const st = await stat(path).catch(() => null);
        if (st && cached.key === JSON.stringify([path, st.size, st.mtimeMs, input.profile, input.sheet ?? null, input.locale ?? null])) return { read: cached, name };
      }
      const read = await readFileTable(path, opts);
      this.lastRead = read;
      return { read, name };
    } catch (e) {
      if (isFormatError(e)) throw new AppError(e.code, e.message);
      throw e;
    }
  }

  async preview(input: In<typeof ImportPreviewInput>): Promise<ImportPreview> {
    const { read, name } = await this.read(input);
    const d = batchDefaults(input.profile, this.settings());
    return buildPreview(this.db, read, name, input.profile, input.mapping, d.currency, d.amountUnit, input.rows);
  }

  /** Starts an import and answers at once; the work goes on in the background. */
  start(input: In<typeof ImportStartInput>): { taskId: string; batchId: string } {
    const task = this.begin(input);
    task.done.catch(() => undefined); // reported through import.finished
    return { taskId: task.id, batchId: task.batchId };
  }

  /** The same import, awaited (the CLI). */
  async importNow(input: In<typeof ImportStartInput>): Promise<ImportOutcome> {
    return this.begin(input).done;
  }

  cancel(taskId: string): { cancelled: boolean } {
    const t = this.tasks.get(taskId);
    if (!t) return { cancelled: false };
    t.cancelled = true;
    return { cancelled: true };
  }

  private begin(input: In<typeof ImportStartInput>): Task {
    const profile = getProfile(input.profile);
    const settings = this.settings();
    let batchId: string;
    let session: BatchSession | null = null;
    let isNew: boolean;
    if (input.target.kind === 'append') {
      const s = this.rows.open(input.target.batchId);
      if (s.profile.id !== input.profile) throw new AppError('bad_input', `The batch "${s.name}" is a ${s.profile.provider} batch; choose the ${s.profile.provider} profile to add rows to it.`);
      s.assertEditable();
      assertNotSubmitted(this.db, s.id);
      session = s;
      batchId = s.id;
      isNew = false;
    } else {
      const d = batchDefaults(input.profile, settings);
      const currency = input.currency ?? d.currency;
      const b = this.batches.create({ name: input.target.name, profile: input.profile, amountUnit: d.amountUnit, currency, importingFrom: 0, quiet: true });
      batchId = b.id;
      isNew = true;
      this.events.batchCreated(batchId);
    }
    const taskId = randomUUID();
    const task: Task = { id: taskId, batchId, cancelled: false, done: Promise.resolve(null as never) };
    this.tasks.set(taskId, task);
    if (session) session.importing = taskId;
    task.done = this.run(task, input, profile.id, isNew, session).finally(() => {
      this.tasks.delete(taskId);
    });
    return task;
  }

  private async run(task: Task, input: In<typeof ImportStartInput>, profileId: ProfileId, isNew: boolean, existing: BatchSession | null): Promise<ImportOutcome> {
    const profile = getProfile(profileId);
    const progress = (label: string, done: number, total: number | null) => this.events.progress({ taskId: task.id, label, done, total });
    let session = existing;
    let base = 0;
    const fail = (outcome: 'failed' | 'cancelled', message: string, rows = 0) => {
      if (isNew) {
        this.rows.forget(task.batchId);
        this.batches.purge(task.batchId);
      } else if (session) {
        session.importing = null;
      }
      this.events.finished({ taskId: task.id, batchId: task.batchId, outcome, rows, errors: 0, warnings: 0, message });
    };
    try {
      progress('Reading the file', 0, null);
      const { read, name } = await this.read(input, (d, t) => progress('Reading the file', d, t));
      const mapping = mappingArray(profile, input.mapping, read.table.header.length);
      assertMapped(profile, mapping);
      const refusal = profile.columns.some((c, i) => c.sensitive && mapping[i] !== null) ? this.sealerRefuses() : null;
      if (refusal) throw refusal;
      const meta = this.rows.meta(task.batchId);
      progress('Checking rows', 0, read.table.rows.length);
      if (this.lastRead === read) this.lastRead = null; // its rows are converted in place from here on
      const converter = rowConverter(read.table, { profile, mapping, fileUnit: input.amountUnit, batchUnit: meta.amount_unit, currency: meta.currency });
      if (!session) session = this.rows.newSession(meta);
      session.importing = task.id;
      const last = session.order.length ? session.order[session.order.length - 1]!.position : 0;
      base = last + 1;
      if (!isNew) this.db.prepare('UPDATE batches SET importing_from = ? WHERE id = ?').run(base, task.batchId);
      const total = read.table.rows.length;
      const raw = read.table.rows;
      const slots: Slot[] = new Array(total);
      const lines = read.table.lines;
      const ready = session;
      this.rows.register(ready);
      // the first screen as soon as its rows are converted and checked; then the rest in steps
      // (yielding to the event loop), then duplicates and counts, then a second rows.changed
      await ready.adoptInSteps(
        slots,
        () => this.events.ready(task.batchId, ready.version),
        (from, to) => {
          for (let i = from; i < to; i++) {
            slots[i] = slotFor(compactCells(converter.convert(i)), i, last, lines?.[i]);
            raw[i] = RELEASED; // the parser's row is copied: let it (and, at the end, the file's text) go
          }
          progress('Checking rows', to, total);
        },
      );
      const converted = { issues: converter.issues() };
      ready.version++;
      this.events.ready(task.batchId, ready.version);
      progress('Saving rows', 0, slots.length);
      const stored = await storeSlots(this.db, session, slots, (done) => progress('Saving rows', done, slots.length), () => task.cancelled);
      if (!stored) {
        if (!isNew) {
          this.db.transaction(() => {
            this.db.prepare('DELETE FROM batch_rows WHERE batch_id = ? AND position >= ?').run(task.batchId, base);
            this.db.prepare('UPDATE batches SET importing_from = NULL WHERE id = ?').run(task.batchId);
          })();
          this.rows.forget(task.batchId);
        }
        fail('cancelled', 'The import was cancelled; no rows were added.');
        return { batchId: task.batchId, rows: 0, errors: 0, warnings: 0, issues: [] };
      }
      const outcome = { batchId: task.batchId, rows: slots.length, errors: session.counts.errors, warnings: session.counts.warnings, issues: converted.issues.concat(read.table.issues) };
      const batchName = session.name;
      this.db.transaction(() => {
        this.db.prepare('UPDATE batches SET importing_from = NULL, updated_at = ? WHERE id = ?').run(new Date().toISOString(), task.batchId);
        this.db
          .prepare('INSERT INTO import_mappings (profile, headers, mapping, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(profile, headers) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at')
          .run(profileId, headersKey(read.table.header), JSON.stringify(mappingRecord(profile, mapping)), new Date().toISOString());
        // Adding rows from another file is one undo step; a new batch's import is not (delete the batch).
        if (!isNew) session!.journalAppended(base);
        const verb = isNew ? 'Imported' : 'Added';
        const prep = isNew ? 'into' : 'to';
        this.audit.record(isNew ? 'batch.import' : 'batch.append', 'batch', task.batchId, {
          file: name,
          rows: outcome.rows,
          errors: outcome.errors,
          warnings: outcome.warnings,
          amountUnit: input.amountUnit,
          text: `${verb} ${name} ${prep} "${batchName}" — ${fmt(outcome.rows)} row${outcome.rows === 1 ? '' : 's'}, ${fmt(outcome.errors)} error${outcome.errors === 1 ? '' : 's'}`,
        });
      })();
      session.importing = null;
      session.viewEpoch++;
      this.events.finished({ taskId: task.id, batchId: task.batchId, outcome: 'done', rows: outcome.rows, errors: outcome.errors, warnings: outcome.warnings });
      return outcome;
    } catch (e) {
      const err = e instanceof AppError ? e : isFormatError(e) ? new AppError(e.code, e.message) : e;
      if (!isNew && base > 0) {
        try {
          this.db.transaction(() => {
            this.db.prepare('DELETE FROM batch_rows WHERE batch_id = ? AND position >= ?').run(task.batchId, base);
            this.db.prepare('UPDATE batches SET importing_from = NULL WHERE id = ?').run(task.batchId);
          })();
        } catch {
          // left for the next open: importing_from makes it remove these rows then
        }
        this.rows.forget(task.batchId);
      }
      fail('failed', err instanceof AppError ? err.message : 'The import failed. Details are in the log.');
      throw err;
    }
  }

  /** Card data cannot be sealed here (safeStorage on basic_text): a file with a card column mapped is refused up front. */
  private sealerRefuses(): AppError | null {
    try {
      this.sealer.ready();
      return null;
    } catch (e) {
      return e instanceof AppError ? e : new AppError('crypto.unavailable', String(e));
    }
  }
}
