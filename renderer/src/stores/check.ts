import { create } from 'zustand';
import type { CheckFileResult, EventPayload } from '../../../shared/contract';
import type { ProfileId } from '../../../shared/formats/types';
import { bridge, call } from '../bridge';

/**
 * The "Check a file" form and its outcome. Kept outside the panel so that a check keeps running,
 * and its result stays, while the clerk switches to History or Settings and back.
 */
interface CheckState {
  path: string;
  /** null: the default provider from the settings. */
  profile: ProfileId | null;
  sheet: string;
  running: boolean;
  progress: EventPayload<'task.progress'> | null;
  result: CheckFileResult | null;
  error: string | null;
  set(patch: Partial<Pick<CheckState, 'path' | 'profile' | 'sheet' | 'error'>>): void;
  /** Checks `path` against `profile`; ignored while a check runs. */
  run(profile: ProfileId): Promise<void>;
  choose(): Promise<void>;
}

let listening = false;

export const useCheck = create<CheckState>((set, get) => ({
  path: '',
  profile: null,
  sheet: '',
  running: false,
  progress: null,
  result: null,
  error: null,
  set(patch) {
    set(patch);
  },
  async run(profile) {
    if (get().running) return;
    if (!listening) {
      listening = true;
      bridge().on('task.progress', (p) => {
        if (get().running) set({ progress: p });
      });
    }
    const { path, sheet } = get();
    set({ running: true, error: null, result: null, progress: null });
    try {
      const result = await call('files.check', { path, profile, ...(sheet.trim() ? { sheet: sheet.trim() } : {}) });
      set({ result });
    } catch (e) {
      set({ error: (e as Error).message });
    } finally {
      set({ running: false, progress: null });
    }
  },
  async choose() {
    try {
      const r = await call('files.choose', {});
      if (r.path) set({ path: r.path });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
}));
