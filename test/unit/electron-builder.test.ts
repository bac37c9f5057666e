/**
 * The installer configuration and its build hooks. electron-builder cannot package here (it would
 * download Electron), so: the config against electron-builder's own schema, the targets and
 * signing rules read from it, the hooks run under Node against real files (a fake Electron binary
 * carrying the real fuse sentinel, flipped by @electron/fuses and read back).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { load } from 'js-yaml';
import { minimatch } from 'minimatch';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';
import { beforePack } from '../../scripts/build/beforePack.mjs';
import { afterPack } from '../../scripts/build/afterPack.mjs';
import { checkSigning, signingStatus, UPDATE_KEY_FILE } from '../../scripts/build/signing.mjs';
import { FUSES, fuseConfig } from '../../scripts/build/fuses.mjs';

// electron-builder's own validation path (its scheme.json through its validateConfiguration).
const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type Obj = Record<string, unknown>;
const config = () => load(readFileSync('electron-builder.yml', 'utf8')) as Obj;
const section = (name: string) => config()[name] as Obj;
const targets = (platform: string) =>
  Object.fromEntries((section(platform).target as { target: string; arch: string[] }[]).map((t) => [t.target, t.arch]));

afterAll(cleanupTempDirs);

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", async () => {
    await expect(validateConfiguration(config(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is really checked: an unknown or mistyped option is refused', async () => {
    await expect(validateConfiguration({ ...config(), nsis: { oneClick: 'sometimes' } }, new DebugLogger(false))).rejects.toThrow(/oneClick/);
    await expect(validateConfiguration({ ...config(), notAnOption: true }, new DebugLogger(false))).rejects.toThrow(/notAnOption/);
    await expect(validateConfiguration({ ...config(), mac: { ...section('mac'), notarize: 'yes' } }, new DebugLogger(false))).rejects.toThrow(/notarize/);
  });

  it('builds NSIS and MSI for Windows, dmg and zip for both Mac architectures, AppImage and deb for Linux', () => {
    expect(targets('win')).toEqual({ nsis: ['x64'], msi: ['x64'] });
    expect(targets('mac')).toEqual({ dmg: ['arm64', 'x64'], zip: ['arm64', 'x64'] });
    expect(targets('linux')).toEqual({ AppImage: ['x64'], deb: ['x64'] });
  });

  it('NSIS installs per user or per machine (/S, /allusers, /currentuser); MSI per machine', () => {
    // perMachine must be false for the install-mode page and its /allusers and /currentuser switches.
    expect(section('nsis')).toMatchObject({ oneClick: false, perMachine: false, selectPerMachineByDefault: true, allowElevation: true, deleteAppDataOnUninstall: false });
    expect(section('msi')).toMatchObject({ perMachine: true });
    expect(String(section('msi').upgradeCode)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('macOS: hardened runtime with the entitlements file, notarized', () => {
    const mac = section('mac');
    expect(mac).toMatchObject({ hardenedRuntime: true, notarize: true, entitlements: 'resources/build/entitlements.mac.plist' });
    const plist = readFileSync(mac.entitlements as string, 'utf8');
    const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    // Only what V8 and the provider calls need; nothing that weakens library validation or allows dyld variables.
    expect(granted.sort()).toEqual(['com.apple.security.cs.allow-jit', 'com.apple.security.network.client']);
  });

  it('holds no signing credential: they come from the environment only', () => {
    const text = readFileSync('electron-builder.yml', 'utf8');
    for (const key of ['cscLink', 'cscKeyPassword', 'certificateFile', 'certificatePassword', 'certificateSha1', 'appleId', 'appleIdPassword', 'teamId']) {
      expect(text).not.toMatch(new RegExp(`^\\s*${key}\\s*:`, 'm'));
    }
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
  });

  it('runs the hooks that refuse unsigned releases, flip the fuses and sign the update files', () => {
    const c = config();
    expect(c.beforePack).toBe('scripts/build/beforePack.mjs');
    expect(c.afterPack).toBe('scripts/build/afterPack.mjs');
    expect(c.afterAllArtifactBuild).toBe('scripts/build/afterAllArtifactBuild.mjs');
    for (const hook of [c.beforePack, c.afterPack, c.afterAllArtifactBuild]) expect(existsSync(hook as string)).toBe(true);
  });

  it('publishes where electron-updater looks (https only)', () => {
    const [publish] = config().publish as Obj[];
    expect(publish).toMatchObject({ provider: 'generic' });
    expect(String(publish!.url)).toMatch(/^https:\/\//);
  });
});

describe('better-sqlite3 in the package', () => {
  const unpack = config().asarUnpack as string[];
  const isUnpacked = (p: string) => unpack.some((pattern) => minimatch(p, pattern, { dot: true }));
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Obj; devDependencies: Obj };

  it('is a production dependency, so electron-builder copies it into the app', () => {
    expect(pkg.dependencies['better-sqlite3']).toBeDefined();
    expect(pkg.devDependencies['better-sqlite3']).toBeUndefined();
  });

  it("ships an N-API prebuild for every platform and arch the config targets, unpacked from the ASAR", () => {
    const wanted = [
      ...targets('win').nsis!.map((a) => `win32-${a}`),
      ...targets('mac').dmg!.map((a) => `darwin-${a}`),
      ...targets('linux').AppImage!.map((a) => `linux-${a}`),
    ];
    expect(wanted.sort()).toEqual(['darwin-arm64', 'darwin-x64', 'linux-x64', 'win32-x64']);
    for (const target of wanted) {
      const prebuild = `node_modules/better-sqlite3/prebuilds/${target}.node`;
      expect(existsSync(prebuild), prebuild).toBe(true);
      expect(isUnpacked(prebuild), `${prebuild} must be outside the ASAR`).toBe(true);
      // The package's per-platform entry loads exactly that file.
      expect(readFileSync(`node_modules/better-sqlite3/lib/${target}.js`, 'utf8')).toContain(`../prebuilds/${target}.node`);
    }
    expect(isUnpacked('node_modules/better-sqlite3/lib/index.js')).toBe(true);
    expect(isUnpacked('out/main/index.js')).toBe(false);
  });

  it('is not rebuilt from source when packaging (the prebuilds are N-API, ABI-stable across Electron versions)', () => {
    expect(config().npmRebuild).toBe(false);
    expect(config().buildDependenciesFromSource).toBe(false);
    expect(readFileSync('node_modules/better-sqlite3/package.json', 'utf8')).toMatch(/"node-addon-api"/);
  });
});

describe('signing rule (beforePack)', () => {
  const winCert = { WIN_CSC_LINK: '/secure/cert.pfx', WIN_CSC_KEY_PASSWORD: 'x' };
  const macAll = { CSC_LINK: '/secure/devid.p12', CSC_KEY_PASSWORD: 'x', APPLE_API_KEY: '/secure/key.p8', APPLE_API_KEY_ID: 'K', APPLE_API_ISSUER: 'I' };
  const upd = { UPDATE_SIGNING_KEY: 'pem' };

  function withKey(present: boolean): string {
    const cwd = tempDir();
    if (present) {
      mkdirSync(join(cwd, dirname(UPDATE_KEY_FILE)), { recursive: true });
      writeFileSync(join(cwd, UPDATE_KEY_FILE), '-----BEGIN PUBLIC KEY-----\n');
    }
    return cwd;
  }

  it('a release build without credentials fails loudly, naming what is missing', () => {
    expect(() => checkSigning({ platform: 'win32', env: { BATCHDESK_RELEASE: '1' }, cwd: withKey(true) })).toThrow(
      /Release build for win32 refused: it would not be signed\.[\s\S]*WIN_CSC_LINK \+ WIN_CSC_KEY_PASSWORD[\s\S]*AZURE_TENANT_ID[\s\S]*UPDATE_SIGNING_KEY/,
    );
    expect(() => checkSigning({ platform: 'darwin', env: { BATCHDESK_RELEASE: '1', CSC_LINK: 'a', CSC_KEY_PASSWORD: 'b', ...upd }, cwd: withKey(true) })).toThrow(
      /notarization: set APPLE_API_KEY \+ APPLE_API_KEY_ID \+ APPLE_API_ISSUER/,
    );
    expect(() => checkSigning({ platform: 'linux', env: { BATCHDESK_RELEASE: '1', ...upd }, cwd: withKey(false) })).toThrow(/public-key\.pem is missing/);
  });

  it('a fully signed release passes; one missing variable is enough to refuse', () => {
    expect(checkSigning({ platform: 'win32', env: { BATCHDESK_RELEASE: '1', ...winCert, ...upd }, cwd: withKey(true) })).toMatch(/^release build for win32: signed/);
    expect(checkSigning({ platform: 'darwin', env: { BATCHDESK_RELEASE: 'true', ...macAll, ...upd }, cwd: withKey(true) })).toMatch(/notarized with App Store Connect API key/);
    const { APPLE_API_ISSUER: _drop, ...macNoIssuer } = macAll;
    expect(() => checkSigning({ platform: 'darwin', env: { BATCHDESK_RELEASE: '1', ...macNoIssuer, ...upd }, cwd: withKey(true) })).toThrow(/notarization/);
    expect(() => checkSigning({ platform: 'win32', env: { BATCHDESK_RELEASE: '1', WIN_CSC_LINK: 'a', WIN_CSC_KEY_PASSWORD: ' ', ...upd }, cwd: withKey(true) })).toThrow(/code signing/);
  });

  it('a dev build without credentials is built, and says it is unsigned', () => {
    const warn = vi.fn();
    expect(checkSigning({ platform: 'win32', env: {}, cwd: withKey(false), warn })).toMatch(/^unsigned dev build for win32: not for distribution/);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[batchdesk\] unsigned dev build for win32/));
  });

  it('the hook reads the real environment', async () => {
    const saved = process.env.BATCHDESK_RELEASE;
    process.env.BATCHDESK_RELEASE = '1';
    try {
      await expect(beforePack({ electronPlatformName: 'darwin' })).rejects.toThrow(/Release build for darwin refused/);
    } finally {
      if (saved === undefined) delete process.env.BATCHDESK_RELEASE;
      else process.env.BATCHDESK_RELEASE = saved;
    }
    expect(signingStatus('linux', {}).missing).toEqual(['update signing: set UPDATE_SIGNING_KEY (Ed25519 private key, PEM)']);
  });
});

describe('Electron fuses (afterPack)', () => {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  // Electron's defaults, as in a fresh binary: '1' enabled, '0' disabled.
  const ELECTRON_DEFAULTS = '101100011';

  function fakeElectron(file: string, wire = ELECTRON_DEFAULTS): void {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.concat([randomBytes(4096), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), randomBytes(4096)]));
  }
  const context = (appOutDir: string, electronPlatformName: string, arch = 1) => ({
    appOutDir,
    electronPlatformName,
    arch,
    packager: { appInfo: { productFilename: 'Batchdesk' }, executableName: 'batchdesk' },
  });

  it('asks for exactly the hardened settings', () => {
    expect(FUSES).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      [FuseV1Options.WasmTrapHandlers]: true,
    });
    expect(fuseConfig('darwin', 3)).toMatchObject({ strictlyRequireAllFuses: true, resetAdHocDarwinSignature: true });
    expect(fuseConfig('darwin', 1).resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfig('win32', 3).resetAdHocDarwinSignature).toBe(false);
  });

  const layouts = [
    ['linux', 'batchdesk'],
    ['win32', 'Batchdesk.exe'],
    ['darwin', 'Batchdesk.app/Contents/Frameworks/Electron Framework.framework/Electron Framework'],
  ] as const;
  it.each(layouts)('flips the fuse wire of the packaged binary on %s', async (platform, binary) => {
    const out = tempDir();
    const file = join(out, binary);
    fakeElectron(file);
    const before = readFileSync(file);
    await afterPack(context(out, platform));
    const wire = await getCurrentFuseWire(platform === 'darwin' ? join(out, 'Batchdesk.app') : file);
    const states = Object.fromEntries(Object.entries(wire).filter(([k]) => k !== 'version').map(([k, v]) => [k, v === 49]));
    expect(states).toEqual(Object.fromEntries(Object.entries(FUSES).map(([k, v]) => [k, v])));
    // Only the wire changed: same size, same bytes around it.
    const after = readFileSync(file);
    expect(after.length).toBe(before.length);
    expect(after.subarray(0, 4096 + SENTINEL.length + 2)).toEqual(before.subarray(0, 4096 + SENTINEL.length + 2));
  });

  it('an Electron with a fuse nobody decided on fails the build (strict)', async () => {
    const out = tempDir();
    fakeElectron(join(out, 'batchdesk'), ELECTRON_DEFAULTS + '1');
    await expect(afterPack(context(out, 'linux'))).rejects.toThrow(/strictlyRequireAllFuses/);
  });

  it('a binary without the fuse wire fails the build', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'batchdesk'), randomBytes(1024));
    await expect(afterPack(context(out, 'linux'))).rejects.toThrow(/Could not find sentinel/);
    rmSync(join(out, 'batchdesk'));
    await expect(afterPack(context(out, 'linux'))).rejects.toThrow(/ENOENT/);
  });
});
