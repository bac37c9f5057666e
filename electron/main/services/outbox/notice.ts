/**
 * What the app tells the clerk when a submitted batch becomes final: one sentence for the in-app
 * notice and the desktop notification, and whether rows need review.
 */
import type { SubmitFinished } from '../../../../shared/contract/submissions';
import type { Db } from '../db/database';
import type { BatchReport } from './index';

export function batchNameOf(db: Db, batchId: string): string {
  return (db.prepare('SELECT name FROM batches WHERE id = ?').get(batchId) as { name: string } | undefined)?.name ?? batchId;
}

/** The notice's one sentence when a batch becomes final (or has rows needing review). */
export function finishedOf(name: string, r: BatchReport): SubmitFinished {
  const c = r.counts;
  const parts = [`${c.succeeded} succeeded`, `${c.failed} failed`];
  if (c.needs_review) parts.push(`${c.needs_review} need${c.needs_review === 1 ? 's' : ''} review`);
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  const review = c.needs_review > 0;
  // Rows still on their way are named too when the notice comes before the end (needs review early).
  const open = r.rows - c.succeeded - c.failed - c.needs_review - c.cancelled;
  if (!r.final && open > 0) parts.push(`${open} still in progress`);
  return {
    batchId: r.batchId,
    batchName: name,
    outcome: review ? 'needs_review' : 'final',
    final: r.final,
    sandbox: r.sandbox,
    text: `${r.sandbox ? 'Sandbox — nothing is charged. ' : ''}"${name}" ${review ? 'needs review' : 'is final'}: ${parts.join(', ')}.`,
  };
}
