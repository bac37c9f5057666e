import { useEffect, useRef, type FormEvent } from 'react';
import type { CheckFileResult } from '../../../../shared/contract';
import { useCheck } from '../../stores/check';
import { useSettings } from '../../stores/settings';
import { ProfileSelect } from '../../ProfileSelect';

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

function describeSource(r: CheckFileResult): string {
  const s = r.source;
  if (s.kind === 'xlsx') return `XLSX, sheet "${s.sheet ?? '?'}"${s.sheets && s.sheets.length > 1 ? ` of ${s.sheets.length}` : ''}`;
  const parts = ['CSV', s.encoding?.toUpperCase(), s.delimiter ? `${DELIMITER_NAMES[s.delimiter] ?? s.delimiter}-separated` : undefined, s.decimalComma ? 'decimal commas' : undefined];
  return parts.filter(Boolean).join(', ');
}

/** The step under way, with a bar and a percentage once the step knows its size. */
function CheckProgress({ label, done, total }: { label: string; done: number; total: number | null }) {
  const percent = total !== null && total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : null;
  return (
    <div className="progress" role="progressbar" aria-label="Checking the file" aria-valuetext={percent === null ? label : `${label}: ${percent}%`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent ?? undefined}>
      <span>
        {label}
        {percent !== null && <span className="muted"> {percent}%</span>}
      </span>
      <span className="bar" aria-hidden="true">
        <span className={percent === null ? 'fill indeterminate' : 'fill'} style={percent === null ? undefined : { width: `${percent}%` }} />
      </span>
    </div>
  );
}

/**
 * Check a CSV/XLSX file against a provider's rules. The work runs in a worker thread in main; this
 * view only shows progress and the findings, so the window stays responsive on a million rows.
 */
export function FileCheckPanel() {
  const info = useSettings((s) => s.info);
  const defaultProfile = useSettings((s) => s.settings?.defaultProfile ?? 'wonder');
  const { path, profile: chosenProfile, sheet, running, progress, result, error, set, run, choose } = useCheck();
  const profile = chosenProfile ?? defaultProfile;
  const outcome = useRef<HTMLDivElement>(null);
  const started = useRef(false);

  // When a check started here ends, focus moves to its outcome (summary or error), not <body>.
  useEffect(() => {
    if (running || !started.current) return;
    started.current = false;
    outcome.current?.querySelector<HTMLElement>('.summary, [role="alert"]')?.focus();
  }, [running]);

  function onCheck(e: FormEvent) {
    e.preventDefault();
    if (running) return;
    started.current = true;
    void run(profile);
  }

  return (
    <section className="panel" aria-labelledby="check-title">
      <h2 id="check-title">Check a file</h2>
      <p className="muted">Reads a CSV or XLSX file and checks every row against the provider's rules. Nothing is imported or changed.</p>
      <form className="check-form" onSubmit={onCheck} aria-label="Check a file">
        <label className="grow">
          <span>File path</span>
          <input
            name="check-path"
            aria-invalid={!!error}
            aria-describedby={error ? 'check-error' : undefined}
            value={path} placeholder="/full/path/to/batch.csv" onChange={(e) => set({ path: e.target.value })} spellCheck={false} />
        </label>
        {info?.mode === 'electron' && (
          <button type="button" className="secondary" onClick={() => void choose()}>
            Choose…
          </button>
        )}
        <label>
          <span>Provider</span>
          <ProfileSelect name="check-profile" value={profile} onChange={(p) => set({ profile: p })} />
        </label>
        <label>
          <span>Sheet (XLSX)</span>
          <input name="check-sheet" value={sheet} placeholder="as opened" size={10} onChange={(e) => set({ sheet: e.target.value })} />
        </label>
        {/* aria-disabled, not disabled: a disabled button drops the focus to <body>. */}
        <button type="submit" aria-disabled={running}>
          {running ? 'Checking…' : 'Check file'}
        </button>
      </form>

      {running && <CheckProgress label={progress?.label ?? 'Starting…'} done={progress?.done ?? 0} total={progress?.total ?? null} />}
      {/* Present before any outcome arrives, so the outcome is announced. */}
      <div ref={outcome} aria-live="polite">
      {error && (
        <div className="error" role="alert" tabIndex={-1}>
          <span id="check-error">{error}</span>
        </div>
      )}
      {result && (
        <div className="check-result">
          <p className={result.errors ? 'summary bad' : 'summary good'} tabIndex={-1}>
            {result.rows.toLocaleString()} row{result.rows === 1 ? '' : 's'} · {result.errors.toLocaleString()} error{result.errors === 1 ? '' : 's'} · {result.warnings.toLocaleString()} warning
            {result.warnings === 1 ? '' : 's'} — {result.errors ? 'fix the errors before exporting' : 'ready to export'}
            <span className="muted"> ({describeSource(result)}, {(result.ms / 1000).toFixed(1)} s)</span>
          </p>
          {result.unknownColumns.length > 0 && <p className="muted">Ignored columns: {result.unknownColumns.join(', ')}</p>}
          {result.byRule.length > 1 && (
            <table className="grid issues" aria-label="Counts by rule">
              <caption className="muted">Counts by rule (exact, every finding)</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Count
                  </th>
                  <th scope="col">Severity</th>
                  <th scope="col">Example</th>
                  <th scope="col">Code</th>
                </tr>
              </thead>
              <tbody>
                {result.byRule.map((r) => (
                  <tr key={r.code} className={`severity-${r.severity}`}>
                    <td className="num">{r.count.toLocaleString()}</td>
                    <td>{r.severity}</td>
                    <td>{r.example}</td>
                    <td>
                      <code>{r.code}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.issues.length > 0 && (
            <table className="grid issues" aria-label="Findings">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Row
                  </th>
                  <th scope="col">Column</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Message</th>
                  <th scope="col">Code</th>
                </tr>
              </thead>
              <tbody>
                {result.issues.map((i, n) => (
                  <tr key={n} className={`severity-${i.severity}`}>
                    <td className="num">{i.row ?? '—'}</td>
                    <td>{i.column ?? 'file'}</td>
                    <td>{i.severity}</td>
                    <td>
                      {i.message}
                      {i.fix !== undefined && <span className="muted"> Suggested: {i.fix}</span>}
                    </td>
                    <td>
                      <code>{i.code}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.moreIssues > 0 && (
            <p className="muted">
              …and {result.moreIssues.toLocaleString()} more (counted by rule above). Import the file into a batch to see and fix every one of them.
            </p>
          )}
        </div>
      )}
      </div>
    </section>
  );
}
