/**
 * The one typed main <-> renderer contract. Every call is a named channel with a zod input and
 * output schema; every push from main is a typed event. Main implements a `Handlers` map (a
 * missing channel fails tsc), the preload exposes exactly these names, and the browser harness
 * serves the same map over loopback HTTP.
 */
import { z } from 'zod';
import {
  AppInfoSchema,
  AuditEntrySchema,
  BatchRefInput,
  BatchSummarySchema,
  CheckFileInput,
  CheckFileResultSchema,
  ChooseFileResultSchema,
  CreateBatchInput,
  Empty,
  HistoryInput,
  ListBatchesInput,
  RenameBatchInput,
  SettingsPatchSchema,
  SettingsSchema,
} from './schemas';
import { PolicyViewSchema } from './policy';

export * from './schemas';
export * from './policy';
export { clerkError, fieldLabel, formatZodError, FIELD_LABELS } from './messages';
import {
  ApplyFixInput,
  BatchExportInput,
  BatchExportSchema,
  BatchOnlyInput,
  BatchTotalsSchema,
  CancelResultSchema,
  EditResultSchema,
  FindInput,
  FindSchema,
  FindingsInput,
  FindingsSchema,
  ImportFinishedSchema,
  ImportPreviewInput,
  ImportPreviewSchema,
  ImportStartedSchema,
  ImportStartInput,
  NextErrorInput,
  NextErrorSchema,
  ReplaceInput,
  RevealInput,
  RevealSchema,
  RowsChangedSchema,
  RowsDeleteInput,
  RowsEditInput,
  RowsInsertInput,
  RowsPasteInput,
  RowsWindowInput,
  RowsWindowSchema,
  TaskRefInput,
} from './rows';
import {
  ConnectionRefInput,
  ConnectionSaveInput,
  ConnectionsExportInput,
  ConnectionsExportSchema,
  ConnectionsImportInput,
  ConnectionsImportSchema,
  ConnectionsListSchema,
  ConnectionTestInput,
  ConnectionTestSchema,
  ConnectionViewSchema,
} from './connections';
import type { CHANNEL_NAME_LIST, EVENT_NAME_LIST } from './names';
import {
  SubmitConnectionSchema,
  SubmitConnectionsInput,
  SubmitFinishedSchema,
  SubmitPreviewInput,
  SubmitPreviewSchema,
  SubmitStartInput,
  SubmitStatusInput,
  SubmitStatusSchema,
} from './submissions';

export * from './schemas';
export * from './rows';
export * from './connections';
export * from './submissions';

function channel<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const channels = {
  'app.info': channel(Empty, AppInfoSchema),
  'batches.list': channel(ListBatchesInput, z.array(BatchSummarySchema)),
  'batches.create': channel(CreateBatchInput, BatchSummarySchema),
  'batches.rename': channel(RenameBatchInput, BatchSummarySchema),
  'batches.delete': channel(BatchRefInput, BatchSummarySchema),
  'batches.restore': channel(BatchRefInput, BatchSummarySchema),
  'history.list': channel(HistoryInput, z.array(AuditEntrySchema)),
  /** Read and validate a CSV/XLSX file in a worker thread (progress as task.progress events). */
  'files.check': channel(CheckFileInput, CheckFileResultSchema),
  /** Desktop only: the native open dialog. Web mode answers `unavailable` (type the path instead). */
  'files.choose': channel(Empty, ChooseFileResultSchema),
  'settings.get': channel(Empty, SettingsSchema),
  'settings.set': channel(SettingsPatchSchema, SettingsSchema),
  /** The machine's managed policy: what is managed, by which source, and any problems in it. */
  'policy.get': channel(Empty, PolicyViewSchema),

  // --- Import into a batch (see ./rows.ts) ---------------------------------------------------
  /** Read a file's first rows: detected locale, headers, mapping (remembered for the same headers), the amount column read both ways. */
  'import.preview': channel(ImportPreviewInput, ImportPreviewSchema),
  /** Import a file into a new batch or append to one; returns at once, then task.progress and import.finished. */
  'import.start': channel(ImportStartInput, ImportStartedSchema),
  /** Stop a running import: rows stored so far are removed again (a new batch is deleted). */
  'import.cancel': channel(TaskRefInput, CancelResultSchema),

  // --- Rows of a batch: every change goes through the edit journal before it is answered -----
  /** A window of rows (sorted/filtered view), masked cells and their findings. */
  'rows.window': channel(RowsWindowInput, RowsWindowSchema),
  /** Cell changes as one undo step (typing, paste over cells, fill, replace). */
  'rows.edit': channel(RowsEditInput, EditResultSchema),
  /** New rows (empty or with cells), before a row or at the end. */
  'rows.insert': channel(RowsInsertInput, EditResultSchema),
  'rows.delete': channel(RowsDeleteInput, EditResultSchema),
  /** Tab-separated text (Excel, LibreOffice, Google Sheets) over cells, or appended as rows. */
  'rows.paste': channel(RowsPasteInput, EditResultSchema),
  /** Undo/redo the batch's last step; the history is in SQLite and survives a restart. */
  'rows.undo': channel(BatchOnlyInput, EditResultSchema),
  'rows.redo': channel(BatchOnlyInput, EditResultSchema),
  /** Findings grouped by rule and column with counts (no cap), and a page of one group's rows. */
  'rows.findings': channel(FindingsInput, FindingsSchema),
  /** The next/previous cell with an error in the view (F8 / Shift+F8). */
  'rows.nextError': channel(NextErrorInput, NextErrorSchema),
  /** Apply a finding's suggested fix to one cell or to every cell with the same finding. */
  'rows.applyFix': channel(ApplyFixInput, EditResultSchema),
  'rows.find': channel(FindInput, FindSchema),
  /** Replace matches (all, or the cells listed) as one undo step. */
  'rows.replace': channel(ReplaceInput, EditResultSchema),
  /** One full card number, on purpose; recorded in the history with the reason. */
  'rows.reveal': channel(RevealInput, RevealSchema),
  /** Rows, totals per currency, counts per action, errors, warnings. */
  'batches.summary': channel(BatchOnlyInput, BatchTotalsSchema),
  /** Export with the CLI's writers (amounts in canonical form); masked unless asked, and then says so. */
  'batches.export': channel(BatchExportInput, BatchExportSchema),

  // --- Provider connections (see ./connections.ts): secrets go in, never come back out --------
  'connections.list': channel(Empty, ConnectionsListSchema),
  /** Create or edit; secret fields left empty keep the stored value. Refused where secrets cannot be sealed by the OS. */
  'connections.save': channel(ConnectionSaveInput, ConnectionViewSchema),
  'connections.delete': channel(ConnectionRefInput, z.object({ deleted: z.boolean() })),
  /** Undo of a delete while the app runs (same id, settings and sealed secrets). */
  'connections.restore': channel(ConnectionRefInput, ConnectionViewSchema),
  /** A side-effect-free call to the provider (a stored connection, or the built-in sandbox). */
  'connections.test': channel(ConnectionTestInput, ConnectionTestSchema),
  /** JSON of the connections without any secret. */
  'connections.export': channel(ConnectionsExportInput, ConnectionsExportSchema),
  'connections.import': channel(ConnectionsImportInput, ConnectionsImportSchema),
  // --- Submitting through the outbox (see ./submissions.ts) -----------------------------------
  /** Connections a batch can go to: the built-in sandbox first (the default), then stored ones. */
  'submit.connections': channel(SubmitConnectionsInput, z.array(SubmitConnectionSchema)),
  /** What submitting would charge (refused for a batch with errors or already submitted). */
  'submit.preview': channel(SubmitPreviewInput, SubmitPreviewSchema),
  /** Queue the batch with the preview's token; followed to final in the background (task.progress, submit.finished). */
  'submit.start': channel(SubmitStartInput, SubmitStatusSchema),
  /** Where a submitted batch stands; null when it was never submitted. */
  'submit.status': channel(SubmitStatusInput, SubmitStatusSchema.nullable()),
  'submit.pause': channel(BatchOnlyInput, SubmitStatusSchema),
  'submit.resume': channel(BatchOnlyInput, SubmitStatusSchema),
  /** Rows not yet sent are not sent; rows already sent are followed to final. */
  'submit.cancel': channel(BatchOnlyInput, SubmitStatusSchema),
} as const;

export const events = {
  /** Something changed the batch list (any window, any process path). */
  'batches.changed': z.object({ reason: z.enum(['created', 'renamed', 'deleted', 'restored']), id: z.string() }),
  /** Long work reports progress; `total` null when unknown. */
  'task.progress': z.object({
    taskId: z.string(),
    label: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().nullable(),
  }),
  'settings.changed': SettingsSchema,
  /** A batch's rows changed (any window): refetch the rows listed, or the window when `all`. */
  'rows.changed': RowsChangedSchema,
  /** An import ended: done, cancelled or failed. */
  'import.finished': ImportFinishedSchema,
  /** A submitted batch became final, or has rows that need review. */
  'submit.finished': SubmitFinishedSchema,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<K extends ChannelName> = z.input<Channels[K]['input']>;
export type ChannelArgs<K extends ChannelName> = z.output<Channels[K]['input']>;
export type ChannelOutput<K extends ChannelName> = z.output<Channels[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** Error codes a call can fail with. */
export type ErrorCode = 'bad_input' | 'not_found' | 'conflict' | 'forbidden' | 'unavailable' | 'internal' | 'unknown_channel';
export interface ContractError {
  code: ErrorCode | (string & {});
  message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** What the preload exposes as `window.batchdesk`, and what the HTTP bridge implements. */
export interface Bridge {
  invoke<K extends ChannelName>(name: K, input: ChannelInput<K>): Promise<Result<ChannelOutput<K>>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}

export { IPC_PREFIX, EVENT_PREFIX, CHANNEL_NAME_LIST, EVENT_NAME_LIST } from './names';

// The preload's name lists must be exactly the contract's keys: a drift fails tsc here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelNamesMatch: Same<(typeof CHANNEL_NAME_LIST)[number], ChannelName> = true;
const eventNamesMatch: Same<(typeof EVENT_NAME_LIST)[number], EventName> = true;
void channelNamesMatch;
void eventNamesMatch;
