import { useEffect, useRef, useState } from 'react';
import type { SubmitConnection, SubmitPreview, SubmitStatus } from '../../../../shared/contract';
import { call } from '../../bridge';
import { PROFILE_LABELS } from '../../profiles';
import { SandboxLabel } from './SandboxLabel';

interface Props {
  batchId: string;
  onStarted(s: SubmitStatus): void;
  onCancel(): void;
}

/**
 * What will be charged before anything is sent: rows, totals per currency, provider, connection.
 * The built-in sandbox is the default; a live connection is chosen on purpose and confirmed with
 * an extra tick. Submit is refused by main for a batch with errors or one already submitted.
 */
export function ConfirmPanel({ batchId, onStarted, onCancel }: Props) {
  const [connections, setConnections] = useState<SubmitConnection[] | null>(null);
  const [connectionId, setConnectionId] = useState<string | null>(null);
  const [preview, setPreview] = useState<SubmitPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [liveOk, setLiveOk] = useState(false);
  const [sending, setSending] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    call('submit.connections', { batchId }).then(setConnections, (e: Error) => setError(e.message));
  }, [batchId]);

  useEffect(() => {
    call('submit.preview', { batchId, connectionId }).then(setPreview, (e: Error) => setError(e.message));
  }, [batchId, connectionId]);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  /** Another connection: a new preview (its totals and token) before anything can be confirmed. */
  function choose(id: string | null) {
    setPreview(null);
    setLiveOk(false);
    setError(null);
    setConnectionId(id);
  }

  async function confirm() {
    if (!preview || sending || (!preview.sandbox && !liveOk)) return;
    setSending(true);
    setError(null);
    try {
      onStarted(await call('submit.start', { batchId, connectionId, token: preview.token }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  }

  const ready = preview !== null && (preview.sandbox || liveOk) && !sending;
  return (
    <section className="panel submit-confirm" aria-labelledby="confirm-title" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onCancel())}>
      <h2 id="confirm-title" ref={heading} tabIndex={-1}>
        Confirm what will be charged
      </h2>
      <form
        className="check-form"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <label>
          <span>Connection</span>
          <select name="submit-connection" value={connectionId ?? ''} onChange={(e) => choose(e.target.value === '' ? null : e.target.value)} disabled={!connections}>
            {(connections ?? [{ id: null, name: 'Built-in sandbox', sandbox: true, baseUrl: '', provider: 'epay' as const }]).map((c) => (
              <option key={c.id ?? ''} value={c.id ?? ''}>
                {c.sandbox ? 'Built-in sandbox — nothing is charged' : `${c.name} (live: ${c.baseUrl})`}
              </option>
            ))}
          </select>
        </label>
      </form>
      {preview && (
        <div className="confirm-summary">
          <p>
            <SandboxLabel sandbox={preview.sandbox} />
          </p>
          <dl className="facts">
            <dt>Batch</dt>
            <dd>{preview.batchName}</dd>
            <dt>Provider</dt>
            <dd>{PROFILE_LABELS[preview.provider]}</dd>
            <dt>Connection</dt>
            <dd>
              {preview.connectionName} <span className="muted">({preview.baseUrl})</span>
            </dd>
            <dt>Rows</dt>
            <dd>{preview.rows.toLocaleString()}</dd>
          </dl>
          <table className="grid money">
            <caption>
              Totals per currency{preview.sandbox ? ' — sandbox, nothing is charged' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Currency</th>
                <th scope="col">Rows</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {preview.totals.map((t) => (
                <tr key={t.currency}>
                  <td>{t.currency || 'subscription currency'}</td>
                  <td>{t.rows.toLocaleString()}</td>
                  <td>{t.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!preview.sandbox && (
            <label className="check">
              <input type="checkbox" name="submit-live-ok" checked={liveOk} onChange={(e) => setLiveOk(e.target.checked)} /> I understand this charges real cards through {preview.connectionName}
            </label>
          )}
        </div>
      )}
      {!preview && !error && <p className="muted">Checking the batch…</p>}
      {error && (
        <p className="error" role="alert" tabIndex={-1} ref={errorRef}>
          {error}
        </p>
      )}
      <div className="toolbar">
        <button type="button" onClick={() => void confirm()} aria-disabled={!ready}>
          {sending ? 'Submitting…' : preview ? `Submit ${preview.rows.toLocaleString()} row${preview.rows === 1 ? '' : 's'}${preview.sandbox ? ' to the sandbox' : ''}` : 'Submit'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Back to the batch
        </button>
      </div>
    </section>
  );
}
