/**
 * Which signing credentials the environment of a build holds, per platform, and the rule that a
 * release build (BATCHDESK_RELEASE=1) must have all of them: an unsigned release fails loudly, a
 * dev build says it is unsigned. Credentials are only ever read from the environment.
 */
import { existsSync } from 'node:fs';

/** @typedef {Record<string, string | undefined>} Env */
/** @param {Env} env @param {string} name */
const has = (env, name) => typeof env[name] === 'string' && env[name].trim() !== '';
/** @param {Env} env @param {string[]} names */
const all = (env, names) => names.every((n) => has(env, n));

/** Ways to sign per platform; each is a list of variables that must all be set. */
/** @type {Record<string, { via: string, vars: string[] }[]>} */
export const SIGNING_WAYS = {
  win32: [
    { via: 'certificate file (WIN_CSC_LINK)', vars: ['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD'] },
    { via: 'certificate file (CSC_LINK)', vars: ['CSC_LINK', 'CSC_KEY_PASSWORD'] },
    { via: 'Azure Trusted Signing', vars: ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'] },
  ],
  darwin: [
    { via: 'Developer ID certificate file (CSC_LINK)', vars: ['CSC_LINK', 'CSC_KEY_PASSWORD'] },
    { via: 'Developer ID identity in the keychain (CSC_NAME)', vars: ['CSC_NAME'] },
  ],
};

export const NOTARIZE_WAYS = [
  { via: 'App Store Connect API key', vars: ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'] },
  { via: 'Apple ID', vars: ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'] },
  { via: 'notarytool keychain profile', vars: ['APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE'] },
];

export const UPDATE_KEY_FILE = 'resources/update/public-key.pem';

/** @param {Env} env */
export function isRelease(env) {
  return env.BATCHDESK_RELEASE === '1' || env.BATCHDESK_RELEASE === 'true';
}

/** @param {{ via: string, vars: string[] }[]} ways @param {Env} env */
function firstWay(ways, env) {
  return ways.find((w) => all(env, w.vars)) ?? null;
}

/**
 * What is missing to sign a build for `platform` ('win32' | 'darwin' | 'linux'). Linux packages
 * are not code-signed by the builder; their update files are signed like every other.
 * @param {string} platform @param {Env} env
 * @returns {{ signed: boolean, via: string | null, missing: string[] }}
 */
export function signingStatus(platform, env) {
  /** @type {string[]} */
  const missing = [];
  /** @type {string | null} */
  let via = null;
  const ways = SIGNING_WAYS[platform];
  if (ways) {
    const way = firstWay(ways, env);
    if (way) via = way.via;
    else missing.push(`code signing: set ${ways.map((w) => w.vars.join(' + ')).join(', or ')}`);
  }
  if (platform === 'darwin') {
    const n = firstWay(NOTARIZE_WAYS, env);
    if (n) via = `${via ?? 'unsigned'}; notarized with ${n.via}`;
    else missing.push(`notarization: set ${NOTARIZE_WAYS.map((w) => w.vars.join(' + ')).join(', or ')}`);
  }
  if (!has(env, 'UPDATE_SIGNING_KEY')) missing.push('update signing: set UPDATE_SIGNING_KEY (Ed25519 private key, PEM)');
  return { signed: missing.length === 0, via, missing };
}

/**
 * Throws for a release build that would not be fully signed; warns "unsigned dev build" for a dev
 * build without credentials. Returns the message it printed, for the tests.
 * @param {{ platform: string, env: Env, cwd?: string, warn?: (m: string) => void }} opts
 */
export function checkSigning({ platform, env, cwd = process.cwd(), warn = console.warn }) {
  const status = signingStatus(platform, env);
  const keyMissing = !existsSync(`${cwd}/${UPDATE_KEY_FILE}`);
  if (isRelease(env)) {
    const problems = [...status.missing, ...(keyMissing ? [`update verification: ${UPDATE_KEY_FILE} is missing (the public key the app checks updates with)`] : [])];
    if (problems.length) {
      throw new Error(`Release build for ${platform} refused: it would not be signed.\n  - ${problems.join('\n  - ')}\nSet these in the release machine's environment (never in the repository).`);
    }
    return `release build for ${platform}: signed (${status.via ?? 'update files only'})`;
  }
  const message = status.signed && !keyMissing
    ? `dev build for ${platform}: signing credentials found (${status.via ?? 'update files only'})`
    : `unsigned dev build for ${platform}: not for distribution (${[...status.missing, ...(keyMissing ? ['no update public key'] : [])].join('; ')})`;
  warn(`[batchdesk] ${message}`);
  return message;
}
