import type { BatchTotals } from '../../../../shared/contract';
import { SandboxLabel } from '../submit/SandboxLabel';

/** Rows, totals per currency, counts per action, errors and warnings of the whole batch. */
export function SummaryBar({ totals, sandbox = false }: { totals: BatchTotals | null; sandbox?: boolean }) {
  if (!totals) return <footer className="summary-bar muted">Counting…</footer>;
  const actions = Object.entries(totals.actions).sort((a, b) => b[1] - a[1]);
  return (
    <footer className="summary-bar" aria-label="Batch summary">
      {/* submitted to the built-in sandbox: its money is labelled so nobody takes it for a live run */}
      {sandbox && <SandboxLabel sandbox />}
      <span>
        <strong>{totals.rows.toLocaleString()}</strong> row{totals.rows === 1 ? '' : 's'}
      </span>
      {totals.totals.map((t) => (
        <span key={t.currency}>
          {t.currency} <strong>{t.text}</strong> <span className="muted">({t.rows.toLocaleString()})</span>
        </span>
      ))}
      {actions.length > 0 && (
        <span>
          {actions.map(([a, n]) => (
            <span key={a} className="pill">
              {a === '' ? '(no action)' : a} {n.toLocaleString()}
            </span>
          ))}
        </span>
      )}
      <span className={totals.errors ? 'bad' : 'good'}>
        <strong>{totals.errors.toLocaleString()}</strong> error{totals.errors === 1 ? '' : 's'}
      </span>
      <span>
        <strong>{totals.warnings.toLocaleString()}</strong> warning{totals.warnings === 1 ? '' : 's'}
      </span>
    </footer>
  );
}
