/**
 * Windows Group Policy: `HKLM\Software\Policies\Batchdesk`. Its subkeys mirror the JSON policy's
 * sections (`updates`, `exports`, `history`, `settings`, `providers\<id>`), its values the keys.
 * Reading goes through `reg query` behind an interface, so tests feed recorded output.
 */
import { execFile } from 'node:child_process';

export const POLICY_KEY = 'HKLM\\Software\\Policies\\Batchdesk';

export interface RegistryReader {
  /** `reg query <key> /s` output, or null when the key does not exist. */
  query(key: string): Promise<string | null>;
}

/** The real reader (Windows only): the 64-bit registry view, never more than 10 s. */
export const regExe: RegistryReader = {
  query: (key) =>
    new Promise((resolve, reject) => {
      execFile('reg.exe', ['query', key, '/s', '/reg:64'], { windowsHide: true, timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        // Exit code 1 with "unable to find" is how reg.exe says the key is absent.
        if (/unable to find/i.test(stderr) || /unable to find/i.test(stdout)) return resolve(null);
        reject(new Error(`reg query ${key} failed: ${stderr.trim() || err.message}`));
      });
    }),
};

type RegValue = string | number | string[];
export type RegTree = { [name: string]: RegValue | RegTree };

const KEY_LINE = /^HKEY_[A-Z_]+\\/;
const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

/** The subkey path under `root` ('' for root itself), or null when the line names another key. */
function subkeyOf(keyLine: string, root: string): string[] | null {
  const full = keyLine.trim().replace(/^HKEY_LOCAL_MACHINE\\/i, 'HKLM\\');
  const base = root.replace(/^HKEY_LOCAL_MACHINE\\/i, 'HKLM\\');
  if (full.toLowerCase() === base.toLowerCase()) return [];
  if (!full.toLowerCase().startsWith(base.toLowerCase() + '\\')) return null;
  return full.slice(base.length + 1).split('\\').filter(Boolean);
}

/**
 * Parses `reg query /s` text into a tree relative to `root`. REG_DWORD/QWORD become numbers,
 * REG_MULTI_SZ a list, REG_SZ/EXPAND_SZ a string; other types are reported as unsupported.
 */
export function parseRegQuery(text: string, root: string = POLICY_KEY): { tree: RegTree; problems: string[] } {
  const tree: RegTree = {};
  const problems: string[] = [];
  let node: RegTree | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\r$/, '');
    if (KEY_LINE.test(line)) {
      const parts = subkeyOf(line, root);
      node = parts === null ? null : tree;
      for (const part of parts ?? []) {
        const next: RegValue | RegTree | undefined = node![part];
        if (next === undefined || typeof next !== 'object' || Array.isArray(next)) node![part] = {};
        node = node![part] as RegTree;
      }
      continue;
    }
    const m = VALUE_LINE.exec(line);
    if (!m || !node) continue;
    const [, name, type, data = ''] = m as unknown as [string, string, string, string?];
    if (name === '(Default)') continue;
    if (type === 'REG_DWORD' || type === 'REG_QWORD') node[name] = Number.parseInt(data, 16);
    else if (type === 'REG_SZ' || type === 'REG_EXPAND_SZ') node[name] = data;
    else if (type === 'REG_MULTI_SZ') node[name] = data === '' ? [] : data.split('\\0');
    else problems.push(`${name}: registry values of type ${type} are not read; use REG_SZ or REG_DWORD.`);
  }
  return { tree, problems };
}

/**
 * Registry names are case-insensitive: map each name to the policy's spelling when one matches
 * (`UpdateS\Enabled` is `updates.enabled`); names that match nothing stay as written and fail
 * validation with their own name in the message.
 */
export function canonicalize(tree: RegTree, known: (path: string[]) => string[], path: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = known(path);
  for (const [name, value] of Object.entries(tree)) {
    const canon = names.find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    out[canon] = typeof value === 'object' && !Array.isArray(value) ? canonicalize(value, known, [...path, canon]) : value;
  }
  return out;
}
