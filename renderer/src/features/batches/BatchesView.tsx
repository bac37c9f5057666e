import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
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

export function BatchesView() {
  const { batches, loaded, error, selectedId, load, select, create, rename, remove, clearError } = useBatches();
  const defaultProfile = useSettings((s) => s.settings?.defaultProfile ?? 'wonder');
  const [name, setName] = useState('');
  const [profileChoice, setProfile] = useState<ProfileId | null>(null);
  const profile = profileChoice ?? defaultProfile;
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);

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
  }

  async function commitRename() {
    if (!editing) return;
    if (await rename(editing.id, editing.name)) setEditing(null);
  }

  function onListKey(e: KeyboardEvent<HTMLTableSectionElement>) {
    if (editing) return;
    const idx = batches.findIndex((b) => b.id === selectedId);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = batches[Math.min(batches.length - 1, Math.max(0, idx + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) select(next.id);
    } else if (e.key === 'F2' && selectedId) {
      e.preventDefault();
      const b = batches[idx];
      if (b) setEditing({ id: b.id, name: b.name });
    } else if (e.key === 'Delete' && selectedId) {
      e.preventDefault();
      void remove(selectedId);
    }
  }

  return (
    <section className="view" aria-labelledby="batches-title">
      <header className="view-header">
        <h1 id="batches-title">Batches</h1>
        <form className="create-form" onSubmit={onCreate} aria-label="New batch">
          <label>
            <span>Name</span>
            <input
              ref={nameInput}
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
      </header>

      {error && (
        <div className="error" role="alert">
          <span>{error}</span>
          <button type="button" className="link" onClick={clearError} aria-label="Dismiss error">
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
          <tbody tabIndex={0} onKeyDown={onListKey} aria-label="Batch list: arrows select, F2 renames, Delete deletes">
            {batches.map((b) => (
              <tr
                key={b.id}
                data-batch-id={b.id}
                aria-selected={b.id === selectedId}
                className={b.id === selectedId ? 'selected' : undefined}
                onClick={() => select(b.id)}
              >
                <td>
                  {editing?.id === b.id ? (
                    <input
                      autoFocus
                      aria-label="New name"
                      value={editing.name}
                      onChange={(e) => setEditing({ id: b.id, name: e.target.value })}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') void commitRename();
                        if (e.key === 'Escape') setEditing(null);
                      }}
                      onBlur={() => setEditing(null)}
                    />
                  ) : (
                    <span className="batch-name" onDoubleClick={() => setEditing({ id: b.id, name: b.name })}>
                      {b.name}
                    </span>
                  )}
                </td>
                <td>{PROFILE_SHORT[b.profile]}</td>
                <td className="num">{b.rowCount.toLocaleString()}</td>
                <td>{b.status}</td>
                <td>{when(b.updatedAt)}</td>
                <td className="actions">
                  <button type="button" className="link" onClick={() => setEditing({ id: b.id, name: b.name })} aria-label={`Rename ${b.name}`}>
                    Rename
                  </button>
                  <button type="button" className="link danger" onClick={() => void remove(b.id)} aria-label={`Delete ${b.name}`}>
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
