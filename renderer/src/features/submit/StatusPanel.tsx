import { useCallback, useEffect, useRef, useState } from 'react';
import type { SubmitRowStatus, SubmitStatus } from '../../../../shared/contract';
import { bridge, call } from '../../bridge';
import { SandboxLabel } from './SandboxLabel';

export const STATUS_LABELS: Record<SubmitRowStatus, string> = {
  draft: 'Draft',
  queued: 'Queued',
  sending: 'Sending',
  accepted: 'Accepted',
  pending: 'Pending',
  succeeded: 'Succeeded',
  failed: 'Failed',
  needs_review: 'Needs review',
  cancelled: 'Cancelled',
};
/** Row outcomes per page: the whole batch is there page by page, however many rows it has. */
export const OUTCOMES_PAGE = 500;
const ORDER: SubmitRowStatus[] = ['queued', 'sending', 'accepted', 'pending', 'succeeded', 'failed', 'needs_review', 'cancelled'];

interface Props {
  batchId: string;
  initial: SubmitStatus;
}

/**
 * Where a submitted batch stands, live: a progress bar with pause/resume/cancel, counts and amounts
 * per status, and each row's outcome with the provider's reason (filter: needs review, failed…).
 * Refreshed on the batch's task.progress and submit.finished events.
 */
export function StatusPanel({ batchId, initial }: Props) {
  const [status, setStatus] = useState<SubmitStatus>(initial);
  const [only, setOnly] = useState<SubmitRowStatus | ''>('');
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = useRef<number | null>(null);

  const refresh = useCallback(async () => {
    try {
      const s = await call('submit.status', { batchId, offset, limit: OUTCOMES_PAGE, ...(only ? { only } : {}) });
      if (!s) return;
      setStatus(s);
      // Rows move between statuses while the batch is followed: a filtered page can empty out.
      if (s.items.length === 0 && offset > 0) setOffset(Math.max(0, Math.floor((s.itemsTotal - 1) / OUTCOMES_PAGE) * OUTCOMES_PAGE));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [batchId, only, offset]);

  useEffect(() => {
    const first = window.setTimeout(() => void refresh(), 0);
    const soon = () => {
      if (pending.current !== null) return;
      pending.current = window.setTimeout(() => {
        pending.current = null;
        void refresh();
      }, 250);
    };
    const offProgress = bridge().on('task.progress', (p) => p.taskId === `submit:${batchId}` && soon());
    const offFinished = bridge().on('submit.finished', (f) => f.batchId === batchId && soon());
    // Status reads are spaced by the provider's limits (ePay: 12 s): a slow refresh catches quiet spells.
    const timer = window.setInterval(soon, 3000);
    return () => {
      offProgress();
      offFinished();
      window.clearInterval(timer);
      window.clearTimeout(first);
      if (pending.current !== null) window.clearTimeout(pending.current);
      pending.current = null;
    };
  }, [batchId, refresh]);

  async function control(what: 'submit.pause' | 'submit.resume' | 'submit.cancel') {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setStatus(await call(what, { batchId }));
      void refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const s = status;
  const stateText = s.final ? (s.counts.needs_review > 0 ? 'Final — some rows need review' : 'Final') : s.state === 'paused' ? 'Paused' : s.state === 'cancelled' ? 'Cancelled — following rows already sent' : 'Submitting';
  return (
    <section className="panel submit-status" aria-labelledby="status-title">
      <h2 id="status-title">
        Status: <span className="batch-state">{stateText}</span>
      </h2>
      <p>
        <SandboxLabel sandbox={s.sandbox} /> <span className="muted">· {s.connectionName}</span>
      </p>
      <div className="progress-line">
        <progress max={Math.max(1, s.rows)} value={s.done} aria-label={`Rows final: ${s.done} of ${s.rows}`} />
        <span>
          {s.done.toLocaleString()} of {s.rows.toLocaleString()} rows final
        </span>
      </div>
      {s.note && <p className="notice">{s.note}</p>}
      {!s.final && (
        <div className="toolbar" role="toolbar" aria-label="Submission controls">
          {s.state === 'paused' ? (
            <button type="button" onClick={() => void control('submit.resume')} aria-disabled={busy}>
              Resume
            </button>
          ) : (
            <button type="button" className="secondary" onClick={() => void control('submit.pause')} aria-disabled={busy || s.state !== 'running'}>
              Pause
            </button>
          )}
          <button type="button" className="secondary" onClick={() => void control('submit.cancel')} aria-disabled={busy || s.state === 'cancelled'} title="Rows not yet sent are not sent; rows already sent are followed to final">
            Cancel rows not yet sent
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="grid money status-counts">
        <caption>Per status{s.sandbox ? ' — sandbox, nothing is charged' : ''}</caption>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Rows</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          {ORDER.filter((k) => s.counts[k] > 0).map((k) => (
            <tr key={k} data-status={k}>
              <td>{STATUS_LABELS[k]}</td>
              <td>{s.counts[k].toLocaleString()}</td>
              <td>
                {s.amounts
                  .filter((a) => a.status === k)
                  .map((a) => a.text)
                  .join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="rows-head">
        <h3 id="outcomes-title">Row outcomes</h3>
        <label>
          <span>Show</span>
          <select
            name="status-filter"
            value={only}
            onChange={(e) => {
              setOnly(e.target.value as SubmitRowStatus | '');
              setOffset(0);
            }}
          >
            <option value="">All rows</option>
            {ORDER.map((k) => (
              <option key={k} value={k}>
                {STATUS_LABELS[k]} ({s.counts[k]})
              </option>
            ))}
          </select>
        </label>
      </div>
      <table className="grid outcomes" aria-labelledby="outcomes-title">
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Status</th>
            <th scope="col">Amount</th>
            <th scope="col">Provider reference</th>
            <th scope="col">Reason / what is known</th>
          </tr>
        </thead>
        <tbody>
          {s.items.map((i) => (
            <tr key={i.rowId} data-status={i.status}>
              <td>{i.row}</td>
              <td>{STATUS_LABELS[i.status]}</td>
              <td>{i.amount}</td>
              <td>{i.providerRef ?? '—'}</td>
              <td>{i.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.itemsTotal > OUTCOMES_PAGE && (
        <div className="toolbar outcomes-pager" role="toolbar" aria-label="Row outcome pages">
          {/* aria-disabled, not disabled: the last Next pressed keeps its focus instead of dropping it to <body> */}
          <button type="button" className="secondary" onClick={() => offset > 0 && setOffset(Math.max(0, offset - OUTCOMES_PAGE))} aria-disabled={offset === 0}>
            ← Previous {OUTCOMES_PAGE}
          </button>
          <span aria-live="polite">
            Rows {s.items.length === 0 ? 0 : (offset + 1).toLocaleString()}–{(offset + s.items.length).toLocaleString()} of {s.itemsTotal.toLocaleString()}
          </span>
          <button type="button" className="secondary" onClick={() => offset + OUTCOMES_PAGE < s.itemsTotal && setOffset(offset + OUTCOMES_PAGE)} aria-disabled={offset + OUTCOMES_PAGE >= s.itemsTotal}>
            Next {OUTCOMES_PAGE} →
          </button>
        </div>
      )}
    </section>
  );
}
