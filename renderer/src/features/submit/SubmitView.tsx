import { useEffect, useRef, useState } from 'react';
import type { BatchSummary, SubmitStatus } from '../../../../shared/contract';
import { call } from '../../bridge';
import { PROFILE_LABELS } from '../../profiles';
import { ConfirmPanel } from './ConfirmPanel';
import { StatusPanel } from './StatusPanel';

interface Props {
  batch: BatchSummary;
  onBack(): void;
}

/** Submit a batch (confirmation first) or, once submitted, follow it to its final status. */
export function SubmitView({ batch, onBack }: Props) {
  const [status, setStatus] = useState<SubmitStatus | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    call('submit.status', { batchId: batch.id }).then(setStatus, (e: Error) => setError(e.message));
  }, [batch.id]);
  // Once submitted, focus goes to the heading of the status view (announced, Tab continues there).
  useEffect(() => {
    if (status) heading.current?.focus();
  }, [status]);

  return (
    <div className="submit-view" onKeyDown={(e) => e.key === 'Escape' && !e.defaultPrevented && status && onBack()}>
      <header className="editor-header">
        <div>
          <button type="button" className="link" onClick={onBack}>
            ← Back to the batch
          </button>
          <h1 tabIndex={-1} ref={heading}>
            {status ? 'Submission' : 'Submit'}: {batch.name} <span className="muted">· {PROFILE_LABELS[batch.profile]}</span>
          </h1>
        </div>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {status === null && <ConfirmPanel batchId={batch.id} onStarted={setStatus} onCancel={onBack} />}
      {status && <StatusPanel batchId={batch.id} initial={status} />}
    </div>
  );
}
