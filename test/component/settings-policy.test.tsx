/**
 * The Settings screen under a managed policy: the real renderer in jsdom against the real
 * handlers and a real policy file (Linux layout under a temp root).
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { setBridge } from '../../renderer/src/bridge';
import { useSettings } from '../../renderer/src/stores/settings';
import { loadPolicy } from '../../electron/main/policy/load';
import { createRealBridge, type RealBridge } from '../helpers/realBridge';

let real: RealBridge | null = null;
let root: string | null = null;

afterEach(() => {
  cleanup();
  setBridge(null);
  useSettings.setState({ settings: null, info: null, policy: null, error: null });
  real?.dispose();
  if (root) rmSync(root, { recursive: true, force: true });
  real = root = null;
});

async function openSettings(doc: unknown): Promise<string> {
  root = mkdtempSync(join(tmpdir(), 'batchdesk-policy-'));
  const file = join(root, 'etc', 'batchdesk', 'policy.json');
  mkdirSync(join(root, 'etc', 'batchdesk'), { recursive: true });
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  real = createRealBridge({ policy: await loadPolicy({ platform: 'linux', root }) });
  setBridge(real.bridge);
  render(<App />);
  fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
  await screen.findByRole('heading', { name: 'Settings' });
  return file;
}

describe('Settings under a managed policy', () => {
  it('locks the managed fields, says by what, and lists the managed values', async () => {
    const file = await openSettings({ settings: { wonderCurrency: 'EUR' }, updates: { channel: 'stable' }, exports: { allowFullCardNumbers: false } });
    const currency = (await screen.findByRole('textbox', { name: /Wonder currency/ })) as HTMLInputElement;
    expect(currency.value).toBe('EUR');
    expect(currency.disabled).toBe(true);
    expect(document.getElementById(currency.getAttribute('aria-describedby')!)!.textContent).toBe(`Set by your administrator (${file})`);
    const channel = screen.getByRole('combobox', { name: /Update channel/ }) as HTMLSelectElement;
    expect(channel.disabled).toBe(true);
    const theme = screen.getByRole('combobox', { name: /Theme/ }) as HTMLSelectElement;
    expect(theme.disabled).toBe(false);

    const table = screen.getByRole('table', { name: 'Managed values' });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['Wonder currency', 'EUR', file],
      ['Update channel', 'stable', file],
      ['Export of full card numbers', 'off', file],
    ]);

    // An unmanaged field still saves; the managed one is left as the policy says.
    fireEvent.change(theme, { target: { value: 'dark' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(real!.services.settings.get().theme).toBe('dark'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(real!.calls.find((c) => c.name === 'settings.set')!.input).not.toHaveProperty('wonderCurrency');
  });

  it('shows the problems of an invalid policy and the safe default that applies', async () => {
    await openSettings({ exports: { allowFullCardNumbers: 'maybe' } });
    const problems = screen.getByRole('note', { name: 'Policy problems' });
    expect(problems.textContent).toMatch(/exports\.allowFullCardNumbers: expected true or false/);
    expect(within(screen.getByRole('table', { name: 'Managed values' })).getByText('off (safe default: the policy is invalid)')).toBeTruthy();
  });

  it('updates turned off by policy: the channel cannot be chosen', async () => {
    await openSettings({ updates: { enabled: false } });
    const channel = (await screen.findByRole('combobox', { name: /Update channel/ })) as HTMLSelectElement;
    expect(channel.disabled).toBe(true);
    expect(screen.getByText('Updates are turned off by your administrator')).toBeTruthy();
  });

  it('no policy: nothing is locked and no managed section is shown', async () => {
    await openSettings({});
    expect(((await screen.findByRole('textbox', { name: /Wonder currency/ })) as HTMLInputElement).disabled).toBe(false);
    expect(screen.queryByRole('heading', { name: 'Managed by your administrator' })).toBeNull();
  });
});
