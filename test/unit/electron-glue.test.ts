/**
 * The Electron glue (electron/main/index.ts, electron/preload/index.ts) under a recording FAKE of
 * the `electron` module: the Electron binary cannot be downloaded in this environment, so the real
 * one cannot run here. The fake only records what the glue asks of Electron; the assertions are
 * about our security settings and our IPC filtering, which is what this glue is responsible for.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

type Fn = (...args: never[]) => unknown;
const rec = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; loaded?: string; wc: Record<string, unknown> }[],
  ipc: new Map<string, Fn>(),
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, Fn>(),
  appEvents: new Map<string, Fn>(),
  permissionRequest: null as null | Fn,
  permissionCheck: null as null | Fn,
  exposed: new Map<string, Record<string, Fn>>(),
  invoked: [] as [string, unknown][],
  rendererListeners: new Map<string, Fn>(),
  errorBoxes: [] as [string, string][],
  exits: [] as number[],
  notifications: [] as { title: string; body: string }[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => rec.windows;
    webContents = { send: vi.fn() };
    constructor(options: Record<string, unknown>) {
      rec.windows.push({ options, wc: this.webContents });
    }
    once() {}
    on() {}
    show() {}
    loadURL(url: string) {
      rec.windows[rec.windows.length - 1]!.loaded = url;
      return Promise.resolve();
    }
  }
  return {
    app: {
      setName: vi.fn(),
      whenReady: () => Promise.resolve(),
      on: (name: string, fn: Fn) => rec.appEvents.set(name, fn),
      getPath: () => '/nonexistent',
      getVersion: () => '0.0.0-test',
      exit: (code: number) => rec.exits.push(code),
      quit: vi.fn(),
    },
    BrowserWindow,
    // FAKE OS notification (needs the Electron binary): records what would be shown.
    Notification: class {
      static isSupported = () => true;
      constructor(readonly options: { title: string; body: string }) {}
      show() {
        rec.notifications.push(this.options);
      }
    },
    ipcMain: { handle: (name: string, fn: Fn) => rec.ipc.set(name, fn) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => rec.schemes.push(s),
      handle: (scheme: string, fn: Fn) => rec.protocolHandlers.set(scheme, fn),
    },
    net: { fetch: vi.fn() },
    dialog: { showErrorBox: (title: string, text: string) => rec.errorBoxes.push([title, text]), showOpenDialog: vi.fn() },
    shell: { openExternal: vi.fn() },
    // FAKE safeStorage (the real one needs the Electron binary and an OS keyring): reversible, so
    // the glue can be exercised; the key source's refusal rules are tested in crypto.test.ts.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => Buffer.from(`fake:${s}`),
      decryptString: (b: Buffer) => b.toString().slice(5),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => (rec.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => (rec.permissionCheck = fn),
      },
    },
    webUtils: { getPathForFile: (f: { fakePath: string }) => f.fakePath },
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, Fn>) => rec.exposed.set(key, api) },
    ipcRenderer: {
      invoke: (name: string, input: unknown) => {
        rec.invoked.push([name, input]);
        return Promise.resolve({ ok: true, value: null });
      },
      on: (name: string, fn: Fn) => rec.rendererListeners.set(name, fn),
      removeListener: (name: string) => rec.rendererListeners.delete(name),
    },
  };
});

beforeAll(async () => {
  process.env.BATCHDESK_HOME = tempDir();
  await import('../../electron/main/index');
  await import('../../electron/preload/index');
  await new Promise((r) => setTimeout(r, 50)); // let whenReady().then run
});
afterAll(() => {
  delete process.env.BATCHDESK_HOME;
  cleanupTempDirs();
});

describe('Electron main', () => {
  it('opens one window with context isolation, sandbox and no Node integration, from app://', () => {
    expect(rec.windows).toHaveLength(1);
    const prefs = rec.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(rec.windows[0]!.loaded).toBe('app://batchdesk/');
    expect(rec.schemes).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
  });

  it('denies every permission request and check', () => {
    const cb = vi.fn();
    (rec.permissionRequest as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(null, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect((rec.permissionCheck as () => boolean)()).toBe(false);
  });

  it('denies new windows and navigation in every web contents', () => {
    const handlers = new Map<string, Fn>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    const contents = {
      setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
      on: (name: string, fn: Fn) => handlers.set(name, fn),
    };
    (rec.appEvents.get('web-contents-created') as (e: unknown, c: unknown) => void)({}, contents);
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      (handlers.get(name) as (e: unknown) => void)(event);
      expect(event.preventDefault).toHaveBeenCalled();
    }
  });

  it('registers exactly the contract\'s channels and refuses calls from untrusted frames', async () => {
    const { CHANNEL_NAME_LIST, IPC_PREFIX } = await import('../../shared/contract/names');
    expect([...rec.ipc.keys()].sort()).toEqual(CHANNEL_NAME_LIST.map((n) => IPC_PREFIX + n).sort());
    const create = rec.ipc.get(`${IPC_PREFIX}batches.create`) as (e: unknown, input: unknown) => Promise<unknown>;
    expect(await create({ senderFrame: { url: 'https://evil.example/' } }, { name: 'x', profile: 'wonder' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'This window may not call Batchdesk.' },
    });
    expect(await create({ senderFrame: null }, { name: 'x', profile: 'wonder' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await create({ senderFrame: { url: 'app://batchdesk/' } }, { name: 'From IPC', profile: 'wonder' })).toMatchObject({
      ok: true,
      value: { name: 'From IPC', profile: 'wonder' },
    });
    expect(await create({ senderFrame: { url: 'app://batchdesk/' } }, { name: '' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });
});

describe('preload', () => {
  it('exposes only invoke and on, for the contract\'s names', async () => {
    const api = rec.exposed.get('batchdesk')!;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect([...rec.exposed.keys()]).toEqual(['batchdesk', 'batchdeskFiles']);
    await api.invoke!('batches.list' as never, {} as never);
    expect(rec.invoked).toEqual([['batchdesk:batches.list', {}]]);
    expect(await api.invoke!('fs.readFile' as never, {} as never)).toEqual({
      ok: false,
      error: { code: 'unknown_channel', message: 'There is no channel named "fs.readFile".' },
    });
    expect(rec.invoked).toHaveLength(1);
    const off = api.on!('batches.changed' as never, (() => {}) as never) as () => void;
    expect([...rec.rendererListeners.keys()]).toEqual(['batchdesk-event:batches.changed']);
    off();
    expect(rec.rendererListeners.size).toBe(0);
    expect(() => api.on!('anything' as never, (() => {}) as never)).toThrow(/no event named "anything"/);
  });

  it('beside it, only the path of a dropped file (webUtils.getPathForFile), nothing of main', () => {
    const files = rec.exposed.get('batchdeskFiles')!;
    expect(Object.keys(files)).toEqual(['pathForFile']);
    expect(files.pathForFile!({ fakePath: '/home/clerk/march.csv' } as never)).toBe('/home/clerk/march.csv');
    expect(rec.invoked).toHaveLength(1); // no IPC call
  });
});

describe('hardening settings as the app applies them', () => {
  it('serves the renderer from app:// with the strict CSP and security headers; nothing outside the renderer folder', async () => {
    const electron = (await import('electron')) as unknown as { net: { fetch: ReturnType<typeof vi.fn> } };
    const { CONTENT_SECURITY_POLICY } = await import('../../electron/main/security');
    electron.net.fetch.mockImplementation(async () => new Response('<!doctype html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    const handler = rec.protocolHandlers.get('app') as (r: Request) => Promise<Response>;
    const res = await handler(new Request('app://batchdesk/'));
    expect(res.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect((await handler(new Request('app://batchdesk/..%2f..%2fmain%2findex.js'))).status).toBe(404);
    expect((await handler(new Request('app://elsewhere/'))).status).toBe(404);
  });

  it('the CSP allows only our own origin: no outside connection, no inline or eval script, no plugins, no framing', async () => {
    const { CONTENT_SECURITY_POLICY } = await import('../../electron/main/security');
    const csp = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(csp).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
    });
    // The page's own meta CSP says the same (frame-ancestors works only as a header).
    const { readFileSync } = await import('node:fs');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync('renderer/index.html', 'utf8'))![1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it('ships with the hardened fuses (flipped in the packaged binary by the afterPack hook)', async () => {
    const { FUSES } = await import('../../scripts/build/fuses.mjs');
    const { FuseV1Options } = await import('@electron/fuses');
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
  });
});

describe('IPC sender check', () => {
  it('compares origins, not prefixes', async () => {
    const { isTrustedFrameUrl } = await import('../../electron/main/ipc/electron');
    expect(isTrustedFrameUrl('app://batchdesk/index.html', undefined)).toBe(true);
    expect(isTrustedFrameUrl('app://evil/index.html', undefined)).toBe(false);
    expect(isTrustedFrameUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedFrameUrl('http://localhost:5173.evil.example/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedFrameUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedFrameUrl('http://localhost:5173/', undefined)).toBe(false);
    expect(isTrustedFrameUrl('not a url', 'http://localhost:5173')).toBe(false);
    expect(isTrustedFrameUrl(undefined, 'http://localhost:5173')).toBe(false);
  });

  // Last in this block: it closes the services.
  it('quitting holds the quit until the services have closed (background runs stopped), then exits', async () => {
    const prevented = vi.fn();
    const exitsBefore = rec.exits.length;
    (rec.appEvents.get('will-quit') as (e: { preventDefault(): void }) => void)({ preventDefault: prevented });
    expect(prevented).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(rec.exits.length).toBeGreaterThan(exitsBefore), { timeout: 10_000 });
    expect(rec.exits.slice(exitsBefore)).toEqual([0]);
    rec.exits.length = exitsBefore; // the damaged-file test below counts its own exits
    // The second will-quit (from that exit) lets the quit go through.
    const again = vi.fn();
    (rec.appEvents.get('will-quit') as (e: { preventDefault(): void }) => void)({ preventDefault: again });
    expect(again).not.toHaveBeenCalled();
  });
});

describe('Electron main on a damaged data file', () => {
  it('shows the store\'s clear error, exits, and leaves the file as it was', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir();
    const file = join(dir, 'batchdesk.sqlite');
    writeFileSync(file, 'this is not a database '.repeat(100));
    const before = readFileSync(file);
    process.env.BATCHDESK_HOME = dir;
    vi.resetModules();
    await import('../../electron/main/index');
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.errorBoxes).toHaveLength(1);
    expect(rec.errorBoxes[0]![0]).toBe('Batchdesk cannot start');
    expect(rec.errorBoxes[0]![1]).toMatch(/is not a Batchdesk database.*Nothing was changed/);
    expect(rec.exits).toEqual([1]);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
