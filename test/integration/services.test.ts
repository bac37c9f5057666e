import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { dispatch, type Handlers } from '../../electron/main/ipc/wrap';
import { AppError } from '../../electron/main/services/errors';
import { CHANNEL_NAMES, channels, EVENT_NAMES, type EventName } from '../../shared/contract';
import { CHANNEL_NAME_LIST, EVENT_NAME_LIST } from '../../shared/contract/names';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';
import { MIGRATIONS } from '../../electron/main/services/db/migrations';

let open: Services[] = [];
afterEach(() => {
  for (const s of open) s.close();
  open = [];
  cleanupTempDirs();
});

function setup(dataDir = tempDir()) {
  const services = createServices({ dataDir, mode: 'web', version: '9.9.9' });
  open.push(services);
  const events: { name: EventName; payload: unknown }[] = [];
  const handlers = createHandlers(services, (name, payload) => events.push({ name, payload }));
  const call = (name: string, input: unknown) => dispatch(handlers, name, input, { via: 'http' });
  return { services, handlers, events, call, dataDir };
}

describe('the contract', () => {
  it('lists the same channel and event names for the preload as the schemas define', () => {
    expect([...CHANNEL_NAME_LIST].sort()).toEqual([...CHANNEL_NAMES].sort());
    expect([...EVENT_NAME_LIST].sort()).toEqual([...EVENT_NAMES].sort());
  });
});

describe('dispatch through the handler map', () => {
  it('creates, lists, renames, deletes and restores a batch, emitting typed events', async () => {
    const { call, events } = setup();
    const created = await call('batches.create', { name: '  December renewals ', profile: 'epay' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const b = created.value as { id: string; name: string; profile: string; rowCount: number };
    expect(b).toMatchObject({ name: 'December renewals', profile: 'epay', rowCount: 0 });

    expect(await call('batches.rename', { id: b.id, name: 'Dec' })).toMatchObject({ ok: true, value: { name: 'Dec' } });
    expect(await call('batches.delete', { id: b.id })).toMatchObject({ ok: true, value: { deletedAt: expect.any(String) } });
    expect(await call('batches.list', {})).toEqual({ ok: true, value: [] });
    expect(await call('batches.rename', { id: b.id, name: 'x' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'The batch "Dec" is deleted. Restore it first.' },
    });
    expect(await call('batches.restore', { id: b.id })).toMatchObject({ ok: true, value: { deletedAt: null } });
    expect(events.map((e) => e.name)).toEqual(['batches.changed', 'batches.changed', 'batches.changed', 'batches.changed']);
    expect(events.map((e) => (e.payload as { reason: string }).reason)).toEqual(['created', 'renamed', 'deleted', 'restored']);

    const history = await call('history.list', {});
    expect(history.ok && (history.value as { action: string }[]).map((h) => h.action)).toEqual([
      'batch.restore',
      'batch.delete',
      'batch.rename',
      'batch.create',
    ]);
    const search = await call('history.list', { query: 'Dec' });
    expect(search.ok && (search.value as unknown[]).length).toBe(4);
  });

  it('answers bad input with bad_input and a message naming the field', async () => {
    const { call } = setup();
    expect(await call('batches.create', { name: '', profile: 'wonder' })).toEqual({
      ok: false,
      error: { code: 'bad_input', message: 'name: Give the batch a name.' },
    });
    const r = await call('batches.create', { name: 'x', profile: 'visa', extra: 1 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/profile: Invalid option: expected one of "wonder"\|"epay"\|"sibs"\|"jpmmps"/);
    expect(!r.ok && r.error.message).toMatch(/extra/);
    expect(await call('batches.delete', { id: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await call('batches.get', {})).toEqual({ ok: false, error: { code: 'unknown_channel', message: 'There is no channel named "batches.get".' } });
    expect(await call('batches.delete', { id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('hides internal errors behind `internal` and keeps AppError messages', async () => {
    const { handlers } = setup();
    const broken: Handlers = {
      ...handlers,
      'batches.list': () => {
        throw new Error('SQLITE_IOERR: disk I/O error at /secret/path');
      },
      'settings.get': () => {
        throw new AppError('unavailable', 'The store is busy; try again.');
      },
      // A handler returning something the contract does not allow.
      'app.info': () => ({ name: 'Batchdesk' }) as never,
    };
    const logged: string[] = [];
    const log = (_l: string, m: string) => logged.push(m);
    const r1 = await dispatch(broken, 'batches.list', {}, { via: 'ipc' }, log);
    expect(r1).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error in batches.list. Details are in the log.' } });
    expect(await dispatch(broken, 'settings.get', {}, { via: 'ipc' }, log)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'The store is busy; try again.' },
    });
    expect(await dispatch(broken, 'app.info', {}, { via: 'ipc' }, log)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logged).toEqual(['Handler batches.list failed', 'Handler app.info returned a value that breaks the contract']);
  });

  it('validates every channel\'s output against its schema (app.info, settings)', async () => {
    const { call, dataDir } = setup();
    const info = await call('app.info', {});
    expect(info).toEqual({ ok: true, value: { name: 'Batchdesk', version: '9.9.9', mode: 'web', dataDir, schemaVersion: MIGRATIONS.length } });
    expect(channels['app.info'].output.safeParse((info as { value: unknown }).value).success).toBe(true);
  });
});

describe('settings', () => {
  it('persists valid settings, refuses invalid ones and keeps what was saved', async () => {
    const first = setup();
    expect(await first.call('settings.get', {})).toEqual({
      ok: true,
      value: { defaultProfile: 'wonder', wonderCurrency: 'HKD', wonderAmountUnit: 'major', theme: 'system', sibsTerminalId: '', sibsChannel: 'web', jpmmpsProgramAccno: '', jpmmpsAccno: '', jpmmpsAccnoType: '' },
    });
    expect(await first.call('settings.set', { wonderCurrency: 'EUR', theme: 'dark' })).toMatchObject({ ok: true, value: { wonderCurrency: 'EUR' } });
    expect(await first.call('settings.set', { wonderCurrency: 'euro' })).toEqual({
      ok: false,
      error: { code: 'bad_input', message: 'wonderCurrency: A currency is three capital letters (ISO 4217), e.g. HKD.' },
    });
    first.services.close();
    open = open.filter((s) => s !== first.services);
    const again = setup(first.dataDir);
    expect(await again.call('settings.get', {})).toMatchObject({ ok: true, value: { wonderCurrency: 'EUR', theme: 'dark' } });
  });

  it('falls back to the default for a stored value that no longer validates', async () => {
    const { services, call } = setup();
    services.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"neon\"', 'x')").run();
    expect(await call('settings.get', {})).toMatchObject({ ok: true, value: { theme: 'system' } });
  });
});
