import { SettingsSchema, type Settings } from '../../../shared/contract';
import type { AuditLog } from './audit';
import type { Db } from './db/database';

export const DEFAULT_SETTINGS: Settings = {
  defaultProfile: 'wonder',
  wonderCurrency: 'HKD',
  wonderAmountUnit: 'major',
  theme: 'system',
  sibsTerminalId: '',
  sibsChannel: 'web',
  jpmmpsProgramAccno: '',
  jpmmpsAccno: '',
  jpmmpsAccnoType: '',
};

/** Key/value settings stored as JSON; unknown or invalid stored values fall back to defaults per key. */
export class SettingsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const r of rows) {
      if (!(r.key in DEFAULT_SETTINGS)) continue;
      const candidate = { ...DEFAULT_SETTINGS, [r.key]: JSON.parse(r.value) as unknown };
      if (SettingsSchema.safeParse(candidate).success) merged[r.key] = candidate[r.key as keyof Settings];
    }
    return SettingsSchema.parse(merged);
  }

  set(patch: Partial<Settings>): Settings {
    const before = this.get();
    const next = SettingsSchema.parse({ ...before, ...patch });
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    this.db.transaction(() => {
      const now = new Date().toISOString();
      const changed: Record<string, unknown> = {};
      for (const key of Object.keys(patch) as (keyof Settings)[]) {
        if (before[key] === next[key]) continue;
        upsert.run(key, JSON.stringify(next[key]), now);
        changed[key] = { from: before[key], to: next[key] };
      }
      if (Object.keys(changed).length) this.audit.record('settings.set', 'settings', null, changed);
    })();
    return next;
  }
}
