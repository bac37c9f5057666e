/**
 * What the app tells the clerk when a submitted batch becomes final: one sentence for the in-app
 * notice and the desktop notification, and whether rows need review.
 */
import type { SubmitFinished } from '../../../../shared/contract/submissions';
import type { BatchReport } from './index';

/** The notice's one sentence when a batch becomes final (or has rows needing review). */
export function finishedOf(name: string, r: BatchReport): SubmitFinished {
  const c = r.counts;
  const parts = [`${c.succeeded} succeeded`, `${c.failed} failed`];
  if (c.needs_review) parts.push(`${c.needs_review} need${c.needs_review === 1 ? 's' : ''} review`);
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  const review = c.needs_review > 0;
  return {
    batchId: r.batchId,
    batchName: name,
    outcome: review ? 'needs_review' : 'final',
    sandbox: r.sandbox,
    text: `${r.sandbox ? 'Sandbox — nothing is charged. ' : ''}"${name}" ${review ? 'needs review' : 'is final'}: ${parts.join(', ')}.`,
  };
}
