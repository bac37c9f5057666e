/**
 * Starts safe updates in the packaged desktop app: electron-updater's updater for this platform,
 * our verification key, a first check shortly after start and one every six hours.
 */
import { readFile } from 'node:fs/promises';
import type { UpdateChannel } from '../../../shared/contract';
import type { Logger } from '../ipc/wrap';
import { UpdateController, type Updater } from './controller';
import { loadPublicKey } from './signature';

/** Where electron-builder.yml publishes; a policy's updates.url replaces it. */
export const DEFAULT_FEED = 'https://updates.batchdesk.app/desktop';

export interface StartUpdates {
  policy: { enabled: boolean; channel: UpdateChannel | null; url: string | null };
  channel: UpdateChannel;
  keyFile: string;
  fetchText(url: string): Promise<string | null>;
  log: Logger;
}

/** Returns the function that installs a verified update on quit. */
export async function startUpdates(o: StartUpdates): Promise<() => boolean> {
  const publicKey = loadPublicKey(await readFile(o.keyFile, 'utf8').catch(() => null));
  // electron-updater loads Electron when imported: only here, in the packaged app.
  const { autoUpdater } = await import('electron-updater');
  const controller = new UpdateController({
    updater: autoUpdater as unknown as Updater,
    publicKey,
    policy: o.policy,
    channel: o.channel,
    defaultFeed: DEFAULT_FEED,
    fetchText: o.fetchText,
    log: o.log,
  });
  if (controller.status.state === 'disabled') {
    o.log('info', `Updates: ${controller.status.why}`);
    return () => false;
  }
  setTimeout(() => void controller.check(), 15_000).unref();
  setInterval(() => void controller.check(), 6 * 3600_000).unref();
  return () => controller.installIfReady();
}
