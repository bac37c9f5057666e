/**
 * Update verification with real artifacts: a key pair made here, files signed by the release
 * build's own signer (scripts/build/update-signature.mjs), signatures served by a real HTTP server
 * on 127.0.0.1. electron-updater itself needs Electron, so the updater is a FAKE with its event
 * API; what is tested is our rule: only a verified file is ever installed.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpdateFile } from '../../scripts/build/update-signature.mjs';
import { afterAllArtifactBuild } from '../../scripts/build/afterAllArtifactBuild.mjs';
import { UpdateController, type Updater } from '../../electron/main/updates/controller';
import { loadPublicKey, verifyUpdateFile } from '../../electron/main/updates/signature';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

const pem = (k: KeyObject, type: 'spki' | 'pkcs8') => k.export({ type, format: 'pem' }).toString();
const ours = generateKeyPairSync('ed25519');
const theirs = generateKeyPairSync('ed25519');
const OUR_PUBLIC = loadPublicKey(pem(ours.publicKey, 'spki'));
const OUR_PRIVATE = pem(ours.privateKey, 'pkcs8');
const THEIR_PRIVATE = pem(theirs.privateKey, 'pkcs8');

/** Serves files from `dir` (the update feed); 404 for anything missing. */
let server: Server;
let feed: string;
let feedDir: string;
beforeAll(async () => {
  feedDir = tempDir('batchdesk-feed-');
  server = createServer((req, res) => {
    const file = join(feedDir, decodeURIComponent(new URL(req.url!, 'http://x').pathname.slice('/desktop/'.length)));
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  feed = `http://127.0.0.1:${(server.address() as { port: number }).port}/desktop`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  cleanupTempDirs();
});

const fetchText = async (url: string) => {
  const r = await fetch(url);
  return r.status === 404 ? null : r.text();
};

function artifact(name: string, content = `installer bytes of ${name}\n`.repeat(1000)): string {
  const file = join(feedDir, name);
  writeFileSync(file, content);
  return file;
}

/** Downloads the way electron-updater does: a copy in its own cache folder. */
function download(name: string): string {
  const file = join(tempDir('batchdesk-pending-'), name);
  writeFileSync(file, readFileSync(join(feedDir, name)));
  return file;
}

class FakeUpdater extends EventEmitter implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  allowPrerelease = false;
  channel: string | null = null;
  feed: unknown = null;
  checks = 0;
  verifyUpdateCodeSignature?: (publisherNames: string[], file: string) => Promise<string | null>;
  installs = 0;
  setFeedURL(o: unknown) {
    this.feed = o;
  }
  async checkForUpdates() {
    this.checks++;
    return null;
  }
  quitAndInstall() {
    this.installs++;
  }
}

const logs: string[] = [];
function controller(over: Partial<ConstructorParameters<typeof UpdateController>[0]> = {}) {
  const updater = (over.updater as FakeUpdater | undefined) ?? new FakeUpdater();
  const c = new UpdateController({
    updater,
    publicKey: OUR_PUBLIC,
    policy: { enabled: true, channel: null, url: null },
    channel: 'stable',
    defaultFeed: feed,
    fetchText,
    log: (level, message) => logs.push(`${level} ${message}`),
    ...over,
  });
  return { c, updater };
}

async function deliver(updater: FakeUpdater, c: UpdateController, file: string, version = '0.2.0'): Promise<void> {
  updater.emit('update-downloaded', { version, downloadedFile: file, files: [{ url: basename(file) }] });
  for (let i = 0; i < 100 && (c.status.state === 'idle' || c.status.state === 'checking'); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('update signature', () => {
  it('a file signed by the release key verifies; one changed byte does not', async () => {
    const file = artifact('Batchdesk-Setup-0.2.0.exe');
    const sig = readFileSync(await signUpdateFile(file, OUR_PRIVATE), 'utf8');
    expect(await verifyUpdateFile(file, 'Batchdesk-Setup-0.2.0.exe', sig, OUR_PUBLIC)).toEqual({ ok: true });
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(file, bytes);
    expect(await verifyUpdateFile(file, 'Batchdesk-Setup-0.2.0.exe', sig, OUR_PUBLIC)).toEqual({ ok: false, reason: expect.stringMatching(/not signed by Batchdesk's update key/) });
  });

  it('refuses a signature moved to another file name, a foreign key, junk, no signature and no key', async () => {
    const file = artifact('Batchdesk-0.2.0-arm64-mac.zip');
    const sig = readFileSync(await signUpdateFile(file, OUR_PRIVATE), 'utf8');
    expect((await verifyUpdateFile(file, 'Batchdesk-0.1.9-arm64-mac.zip', sig, OUR_PUBLIC)).ok).toBe(false);
    const foreign = readFileSync(await signUpdateFile(artifact('other.zip', readFileSync(file, 'utf8')), THEIR_PRIVATE), 'utf8');
    expect((await verifyUpdateFile(file, 'Batchdesk-0.2.0-arm64-mac.zip', foreign, OUR_PUBLIC)).ok).toBe(false);
    expect(await verifyUpdateFile(file, 'x.zip', 'not base64 at all!', OUR_PUBLIC)).toEqual({ ok: false, reason: 'the signature of x.zip is malformed' });
    expect(await verifyUpdateFile(file, 'x.zip', Buffer.alloc(63).toString('base64'), OUR_PUBLIC)).toEqual({ ok: false, reason: 'the signature of x.zip is malformed' });
    expect(await verifyUpdateFile(file, 'x.zip', null, OUR_PUBLIC)).toEqual({ ok: false, reason: 'x.zip has no signature' });
    expect((await verifyUpdateFile(file, 'Batchdesk-0.2.0-arm64-mac.zip', sig, null)).ok).toBe(false);
    expect(loadPublicKey(pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, 'spki'))).toBeNull();
    expect(loadPublicKey('-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----')).toBeNull();
  });

  it('the build hook signs every update file and publishes the .sig files', async () => {
    const files = ['Batchdesk-Setup-0.3.0.exe', 'Batchdesk-0.3.0.msi', 'Batchdesk-0.3.0.dmg', 'Batchdesk-0.3.0-arm64-mac.zip', 'Batchdesk-0.3.0.AppImage', 'batchdesk_0.3.0_amd64.deb'].map((n) => artifact(n));
    const extra = join(feedDir, 'latest.yml');
    writeFileSync(extra, 'version: 0.3.0\n');
    const sigs = await afterAllArtifactBuild({ artifactPaths: [...files, extra] }, { UPDATE_SIGNING_KEY: OUR_PRIVATE });
    expect(sigs).toEqual(files.map((f) => `${f}.sig`));
    for (const f of files) expect(await verifyUpdateFile(f, basename(f), readFileSync(`${f}.sig`, 'utf8'), OUR_PUBLIC)).toEqual({ ok: true });
    await expect(afterAllArtifactBuild({ artifactPaths: files }, { BATCHDESK_RELEASE: '1' })).rejects.toThrow(/UPDATE_SIGNING_KEY is not set/);
    expect(await afterAllArtifactBuild({ artifactPaths: files }, {})).toEqual([]);
  });
});

describe('update controller', () => {
  it('configures electron-updater: our feed, no install without our check, no downgrade, the chosen channel', () => {
    const { updater } = controller({ channel: 'beta' });
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: false, allowDowngrade: false, allowPrerelease: true, channel: 'beta' });
    expect(updater.feed).toEqual({ provider: 'generic', url: feed });
    expect(controller({ channel: 'stable' }).updater).toMatchObject({ channel: 'latest', allowPrerelease: false });
  });

  it('a policy pins the channel and may point at another feed', () => {
    const { updater } = controller({ channel: 'beta', policy: { enabled: true, channel: 'stable', url: 'https://updates.example.com/batchdesk/' } });
    expect(updater).toMatchObject({ channel: 'latest', allowPrerelease: false });
    expect(updater.feed).toEqual({ provider: 'generic', url: 'https://updates.example.com/batchdesk' });
  });

  it('updates disabled by policy: never checks, never installs', async () => {
    const { c, updater } = controller({ policy: { enabled: false, channel: null, url: null } });
    expect(await c.check()).toEqual({ state: 'disabled', why: 'Updates are turned off by your administrator.' });
    expect(updater.checks).toBe(0);
    expect(c.installIfReady()).toBe(false);
  });

  it('fails closed without a verification key: no check at all', async () => {
    const { c, updater } = controller({ publicKey: null });
    expect((await c.check()).state).toBe('disabled');
    expect(updater.checks).toBe(0);
  });

  it('a correctly signed update becomes ready and installs', async () => {
    const name = 'Batchdesk-Setup-0.4.0.exe';
    await signUpdateFile(artifact(name), OUR_PRIVATE);
    const { c, updater } = controller();
    await c.check();
    expect(updater.checks).toBe(1);
    await deliver(updater, c, download(name), '0.4.0');
    expect(c.status).toEqual({ state: 'ready', version: '0.4.0' });
    expect(c.installIfReady()).toBe(true);
    expect(updater.installs).toBe(1);
  });

  it.each([
    ['tampered on the way', 'tampered'],
    ['signed with another key', 'foreign'],
    ['published without a signature', 'unsigned'],
  ])('an update %s is refused, deleted, never installed; the running version goes on', async (_label, kind) => {
    const name = `Batchdesk-Setup-0.5.0-${kind}.exe`;
    const source = artifact(name);
    if (kind !== 'unsigned') await signUpdateFile(source, kind === 'foreign' ? THEIR_PRIVATE : OUR_PRIVATE);
    const file = download(name);
    if (kind === 'tampered') writeFileSync(file, readFileSync(file, 'utf8').replace('installer', 'malware!!'));
    const { c, updater } = controller();
    await deliver(updater, c, file, '0.5.0');
    expect(c.status).toMatchObject({ state: 'refused', version: '0.5.0' });
    expect(existsSync(file)).toBe(false);
    expect(c.installIfReady()).toBe(false);
    expect(updater.installs).toBe(0);
    expect(logs.at(-1)).toMatch(/^error Update 0\.5\.0 refused: .*The running version goes on\.$/);
  });

  it("on Windows, our check runs inside electron-updater's signature hook, before its Authenticode check", async () => {
    const good = 'Batchdesk-Setup-0.6.0.exe';
    await signUpdateFile(artifact(good), OUR_PRIVATE);
    const bad = 'Batchdesk-Setup-0.6.1.exe';
    artifact(bad);
    const updater = new FakeUpdater();
    const authenticode: string[] = [];
    updater.verifyUpdateCodeSignature = async (_p, file) => {
      authenticode.push(basename(file));
      return null;
    };
    controller({ updater });
    expect(await updater.verifyUpdateCodeSignature!(['Batchdesk'], download(good))).toBeNull();
    expect(await updater.verifyUpdateCodeSignature!(['Batchdesk'], download(bad))).toBe(`${bad} has no signature`);
    expect(authenticode).toEqual([good]);
  });

  it('an unreachable feed is an error state, not a crash', async () => {
    const updater = new FakeUpdater();
    updater.checkForUpdates = async () => {
      throw new Error('net::ERR_CONNECTION_REFUSED');
    };
    const { c } = controller({ updater });
    expect(await c.check()).toEqual({ state: 'error', message: 'net::ERR_CONNECTION_REFUSED' });
  });
});
