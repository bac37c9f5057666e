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
import type { CHANNEL_NAME_LIST, EVENT_NAME_LIST } from './names';

export * from './schemas';
export * from './policy';
export { clerkError, fieldLabel, formatZodError, FIELD_LABELS } from './messages';

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
