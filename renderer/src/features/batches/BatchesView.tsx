import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ProfileId } from '../../../../shared/formats/types';
import { useBatches } from '../../stores/batches';
import { useSettings } from '../../stores/settings';
import { PROFILE_SHORT } from '../../profiles';
import { ProfileSelect } from '../../ProfileSelect';
import { FileCheckPanel } from '../import/FileCheckPanel';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

interface Props {
  /** Open a batch in the editor. */
  onOpen(batchId: string): void;
  /** Start the import wizard (a file into a new batch). */
  onImport(): void;
}

export function BatchesView({ onOpen, onImport }: Props) {
  const { batches, loaded, error, selectedId, load, select, create, rename, remove, clearError } = useBatches();
  const defaultProfile = useSettings((s) => s.settings?.defaultProfile ?? 'wonder');
  const [name, setName] = useState('');
  const [profileChoice, setProfile] = useState<ProfileId | null>(null);
  const profile = profileChoice ?? defaultProfile;
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLTableSectionElement>(null);
  // Which field the last error belongs to (aria-invalid + aria-describedby point at it).
  const [errorFor, setErrorFor] = useState<'create' | 'rename' | null>(null);
  // After rename, Delete or undo the list re-renders: focus goes to this batch's row (or, with
  // 'name', to the name field when the list is empty) instead of falling to <body>.
  const focusTarget = useRef<string | null>(null);
  const setFocusTarget = (id: string) => (focusTarget.current = id);

  // Runs after every render: the render that shows the target row (or the empty list) focuses it.
  useLayoutEffect(() => {
    const target = focusTarget.current;
    if (!target) return;
    if (target === 'name') {
      nameInput.current?.focus();
      focusTarget.current = null;
      return;
    }
    const row = listRef.current?.querySelector<HTMLElement>(`tr[data-batch-id="${target}"]`);
    if (row) {
      row.focus();
      focusTarget.current = null;
    }
  });

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        nameInput.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  async function onCreate(e: FormEvent) {
    e.preventDefault();
    const created = await create(name, profile);
    if (created) setName('');
    setErrorFor(created ? null : 'create');
  }

  async function commitRename() {
    if (!editing) return;
    const id = editing.id;
    if (await rename(id, editing.name)) {
      setEditing(null);
      setErrorFor(null);
      setFocusTarget(id);
    } else setErrorFor('rename');
  }

  function cancelRename() {
    if (!editing) return;
    const id = editing.id;
    setEditing(null);
    setFocusTarget(id);
  }

  /** Deletes a batch; focus moves to the row that takes its place (next, else previous). */
  async function removeRow(id: string) {
    const at = batches.findIndex((b) => b.id === id);
    const neighbour = batches[at + 1] ?? batches[at - 1];
    setFocusTarget(neighbour ? neighbour.id : 'name');
    if (neighbour) select(neighbour.id);
    await remove(id);
  }

  /** The row the key was pressed in: the focused row, or the row holding the focused button. */
  function rowOfEvent(e: KeyboardEvent): string | null {
    const tr = (e.target as HTMLElement).closest<HTMLElement>('tr[data-batch-id]');
    return tr?.dataset.batchId ?? null;
  }

  function onListKey(e: KeyboardEvent<HTMLTableSectionElement>) {
    if (editing) return;
    const id = rowOfEvent(e) ?? selectedId;
    const idx = batches.findIndex((b) => b.id === id);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const to =
        e.key === 'Home' ? 0 : e.key === 'End' ? batches.length - 1 : Math.min(batches.length - 1, Math.max(0, idx + (e.key === 'ArrowDown' ? 1 : -1)));
      const next = batches[to];
      if (next) {
        select(next.id);
        setFocusTarget(next.id);
      }
    } else if (e.key === 'Enter' && id && (e.target as HTMLElement).tagName === 'TR') {
      e.preventDefault();
      onOpen(id);
    } else if (e.key === 'F2' && id) {
      e.preventDefault();
      const b = batches[idx];
      if (b) setEditing({ id: b.id, name: b.name });
    } else if (e.key === 'Delete' && id) {
      e.preventDefault();
      void removeRow(id);
    }
  }

  return (
    <section className="view" aria-labelledby="batches-title">
      <header className="view-header">
        <h1 id="batches-title" tabIndex={-1}>Batches</h1>
        <form className="create-form" onSubmit={onCreate} aria-label="New batch">
          <label>
            <span>Name</span>
            <input
              ref={nameInput}
              aria-invalid={errorFor === 'create' && !!error}
              aria-describedby={errorFor === 'create' && error ? 'batches-error' : undefined}
              name="batch-name"
              value={name}
              placeholder="e.g. December renewals"
              onChange={(e) => setName(e.target.value)}
              maxLength={200}
            />
          </label>
          <label>
            <span>Provider</span>
            <ProfileSelect name="batch-profile" value={profile} onChange={setProfile} />
          </label>
          <button type="submit" title="Create batch (Ctrl+N focuses the name)">
            Create batch
          </button>
        </form>
        <button type="button" className="secondary" onClick={onImport}>
          Import a file…
        </button>
      </header>

      {error && (
        <div className="error" role="alert">
          <span id="batches-error">{error}</span>
          <button
            type="button"
            className="link"
            onClick={() => {
              clearError();
              setErrorFor(null);
            }}
            aria-label="Dismiss error"
          >
            Dismiss
          </button>
        </div>
      )}

      {!loaded ? (
        <p className="muted">Loading…</p>
      ) : batches.length === 0 ? (
        <p className="empty">No batches yet. Give one a name above and press Enter.</p>
      ) : (
        <table className="grid" aria-label="Batches">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Provider</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col">Status</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody ref={listRef} onKeyDown={onListKey} aria-label="Batch list: arrows select, Enter opens, F2 renames, Delete deletes">
            {batches.map((b, i) => (
              <tr
                key={b.id}
                data-batch-id={b.id}
                // One Tab stop for the list (roving tabindex): the selected row, else the first.
                tabIndex={b.id === selectedId || (!selectedId && i === 0) ? 0 : -1}
                aria-selected={b.id === selectedId}
                aria-label={`${b.name}, ${PROFILE_SHORT[b.profile]}, ${b.rowCount.toLocaleString()} rows`}
                className={b.id === selectedId ? 'selected' : undefined}
                onClick={() => select(b.id)}
                onDoubleClick={() => onOpen(b.id)}
                onFocus={() => b.id !== selectedId && select(b.id)}
              >
                <td>
                  {editing?.id === b.id ? (
                    <input
                      autoFocus
                      aria-label="New name"
                      aria-invalid={errorFor === 'rename' && !!error}
                      aria-describedby={errorFor === 'rename' && error ? 'batches-error' : undefined}
                      value={editing.name}
                      onChange={(e) => setEditing({ id: b.id, name: e.target.value })}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') void commitRename();
                        if (e.key === 'Escape') {
                          // Escape closes the editor, not the toast.
                          e.preventDefault();
                          cancelRename();
                        }
                      }}
                      onBlur={() => setEditing(null)}
                    />
                  ) : (
                    <span className="batch-name" onDoubleClick={(e) => (e.stopPropagation(), setEditing({ id: b.id, name: b.name }))}>
                      {b.name}
                    </span>
                  )}
                </td>
                <td>{PROFILE_SHORT[b.profile]}</td>
                <td className="num">{b.rowCount.toLocaleString()}</td>
                <td>{b.status}</td>
                <td>{when(b.updatedAt)}</td>
                <td className="actions">
                  <button type="button" className="link" onClick={() => onOpen(b.id)} aria-label={`Open ${b.name}`}>
                    Open
                  </button>
                  <button type="button" className="link" onClick={() => setEditing({ id: b.id, name: b.name })} aria-label={`Rename ${b.name}`}>
                    Rename
                  </button>
                  <button type="button" className="link danger" onClick={() => void removeRow(b.id)} aria-label={`Delete ${b.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FileCheckPanel />
    </section>
  );
}
