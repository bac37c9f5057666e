/**
 * The one wrapper every call goes through (dispatch) and the Electron binding, held to the
 * contract: inputs parsed before the handler sees them, outputs checked and stripped to the schema
 * (a handler's extra fields never reach the renderer), every failure a `{code, message}` without
 * internals. Real services on a real SQLite file; Electron's ipcMain is a recording FAKE (the
 * Electron binary cannot run here) that only stores the registered listeners.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { createServices, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { clerkError } from '../../shared/contract';
import { dispatch, formatZodError, isChannelName, type CallContext, type Handlers, type Logger } from '../../electron/main/ipc/wrap';
import { isTrustedFrameUrl, registerIpc } from '../../electron/main/ipc/electron';
import { AppError } from '../../electron/main/services/errors';
import { CHANNEL_NAME_LIST, IPC_PREFIX } from '../../shared/contract/names';
import type { EventName } from '../../shared/contract';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

let services: Services;
let handlers: Handlers;
let dataDir: string;
const events: { name: EventName; payload: unknown }[] = [];

beforeAll(() => {
  dataDir = tempDir();
  services = createServices({ dataDir, mode: 'web', version: '1.2.3' });
  handlers = createHandlers(services, (name, payload) => events.push({ name, payload }));
});

afterAll(() => {
  services.close();
  cleanupTempDirs();
});

const http: CallContext = { via: 'http' };
function recorder() {
  const lines: Parameters<Logger>[] = [];
  const log: Logger = (...a) => lines.push(a);
  return { lines, log };
}

describe('dispatch: inputs', () => {
  it('names an unknown channel, also one that is an Object property', async () => {
    for (const name of ['nope', 'toString', 'constructor', '__proto__', '']) {
      expect(await dispatch(handlers, name, {}, http)).toEqual({ ok: false, error: { code: 'unknown_channel', message: `There is no channel named "${name}".` } });
      expect(isChannelName(name)).toBe(false);
    }
    expect(isChannelName('app.info')).toBe(true);
  });

  it('a missing input is an empty one', async () => {
    expect(await dispatch(handlers, 'batches.list', undefined, http)).toEqual({ ok: true, value: [] });
    expect(await dispatch(handlers, 'batches.list', null, http)).toEqual({ ok: true, value: [] });
  });

  it('the handler gets the parsed input (trimmed, unknown keys refused) and the call context', async () => {
    const seen: unknown[] = [];
    const spy: Handlers = {
      ...handlers,
      'batches.create': (input, ctx) => {
        seen.push(input, ctx);
        return handlers['batches.create'](input, ctx);
      },
    };
    const r = await dispatch(spy, 'batches.create', { name: '  Spaced  ', profile: 'epay' }, { via: 'ipc' });
    expect(r).toMatchObject({ ok: true, value: { name: 'Spaced', profile: 'epay' } });
    expect(seen).toEqual([{ name: 'Spaced', profile: 'epay' }, { via: 'ipc' }]);
    expect(events.at(-1)).toEqual({ name: 'batches.changed', payload: { reason: 'created', id: (r as { value: { id: string } }).value.id } });
    seen.length = 0;
    expect(await dispatch(spy, 'batches.create', { name: 'x', profile: 'epay', admin: true }, http)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(seen).toEqual([]);
  });

  it('says which field is wrong by its label, every field, in order; the whole input when it is not an object', async () => {
    const r = await dispatch(handlers, 'batches.create', { name: '', profile: 'visa' }, http);
    expect(r.ok).toBe(false);
    const message = (r as { error: { message: string } }).error.message;
    expect(message).toMatch(/^Give the batch a name\. Provider must be one of: wonder, epay, sibs, jpmmps\.$/);
    expect(message).not.toMatch(/\b(name|profile):/);
    const whole = await dispatch(handlers, 'batches.create', 'text', http);
    expect((whole as { error: { code: string; message: string } }).error).toMatchObject({ code: 'bad_input', message: 'The input must be a set of values.' });
  });

  it('formatZodError joins the messages of every issue, once each, in order', () => {
    const schema = z.object({ a: z.object({ b: z.array(z.string()) }), c: z.number(), d: z.number() });
    const parsed = schema.safeParse({ a: { b: ['x', 1] }, c: 'y', d: 'z' }, { error: clerkError });
    expect(parsed.success).toBe(false);
    expect(formatZodError(parsed.error!)).toBe('B must be text. C must be a number. D must be a number.');
    const same = z.object({ x: z.string().min(1, { message: 'Same.' }), y: z.string().min(1, { message: 'Same.' }) }).safeParse({ x: '', y: '' });
    expect(formatZodError(same.error!)).toBe('Same.');
  });
});

describe('dispatch: outputs are held to the contract', () => {
  it("strips a handler's extra output fields before they reach the caller", async () => {
    const leaky: Handlers = {
      ...handlers,
      'app.info': () => ({ ...(handlers['app.info']({}, http) as object), secret: 's3cr3t', dbPath: '/home/x/store.db' }) as never,
      'settings.get': () => ({ ...services.settings.get(), apiKey: 'k' }) as never,
      'batches.list': () => services.batches.list({}).map((b) => ({ ...b, internalRowId: 7 })) as never,
    };
    const info = await dispatch(leaky, 'app.info', {}, http);
    expect(info).toEqual({ ok: true, value: { name: 'Batchdesk', version: '1.2.3', mode: 'web', dataDir, schemaVersion: services.schemaVersion } });
    expect(JSON.stringify(info)).not.toContain('s3cr3t');
    expect(await dispatch(leaky, 'settings.get', {}, http)).toEqual({ ok: true, value: services.settings.get() });
    const batches = await dispatch(leaky, 'batches.list', {}, http);
    expect(batches.ok && (batches.value as object[]).every((b) => !('internalRowId' in b))).toBe(true);
  });

  it('a result that breaks the contract is an internal error, logged with what was wrong', async () => {
    const { lines, log } = recorder();
    const broken: Handlers = { ...handlers, 'app.info': () => ({ name: 'Batchdesk', version: 3 }) as never };
    expect(await dispatch(broken, 'app.info', {}, http, log)).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error in app.info: the result did not match the contract.' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toBe('error');
    expect(lines[0]![1]).toBe('Handler app.info returned a value that breaks the contract');
    expect(String(lines[0]![2])).toMatch(/version: /);
  });
});

describe('dispatch: failures', () => {
  const throwing = (e: unknown): Handlers => ({
    ...handlers,
    'batches.list': () => {
      throw e;
    },
  });

  it('an AppError reaches the caller as it is, without being logged', async () => {
    const { lines, log } = recorder();
    expect(await dispatch(throwing(new AppError('not_found', 'That batch no longer exists.')), 'batches.list', {}, http, log)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'That batch no longer exists.' },
    });
    expect(lines).toEqual([]);
  });

  it('a ZodError thrown by a service is bad input, named by field', async () => {
    const zerr = z.object({ when: z.string() }).safeParse({ when: 1 }).error!;
    const r = await dispatch(throwing(zerr), 'batches.list', {}, http);
    expect(r).toEqual({ ok: false, error: { code: 'bad_input', message: formatZodError(zerr) } });
    expect((r as { error: { message: string } }).error.message).not.toMatch(/^when: /);
  });

  it.each(['DatabaseError', 'FormatError'])('a %s keeps its code and message', async (name) => {
    const e = Object.assign(new Error('The store is locked by another Batchdesk.'), { name, code: 'db.locked' });
    expect(await dispatch(throwing(e), 'batches.list', {}, http)).toEqual({ ok: false, error: { code: 'db.locked', message: 'The store is locked by another Batchdesk.' } });
  });

  it.each([
    ['an Error', new Error('SQLITE_IOERR at /secret/path')],
    ['a TypeError with a code', Object.assign(new TypeError('x is undefined'), { code: 'ERR_X' })],
    ['a DatabaseError without a string code', Object.assign(new Error('/secret/path'), { name: 'DatabaseError', code: 5 })],
    ['a FormatError-named object without a code', { name: 'FormatError', message: '/secret/path' }],
    ['a string', 'boom /secret/path'],
    ['null', null],
    ['undefined', undefined],
  ])('%s is an internal error, logged, its text kept out of the answer', async (_what, e) => {
    const { lines, log } = recorder();
    const r = await dispatch(throwing(e), 'batches.list', {}, http, log);
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error in batches.list. Details are in the log.' } });
    expect(lines).toEqual([['error', 'Handler batches.list failed', e]]);
  });

  it('an async handler that rejects is handled like one that throws', async () => {
    const { log } = recorder();
    const rejecting: Handlers = { ...handlers, 'batches.list': async () => Promise.reject(new AppError('unavailable', 'Busy.')) };
    expect(await dispatch(rejecting, 'batches.list', {}, http, log)).toEqual({ ok: false, error: { code: 'unavailable', message: 'Busy.' } });
  });

  it('logs nowhere by default', async () => {
    expect(await dispatch(throwing(new Error('x')), 'batches.list', {}, http)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('handlers', () => {
  it('app.info describes this process', async () => {
    expect(await dispatch(handlers, 'app.info', {}, http)).toEqual({ ok: true, value: { name: 'Batchdesk', version: '1.2.3', mode: 'web', dataDir, schemaVersion: services.schemaVersion } });
  });

  it('each batch change emits its reason and the batch id', async () => {
    events.length = 0;
    const created = (await dispatch(handlers, 'batches.create', { name: 'Events', profile: 'sibs' }, http)) as { value: { id: string } };
    const id = created.value.id;
    await dispatch(handlers, 'batches.rename', { id, name: 'Renamed' }, http);
    await dispatch(handlers, 'batches.delete', { id }, http);
    await dispatch(handlers, 'batches.restore', { id }, http);
    expect(events).toEqual(['created', 'renamed', 'deleted', 'restored'].map((reason) => ({ name: 'batches.changed', payload: { reason, id } })));
    const history = (await dispatch(handlers, 'history.list', {}, http)) as { ok: true; value: { action: string }[] };
    expect(history.value.length).toBeGreaterThanOrEqual(4);
  });

  it('settings.set saves, answers and emits the new settings', async () => {
    events.length = 0;
    const r = await dispatch(handlers, 'settings.set', { theme: 'dark' }, http);
    expect(r).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(events).toEqual([{ name: 'settings.changed', payload: (r as { value: unknown }).value }]);
    expect(await dispatch(handlers, 'settings.get', {}, http)).toEqual(r);
  });

  it('files.choose: unavailable without a desktop dialog; the dialog’s answer (or null) otherwise', async () => {
    expect(await dispatch(handlers, 'files.choose', {}, http)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: "The file dialog exists only in the desktop app: in the browser, type or paste the file's full path." },
    });
    const withDialog = createHandlers(services, () => {}, { chooseFile: async () => '/home/clerk/batch.csv' });
    expect(await dispatch(withDialog, 'files.choose', {}, http)).toEqual({ ok: true, value: { path: '/home/clerk/batch.csv' } });
    const cancelled = createHandlers(services, () => {}, { chooseFile: async () => null });
    expect(await dispatch(cancelled, 'files.choose', {}, http)).toEqual({ ok: true, value: { path: null } });
  });
});

describe('Electron IPC binding', () => {
  it.each([
    ['app://batchdesk/index.html', undefined, true],
    ['app://batchdesk/', 'http://localhost:5173', true],
    ['app://evil/index.html', undefined, false],
    ['app://batchdesk.evil/index.html', undefined, false],
    ['http://localhost:5173/', 'http://localhost:5173', true],
    ['http://localhost:5173/src/main.tsx?x=1', 'http://localhost:5173/', true],
    ['http://localhost:5173.evil.example/', 'http://localhost:5173', false],
    ['http://localhost:5174/', 'http://localhost:5173', false],
    ['https://localhost:5173/', 'http://localhost:5173', false],
    ['http://localhost:5173/', undefined, false],
    ['http://localhost:5173/', '', false],
    ['http://localhost:5173/', 'not a url', false],
    ['file:///home/x/index.html', undefined, false],
    ['not a url', 'http://localhost:5173', false],
    ['', 'http://localhost:5173', false],
    [undefined, 'http://localhost:5173', false],
  ])('isTrustedFrameUrl(%j, dev %j) → %s', (url, dev, expected) => {
    expect(isTrustedFrameUrl(url, dev)).toBe(expected);
  });

  type Listener = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;
  function fakeIpcMain() {
    const listeners = new Map<string, Listener>();
    const ipc = { handle: (channel: string, fn: Listener) => listeners.set(channel, fn) } as unknown as IpcMain;
    return { ipc, listeners };
  }
  const from = (url: string | undefined) => ({ senderFrame: url === undefined ? null : { url } }) as unknown as IpcMainInvokeEvent;

  it('registers every channel under the prefix and answers only our frames', async () => {
    const { ipc, listeners } = fakeIpcMain();
    const { lines, log } = recorder();
    const seen: CallContext[] = [];
    registerIpc(ipc, { ...handlers, 'batches.list': (input, ctx) => (seen.push(ctx), handlers['batches.list'](input, ctx)) }, { log });
    expect([...listeners.keys()].sort()).toEqual(CHANNEL_NAME_LIST.map((n) => IPC_PREFIX + n).sort());
    const list = listeners.get(IPC_PREFIX + 'batches.list')!;
    expect(await list(from('app://batchdesk/index.html'), {})).toMatchObject({ ok: true });
    expect(seen).toEqual([{ via: 'ipc' }]);
    const forbidden = { ok: false, error: { code: 'forbidden', message: 'This window may not call Batchdesk.' } };
    expect(await list(from('https://evil.example/'), {})).toEqual(forbidden);
    expect(await list(from(undefined), {})).toEqual(forbidden);
    expect(lines).toEqual([
      ['warn', 'Refused IPC batches.list from an untrusted frame', 'https://evil.example/'],
      ['warn', 'Refused IPC batches.list from an untrusted frame', undefined],
    ]);
    expect(seen).toHaveLength(1);
  });

  it('trusts the dev server only when one is configured', async () => {
    const { ipc, listeners } = fakeIpcMain();
    registerIpc(ipc, handlers, { devServerUrl: 'http://localhost:5173', log: () => {} });
    const info = listeners.get(IPC_PREFIX + 'app.info')!;
    expect(await info(from('http://localhost:5173/'), {})).toMatchObject({ ok: true, value: { name: 'Batchdesk' } });
    expect(await info(from('http://localhost:5173.evil.example/'), {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
