import { create } from 'zustand';
import type { BatchSummary } from '../../../shared/contract';
import type { ProfileId } from '../../../shared/formats/types';
import { call } from '../bridge';
import { useUndo } from './undo';

interface BatchesState {
  batches: BatchSummary[];
  loaded: boolean;
  error: string | null;
  selectedId: string | null;
  load(): Promise<void>;
  select(id: string | null): void;
  create(name: string, profile: ProfileId): Promise<BatchSummary | null>;
  rename(id: string, name: string): Promise<boolean>;
  remove(id: string): Promise<void>;
  clearError(): void;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let loadSeq = 0;

export const useBatches = create<BatchesState>((set, get) => ({
  batches: [],
  loaded: false,
  error: null,
  selectedId: null,

  async load() {
    // Loads overlap (every batches.changed event starts one): only the latest one's answer is
    // applied, so an older list (without a batch just imported) never overwrites a newer one.
    const mine = ++loadSeq;
    try {
      const batches = await call('batches.list', {});
      if (mine !== loadSeq) return;
      const selectedId = get().selectedId;
      set({
        batches,
        loaded: true,
        selectedId: batches.some((b) => b.id === selectedId) ? selectedId : (batches[0]?.id ?? null),
      });
    } catch (e) {
      if (mine === loadSeq) set({ error: message(e), loaded: true });
    }
  },

  select(id) {
    set({ selectedId: id });
  },

  async create(name, profile) {
    try {
      const b = await call('batches.create', { name, profile });
      set({ error: null, selectedId: b.id });
      useUndo.getState().push({
        label: `Created batch "${b.name}"`,
        undo: async () => {
          await call('batches.delete', { id: b.id });
          await get().load();
        },
      });
      await get().load();
      return b;
    } catch (e) {
      set({ error: message(e) });
      return null;
    }
  },

  async rename(id, name) {
    const before = get().batches.find((b) => b.id === id);
    try {
      const b = await call('batches.rename', { id, name });
      set({ error: null });
      if (before && before.name !== b.name) {
        useUndo.getState().push({
          label: `Renamed "${before.name}" to "${b.name}"`,
          undo: async () => {
            await call('batches.rename', { id, name: before.name });
            await get().load();
          },
        });
      }
      await get().load();
      return true;
    } catch (e) {
      set({ error: message(e) });
      return false;
    }
  },

  async remove(id) {
    try {
      const b = await call('batches.delete', { id });
      set({ error: null });
      useUndo.getState().push({
        label: `Deleted batch "${b.name}"`,
        undo: async () => {
          await call('batches.restore', { id });
          set({ selectedId: id });
          await get().load();
        },
      });
      await get().load();
    } catch (e) {
      set({ error: message(e) });
    }
  },

  clearError() {
    set({ error: null });
  },
}));
