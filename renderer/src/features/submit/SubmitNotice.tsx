import { useEffect, useState } from 'react';
import type { SubmitFinished } from '../../../../shared/contract';
import { bridge } from '../../bridge';

/**
 * The in-app notice when a submitted batch becomes final or needs review, from any screen. The live
 * region (a log: notices arrive one after another; the undo toast keeps the page's one status
 * region) is always in the page so its text is announced when it arrives.
 */
export function SubmitNotice({ onOpen }: { onOpen(batchId: string): void }) {
  const [notice, setNotice] = useState<SubmitFinished | null>(null);
  useEffect(() => bridge().on('submit.finished', setNotice), []);
  return (
    <div className={notice ? `submit-notice ${notice.outcome}` : 'toast-idle'} role="log" aria-live="polite" aria-label="Submission notices">
      {notice && (
        <>
          <span>{notice.text}</span>
          <button type="button" className="link" onClick={() => (onOpen(notice.batchId), setNotice(null))}>
            Open status
          </button>
          <button type="button" className="link" onClick={() => setNotice(null)} aria-label="Close submission notice">
            ×
          </button>
        </>
      )}
    </div>
  );
}
