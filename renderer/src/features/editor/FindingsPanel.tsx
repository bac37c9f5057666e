import { useState } from 'react';
import type { Findings } from '../../../../shared/contract';
import { call } from '../../bridge';

type Group = Findings['groups'][number];
type Item = Findings['items'][number];

interface Props {
  batchId: string;
  findings: Findings | null;
  /** Column key → label, for the group headings. */
  labels: Record<string, string>;
  onJump(item: Item): void;
  onFixAll(group: Group): void;
  busy: boolean;
}

const PAGE = 200;

/**
 * Every finding of the batch, grouped by rule and column with counts (no cap: a group's rows are
 * paged from main). Clicking a row jumps to its cell; "Fix all" applies the suggested fix to
 * every cell of the group that has one.
 */
export function FindingsPanel({ batchId, findings, labels, onJump, onFixAll, busy }: Props) {
  const [open, setOpen] = useState<{ key: string; items: Item[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load(g: Group, offset: number) {
    const key = `${g.code}|${g.column ?? ''}`;
    try {
      const r = await call('rows.findings', { batchId, code: g.code, column: g.column, offset, limit: PAGE });
      setOpen((o) => ({ key, items: offset > 0 && o?.key === key ? [...o.items, ...r.items] : r.items, total: r.itemsTotal }));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (!findings) return <aside className="findings" aria-label="Findings"><p className="muted">Loading findings…</p></aside>;
  return (
    <aside className="findings" aria-label="Findings">
      <h2>
        Findings <span className="muted">{findings.errors.toLocaleString()} error{findings.errors === 1 ? '' : 's'} · {findings.warnings.toLocaleString()} warning{findings.warnings === 1 ? '' : 's'}</span>
      </h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {findings.groups.length === 0 && <p className="muted">No findings: the batch is ready to export.</p>}
      <ul className="groups">
        {findings.groups.map((g) => {
          const key = `${g.code}|${g.column ?? ''}`;
          const expanded = open?.key === key;
          return (
            <li key={key} className={`severity-${g.severity}`}>
              <div className="group-head">
                <button type="button" className="link group-toggle" aria-expanded={expanded} onClick={() => (expanded ? setOpen(null) : void load(g, 0))}>
                  <span aria-hidden="true">{g.severity === 'error' ? '⚠' : '△'}</span> {g.column ? labels[g.column] ?? g.column : 'Row'}: {g.summary} <strong>{g.count.toLocaleString()}</strong>
                </button>
                {g.fixable > 0 && (
                  <button type="button" className="secondary small" aria-disabled={busy} onClick={() => !busy && onFixAll(g)}>
                    Fix all {g.fixable.toLocaleString()}
                  </button>
                )}
              </div>
              {expanded && open && (
                <>
                  <ol className="items">
                    {open.items.map((it) => (
                      <li key={`${it.rowId}|${it.finding.column ?? ''}`}>
                        <button type="button" className="link" onClick={() => onJump(it)}>
                          Line {it.line ?? 'new'}: {it.finding.message}
                        </button>
                      </li>
                    ))}
                  </ol>
                  {open.items.length < open.total && (
                    <button type="button" className="link" onClick={() => void load(g, open.items.length)}>
                      Show more ({(open.total - open.items.length).toLocaleString()} left)
                    </button>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
