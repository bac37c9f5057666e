import { useEffect, useState, type FormEvent } from 'react';
import { SettingsSchema, type Settings } from '../../../../shared/contract';
import { useSettings } from '../../stores/settings';
import { useUndo } from '../../stores/undo';
import { ProfileSelect } from '../../ProfileSelect';
import { ManagedPolicy } from './ManagedPolicy';
import { ConnectionsSection } from '../connections/ConnectionsSection';

export function SettingsView() {
  const { settings, info, policy, error, save, clearError } = useSettings();
  // An error belongs to the edit that caused it: leaving the view drops both.
  useEffect(() => clearError, [clearError]);
  // Unsaved edits; null = showing what is stored.
  const [edits, setDraft] = useState<Settings | null>(null);
  const draft = edits ?? settings;

  if (!draft || !settings) return <p className="muted">Loading…</p>;

  const locked = new Set(policy?.lockedSettings ?? []);
  const managedBy = (key: keyof Settings) =>
    policy?.managed.find((m) => m.key === (key === 'updateChannel' ? 'updates.channel' : `settings.${key}`))?.source ?? 'policy';
  /** The props that lock a field the policy manages, and say why next to it. */
  const lock = (key: keyof Settings) => (locked.has(key) ? { disabled: true, 'aria-describedby': `managed-${key}` } : {});
  const note = (key: keyof Settings) =>
    locked.has(key) ? (
      <small id={`managed-${key}`} className="managed-note">
        Set by your administrator ({managedBy(key)})
      </small>
    ) : null;
  // Checked with the contract's own rule, so the message sits on the field it is about.
  const currencyCheck = SettingsSchema.shape.wonderCurrency.safeParse(draft.wonderCurrency);
  const currencyError = currencyCheck.success ? null : (currencyCheck.error.issues[0]?.message ?? 'Check the currency.');

  async function onSave(e: FormEvent) {
    e.preventDefault();
    if (!draft || !settings) return;
    if (currencyError) {
      document.querySelector<HTMLElement>('input[name="wonder-currency"]')?.focus();
      return;
    }
    const before = settings;
    // Managed fields are not sent: main refuses any change to them anyway.
    const patch = Object.fromEntries(Object.entries(draft).filter(([k]) => !(policy?.lockedSettings ?? []).includes(k))) as Partial<Settings>;
    if (await save(patch)) {
      setDraft(null);
      useUndo.getState().push({
        label: 'Saved settings',
        undo: async () => {
          if (!(await useSettings.getState().save(before))) {
            throw new Error(useSettings.getState().error ?? 'the stored settings could not be restored');
          }
        },
      });
    }
  }

  return (
    <section className="view" aria-labelledby="settings-title">
      <header className="view-header">
        <h1 id="settings-title" tabIndex={-1}>Settings</h1>
      </header>
      <div aria-live="polite">
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
      </div>
      <form className="settings" onSubmit={onSave}>
        <label>
          <span>Default provider for new batches</span>
          <ProfileSelect value={draft.defaultProfile} onChange={(defaultProfile) => setDraft({ ...draft, defaultProfile })} {...lock('defaultProfile')} />
          {note('defaultProfile')}
        </label>
        <label>
          <span>Wonder currency (files have no currency column)</span>
          <input
            name="wonder-currency"
            value={draft.wonderCurrency}
            maxLength={3}
            aria-invalid={!!currencyError}
            aria-describedby={[currencyError ? 'wonder-currency-error' : '', locked.has('wonderCurrency') ? 'managed-wonderCurrency' : ''].filter(Boolean).join(' ') || undefined}
            onChange={(e) => setDraft({ ...draft, wonderCurrency: e.target.value.toUpperCase() })}
            disabled={locked.has('wonderCurrency')}
          />
          {note('wonderCurrency')}
          {currencyError && (
            <span id="wonder-currency-error" className="field-error">
              {currencyError}
            </span>
          )}
        </label>
        <label>
          <span>Wonder amount unit</span>
          <select value={draft.wonderAmountUnit} onChange={(e) => setDraft({ ...draft, wonderAmountUnit: e.target.value as Settings['wonderAmountUnit'] })} {...lock('wonderAmountUnit')}>
            <option value="major">Major units (10.50)</option>
            <option value="minor">Minor units (1050)</option>
          </select>
          {note('wonderAmountUnit')}
        </label>
        <fieldset>
          <legend>SIBS</legend>
          <label>
            <span>Terminal ID (from your SIBS onboarding)</span>
            <input name="sibs-terminal-id" value={draft.sibsTerminalId} maxLength={64} onChange={(e) => setDraft({ ...draft, sibsTerminalId: e.target.value })} />
          </label>
          <label>
            <span>Channel</span>
            <select value={draft.sibsChannel} onChange={(e) => setDraft({ ...draft, sibsChannel: e.target.value as Settings['sibsChannel'] })}>
              <option value="web">Web</option>
              <option value="mobile">Mobile</option>
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>J.P. Morgan Mobility Payments (used where a row leaves them empty)</legend>
          <label>
            <span>Program account number</span>
            <input name="jpmmps-program-accno" value={draft.jpmmpsProgramAccno} maxLength={64} onChange={(e) => setDraft({ ...draft, jpmmpsProgramAccno: e.target.value })} />
          </label>
          <label>
            <span>Account number</span>
            <input name="jpmmps-accno" value={draft.jpmmpsAccno} maxLength={64} onChange={(e) => setDraft({ ...draft, jpmmpsAccno: e.target.value })} />
          </label>
          <label>
            <span>Account type</span>
            <input name="jpmmps-accno-type" value={draft.jpmmpsAccnoType} maxLength={8} onChange={(e) => setDraft({ ...draft, jpmmpsAccnoType: e.target.value })} />
          </label>
        </fieldset>
        <label>
          <span>Theme</span>
          <select value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value as Settings['theme'] })} {...lock('theme')}>
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
          {note('theme')}
        </label>
        <label>
          <span>Update channel (desktop app; applies at the next start)</span>
          <select
            value={draft.updateChannel}
            onChange={(e) => setDraft({ ...draft, updateChannel: e.target.value as Settings['updateChannel'] })}
            {...(policy && !policy.updates.enabled ? { disabled: true, 'aria-describedby': 'managed-updateChannel' } : lock('updateChannel'))}
          >
            <option value="stable">Stable</option>
            <option value="beta">Beta (early releases)</option>
          </select>
          {policy && !policy.updates.enabled ? (
            <small id="managed-updateChannel" className="managed-note">
              Updates are turned off by your administrator
            </small>
          ) : (
            note('updateChannel')
          )}
        </label>
        <div>
          <button type="submit">Save settings</button>
        </div>
      </form>
      <ConnectionsSection />
      {policy && <ManagedPolicy policy={policy} />}
      {info && (
        <dl className="about">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Mode</dt>
          <dd>{info.mode === 'web' ? 'Browser (web mode)' : 'Desktop'}</dd>
          <dt>Data folder</dt>
          <dd>
            <code>{info.dataDir}</code>
          </dd>
          <dt>Database schema</dt>
          <dd>{info.schemaVersion}</dd>
        </dl>
      )}
    </section>
  );
}
