import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { BatchSummary, ColumnMapping, EventPayload, FileRef, ImportPreview, LocaleOptions } from '../../../../shared/contract';
import type { ProfileId } from '../../../../shared/formats/types';
import { bridge, call } from '../../bridge';
import { fileRefFor } from './droppedFile';
import { ProfileSelect } from '../../ProfileSelect';
import { useSettings } from '../../stores/settings';

interface Props {
  /** Add the file's rows to this batch; null: a new batch. */
  appendTo: BatchSummary | null;
  onCancel(): void;
  onDone(batchId: string): void;
  /** A file dropped onto the window that opened the wizard: read at once. */
  initialFile?: File | null;
}

const DELIMITERS: [string, string][] = [
  [',', 'Comma'],
  [';', 'Semicolon'],
  ['\t', 'Tab'],
  ['|', 'Pipe'],
];

/**
 * Import a file into a batch: choose or drop it, see its first rows, check the column mapping
 * (auto-matched, remembered per set of headers), the locale, decide the amount unit once for the
 * whole column, then import with progress (cancellable) and open the grid.
 */
export function ImportWizard({ appendTo, onCancel, onDone, initialFile }: Props) {
  const info = useSettings((s) => s.info);
  const defaultProfile = useSettings((s) => s.settings?.defaultProfile ?? 'wonder');
  const [profile, setProfile] = useState<ProfileId>(appendTo?.profile ?? defaultProfile);
  const [file, setFile] = useState<FileRef | null>(null);
  const [path, setPath] = useState('');
  const [locale, setLocale] = useState<LocaleOptions>({});
  const [mapping, setMapping] = useState<ColumnMapping | undefined>(undefined);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [unit, setUnit] = useState<'major' | 'minor' | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [task, setTask] = useState<{ taskId: string; progress: EventPayload<'task.progress'> | null } | null>(null);
  const [dragging, setDragging] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const step2 = useRef<HTMLHeadingElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const web = info?.mode !== 'electron';

  useEffect(() => heading.current?.focus(), []);

  // Live preview: every change of file, provider, locale or mapping reads the first rows again.
  useEffect(() => {
    if (!file) return;
    let live = true;
    call('import.preview', { file, profile, locale, ...(mapping ? { mapping } : {}), rows: 12 }).then(
      (p) => {
        if (!live) return;
        setPreview(p);
        setError(null);
        setUnit((u) => u ?? p.amount.suggested);
        setName((n) => n || p.file.name.replace(/\.[^.]+$/, ''));
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [file, profile, locale, mapping]);

  const hadPreview = useRef(false);
  useEffect(() => {
    if (preview && !hadPreview.current) {
      hadPreview.current = true;
      step2.current?.focus();
    }
  }, [preview]);

  // A small file's import can end before import.start's answer arrives: its import.finished is
  // kept from the moment the wizard opens, so the end is never missed.
  const finished = useRef(new Map<string, EventPayload<'import.finished'>>());
  const [finishedCount, setFinishedCount] = useState(0);
  useEffect(
    () =>
      bridge().on('import.finished', (f) => {
        finished.current.set(f.taskId, f);
        setFinishedCount((n) => n + 1);
      }),
    [],
  );

  // Progress and the end of the import.
  useEffect(() => {
    if (!task) return;
    return bridge().on('task.progress', (p) => p.taskId === task.taskId && setTask((t) => (t ? { ...t, progress: p } : t)));
  }, [task]);
  useEffect(() => {
    if (!task) return;
    const f = finished.current.get(task.taskId);
    if (!f) return;
    finished.current.delete(task.taskId);
    setTask(null);
    if (f.outcome === 'done') onDone(f.batchId);
    else setError(f.message ?? (f.outcome === 'cancelled' ? 'The import was cancelled; nothing was kept.' : 'The import failed.'));
  }, [task, finishedCount, onDone]);

  function choose(ref: FileRef) {
    hadPreview.current = false;
    setPreview(null);
    setMapping(undefined);
    setUnit(null);
    setFile(ref);
  }

  async function upload(f: File) {
    setError(null);
    try {
      choose(await fileRefFor(f));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function chooseDesktop() {
    try {
      const r = await call('files.choose', {});
      if (r.path) choose({ kind: 'path', path: r.path });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  // A file dropped onto the window (the wizard opened for it, or was open): read it, once per drop.
  useEffect(() => {
    if (!initialFile) return;
    let live = true;
    fileRefFor(initialFile).then(
      (ref) => live && choose(ref),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [initialFile]);

  function onDrop(e: DragEvent) {
    e.preventDefault();
    e.stopPropagation(); // taken here: not again by the window's drop handler
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) void upload(f);
  }

  async function start() {
    if (!file || !preview || !unit || task) return;
    setError(null);
    try {
      const r = await call('import.start', {
        file,
        profile,
        locale,
        mapping: preview.mapping,
        amountUnit: unit,
        target: appendTo ? { kind: 'append', batchId: appendTo.id } : { kind: 'new', name },
      });
      setTask({ taskId: r.taskId, progress: null });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const amountCol = preview?.columns.find((c) => c.key === 'amount');
  const percent = task?.progress?.total ? Math.min(100, Math.floor((task.progress.done / task.progress.total) * 100)) : null;

  return (
    <section className="view import-wizard" aria-labelledby="import-title" onDragOver={(e) => (e.preventDefault(), setDragging(true))} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      <header className="view-header">
        <h1 id="import-title" ref={heading} tabIndex={-1}>
          {appendTo ? `Add rows from a file to "${appendTo.name}"` : 'Import a file into a new batch'}
        </h1>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </header>

      <div className={dragging ? 'drop-zone active' : 'drop-zone'}>
        <p>Drop a CSV or XLSX file here, or</p>
        {web ? (
          <label className="file-button">
            <span>Choose a file…</span>
            <input ref={picker} type="file" name="import-file" accept=".csv,.txt,.tsv,.xlsx,.dat,text/csv" onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])} />
          </label>
        ) : (
          <>
            <button type="button" onClick={() => void chooseDesktop()}>
              Choose a file…
            </button>
            <form
              className="check-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (path.trim()) choose({ kind: 'path', path });
              }}
            >
              <label className="grow">
                <span>or its full path</span>
                <input name="import-path" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
              </label>
              <button type="submit" className="secondary">
                Read
              </button>
            </form>
          </>
        )}
        {!appendTo && (
          <label>
            <span>Provider</span>
            <ProfileSelect name="import-profile" value={profile} onChange={setProfile} />
          </label>
        )}
      </div>

      <div aria-live="polite">
        {error && (
          <div className="error" role="alert">
            <span>{error}</span>
          </div>
        )}
      </div>

      {preview && (
        <>
          <h2 ref={step2} tabIndex={-1}>
            {preview.file.name}: {preview.totalRows.toLocaleString()} rows
            <span className="muted"> ({preview.mappingFrom === 'remembered' ? 'mapping remembered from last time' : preview.mappingFrom === 'auto' ? 'columns matched by name' : 'your mapping'})</span>
          </h2>
          {preview.detected.kind === 'csv' && (
            <fieldset className="check-form">
              <legend>How the file is written</legend>
              <label>
                <span>Encoding</span>
                <select name="import-encoding" value={locale.encoding ?? ''} onChange={(e) => setLocale({ ...locale, encoding: (e.target.value || undefined) as LocaleOptions['encoding'] })}>
                  <option value="">Detected ({preview.detected.encoding ?? '?'})</option>
                  <option value="utf-8">UTF-8</option>
                  <option value="utf-8-bom">UTF-8 with BOM</option>
                  <option value="utf-16le">UTF-16 LE</option>
                  <option value="utf-16be">UTF-16 BE</option>
                  <option value="windows-1252">Windows-1252</option>
                </select>
              </label>
              <label>
                <span>Delimiter</span>
                <select name="import-delimiter" value={locale.delimiter ?? ''} onChange={(e) => setLocale({ ...locale, delimiter: (e.target.value || undefined) as LocaleOptions['delimiter'] })}>
                  <option value="">Detected ({DELIMITERS.find((d) => d[0] === preview.detected.delimiter)?.[1] ?? '?'})</option>
                  {DELIMITERS.map(([v, l]) => (
                    <option key={l} value={v}>
                      {l}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span>Decimal mark</span>
                <select name="import-decimal" value={locale.decimalMark ?? ''} onChange={(e) => setLocale({ ...locale, decimalMark: (e.target.value || undefined) as LocaleOptions['decimalMark'] })}>
                  <option value="">Detected ({preview.detected.decimalMark ?? '.'})</option>
                  <option value=".">Point (129.90)</option>
                  <option value=",">Comma (129,90)</option>
                </select>
              </label>
            </fieldset>
          )}

          <fieldset className="mapping">
            <legend>Columns</legend>
            {preview.columns.map((c) => (
              <label key={c.key}>
                <span>
                  {c.label}
                  {c.required ? ' (required)' : ''}
                </span>
                <select
                  name={`map-${c.key}`}
                  value={c.source === null ? '' : String(c.source)}
                  aria-invalid={c.required && c.source === null}
                  onChange={(e) => setMapping({ ...preview.mapping, [c.key]: e.target.value === '' ? null : Number(e.target.value) })}
                >
                  <option value="">(not in the file)</option>
                  {preview.headers.map((h, i) => (
                    <option key={i} value={i}>
                      {h || `Column ${i + 1}`}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
          {preview.unknownColumns.length > 0 && <p className="muted">Not imported: {preview.unknownColumns.join(', ')}</p>}
          {preview.issues.length > 0 && (
            <ul className="file-issues">
              {preview.issues.map((i, n) => (
                <li key={n} className={i.severity === 'error' ? 'bad' : ''}>
                  {i.message}
                </li>
              ))}
            </ul>
          )}

          {amountCol && amountCol.source !== null && (
            <fieldset className="amount-unit">
              <legend>Are the amounts in major units (129.90) or minor units (12990)?</legend>
              <p className="muted">
                {preview.amount.reason.replace(/\.$/, '')}. Examples from the file: {preview.amount.samples.slice(0, 6).join(', ')}
              </p>
              {preview.amount.readings.map((r) => (
                <label key={r.unit} className="check">
                  <input type="radio" name="amount-unit" value={r.unit} checked={unit === r.unit} disabled={!preview.amount.choosable} onChange={() => setUnit(r.unit)} />
                  <span>
                    {r.unit === 'major' ? 'Major units (129.90 is one hundred twenty-nine ninety)' : 'Minor units (12990 is one hundred twenty-nine ninety)'} — totals:{' '}
                    {r.totals.map((t) => `${t.currency} ${t.text}`).join(', ') || 'none'}
                    {r.unreadable > 0 && <span className="bad"> · {r.unreadable.toLocaleString()} amounts cannot be read this way</span>}
                  </span>
                </label>
              ))}
            </fieldset>
          )}

          <div className="table-scroll" tabIndex={0} role="region" aria-label="First rows of the file">
            <table className="grid preview">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  {preview.headers.map((h, i) => (
                    <th key={i} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.sampleRows.map((r, n) => (
                  <tr key={n}>
                    <td>{preview.sampleLines[n]}</td>
                    {r.map((c, i) => (
                      <td key={i}>{c}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <form
            className="check-form"
            onSubmit={(e) => {
              e.preventDefault();
              void start();
            }}
          >
            {!appendTo && (
              <label className="grow">
                <span>Batch name</span>
                <input name="import-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
              </label>
            )}
            <button type="submit" aria-disabled={!!task}>
              {appendTo ? 'Add the rows' : 'Import'}
            </button>
          </form>
        </>
      )}

      {task && (
        <div className="progress" role="progressbar" aria-label="Importing" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent ?? undefined} aria-valuetext={`${task.progress?.label ?? 'Starting…'}${percent === null ? '' : `: ${percent}%`}`}>
          <span>
            {task.progress?.label ?? 'Starting…'} {percent !== null && <span className="muted">{percent}%</span>}
          </span>
          <span className="bar" aria-hidden="true">
            <span className={percent === null ? 'fill indeterminate' : 'fill'} style={percent === null ? undefined : { width: `${percent}%` }} />
          </span>
          <button type="button" className="secondary" onClick={() => void call('import.cancel', { taskId: task.taskId }).catch((e: Error) => setError(e.message))}>
            Cancel import
          </button>
        </div>
      )}
    </section>
  );
}
