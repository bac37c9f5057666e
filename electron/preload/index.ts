/**
 * Exposes exactly the contract to the renderer as `window.batchdesk`: invoke(name, input) for the
 * contract's channels and on(event, listener) for its events. Nothing else (never raw ipcRenderer).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAME_LIST, EVENT_NAME_LIST, EVENT_PREFIX, IPC_PREFIX } from '../../shared/contract/names';

const channelNames = new Set<string>(CHANNEL_NAME_LIST);
const eventNames = new Set<string>(EVENT_NAME_LIST);

contextBridge.exposeInMainWorld('batchdesk', {
  invoke(name: string, input: unknown): Promise<unknown> {
    if (!channelNames.has(name)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `There is no channel named "${name}".` } });
    }
    return ipcRenderer.invoke(IPC_PREFIX + name, input);
  },
  on(name: string, listener: (payload: unknown) => void): () => void {
    if (!eventNames.has(name)) throw new Error(`There is no event named "${name}".`);
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_PREFIX + name, wrapped);
    return () => ipcRenderer.removeListener(EVENT_PREFIX + name, wrapped);
  },
});

// A file dropped onto the window has no path property any more (Electron 32+): its path, for
// import.preview's file ref. It reaches nothing in main; main still reads the file by content.
contextBridge.exposeInMainWorld('batchdeskFiles', {
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});
