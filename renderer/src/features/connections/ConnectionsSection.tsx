import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import { CONNECTION_PROVIDERS, PROVIDER_NAMES, SANDBOX_LABEL, type ConnectionProvider, type ConnectionView, type ConnectionsList } from '../../../../shared/contract';
import { call, CallError } from '../../bridge';
import { ConnectionForm } from './ConnectionForm';
import { useUndo } from '../../stores/undo';

type Editing = { kind: 'new' } | { kind: 'edit'; connection: ConnectionView } | null;
/** Key of a row: a stored connection's id, or `sandbox:<provider>` for the built-in one. */
type RowKey = string;

function message(e: unknown): string {
  return e instanceof CallError ? e.message : String(e);
}

/**
 * Settings → Connections: per provider the built-in sandbox (the default: nothing is charged) and
 * the stored connections, each with Test, Edit and Delete; Export/Import as JSON without secrets.
 */
export function ConnectionsSection() {
  const [list, setList] = useState<ConnectionsList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [tests, setTests] = useState<Record<RowKey, { running: boolean; ok?: boolean; message?: string }>>({});
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  // Where focus goes back to when the form closes.
  const returnFocus = useRef<string | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await call('connections.list', {}));
    } catch (e) {
      setError(message(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  function focusLater(selector: string) {
    requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus());
  }

  function openForm(next: Editing, from: string) {
    returnFocus.current = from;
    setStatus('');
    setEditing(next);
  }

  function closeForm() {
    setEditing(null);
    if (returnFocus.current) focusLater(returnFocus.current);
  }

  async function test(key: RowKey, id: string | null, provider: ConnectionProvider, label: string) {
    setTests((t) => ({ ...t, [key]: { running: true } }));
    setStatus(`Testing ${label}…`);
    try {
      const r = await call('connections.test', { id, provider });
      setTests((t) => ({ ...t, [key]: { running: false, ok: r.ok, message: r.message } }));
      setStatus(`${label}: ${r.ok ? 'works' : 'failed'}. ${r.message}`);
    } catch (e) {
      setTests((t) => ({ ...t, [key]: { running: false, ok: false, message: message(e) } }));
      setStatus(`${label}: ${message(e)}`);
    }
  }

  async function remove(c: ConnectionView) {
    try {
      await call('connections.delete', { id: c.id });
      setConfirmDelete(null);
      setStatus('');
      // Announced by the app's toast, with Undo (Ctrl+Z; F6 jumps to it).
      useUndo.getState().push({
        label: `Deleted the connection "${c.name}"`,
        undo: async () => {
          await call('connections.restore', { id: c.id });
          await load();
        },
      });
      await load();
      focusLater('#connections-title');
    } catch (e) {
      setError(message(e));
    }
  }

  async function exportAll() {
    try {
      const r = await call('connections.export', {});
      const url = URL.createObjectURL(new Blob([r.json], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = r.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus(`Exported ${r.count} connection${r.count === 1 ? '' : 's'} to ${r.fileName}, without any secret.`);
    } catch (e) {
      setError(message(e));
    }
  }

  async function importFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    try {
      const r = await call('connections.import', { json: await file.text() });
      const n = r.imported.length;
      const needing = r.imported.filter((c) => c.secretsSet.length === 0).length;
      setStatus(
        `Imported ${n} connection${n === 1 ? '' : 's'} from ${file.name}.` +
          (r.secretsIgnored ? ` ${r.secretsIgnored} secret value${r.secretsIgnored === 1 ? ' in the file was' : 's in the file were'} left out.` : '') +
          (needing ? ` Enter the secrets of ${needing === 1 ? 'it' : 'each'} (Edit) before use.` : ''),
      );
      await load();
    } catch (err) {
      setError(message(err));
    }
  }

  if (!list) {
    return (
      <section className="panel connections" aria-labelledby="connections-title">
        <h2 id="connections-title" tabIndex={-1}>
          Connections
        </h2>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    );
  }

  const byProvider = (p: ConnectionProvider) => list.connections.filter((c) => c.provider === p);
  return (
    <section className="panel connections" aria-labelledby="connections-title">
      <h2 id="connections-title" tabIndex={-1}>
        Connections
      </h2>
      <p>
        Where batches are submitted. The built-in sandbox is the default for every provider: <strong>{SANDBOX_LABEL}</strong>. A live connection is used only when you choose it when
        submitting. Secrets (keys, passwords, tokens) are kept with {list.secretStore.description} and are never shown again or exported.
      </p>
      {list.secretStore.problem && (
        <p className="warning" role="note">
          {list.secretStore.problem}
        </p>
      )}
      <div aria-live="polite">
        {error && (
          <p className="error" role="alert">
            {error}{' '}
            <button type="button" className="link" onClick={() => setError(null)} aria-label="Dismiss the error">
              ×
            </button>
          </p>
        )}
      </div>
      <div className="toolbar">
        <button type="button" id="connection-add" onClick={() => openForm({ kind: 'new' }, '#connection-add')} disabled={editing !== null}>
          Add connection…
        </button>
        <button type="button" id="connection-export" className="secondary" onClick={() => void exportAll()} disabled={list.connections.length === 0}>
          Export as JSON
        </button>
        <label className="file-import" htmlFor="connection-import">
          <span>Import connections (JSON)</span>
          <input ref={fileRef} id="connection-import" type="file" accept=".json,application/json" onChange={(e) => void importFile(e)} />
        </label>
      </div>
      {editing && (
        <ConnectionForm
          key={editing.kind === 'edit' ? editing.connection.id : 'new'}
          editing={editing.kind === 'edit' ? editing.connection : null}
          secretStoreProblem={list.secretStore.problem}
          onCancel={closeForm}
          onSaved={(saved) => {
            setEditing(null);
            setStatus(`Saved "${saved.name}".`);
            void load().then(() => focusLater(`#connection-edit-${saved.id}`));
          }}
        />
      )}
      <table className="grid connections-table" aria-label="Connections">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Connection</th>
            <th scope="col">Base URL</th>
            <th scope="col">Secrets</th>
            <th scope="col">Test</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {CONNECTION_PROVIDERS.flatMap((p) => [
            <tr key={`sandbox:${p}`} data-connection={`sandbox:${p}`}>
              <td>{PROVIDER_NAMES[p]}</td>
              <td>
                Built-in sandbox <span className="badge">{SANDBOX_LABEL}</span> <span className="muted">(default)</span>
              </td>
              <td className="muted">started in the app on 127.0.0.1</td>
              <td className="muted">published test credentials</td>
              <td>
                <TestResult t={tests[`sandbox:${p}`]} />
              </td>
              <td className="actions">
                <button type="button" className="link" disabled={tests[`sandbox:${p}`]?.running} onClick={() => void test(`sandbox:${p}`, null, p, `The ${PROVIDER_NAMES[p]} sandbox`)} aria-label={`Test connection: the ${PROVIDER_NAMES[p]} sandbox`}>
                  Test connection
                </button>
              </td>
            </tr>,
            ...byProvider(p).map((c) => (
              <tr key={c.id} data-connection={c.id}>
                <td>{PROVIDER_NAMES[p]}</td>
                <td className="connection-name">{c.name}</td>
                <td>
                  <code>{c.baseUrl}</code>
                </td>
                <td>{c.secretsUnreadable ? <span className="field-error">Cannot be read here: enter again</span> : c.secretsSet.length > 0 ? 'Set' : <span className="field-error">Not set: enter them (Edit)</span>}</td>
                <td>
                  <TestResult t={tests[c.id]} />
                </td>
                <td className="actions">
                  {confirmDelete === c.id ? (
                    <span role="group" aria-label={`Delete "${c.name}"?`}>
                      Delete “{c.name}”?{' '}
                      <button type="button" className="link danger" id={`connection-confirm-${c.id}`} onClick={() => void remove(c)}>
                        Delete
                      </button>
                      <button
                        type="button"
                        className="link"
                        onClick={() => {
                          setConfirmDelete(null);
                          focusLater(`#connection-delete-${c.id}`);
                        }}
                      >
                        Keep
                      </button>
                    </span>
                  ) : (
                    <>
                      <button type="button" className="link" disabled={tests[c.id]?.running} onClick={() => void test(c.id, c.id, p, `"${c.name}"`)} aria-label={`Test connection "${c.name}"`}>
                        Test connection
                      </button>
                      <button type="button" className="link" id={`connection-edit-${c.id}`} disabled={editing !== null} onClick={() => openForm({ kind: 'edit', connection: c }, `#connection-edit-${c.id}`)} aria-label={`Edit "${c.name}"`}>
                        Edit
                      </button>
                      <button
                        type="button"
                        className="link danger"
                        id={`connection-delete-${c.id}`}
                        onClick={() => {
                          setConfirmDelete(c.id);
                          focusLater(`#connection-confirm-${c.id}`);
                        }}
                        aria-label={`Delete "${c.name}"`}
                      >
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
      {/* Announced politely; not role=status, so the app's toast stays the one status region. */}
      <p className="sr-only" aria-live="polite">
        {status}
      </p>
      {status && (
        <p className="muted connection-status" aria-hidden="true">
          {status}
        </p>
      )}
    </section>
  );
}

function TestResult({ t }: { t: { running: boolean; ok?: boolean; message?: string } | undefined }) {
  if (!t) return <span className="muted">not tested</span>;
  if (t.running) return <span>Testing…</span>;
  return <span className={t.ok ? 'test-ok' : 'field-error'}>{t.ok ? `Works: ${t.message ?? ''}` : `Failed: ${t.message ?? ''}`}</span>;
}
