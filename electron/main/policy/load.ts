/**
 * Finds and applies the machine's managed policy. Where it is looked for, by platform:
 *   Windows  HKLM\Software\Policies\Batchdesk (wins) and %ProgramData%\Batchdesk\policy.json
 *   macOS    /Library/Managed Preferences/app.batchdesk.desktop.plist (wins) and
 *            /Library/Application Support/Batchdesk/policy.json
 *   Linux    /etc/batchdesk/policy.json
 * `root` (BATCHDESK_POLICY_ROOT) stands in for the file-system root so tests can lay out each
 * platform's folders in a temp dir. An invalid section is reported and its SAFE default applies:
 * full card-number export forbidden, updates on and pinned to stable; settings, retention and
 * provider presets from that section are not applied (nothing is deleted on a typo).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { PolicyView, Settings, UpdateChannel } from '../../../shared/contract';
import { canonicalize, parseRegQuery, POLICY_KEY, regExe, type RegistryReader } from './registry';
import { MANAGED_LABELS, POLICY_SECTIONS, SECRET_KEY, SECTION_NAMES, type PolicyDocument, type PolicySectionName, type ProviderPreset } from './schema';

export const MAC_BUNDLE_ID = 'app.batchdesk.desktop';

/** Converts a plist to JSON text (macOS: `plutil`), or null when the file does not exist. */
export interface PlistReader {
  toJson(path: string): Promise<string | null>;
}

export const plutil: PlistReader = {
  toJson: (path) =>
    new Promise((resolve, reject) => {
      execFile('/usr/bin/plutil', ['-convert', 'json', '-o', '-', path], { timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if (/No such file|doesn't exist|does not exist/i.test(stderr)) return resolve(null);
        reject(new Error(stderr.trim() || err.message));
      });
    }),
};

export interface PolicyOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Stands in for the file-system root (default: BATCHDESK_POLICY_ROOT, else the real root). */
  root?: string;
  registry?: RegistryReader;
  plist?: PlistReader;
}

interface Source {
  location: string;
  read(): Promise<unknown>;
}

export interface EffectivePolicy {
  view: PolicyView;
  /** Settings values the policy forces (and locks), and where each came from. */
  settings: Partial<Settings>;
  settingSources: Partial<Record<keyof Settings, string>>;
  updates: { enabled: boolean; channel: UpdateChannel | null; url: string | null };
  allowFullCardNumbers: boolean;
  /** Where the export rule came from, for the refusal message; null when no policy says. */
  exportRuleSource: string | null;
  historyRetentionDays: number | null;
  providers: Partial<Record<string, ProviderPreset>>;
}

class Absent extends Error {}

function fileSource(path: string): Source {
  return {
    location: path,
    async read() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Absent();
        throw e;
      }
      try {
        return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
      } catch (e) {
        throw new SyntaxError(`not valid JSON (${(e as Error).message})`);
      }
    },
  };
}

function knownNames(path: string[]): string[] {
  if (path.length === 0) return SECTION_NAMES;
  const section = POLICY_SECTIONS[path[0] as PolicySectionName];
  if (!section) return [];
  if (path[0] === 'providers') return path.length === 1 ? ['wonder', 'epay', 'sibs', 'jpmmps'] : ['environment', 'baseUrl', 'merchantId', 'terminalId', 'credentialRef'];
  return 'shape' in section ? Object.keys((section as z.ZodObject).shape) : [];
}

function registrySource(reader: RegistryReader): Source {
  return {
    location: `Registry ${POLICY_KEY}`,
    async read() {
      const text = await reader.query(POLICY_KEY);
      if (text === null) throw new Absent();
      const { tree, problems } = parseRegQuery(text);
      if (problems.length) throw new TypeError(problems.join(' '));
      return canonicalize(tree, knownNames);
    },
  };
}

function plistSource(path: string, reader: PlistReader): Source {
  return {
    location: `Managed preferences ${path}`,
    async read() {
      const text = await reader.toJson(path);
      if (text === null) throw new Absent();
      return JSON.parse(text) as unknown;
    },
  };
}

/** The sources for a platform, lowest precedence first. */
export function policySources(opts: PolicyOptions = {}): Source[] {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const root = opts.root ?? env.BATCHDESK_POLICY_ROOT;
  if (platform === 'win32') {
    const programData = root ? join(root, 'ProgramData') : (env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData');
    const sources = [fileSource(join(programData, 'Batchdesk', 'policy.json'))];
    // Under a test root the real registry is never read; a recorded one may be given.
    const registry = opts.registry ?? (root ? null : regExe);
    if (registry) sources.push(registrySource(registry));
    return sources;
  }
  const base = root ?? '/';
  if (platform === 'darwin') {
    const sources = [fileSource(join(base, 'Library', 'Application Support', 'Batchdesk', 'policy.json'))];
    const plist = opts.plist ?? (root ? null : plutil);
    if (plist) sources.push(plistSource(join(base, 'Library', 'Managed Preferences', `${MAC_BUNDLE_ID}.plist`), plist));
    return sources;
  }
  return [fileSource(join(base, 'etc', 'batchdesk', 'policy.json'))];
}

/** Finds a key that names a secret anywhere in the document. */
function secretPath(value: unknown, path: string[] = []): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    if (k !== 'credentialRef' && SECRET_KEY.test(k)) return [...path, k].join('.');
    const inner = secretPath(v, [...path, k]);
    if (inner) return inner;
  }
  return null;
}

function describeIssues(section: string, error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = [section, ...i.path.map(String)].join('.');
      if (i.code === 'unrecognized_keys') return `${where}: unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`;
      return `${where}: ${i.message}`;
    })
    .join('; ');
}

const show = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v));

export async function loadPolicy(opts: PolicyOptions = {}): Promise<EffectivePolicy> {
  const view: PolicyView = {
    sources: [],
    problems: [],
    managed: [],
    lockedSettings: [],
    updates: { enabled: true, channel: null },
    fullCardNumberExport: 'allowed',
    historyRetentionDays: null,
  };
  const doc: PolicyDocument = {};
  const origin = new Map<string, string>();
  const invalid = new Set<PolicySectionName>();
  let invalidSource: string | null = null;

  for (const source of policySources(opts)) {
    let raw: unknown;
    try {
      raw = await source.read();
    } catch (e) {
      if (e instanceof Absent) {
        view.sources.push({ location: source.location, status: 'absent' });
        continue;
      }
      const why = e instanceof SyntaxError || e instanceof TypeError ? e.message : `could not be read (${(e as Error).message})`;
      view.sources.push({ location: source.location, status: e instanceof SyntaxError || e instanceof TypeError ? 'invalid' : 'unreadable' });
      view.problems.push({ source: source.location, message: `The policy ${why}. Safe defaults apply.` });
      for (const s of SECTION_NAMES) invalid.add(s);
      invalidSource = source.location;
      continue;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      view.sources.push({ location: source.location, status: 'invalid' });
      view.problems.push({ source: source.location, message: 'The policy must be a JSON object with sections such as "updates" and "exports". Safe defaults apply.' });
      for (const s of SECTION_NAMES) invalid.add(s);
      invalidSource = source.location;
      continue;
    }
    const record = raw as Record<string, unknown>;
    const secret = secretPath(record);
    let bad = 0;
    for (const key of Object.keys(record)) {
      if (!(SECTION_NAMES as string[]).includes(key)) {
        view.problems.push({ source: source.location, message: `Unknown section "${key}" (known: ${SECTION_NAMES.join(', ')}); it is ignored.` });
        bad++;
      }
    }
    for (const name of SECTION_NAMES) {
      if (record[name] === undefined) continue;
      if (secret && secret.startsWith(name + '.')) {
        view.problems.push({
          source: source.location,
          message: `${secret}: a policy must never hold a secret. Store it in the system's credential store and name the entry with credentialRef. This section is not applied.`,
        });
        invalid.add(name);
        invalidSource = source.location;
        bad++;
        continue;
      }
      const parsed = POLICY_SECTIONS[name].safeParse(record[name]);
      if (!parsed.success) {
        view.problems.push({ source: source.location, message: `${describeIssues(name, parsed.error)}. This section is not applied; its safe default applies.` });
        invalid.add(name);
        invalidSource = source.location;
        bad++;
        continue;
      }
      const value = parsed.data as Record<string, unknown>;
      const merged = { ...((doc[name] as Record<string, unknown> | undefined) ?? {}), ...value };
      (doc as Record<string, unknown>)[name] = merged;
      for (const k of Object.keys(value)) origin.set(`${name}.${k}`, source.location);
    }
    view.sources.push({ location: source.location, status: bad === 0 ? 'applied' : 'partly-invalid' });
  }

  const settings: Partial<Settings> = { ...(doc.settings ?? {}) };
  const updatesInvalid = invalid.has('updates');
  const updates = {
    enabled: updatesInvalid ? true : (doc.updates?.enabled ?? true),
    channel: updatesInvalid ? ('stable' as const) : (doc.updates?.channel ?? null),
    url: updatesInvalid ? null : (doc.updates?.url ?? null),
  };
  if (updates.channel) settings.updateChannel = updates.channel;
  const allowFull = invalid.has('exports') ? false : (doc.exports?.allowFullCardNumbers ?? true);
  const retention = invalid.has('history') ? null : (doc.history?.retentionDays ?? null);

  for (const [key, source] of origin) {
    const [section, field] = key.split('.') as [PolicySectionName, string];
    if (invalid.has(section) && section !== 'settings' && section !== 'providers') continue;
    if (section === 'providers') continue;
    const value = (doc[section] as Record<string, unknown>)[field];
    view.managed.push({ key, label: MANAGED_LABELS[key] ?? key, value: show(value), source });
  }
  // The safe defaults of invalid sections are managed values too: the clerk sees why.
  if (invalidSource && invalid.has('updates')) {
    view.managed.push({ key: 'updates.channel', label: MANAGED_LABELS['updates.channel']!, value: 'stable (safe default: the policy is invalid)', source: invalidSource });
  }
  if (invalidSource && invalid.has('exports')) {
    view.managed.push({ key: 'exports.allowFullCardNumbers', label: MANAGED_LABELS['exports.allowFullCardNumbers']!, value: 'off (safe default: the policy is invalid)', source: invalidSource });
  }
  for (const [id, preset] of Object.entries(doc.providers ?? {})) {
    for (const [k, v] of Object.entries(preset ?? {})) {
      view.managed.push({ key: `providers.${id}.${k}`, label: `${id} connection: ${k}`, value: String(v), source: origin.get(`providers.${id}`) ?? '' });
    }
  }

  view.lockedSettings = Object.keys(settings);
  const settingSources: Partial<Record<keyof Settings, string>> = {};
  for (const k of Object.keys(settings) as (keyof Settings)[]) {
    settingSources[k] = (k === 'updateChannel' ? origin.get('updates.channel') : origin.get(`settings.${k}`)) ?? invalidSource ?? '';
  }
  view.updates = { enabled: updates.enabled, channel: updates.channel };
  view.fullCardNumberExport = allowFull ? 'allowed' : 'forbidden';
  view.historyRetentionDays = retention;
  const exportRuleSource = invalid.has('exports') ? invalidSource : (origin.get('exports.allowFullCardNumbers') ?? null);
  return { view, settings, settingSources, updates, allowFullCardNumbers: allowFull, exportRuleSource, historyRetentionDays: retention, providers: doc.providers ?? {} };
}

/** No policy at all: what tests and web mode without a policy root get. */
export const NO_POLICY: EffectivePolicy = {
  view: { sources: [], problems: [], managed: [], lockedSettings: [], updates: { enabled: true, channel: null }, fullCardNumberExport: 'allowed', historyRetentionDays: null },
  settings: {},
  settingSources: {},
  updates: { enabled: true, channel: null, url: null },
  allowFullCardNumbers: true,
  exportRuleSource: null,
  historyRetentionDays: null,
  providers: {},
};
