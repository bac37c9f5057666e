import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  checkConnection,
  CONNECTION_PROVIDERS,
  fieldsFor,
  PROVIDER_NAMES,
  type ConnectionField,
  type ConnectionProvider,
  type ConnectionView,
  type FieldProblem,
  type JpmmpsContract,
  type UploadKind,
} from '../../../../shared/contract';
import { call, CallError } from '../../bridge';

interface Props {
  /** The connection being edited, or null for a new one. */
  editing: ConnectionView | null;
  /** Why secrets cannot be stored here (safeStorage on plain text), shown before Save. */
  secretStoreProblem: string | null;
  onSaved(saved: ConnectionView): void;
  onCancel(): void;
}

const fieldId = (key: string) => `conn-${key.replace(/\./g, '-')}`;

/**
 * One form per provider with exactly connection.json's fields. Secrets are write-only: a stored
 * one shows "Set" and a Replace button, never its value; an empty secret field keeps it.
 */
export function ConnectionForm({ editing, secretStoreProblem, onSaved, onCancel }: Props) {
  const [provider, setProvider] = useState<ConnectionProvider>(editing?.provider ?? 'epay');
  const [name, setName] = useState(editing?.name ?? '');
  const [baseUrl, setBaseUrl] = useState(editing?.baseUrl ?? '');
  const [upload, setUpload] = useState<UploadKind>(editing?.upload ?? 's3');
  const [contract, setContract] = useState<JpmmpsContract>(editing?.contract ?? 'kontocloud');
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...(editing?.values ?? {}) }));
  // Secrets the clerk chose to replace (their inputs are shown).
  const [replacing, setReplacing] = useState<Set<string>>(new Set());
  const [shown, setShown] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // "Test connection" with the values typed (nothing saved): running, then its result.
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<{ ok: boolean; message: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled])')?.focus();
  }, []);

  // Main's refusal (name taken, no secure store...) takes the focus, so it is read out and seen.
  useEffect(() => {
    if (error) formRef.current?.querySelector<HTMLElement>('.form-error')?.focus();
  }, [error]);

  const secretsSet = editing && !editing.secretsUnreadable ? editing.secretsSet : [];
  const uploadSent = provider === 'wonder' ? upload : null;
  const contractSent = provider === 'jpmmps' ? contract : null;
  const fields = fieldsFor(provider, uploadSent, contractSent);
  const draft = { name, provider, baseUrl, upload: uploadSent, contract: contractSent, values };
  const problems = checkConnection(draft, secretsSet);
  const problemOf = (field: string): FieldProblem | undefined => (shown ? problems.find((p) => p.field === field) : undefined);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setShown(true);
    setError(null);
    if (problems.length > 0) {
      formRef.current?.querySelector<HTMLElement>(`#${fieldId(problems[0]!.field)}`)?.focus();
      return;
    }
    setSaving(true);
    try {
      const saved = await call('connections.save', { ...(editing ? { id: editing.id } : {}), name, provider, baseUrl, upload: uploadSent, contract: contractSent, values: typedValues() });
      onSaved(saved);
    } catch (err) {
      setError(err instanceof CallError ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  function typedValues(): Record<string, string> {
    const sent: Record<string, string> = {};
    for (const f of fields) if ((values[f.key] ?? '') !== '') sent[f.key] = values[f.key]!;
    return sent;
  }

  // The name is not needed to try the settings; every other field is checked as for Save.
  async function onTest() {
    setTested(null);
    setError(null);
    const blocking = problems.filter((p) => p.field !== 'name');
    if (blocking.length > 0) {
      setShown(true);
      setTested({ ok: false, message: `Not tested: fix the ${blocking.length === 1 ? 'field' : `${blocking.length} fields`} marked first.` });
      formRef.current?.querySelector<HTMLElement>(`#${fieldId(blocking[0]!.field)}`)?.focus();
      return;
    }
    setTesting(true);
    try {
      const r = await call('connections.test', { id: editing?.id ?? null, provider, draft: { name, baseUrl, upload: uploadSent, contract: contractSent, values: typedValues() } });
      setTested({ ok: r.ok, message: r.ok ? `Works: ${r.message} Nothing was saved yet.` : `Failed: ${r.message} Nothing was saved.` });
    } catch (err) {
      setTested({ ok: false, message: `Failed: ${err instanceof CallError ? err.message : String(err)}` });
    } finally {
      setTesting(false);
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
  }

  const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

  function textField(f: ConnectionField) {
    const id = fieldId(f.key);
    const problem = problemOf(f.key);
    const common = {
      id,
      name: id,
      value: values[f.key] ?? '',
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': describedBy(problem && `${id}-error`, f.hint && `${id}-hint`, f.secret && secretsSet.includes(f.key) && `${id}-keep`),
      autoComplete: 'off',
      spellCheck: false,
      onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [f.key]: e.target.value })),
    };
    return (
      <label key={f.key} htmlFor={id}>
        <span>
          {f.label}
          {f.optional ? ' (optional)' : ''}
        </span>
        {f.kind === 'pem' ? <textarea {...common} rows={4} className="pem" /> : <input {...common} type={f.secret ? 'password' : f.kind === 'url' || f.kind === 'origin' ? 'url' : 'text'} />}
        {f.hint && (
          <small id={`${id}-hint`} className="muted">
            {f.hint}
          </small>
        )}
        {f.secret && secretsSet.includes(f.key) && (
          <small id={`${id}-keep`} className="muted">
            Leave empty to keep the stored value.
          </small>
        )}
        {problem && (
          <span id={`${id}-error`} className="field-error">
            {problem.message}
          </span>
        )}
      </label>
    );
  }

  function secretField(f: ConnectionField) {
    if (!secretsSet.includes(f.key) || replacing.has(f.key)) return textField(f);
    const id = fieldId(f.key);
    return (
      <div key={f.key} className="secret-set" role="group" aria-labelledby={`${id}-label`}>
        <span id={`${id}-label`} className="secret-label">
          {f.label}
        </span>
        <span>
          <span className="secret-state">Set</span> (never shown){' '}
          <button
            type="button"
            id={id}
            className="secondary small"
            aria-label={`Replace ${f.label}`}
            onClick={() => {
              setReplacing((r) => new Set(r).add(f.key));
              requestAnimationFrame(() => document.getElementById(id)?.focus());
            }}
          >
            Replace
          </button>
        </span>
      </div>
    );
  }

  const nameProblem = problemOf('name');
  const urlProblem = problemOf('baseUrl');
  return (
    <form ref={formRef} className="settings connection-form" onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate aria-labelledby="connection-form-title">
      <h3 id="connection-form-title">{editing ? `Edit "${editing.name}"` : 'New connection'}</h3>
      {editing?.secretsUnreadable && (
        <p className="warning" role="note">
          The stored secrets of this connection cannot be read on this computer (they were saved with another key). Enter them again.
        </p>
      )}
      {secretStoreProblem && (
        <p className="warning" role="note">
          {secretStoreProblem}
        </p>
      )}
      <label htmlFor="conn-provider">
        <span>Provider</span>
        <select id="conn-provider" name="conn-provider" value={provider} disabled={editing !== null} onChange={(e) => setProvider(e.target.value as ConnectionProvider)}>
          {CONNECTION_PROVIDERS.map((p) => (
            <option key={p} value={p}>
              {PROVIDER_NAMES[p]}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={fieldId('name')}>
        <span>Name</span>
        <input id={fieldId('name')} name="conn-name" value={name} maxLength={100} aria-invalid={nameProblem ? true : undefined} aria-describedby={nameProblem ? `${fieldId('name')}-error` : undefined} onChange={(e) => setName(e.target.value)} />
        {nameProblem && (
          <span id={`${fieldId('name')}-error`} className="field-error">
            {nameProblem.message}
          </span>
        )}
      </label>
      <label htmlFor={fieldId('baseUrl')}>
        <span>Base URL</span>
        <input id={fieldId('baseUrl')} name="conn-base-url" type="url" value={baseUrl} autoComplete="off" spellCheck={false} aria-invalid={urlProblem ? true : undefined} aria-describedby={urlProblem ? `${fieldId('baseUrl')}-error` : undefined} onChange={(e) => setBaseUrl(e.target.value)} />
        {urlProblem && (
          <span id={`${fieldId('baseUrl')}-error`} className="field-error">
            {urlProblem.message}
          </span>
        )}
      </label>
      {provider === 'wonder' && (
        <fieldset>
          <legend>Where Wonder fetches the batch file</legend>
          <label className="check">
            <input type="radio" name="conn-upload" value="s3" checked={upload === 's3'} onChange={() => setUpload('s3')} />
            An S3-compatible bucket (a presigned link that expires in 15 minutes)
          </label>
          <label className="check">
            <input type="radio" name="conn-upload" value="fileUrl" checked={upload === 'fileUrl'} onChange={() => setUpload('fileUrl')} />
            A file URL I supply
          </label>
        </fieldset>
      )}
      {provider === 'jpmmps' && (
        <fieldset>
          <legend>Which J.P. Morgan Mobility Payments API your contract names</legend>
          <label className="check">
            <input type="radio" name="conn-contract" value="kontocloud" checked={contract === 'kontocloud'} onChange={() => setContract('kontocloud')} />
            KontoCloud technical account (user ID and password)
          </label>
          <label className="check">
            <input type="radio" name="conn-contract" value="smartpay" checked={contract === 'smartpay'} onChange={() => setContract('smartpay')} />
            SmartPay (merchant key and origin)
          </label>
        </fieldset>
      )}
      {fields.map((f) => (f.secret ? secretField(f) : textField(f)))}
      <div aria-live="polite" aria-atomic="true" className="connection-form-test" data-testid="connection-form-test">
        {testing ? <p>Testing the settings typed above…</p> : tested && <p className={tested.ok ? 'test-ok' : 'field-error'}>{tested.message}</p>}
      </div>
      <div aria-live="assertive">
        {error && (
          <p className="error form-error" role="alert" tabIndex={-1}>
            {error}
          </p>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" disabled={saving} aria-disabled={saving}>
          {saving ? 'Saving…' : editing ? 'Save connection' : 'Add connection'}
        </button>
        <button type="button" className="secondary" disabled={testing} aria-disabled={testing} onClick={() => void onTest()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="secondary" onClick={onCancel} title="Cancel (Escape)">
          Cancel
        </button>
      </div>
    </form>
  );
}
