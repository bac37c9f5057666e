/**
 * The desktop's OS notification when a submitted batch becomes final or needs review. The OS part
 * sits behind `Notifier` (Electron's Notification in index.ts); this wrapper is plain Node, tested.
 */
import type { SubmitFinished } from '../../shared/contract';
import type { Emit } from './services';

export interface Notifier {
  notify(title: string, body: string): void;
}

/** The same events go out as before; submit.finished also raises one OS notification. */
export function withNotifications(emit: Emit, notifier: Notifier | null): Emit {
  if (!notifier) return emit;
  return (name, payload) => {
    emit(name, payload);
    if (name === 'submit.finished') {
      const p = payload as SubmitFinished;
      try {
        notifier.notify(p.outcome === 'needs_review' ? 'Batch needs review' : 'Batch is final', p.text);
      } catch {
        // A notification the OS refuses is not worth failing the event for: the in-app notice shows it.
      }
    }
  };
}
