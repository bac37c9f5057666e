/**
 * Electron main: one window, hardened; the contract bound to IPC; the renderer served from the
 * app:// protocol with a strict CSP. Kept thin on purpose: everything testable lives in services/
 * and runs under plain Node in the tests (the Electron binary is not available in CI).
 */
import { app, BrowserWindow, dialog, ipcMain, net, Notification, protocol, safeStorage, session } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServices, type Emit, type Services } from './services';
import { acquireInstanceLock } from './services/instanceLock';
import { createHandlers } from './ipc/handlers';
import { registerIpc } from './ipc/electron';
import { SafeStorageKeySource } from './services/crypto';
import { EVENT_PREFIX } from '../../shared/contract/names';
import { events } from '../../shared/contract';
import { SECURITY_HEADERS } from './security';
import { createLog, type AppLog } from './log/logger';
import { loadPolicy } from './policy/load';
import { withNotifications } from './notifications';
import { startUpdates } from './updates/start';

app.setName('Batchdesk');
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererDir = join(import.meta.dirname, '../renderer');
let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;
let appLog: AppLog | null = null;
let installUpdate: (() => boolean) | null = null;

// Until the data folder is known the log file is not either; then everything goes to appLog.
const log = (level: 'error' | 'warn' | 'info', message: string, detail?: unknown) =>
  appLog ? appLog.logger(level, message, detail) : console.error(`[${level}] ${message}`, detail ?? '');

function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'batchdesk') return new Response('Not found', { status: 404 });
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) headers.set(k, v);
    return new Response(res.body, { status: res.status, headers });
  });
}

function harden(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    // No new windows and nothing handed to the OS browser: the renderer has no outside links.
    contents.setWindowOpenHandler(({ url }) => {
      log('warn', 'Refused to open a window', { url });
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'Batchdesk',
    show: false,
    webPreferences: {
      // The preload exposes exactly the contract's invoke/on (electron/preload; tested in electron-glue).
      preload: join(import.meta.dirname, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click would open links in a new window.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadURL(devServerUrl ?? 'app://batchdesk/');
}

app
  .whenReady()
  .then(async () => {
    harden();
    serveRenderer();
    const dataDir = process.env.BATCHDESK_HOME ?? app.getPath('userData');
    // one app per data folder: a second one is refused (its message is shown in the error box)
    acquireInstanceLock(dataDir, 'desktop');
    appLog = createLog({ dataDir });
    appLog.catchProcessErrors();
    const policy = await loadPolicy();
    for (const p of policy.view.problems) log('warn', `Policy problem in ${p.source}: ${p.message}`);
    services = createServices({
      dataDir,
      mode: 'electron',
      version: app.getVersion(),
      checkWorker: { file: join(import.meta.dirname, 'checkWorker.js') },
      policy,
      // Card data is sealed with a key the OS keeps; refused where safeStorage is plain text.
      keySource: new SafeStorageKeySource(safeStorage, dataDir),
    });
    log('info', `Batchdesk ${app.getVersion()} started`, { dataDir, managed: policy.view.managed.length });
    const notifier = Notification.isSupported() ? { notify: (title: string, body: string) => new Notification({ title, body }).show() } : null;
    const emit: Emit = withNotifications((name, payload) => mainWindow?.webContents.send(EVENT_PREFIX + name, events[name].parse(payload)), notifier);
    const chooseFile = async (): Promise<string | null> => {
      const options: Electron.OpenDialogOptions = {
        title: 'Choose a batch file',
        properties: ['openFile'],
        filters: [
          { name: 'Batch files', extensions: ['csv', 'txt', 'tsv', 'xlsx'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    };
    registerIpc(ipcMain, createHandlers(services, emit, { chooseFile }), { devServerUrl, log });
    createWindow();
    // The built-in sandbox (the default connection) starts in-process; unfinished batches are followed again.
    void services.submissions.start().then((r) => (r.error ? log('warn', r.error) : log('info', 'Submissions started', r)));
    // Only a packaged, signed build updates itself (electron-updater refuses in development anyway).
    if (app.isPackaged) {
      installUpdate = await startUpdates({
        policy: policy.updates,
        channel: services.settings.get().updateChannel,
        keyFile: join(process.resourcesPath, 'update', 'public-key.pem'),
        fetchText: async (url) => {
          const r = await net.fetch(url);
          return r.status === 404 ? null : r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`));
        },
        log,
      });
    }
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  })
  .catch((e: unknown) => {
    log('error', 'Batchdesk could not start', e);
    // A damaged or newer database, or a locked one: say so plainly; nothing was changed or reset.
    dialog.showErrorBox('Batchdesk cannot start', e instanceof Error ? e.message : String(e));
    app.exit(1);
  });

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
// A verified update installs when the clerk quits; nothing else is ever installed.
app.on('before-quit', () => installUpdate?.());
// Quitting waits for background submission runs to stop writing before the database closes.
let closed = false;
app.on('will-quit', (e) => {
  if (closed || !services) return;
  e.preventDefault();
  void services.closeAsync().finally(() => {
    closed = true;
    app.exit(0);
  });
});
