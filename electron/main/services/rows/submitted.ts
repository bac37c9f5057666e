/**
 * A batch handed to the outbox is frozen: the outbox reads its rows (and the confirmation's token
 * hashes them), so the editor must not change them while it submits or after. One query on
 * outbox_batches' key, asked on every change, so a claim made by another process counts too.
 */
import type { Db } from '../db/database';
import { AppError } from '../errors';

/** Why the batch is read-only because of a submission, or null when it was never submitted. */
export function submittedReason(db: Db, batchId: string): string | null {
  const r = db.prepare('SELECT state FROM outbox_batches WHERE batch_id = ?').get(batchId) as { state: string } | undefined;
  if (!r) return null;
  return r.state === 'final'
    ? 'This batch was submitted and is complete: its rows can no longer be changed. To charge them again on purpose, export it and import the file as a new batch.'
    : 'This batch is being submitted: its rows cannot be changed while the provider processes them. Follow it in its status view.';
}

export function assertNotSubmitted(db: Db, batchId: string): void {
  const why = submittedReason(db, batchId);
  if (why) throw new AppError('conflict', why);
}
