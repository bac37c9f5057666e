/**
 * Safe updates on top of electron-updater. Nothing installs without our check: downloads happen,
 * but `autoInstallOnAppQuit` is off and `quitAndInstall` is only ever called for a file whose
 * detached signature verifies against the key pinned in the app. A refused update is deleted and
 * the running version goes on as it is. On Windows the same check also runs inside
 * electron-updater's signature hook, next to its Authenticode publisher check.
 */
import { rm } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import type { UpdateChannel } from '../../../shared/contract';
import type { Logger } from '../ipc/wrap';
import { verifyUpdateFile, type Verdict } from './signature';

/** The part of electron-updater's AppUpdater we use (a fake in the tests: it needs Electron). */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  channel: string | null;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (e: { version: string; downloadedFile: string; files: { url: string }[] }) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  /** NsisUpdater only. */
  verifyUpdateCodeSignature?: (publisherNames: string[], file: string) => Promise<string | null>;
}

export type UpdateState =
  | { state: 'disabled'; why: string }
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ready'; version: string }
  | { state: 'installing'; version: string }
  | { state: 'refused'; version: string; reason: string }
  | { state: 'error'; message: string };

export interface UpdateOptions {
  updater: Updater;
  publicKey: KeyObject | null;
  /** From the policy: off, pinned channel, another feed. */
  policy: { enabled: boolean; channel: UpdateChannel | null; url: string | null };
  /** The clerk's setting, used when the policy pins none. */
  channel: UpdateChannel;
  /** The feed the build was published to (electron-builder.yml publish.url). */
  defaultFeed: string;
  /** Fetches a `.sig` file; resolves null when it is missing. */
  fetchText(url: string): Promise<string | null>;
  log: Logger;
}

export class UpdateController {
  private current: UpdateState = { state: 'idle' };
  private readonly feed: string;

  constructor(private readonly o: UpdateOptions) {
    this.feed = (o.policy.url ?? o.defaultFeed).replace(/\/+$/, '');
    if (!o.policy.enabled) {
      this.current = { state: 'disabled', why: 'Updates are turned off by your administrator.' };
      return;
    }
    if (!o.publicKey) {
      // Fail closed: without the pinned key, no update could be verified, so none is fetched.
      this.current = { state: 'disabled', why: 'This build has no update verification key.' };
      o.log('warn', 'Updates disabled: no update verification key in this build');
      return;
    }
    const u = o.updater;
    u.autoDownload = true;
    u.autoInstallOnAppQuit = false;
    u.setFeedURL({ provider: 'generic', url: this.feed });
    const channel = o.policy.channel ?? o.channel;
    u.channel = channel === 'stable' ? 'latest' : channel;
    u.allowPrerelease = channel === 'beta';
    // Setting a channel turns downgrades on in electron-updater; an old signed build may have holes.
    u.allowDowngrade = false;
    const authenticode = u.verifyUpdateCodeSignature;
    if (authenticode) {
      u.verifyUpdateCodeSignature = async (publishers, file) => {
        const v = await this.verify(file, null);
        if (!v.ok) return v.reason;
        return authenticode(publishers, file);
      };
    }
    u.on('update-downloaded', (e) => void this.downloaded(e));
    u.on('error', (e) => {
      this.current = { state: 'error', message: e.message };
      o.log('warn', 'Update check failed; the running version goes on', e);
    });
  }

  get status(): UpdateState {
    return this.current;
  }

  async check(): Promise<UpdateState> {
    if (this.current.state === 'disabled') return this.current;
    this.current = { state: 'checking' };
    try {
      await this.o.updater.checkForUpdates();
    } catch (e) {
      this.current = { state: 'error', message: (e as Error).message };
      this.o.log('warn', 'Update check failed; the running version goes on', e);
    }
    return this.current;
  }

  /** Installs a verified update (on quit); refuses anything else. */
  installIfReady(): boolean {
    if (this.current.state !== 'ready') return false;
    this.current = { state: 'installing', version: this.current.version };
    this.o.updater.quitAndInstall(true, false);
    return true;
  }

  private async verify(file: string, publishedName: string | null): Promise<Verdict> {
    const name = publishedName ?? decodeURIComponent(file.split(/[\\/]/).pop() ?? '');
    let signature: string | null;
    try {
      signature = await this.o.fetchText(`${this.feed}/${encodeURIComponent(name)}.sig`);
    } catch (e) {
      return { ok: false, reason: `the signature of ${name} could not be fetched (${(e as Error).message})` };
    }
    return verifyUpdateFile(file, name, signature, this.o.publicKey);
  }

  private async downloaded(e: { version: string; downloadedFile: string; files: { url: string }[] }): Promise<void> {
    const url = e.files[0]?.url ?? e.downloadedFile;
    const name = decodeURIComponent(url.split(/[\\/]/).pop()!.split('?')[0]!);
    const verdict = await this.verify(e.downloadedFile, name);
    if (verdict.ok) {
      this.current = { state: 'ready', version: e.version };
      this.o.log('info', `Update ${e.version} downloaded and verified; it installs when Batchdesk quits`);
      return;
    }
    await rm(e.downloadedFile, { force: true }).catch(() => {});
    this.current = { state: 'refused', version: e.version, reason: verdict.reason };
    this.o.log('error', `Update ${e.version} refused: ${verdict.reason}. The running version goes on.`);
  }
}
