/**
 * The managed-policy loader on each platform's layout (files under a temp root standing in for
 * `/` or C:\), the Windows registry through recorded `reg query /s` text (written in reg.exe's
 * output format; no Windows machine here) and macOS managed preferences through recorded
 * `plutil -convert json` output.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy, MAC_BUNDLE_ID, policySources, type PlistReader } from '../../electron/main/policy/load';
import { parseRegQuery, POLICY_KEY, type RegistryReader } from '../../electron/main/policy/registry';
import { PolicyViewSchema } from '../../shared/contract';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

afterAll(cleanupTempDirs);

const LAYOUT = {
  linux: ['etc', 'batchdesk', 'policy.json'],
  darwin: ['Library', 'Application Support', 'Batchdesk', 'policy.json'],
  win32: ['ProgramData', 'Batchdesk', 'policy.json'],
} as const;
type Platform = keyof typeof LAYOUT;
const PLATFORMS = Object.keys(LAYOUT) as Platform[];

function layout(platform: Platform, content: string | object): string {
  const root = tempDir('batchdesk-policy-');
  const file = join(root, ...LAYOUT[platform]);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return root;
}

const recordedRegistry = (file: string | null): RegistryReader => ({
  query: async (key) => {
    expect(key).toBe(POLICY_KEY);
    return file === null ? null : readFileSync(join('test/fixtures/policy', file), 'utf8');
  },
});
const recordedPlist = (json: string | null): PlistReader => ({ toJson: async () => json });

const VALID = {
  updates: { enabled: false },
  exports: { allowFullCardNumbers: false },
  history: { retentionDays: 30 },
  settings: { defaultProfile: 'sibs', wonderCurrency: 'EUR' },
  providers: { sibs: { environment: 'production', terminalId: '55012', credentialRef: 'batchdesk/sibs/prod' } },
};

describe.each(PLATFORMS)('policy file on %s', (platform) => {
  it('a valid policy applies, locks its settings and says where each value came from', async () => {
    const root = layout(platform, VALID);
    const p = await loadPolicy({ platform, root });
    const file = join(root, ...LAYOUT[platform]);
    expect(PolicyViewSchema.parse(p.view)).toEqual(p.view);
    expect(p.view.problems).toEqual([]);
    expect(p.view.sources).toEqual([{ location: file, status: 'applied' }]);
    expect(p.updates).toEqual({ enabled: false, channel: null, url: null });
    expect(p.allowFullCardNumbers).toBe(false);
    expect(p.exportRuleSource).toBe(file);
    expect(p.historyRetentionDays).toBe(30);
    expect(p.settings).toEqual({ defaultProfile: 'sibs', wonderCurrency: 'EUR' });
    expect(p.view.lockedSettings.sort()).toEqual(['defaultProfile', 'wonderCurrency']);
    expect(p.providers).toEqual({ sibs: { environment: 'production', terminalId: '55012', credentialRef: 'batchdesk/sibs/prod' } });
    const managed = Object.fromEntries(p.view.managed.map((m) => [m.key, m]));
    expect(managed['updates.enabled']).toEqual({ key: 'updates.enabled', label: 'Automatic updates', value: 'off', source: file });
    expect(managed['exports.allowFullCardNumbers']?.value).toBe('off');
    expect(managed['settings.wonderCurrency']).toMatchObject({ label: 'Wonder currency', value: 'EUR', source: file });
    expect(managed['providers.sibs.terminalId']).toMatchObject({ value: '55012', source: file });
  });

  it('no policy file: nothing is managed and nothing is restricted', async () => {
    const p = await loadPolicy({ platform, root: tempDir() });
    expect(p.view.sources.map((s) => s.status)).toEqual(['absent']);
    expect(p.view.problems).toEqual([]);
    expect(p.view.managed).toEqual([]);
    expect(p.allowFullCardNumbers).toBe(true);
    expect(p.updates).toEqual({ enabled: true, channel: null, url: null });
  });

  it('a file that is not JSON is reported and the safe defaults apply', async () => {
    const root = layout(platform, '{ "exports": { "allowFullCardNumbers": true, } ');
    const p = await loadPolicy({ platform, root });
    expect(p.view.sources[0]!.status).toBe('invalid');
    expect(p.view.problems[0]!.message).toMatch(/^The policy not valid JSON .*Safe defaults apply\.$/);
    expect(p.allowFullCardNumbers).toBe(false);
    expect(p.updates).toEqual({ enabled: true, channel: 'stable', url: null });
    expect(p.settings).toEqual({ updateChannel: 'stable' });
    expect(p.view.managed.map((m) => m.value)).toContain('off (safe default: the policy is invalid)');
  });

  it('an invalid section is reported with what to fix; valid sections still apply', async () => {
    const root = layout(platform, {
      updates: { enabled: 'yes please' },
      exports: { allowFullCardNumbers: true },
      history: { retentionDays: 0 },
      settings: { theme: 'dark', colour: 'red' },
    });
    const p = await loadPolicy({ platform, root });
    expect(p.view.sources[0]!.status).toBe('partly-invalid');
    const messages = p.view.problems.map((x) => x.message).join('\n');
    expect(messages).toMatch(/updates\.enabled: expected true or false/);
    expect(messages).toMatch(/history\.retentionDays: expected at least 1 day/);
    expect(messages).toMatch(/settings: unknown key colour/);
    expect(p.allowFullCardNumbers).toBe(true); // the exports section itself was valid
    expect(p.updates.channel).toBe('stable'); // updates fell back to its safe default
    expect(p.historyRetentionDays).toBeNull(); // nothing is deleted on a typo
    expect(p.settings.theme).toBeUndefined();
  });

  it('a secret in the policy refuses that section and never echoes the secret', async () => {
    const root = layout(platform, { providers: { epay: { merchantId: 'M1', apiKey: 'sk_live_abcdef123456' } }, exports: { allowFullCardNumbers: false } });
    const p = await loadPolicy({ platform, root });
    const text = JSON.stringify(p.view);
    expect(text).not.toContain('sk_live_abcdef123456');
    expect(p.view.problems[0]!.message).toMatch(/^providers\.epay\.apiKey: a policy must never hold a secret/);
    expect(p.providers).toEqual({});
    expect(p.allowFullCardNumbers).toBe(false);
  });

  it('retention at the limits: 1 and 3650 days apply, 3651 does not', async () => {
    for (const [days, applied] of [[1, 1], [3650, 3650], [3651, null]] as const) {
      const p = await loadPolicy({ platform, root: layout(platform, { history: { retentionDays: days } }) });
      expect(p.historyRetentionDays).toBe(applied);
    }
  });
});

describe('policy sources', () => {
  it('looks where each platform keeps machine-wide configuration', () => {
    const env = { ProgramData: 'D:\\ProgramData' };
    expect(policySources({ platform: 'linux', env: {} }).map((s) => s.location)).toEqual([join('/', 'etc', 'batchdesk', 'policy.json')]);
    expect(policySources({ platform: 'darwin', env: {} }).map((s) => s.location)).toEqual([
      join('/', 'Library', 'Application Support', 'Batchdesk', 'policy.json'),
      `Managed preferences ${join('/', 'Library', 'Managed Preferences', `${MAC_BUNDLE_ID}.plist`)}`,
    ]);
    expect(policySources({ platform: 'win32', env }).map((s) => s.location)).toEqual([join('D:\\ProgramData', 'Batchdesk', 'policy.json'), `Registry ${POLICY_KEY}`]);
  });

  it('BATCHDESK_POLICY_ROOT moves the root', () => {
    expect(policySources({ platform: 'linux', env: { BATCHDESK_POLICY_ROOT: '/tmp/x' } })[0]!.location).toBe(join('/tmp/x', 'etc', 'batchdesk', 'policy.json'));
  });
});

describe('Windows registry', () => {
  it('parses reg query /s output: DWORDs, strings, subkeys, any case', () => {
    const { tree, problems } = parseRegQuery(readFileSync('test/fixtures/policy/reg-query-valid.txt', 'utf8'));
    expect(problems).toEqual([]);
    expect(tree).toEqual({
      Exports: { AllowFullCardNumbers: 0 },
      History: { RetentionDays: 90 },
      Providers: { epay: { Environment: 'production', MerchantId: 'M-100200', CredentialRef: 'batchdesk/epay/production' } },
      Settings: { WonderCurrency: 'EUR', Theme: 'light' },
      Updates: { Enabled: 1, Channel: 'stable' },
    });
  });

  it('registry policy (GPO) wins over the ProgramData file', async () => {
    const root = layout('win32', { exports: { allowFullCardNumbers: true }, settings: { defaultProfile: 'epay', theme: 'dark' } });
    const p = await loadPolicy({ platform: 'win32', root, registry: recordedRegistry('reg-query-valid.txt') });
    expect(p.view.problems).toEqual([]);
    expect(p.view.sources.map((s) => s.status)).toEqual(['applied', 'applied']);
    expect(p.allowFullCardNumbers).toBe(false);
    expect(p.exportRuleSource).toBe(`Registry ${POLICY_KEY}`);
    expect(p.settings).toEqual({ defaultProfile: 'epay', theme: 'light', wonderCurrency: 'EUR', updateChannel: 'stable' });
    expect(p.updates).toEqual({ enabled: true, channel: 'stable', url: null });
    expect(p.historyRetentionDays).toBe(90);
    expect(p.providers.epay).toEqual({ environment: 'production', merchantId: 'M-100200', credentialRef: 'batchdesk/epay/production' });
    expect(p.view.managed.find((m) => m.key === 'settings.theme')?.source).toBe(`Registry ${POLICY_KEY}`);
    expect(p.view.managed.find((m) => m.key === 'settings.defaultProfile')?.source).toBe(join(root, ...LAYOUT.win32));
  });

  it('an invalid registry policy is reported, its secret is not applied, exports fall to forbidden', async () => {
    const p = await loadPolicy({ platform: 'win32', root: tempDir(), registry: recordedRegistry('reg-query-invalid.txt') });
    expect(p.view.sources).toEqual([
      { location: expect.stringContaining('policy.json'), status: 'absent' },
      { location: `Registry ${POLICY_KEY}`, status: 'partly-invalid' },
    ]);
    const messages = p.view.problems.map((x) => x.message);
    expect(messages.some((m) => m.startsWith('exports.allowFullCardNumbers: expected true or false'))).toBe(true);
    expect(messages.some((m) => m.startsWith('providers.wonder.ApiKey: a policy must never hold a secret'))).toBe(true);
    expect(JSON.stringify(p.view)).not.toContain('sk_live_');
    expect(p.allowFullCardNumbers).toBe(false);
    expect(p.updates.enabled).toBe(false); // the valid updates section applies
  });

  it('no registry key: only the file counts', async () => {
    const p = await loadPolicy({ platform: 'win32', root: tempDir(), registry: recordedRegistry(null) });
    expect(p.view.sources.map((s) => s.status)).toEqual(['absent', 'absent']);
  });
});

describe('macOS managed preferences', () => {
  it('a configuration profile wins over the Application Support file', async () => {
    const root = layout('darwin', { updates: { channel: 'beta' }, history: { retentionDays: 10 } });
    const plist = recordedPlist(JSON.stringify({ updates: { channel: 'stable', url: 'https://updates.example.com/batchdesk' } }));
    const p = await loadPolicy({ platform: 'darwin', root, plist });
    expect(p.view.problems).toEqual([]);
    expect(p.updates).toEqual({ enabled: true, channel: 'stable', url: 'https://updates.example.com/batchdesk' });
    expect(p.historyRetentionDays).toBe(10);
  });

  it('an http:// update server is refused', async () => {
    const p = await loadPolicy({ platform: 'darwin', root: tempDir(), plist: recordedPlist(JSON.stringify({ updates: { url: 'http://updates.example.com/' } })) });
    expect(p.view.problems[0]!.message).toMatch(/updates\.url: expected an https:\/\/ address/);
    expect(p.updates.url).toBeNull();
  });
});
