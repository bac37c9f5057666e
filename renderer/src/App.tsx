import { useEffect, useState } from 'react';
import { BatchesView } from './features/batches/BatchesView';
import { HistoryView } from './features/history/HistoryView';
import { SettingsView } from './features/settings/SettingsView';
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

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.shiftKey && e.key.toLowerCase() === 'z' && !isTextField(e.target)) {
        e.preventDefault();
        void undo();
      } else if (mod && ['1', '2', '3'].includes(e.key)) {
        e.preventDefault();
        setView(VIEWS[Number(e.key) - 1]!.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo]);

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
                onClick={() => setView(v.id)}
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
        {view === 'batches' && <BatchesView />}
        {view === 'history' && <HistoryView />}
        {view === 'settings' && <SettingsView />}
      </main>
      {toast && (
        <div className="toast" role="status">
          <span>{toast.text}</span>
          {toast.undoable && (
            <button type="button" className="link" onClick={() => void undo()} title="Undo (Ctrl+Z)">
              Undo
            </button>
          )}
          <button type="button" className="link" onClick={dismiss} aria-label="Close notification">
            ×
          </button>
        </div>
      )}
    </div>
  );
}
