import { create } from 'zustand';
import type { AppInfo, PolicyView, Settings } from '../../../shared/contract';
import { call } from '../bridge';

interface SettingsState {
  settings: Settings | null;
  info: AppInfo | null;
  /** The machine's managed policy (what is locked, by what); null until loaded. */
  policy: PolicyView | null;
  error: string | null;
  load(): Promise<void>;
  save(patch: Partial<Settings>): Promise<boolean>;
  receive(settings: Settings): void;
  clearError(): void;
}

export const useSettings = create<SettingsState>((set) => ({
  settings: null,
  info: null,
  policy: null,
  error: null,
  async load() {
    try {
      const [settings, info, policy] = await Promise.all([call('settings.get', {}), call('app.info', {}), call('policy.get', {})]);
      set({ settings, info, policy, error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
  async save(patch) {
    try {
      const settings = await call('settings.set', patch);
      set({ settings, error: null });
      return true;
    } catch (e) {
      set({ error: (e as Error).message });
      return false;
    }
  },
  receive(settings) {
    set({ settings });
  },
  clearError() {
    set({ error: null });
  },
}));
