/**
 * Binds the handler map to Electron IPC. Only frames we loaded (our app:// origin, or the dev
 * server in `electron-vite dev`) may call; anything else gets `forbidden`.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAME_LIST, IPC_PREFIX } from '../../../shared/contract/names';
import { dispatch, type Handlers, type Logger } from './wrap';

/** Compares origins, not string prefixes: `http://localhost:5173.evil.example/` is not the dev server. */
export function isTrustedFrameUrl(url: string | undefined, devServerUrl: string | undefined): boolean {
  if (!url) return false;
  let origin: string;
  try {
    const u = new URL(url);
    if (u.protocol === 'app:') return u.host === 'batchdesk';
    origin = u.origin;
  } catch {
    return false;
  }
  if (!devServerUrl) return false;
  try {
    return origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}

export function registerIpc(ipcMain: IpcMain, handlers: Handlers, opts: { devServerUrl?: string; log: Logger }): void {
  for (const name of CHANNEL_NAME_LIST) {
    ipcMain.handle(IPC_PREFIX + name, async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedFrameUrl(event.senderFrame?.url, opts.devServerUrl)) {
        opts.log('warn', `Refused IPC ${name} from an untrusted frame`, event.senderFrame?.url);
        return { ok: false, error: { code: 'forbidden', message: 'This window may not call Batchdesk.' } };
      }
      return dispatch(handlers, name, input, { via: 'ipc' }, opts.log);
    });
  }
}
