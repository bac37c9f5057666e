import { create } from 'zustand';

export interface UndoEntry {
  label: string;
  undo: () => Promise<void>;
}

interface UndoState {
  stack: UndoEntry[];
  /** The message shown in the toast after an action (with an Undo button while undoable). */
  toast: { text: string; undoable: boolean } | null;
  push(entry: UndoEntry): void;
  undo(): Promise<void>;
  notify(text: string): void;
  dismiss(): void;
}

const LIMIT = 100;

export const useUndo = create<UndoState>((set, get) => ({
  stack: [],
  toast: null,
  push(entry) {
    set((s) => ({ stack: [...s.stack.slice(-(LIMIT - 1)), entry], toast: { text: entry.label, undoable: true } }));
  },
  async undo() {
    const { stack } = get();
    const last = stack[stack.length - 1];
    if (!last) {
      set({ toast: { text: 'Nothing to undo.', undoable: false } });
      return;
    }
    set({ stack: stack.slice(0, -1) });
    try {
      await last.undo();
      set({ toast: { text: `Undone: ${last.label}`, undoable: false } });
    } catch (e) {
      set({ toast: { text: `Could not undo "${last.label}": ${(e as Error).message}`, undoable: false } });
    }
  },
  notify(text) {
    set({ toast: { text, undoable: false } });
  },
  dismiss() {
    set({ toast: null });
  },
}));
