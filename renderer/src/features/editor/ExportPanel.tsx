import { useEffect, useRef, useState } from 'react';
import { call } from '../../bridge';

interface Props {
  batchId: string;
  errors: number;
  onClose(): void;
}

type Outcome = { files: string[]; downloads: string[]; rows: number; masked: boolean };

/** Export with the CLI's writers: a masked review file by default; full card numbers only when asked. */
export function ExportPanel({ batchId, errors, onClose }: Props) {
  const [format, setFormat] = useState<'csv' | 'xlsx'>('csv');
  const [full, setFull] = useState(false);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLSelectElement>(null);
  const result = useRef<HTMLDivElement>(null);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    if (outcome || error) result.current?.querySelector<HTMLElement>('[tabindex="-1"]')?.focus();
  }, [outcome, error]);

  async function run() {
    if (running) return;
    setRunning(true);
    setError(null);
    try {
      setOutcome(await call('batches.export', { batchId, format, includeFullCardNumbers: full }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
    }
  }

  return (
    <section className="panel export-panel" aria-labelledby="export-title" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <h2 id="export-title">Export the batch</h2>
      {errors > 0 && <p className="bad">{errors.toLocaleString()} errors left: fix them first (F8 goes to the next one). A batch with errors is not exported.</p>}
      <form
        className="check-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          <span>Format</span>
          <select ref={first} name="export-format" value={format} onChange={(e) => setFormat(e.target.value as 'csv' | 'xlsx')}>
            <option value="csv">CSV</option>
            <option value="xlsx">XLSX</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" name="export-full" checked={full} onChange={(e) => setFull(e.target.checked)} /> Full card numbers (for upload to the provider)
        </label>
        <button type="submit" aria-disabled={running}>
          {running ? 'Exporting…' : 'Export'}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </form>
      <div ref={result} aria-live="polite">
        {error && (
          <p className="error" role="alert" tabIndex={-1}>
            {error}
          </p>
        )}
        {outcome && (
          <div className="export-result" tabIndex={-1}>
            <p>
              Exported {outcome.rows.toLocaleString()} rows{outcome.masked ? ' — masked, for review only, not for upload' : ''}:
            </p>
            <ul>
              {outcome.files.map((f, i) => (
                <li key={f}>
                  <code>{f}</code>
                  {outcome.downloads[i] && (
                    <>
                      {' '}
                      <a href={outcome.downloads[i]} download>
                        Download
                      </a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
