import { useCallback, useEffect, useRef, useState } from 'react';
import { BatchesView } from './features/batches/BatchesView';
import { HistoryView } from './features/history/HistoryView';
import { SettingsView } from './features/settings/SettingsView';
import { EditorView } from './features/editor/EditorView';
import { ImportWizard } from './features/import/ImportWizard';
import { useWindowDrop } from './features/import/useWindowDrop';
import { SubmitView } from './features/submit/SubmitView';
import { SubmitNotice } from './features/submit/SubmitNotice';
import { bridge } from './bridge';
import { useBatches } from './stores/batches';
import { useSettings } from './stores/settings';
import { useUndo } from './stores/undo';

type View = 'batches' | 'history' | 'settings';
const VIEWS: { id: View; label: string; key: string }[] = [
  { id: 'batches', label: 'Batches', key: '1' },
  { id: 'history', label: 'History', key: '2' },
  { id: 'settings', label: 'Settings', key: '3' },
];

function isTextField(el: EventTarget | null): boolean {
  return el instanceof HTMLElement && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function App() {
  const [view, setView] = useState<View>('batches');
  const { toast, undo, dismiss } = useUndo();
  const toastRef = useRef<HTMLDivElement>(null);
  // Where focus was when F6 jumped into the toast: Escape goes back there.
  const beforeToast = useRef<HTMLElement | null>(null);
  const switched = useRef(false);

  // The batch open in the editor, or the import wizard (into a new batch, or appending to one).
  const [open, setOpen] = useState<{ kind: 'editor'; batchId: string } | { kind: 'import'; batchId: string | null } | { kind: 'submit'; batchId: string } | null>(null);
  const batches = useBatches((s) => s.batches);
  // A file dropped onto the window: imported into a new batch, or added to the batch being edited.
  const [dropped, setDropped] = useState<File | null>(null);
  const dragging = useWindowDrop((file) => {
    setDropped(file);
    openScreen({ kind: 'import', batchId: open?.batchId ?? null });
  });

  function switchView(next: View) {
    switched.current = true;
    setOpen(null);
    setView(next);
  }

  function openScreen(next: typeof open) {
    switched.current = true;
    if (next?.kind !== 'import') setDropped(null);
    setOpen(next);
    if (next === null) setView('batches');
  }

  // After a view switch, focus lands on the new view's heading (not <body>), so a screen reader
  // announces where the clerk is and Tab continues from the top of the view.
  useEffect(() => {
    if (!switched.current) return;
    switched.current = false;
    // The editor puts focus in its grid itself (typing goes straight to a cell).
    if (open?.kind !== 'editor') document.querySelector<HTMLElement>('main h1')?.focus();
  }, [view, open]);
  const theme = useSettings((s) => s.settings?.theme ?? 'system');
  const info = useSettings((s) => s.info);

  useEffect(() => {
    void useSettings.getState().load();
    const offBatches = bridge().on('batches.changed', () => void useBatches.getState().load());
    const offSettings = bridge().on('settings.changed', (s) => useSettings.getState().receive(s));
    return () => {
      offBatches();
      offSettings();
    };
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const closeToast = useCallback(() => {
    const inToast = toastRef.current?.contains(document.activeElement) ?? false;
    dismiss();
    if (inToast) {
      const back = beforeToast.current;
      (back && back.isConnected ? back : document.querySelector<HTMLElement>('main h1'))?.focus();
    }
    beforeToast.current = null;
  }, [dismiss]);


  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.shiftKey && e.key.toLowerCase() === 'z' && !isTextField(e.target) && !e.defaultPrevented) {
        e.preventDefault();
        void undo();
      } else if (mod && ['1', '2', '3'].includes(e.key)) {
        e.preventDefault();
        switchView(VIEWS[Number(e.key) - 1]!.id);
      } else if (e.key === 'F6' && useUndo.getState().toast) {
        // One key to the toast's first button (Undo when there is one).
        const first = toastRef.current?.querySelector<HTMLElement>('button');
        if (first) {
          e.preventDefault();
          if (!toastRef.current!.contains(document.activeElement)) beforeToast.current = document.activeElement as HTMLElement | null;
          first.focus();
        }
      } else if (e.key === 'Escape' && useUndo.getState().toast && !e.defaultPrevented && (!isTextField(e.target) || toastRef.current?.contains(e.target as Node))) {
        closeToast();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, closeToast]);

  async function undoFromToast() {
    const inToast = toastRef.current?.contains(document.activeElement) ?? false;
    await undo();
    // The Undo button disappears with the undone entry: keep focus inside the toast.
    if (inToast) toastRef.current?.querySelector<HTMLElement>('button')?.focus();
  }

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Batchdesk</div>
        <ul>
          {VIEWS.map((v) => (
            <li key={v.id}>
              <button
                type="button"
                className={view === v.id ? 'nav active' : 'nav'}
                aria-current={view === v.id ? 'page' : undefined}
                onClick={() => switchView(v.id)}
                title={`${v.label} (Ctrl+${v.key})`}
              >
                {v.label}
              </button>
            </li>
          ))}
        </ul>
        {info && (
          <div className="sidebar-foot muted">
            v{info.version} · {info.mode === 'web' ? 'web mode' : 'desktop'}
          </div>
        )}
      </nav>
      <main className="content">
        {open?.kind === 'editor' && batches.find((b) => b.id === open.batchId) ? (
          <EditorView
            key={open.batchId}
            batch={batches.find((b) => b.id === open.batchId)!}
            onClose={() => openScreen(null)}
            onImportMore={() => openScreen({ kind: 'import', batchId: open.batchId })}
            onSubmit={() => openScreen({ kind: 'submit', batchId: open.batchId })}
          />
        ) : open?.kind === 'submit' && batches.find((b) => b.id === open.batchId) ? (
          <SubmitView key={open.batchId} batch={batches.find((b) => b.id === open.batchId)!} onBack={() => openScreen({ kind: 'editor', batchId: open.batchId })} />
        ) : open?.kind === 'import' ? (
          <ImportWizard
            appendTo={open.batchId ? (batches.find((b) => b.id === open.batchId) ?? null) : null}
            initialFile={dropped}
            onCancel={() => openScreen(open.batchId ? { kind: 'editor', batchId: open.batchId } : null)}
            onDone={(batchId) => {
              void useBatches.getState().load();
              openScreen({ kind: 'editor', batchId });
            }}
          />
        ) : (
          view === 'batches' && <BatchesView onOpen={(batchId) => openScreen({ kind: 'editor', batchId })} onImport={() => openScreen({ kind: 'import', batchId: null })} />
        )}
        {!open && view === 'history' && <HistoryView />}
        {!open && view === 'settings' && <SettingsView />}
      </main>
      {dragging && (
        <div className="window-drop" aria-hidden="true">
          Drop the file to {open?.kind === 'editor' ? 'add its rows to this batch' : 'import it'}
        </div>
      )}
      <SubmitNotice onOpen={(batchId) => openScreen({ kind: 'submit', batchId })} />
      {/* The live region is always in the page, so its text is announced when it arrives. */}
      <div ref={toastRef} className={toast ? 'toast' : 'toast-idle'} role="status" aria-live="polite">
        {toast && (
          <>
            <span>{toast.text}</span>
            {toast.undoable && (
              <button type="button" className="link" onClick={() => void undoFromToast()} title="Undo (Ctrl+Z; F6 jumps here)">
                Undo
              </button>
            )}
            <button type="button" className="link" onClick={closeToast} aria-label="Close notification" title="Close (Escape)">
              ×
            </button>
          </>
        )}
      </div>
    </div>
  );
}
