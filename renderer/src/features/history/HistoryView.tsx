import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../../shared/contract';
import { call } from '../../bridge';

function describe(e: AuditEntry): string {
  const d = e.detail;
  // entries written by the batch editor carry their sentence (import, edits, fix-all, reveal, export)
  if (typeof d.text === 'string') return d.text;
  switch (e.action) {
    case 'file.check':
      return `Checked ${String(d.path)} against ${String(d.profile)} — ${Number(d.rows).toLocaleString('en-US')} rows, ${Number(d.errors).toLocaleString('en-US')} errors`;
    case 'batch.create':
      return `Created batch "${String(d.name)}" (${String(d.profile)})`;
    case 'batch.rename':
      return `Renamed batch "${String(d.from)}" to "${String(d.to)}"`;
    case 'batch.delete':
      return `Deleted batch "${String(d.name)}"`;
    case 'batch.restore':
      return `Restored batch "${String(d.name)}"`;
    case 'settings.set':
      return `Changed settings: ${Object.keys(d).join(', ')}`;
    default:
      return `${e.action} ${e.entity} ${e.entityId ?? ''}`;
  }
}

export function HistoryView() {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      call('history.list', { limit: 500, query: query || undefined }).then(
        (r) => live && (setEntries(r), setError(null)),
        (e: Error) => live && setError(e.message),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query]);

  return (
    <section className="view" aria-labelledby="history-title">
      <header className="view-header">
        <h1 id="history-title" tabIndex={-1}>History</h1>
        <input type="search" aria-label="Search history" placeholder="Search history" value={query} onChange={(e) => setQuery(e.target.value)} />
      </header>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {entries === null ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="empty">{query ? 'Nothing matches.' : 'Nothing has happened yet.'}</p>
      ) : (
        <ol className="history" aria-label="Audit log">
          {entries.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
              <span>{describe(e)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
