/**
 * Submitting a batch from the app: the connections a batch can go to (the built-in sandbox first,
 * the default), the confirmation of what will be charged, the start, where a submitted batch stands,
 * pause/resume/cancel, and the event when a batch becomes final or needs review. Progress comes as
 * task.progress with taskId `submit:<batchId>`.
 */
import { z } from 'zod';
import { BatchIdSchema, ProfileIdSchema } from './schemas';

/** null = the built-in sandbox (nothing is charged). */
export const ConnectionIdSchema = z.string().min(1).max(100).nullable();

export const SubmitConnectionsInput = z.object({ batchId: BatchIdSchema }).strict();
export const SubmitConnectionSchema = z.object({
  id: ConnectionIdSchema,
  name: z.string(),
  provider: ProfileIdSchema,
  baseUrl: z.string(),
  sandbox: z.boolean(),
});
export type SubmitConnection = z.infer<typeof SubmitConnectionSchema>;

export const SubmitPreviewInput = z.object({ batchId: BatchIdSchema, connectionId: ConnectionIdSchema.default(null) }).strict();

export const MoneyTotalSchema = z.object({
  currency: z.string(),
  rows: z.number().int().nonnegative(),
  /** Integer minor units, as a decimal string. */
  minor: z.string(),
  /** ISO 4217 exponent used to format `text` (null when the currency is the subscription's, unknown here). */
  exponent: z.number().int().min(0).max(4).nullable(),
  /** e.g. `1,234.50 EUR`. */
  text: z.string(),
});
export type MoneyTotal = z.infer<typeof MoneyTotalSchema>;

export const SubmitPreviewSchema = z.object({
  batchId: BatchIdSchema,
  batchName: z.string(),
  provider: ProfileIdSchema,
  connectionId: ConnectionIdSchema,
  connectionName: z.string(),
  baseUrl: z.string(),
  sandbox: z.boolean(),
  rows: z.number().int().nonnegative(),
  totals: z.array(MoneyTotalSchema),
  /** Ties the confirmation to these rows and this connection: start refuses anything else. */
  token: z.string(),
});
export type SubmitPreview = z.infer<typeof SubmitPreviewSchema>;

export const SubmitStartInput = z.object({ batchId: BatchIdSchema, connectionId: ConnectionIdSchema.default(null), token: z.string().min(1).max(200) }).strict();

export const SubmitRowStatusSchema = z.enum(['draft', 'queued', 'sending', 'accepted', 'pending', 'succeeded', 'failed', 'needs_review', 'cancelled']);
export type SubmitRowStatus = z.infer<typeof SubmitRowStatusSchema>;

export const SubmitStatusInput = z
  .object({
    batchId: BatchIdSchema,
    /** Only rows with this status in `items` (e.g. needs_review). */
    only: SubmitRowStatusSchema.optional(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .strict();

export const SubmitItemSchema = z.object({
  /** Row number in the batch (1-based). */
  row: z.number().int().positive(),
  rowId: z.string(),
  status: SubmitRowStatusSchema,
  amount: z.string(),
  currency: z.string(),
  /** The provider's id for the charge, when it gave one. */
  providerRef: z.string().nullable(),
  /** The provider's reason (declines), or what is known (needs review). */
  reason: z.string().nullable(),
});
export type SubmitItem = z.infer<typeof SubmitItemSchema>;

export const SubmitStatusSchema = z.object({
  batchId: BatchIdSchema,
  batchName: z.string(),
  provider: z.string(),
  connectionName: z.string(),
  sandbox: z.boolean(),
  state: z.enum(['running', 'paused', 'cancelled', 'final']),
  final: z.boolean(),
  /** Why it waits or stopped (offline, paused, credentials refused), in clerk words. */
  note: z.string().nullable(),
  rows: z.number().int().nonnegative(),
  counts: z.record(SubmitRowStatusSchema, z.number().int().nonnegative()),
  amounts: z.array(z.object({ status: SubmitRowStatusSchema }).extend(MoneyTotalSchema.shape)),
  /** Rows done (final) of all rows. */
  done: z.number().int().nonnegative(),
  items: z.array(SubmitItemSchema),
  /** Rows matching `only` (all rows without it): page with offset/limit. */
  itemsTotal: z.number().int().nonnegative(),
});
export type SubmitStatus = z.infer<typeof SubmitStatusSchema>;

export const SubmitFinishedSchema = z.object({
  batchId: BatchIdSchema,
  batchName: z.string(),
  /** needs_review: some rows need review (this can come before the batch is final, once). */
  outcome: z.enum(['final', 'needs_review']),
  /** Every row final; false for the early needs-review notice while other rows are still followed. */
  final: z.boolean(),
  sandbox: z.boolean(),
  /** One sentence for the notice, e.g. `"March renewals" is final: 9 succeeded, 1 failed.` */
  text: z.string(),
});
export type SubmitFinished = z.infer<typeof SubmitFinishedSchema>;

export const SANDBOX_NOTICE = 'Sandbox — nothing is charged';
