/**
 * J.P. Morgan Mobility Payments SmartPay (SPEC §4B) connections through the real handler map, and
 * "Test connection" on the form before saving (the typed values, nothing stored). A real SQLite
 * file and the real provider sandbox over HTTP on 127.0.0.1.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { dispatch } from '../../electron/main/ipc/wrap';
import { createLog } from '../../electron/main/log/logger';
import { parseConnection, ConnectionError } from '../../electron/main/services/providers/connection';
import { sandboxConnection, startSandbox, type Sandbox } from '../../electron/main/services/providers/sandbox';
import { SANDBOX_CREDENTIALS } from '../../electron/main/services/providers/sandbox/credentials';
import { checkConnection, type ConnectionView, type ConnectionsList } from '../../shared/contract';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 7 });
});
afterAll(async () => {
  await sb.close();
  cleanupTempDirs();
});

const open: Services[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

function setup() {
  const dataDir = tempDir();
  const services = createServices({ dataDir, mode: 'web', version: '0.0.0-test' });
  open.push(services);
  const log = createLog({ dataDir, console: false, id: `sp-${randomBytes(4).toString('hex')}` });
  const handlers = createHandlers(services, () => {});
  const call = async <T = unknown>(name: string, input: unknown) => (await dispatch(handlers, name, input, { via: 'http' }, log.logger)) as Answer<T>;
  return { call, dataDir };
}

function storedBytes(dataDir: string): Buffer {
  const parts: Buffer[] = [];
  for (const f of readdirSync(dataDir)) if (f.startsWith('batchdesk.sqlite')) parts.push(readFileSync(join(dataDir, f)));
  const logs = join(dataDir, 'logs');
  if (existsSync(logs)) for (const f of readdirSync(logs)) parts.push(readFileSync(join(logs, f)));
  return Buffer.concat(parts);
}

const KEY = SANDBOX_CREDENTIALS.jpmmps.merchantKey;
const ORIGIN = SANDBOX_CREDENTIALS.jpmmps.origin;
const base = () => sandboxConnection('jpmmps', sb).baseUrl;
const smartpay = (values: Record<string, string>, name = 'SmartPay test') => ({ name, provider: 'jpmmps', baseUrl: base(), upload: null, contract: 'smartpay', values });

describe('SmartPay connections', () => {
  it('the form check asks for the merchant key and an https origin on their own fields, both ways', () => {
    const d = (values: Record<string, string>) => ({ name: 'x', provider: 'jpmmps' as const, baseUrl: 'https://smartpay.example', upload: null, contract: 'smartpay' as const, values });
    expect(checkConnection(d({ merchantKey: KEY, origin: ORIGIN }))).toEqual([]);
    // KontoCloud's fields are not asked for under SmartPay, SmartPay's not under KontoCloud.
    expect(checkConnection(d({ origin: ORIGIN })).map((p) => p.field)).toEqual(['merchantKey']);
    expect(checkConnection(d({ origin: ORIGIN }))[0]!.message).toBe('Enter the Merchant key.');
    expect(checkConnection(d({ merchantKey: KEY, origin: ORIGIN }), []).some((p) => p.field === 'userId')).toBe(false);
    expect(checkConnection({ ...d({ merchantKey: KEY, origin: ORIGIN }), contract: 'kontocloud' }).map((p) => p.field)).toEqual(['userId', 'password', 'programAccno', 'accno', 'accnoType']);
    // 36 characters (a uuid) is the most; 37 is refused.
    expect(checkConnection(d({ merchantKey: 'a'.repeat(36), origin: ORIGIN }))).toEqual([]);
    expect(checkConnection(d({ merchantKey: 'a'.repeat(37), origin: ORIGIN }))).toEqual([{ field: 'merchantKey', message: 'Merchant key can be at most 36 characters.' }]);
    for (const bad of ['http://shop.example.com', 'https://shop.example.com/pay', 'shop.example.com', 'https://shop.example.com?x=1']) {
      expect(checkConnection(d({ merchantKey: KEY, origin: bad })).map((p) => p.field), bad).toEqual(['origin']);
    }
    for (const good of ['https://shop.example.com', 'https://shop.example.com:8443', 'https://shop.example.com/']) expect(checkConnection(d({ merchantKey: KEY, origin: good })), good).toEqual([]);
  });

  it('a connection.json with contract smartpay needs merchantKey and origin (CLI path), and no KontoCloud fields', () => {
    const c = parseConnection({ provider: 'jpmmps', baseUrl: 'https://smartpay.example', credentials: { contract: 'smartpay', merchantKey: KEY, origin: ORIGIN } });
    expect(c.credentials).toMatchObject({ contract: 'smartpay', merchantKey: KEY, origin: ORIGIN });
    expect(() => parseConnection({ provider: 'jpmmps', baseUrl: 'https://smartpay.example', credentials: { contract: 'smartpay', origin: ORIGIN } })).toThrow(/merchant key is missing/);
    expect(() => parseConnection({ provider: 'jpmmps', baseUrl: 'https://smartpay.example', credentials: { contract: 'smartpay', merchantKey: KEY, origin: 'http://shop.example.com' } })).toThrow(/origin must be an https:\/\/ origin/);
    expect(() => parseConnection({ provider: 'jpmmps', baseUrl: 'https://x.example', credentials: { contract: 'other' } })).toThrow(ConnectionError);
    expect(() => parseConnection({ provider: 'jpmmps', baseUrl: 'https://x.example', credentials: { contract: 'other' } })).toThrow(/contract must be "kontocloud"/);
  });

  it('without a merchant key: refused, naming the field, nothing saved', async () => {
    const { call } = setup();
    const r = await call('connections.save', smartpay({ origin: ORIGIN }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad_input');
    expect(r.error.message).toContain('Merchant key');
    const list = await call<ConnectionsList>('connections.list', {});
    expect(list.ok && list.value.connections).toEqual([]);
  });

  it('a valid one is saved (key sealed, never shown), tests OK against the sandbox on 127.0.0.1, is exported without its key', { timeout: 60_000 }, async () => {
    const { call, dataDir } = setup();
    expect(base()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const saved = await call<ConnectionView>('connections.save', smartpay({ merchantKey: KEY, origin: ORIGIN }));
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value.contract).toBe('smartpay');
    expect(saved.value.secretsSet).toEqual(['merchantKey']);
    expect(saved.value.values).toEqual({ origin: ORIGIN });
    expect(JSON.stringify(saved.value)).not.toContain(KEY);

    const t = await call<{ ok: boolean; message: string }>('connections.test', { id: saved.value.id, provider: 'jpmmps' });
    expect(t).toEqual({ ok: true, value: { ok: true, message: 'JPMMPS SmartPay accepted the merchant key and origin.' } });

    const ex = await call<{ json: string; count: number }>('connections.export', {});
    if (!ex.ok) throw new Error(ex.error.message);
    expect(ex.value.json).not.toContain(KEY);
    const exported = JSON.parse(ex.value.json) as { connections: { credentials: Record<string, unknown> }[] };
    expect(exported.connections[0]!.credentials).toEqual({ contract: 'smartpay', origin: ORIGIN });
    // Imported back: still SmartPay, the key to be entered on this machine.
    const im = await call<{ imported: ConnectionView[] }>('connections.import', { json: ex.value.json.replace('SmartPay test', 'SmartPay copy') });
    if (!im.ok) throw new Error(im.error.message);
    expect(im.value.imported[0]).toMatchObject({ contract: 'smartpay', secretsSet: [], values: { origin: ORIGIN } });

    // Edit without retyping the key keeps it; a wrong key fails the test in words, without quoting it.
    const kept = await call<ConnectionView>('connections.save', { ...smartpay({ origin: ORIGIN }, 'SmartPay renamed'), id: saved.value.id });
    expect(kept.ok && kept.value.secretsSet).toEqual(['merchantKey']);
    const wrong = '00000000-1111-4222-8333-444444444444';
    await call('connections.save', { ...smartpay({ merchantKey: wrong, origin: ORIGIN }, 'SmartPay renamed'), id: saved.value.id });
    const bad = await call<{ ok: boolean; message: string }>('connections.test', { id: saved.value.id, provider: 'jpmmps' });
    expect(bad.ok && bad.value.ok).toBe(false);
    expect(bad.ok && bad.value.message).toMatch(/refused the credentials/);
    expect(bad.ok && bad.value.message).not.toContain(wrong);
    expect(storedBytes(dataDir).includes(Buffer.from(KEY))).toBe(false);
    expect(storedBytes(dataDir).includes(Buffer.from(wrong))).toBe(false);
  });

  it('switching a KontoCloud connection to SmartPay keeps no KontoCloud value or password; switching back asks for them again', { timeout: 30_000 }, async () => {
    const { call } = setup();
    const kc = SANDBOX_CREDENTIALS.jpmmps;
    const saved = await call<ConnectionView>('connections.save', { name: 'Switch', provider: 'jpmmps', baseUrl: base(), upload: null, contract: 'kontocloud', values: { userId: kc.userId, password: kc.password, programAccno: kc.programAccno, accno: kc.accno, accnoType: kc.accnoType } });
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value).toMatchObject({ contract: 'kontocloud', secretsSet: ['password'] });
    const sp = await call<ConnectionView>('connections.save', { ...smartpay({ merchantKey: KEY, origin: ORIGIN }, 'Switch'), id: saved.value.id });
    if (!sp.ok) throw new Error(sp.error.message);
    expect(sp.value).toMatchObject({ contract: 'smartpay', secretsSet: ['merchantKey'], values: { origin: ORIGIN } });
    const back = await call('connections.save', { name: 'Switch', provider: 'jpmmps', baseUrl: base(), upload: null, contract: 'kontocloud', values: { userId: kc.userId, programAccno: kc.programAccno, accno: kc.accno, accnoType: kc.accnoType }, id: saved.value.id });
    expect(!back.ok && back.error.message).toBe('Enter the Password.');
  });

  it('an origin not whitelisted for the key fails the test, saying so', { timeout: 30_000 }, async () => {
    const { call } = setup();
    const saved = await call<ConnectionView>('connections.save', smartpay({ merchantKey: KEY, origin: 'https://elsewhere.example' }));
    if (!saved.ok) throw new Error(saved.error.message);
    const t = await call<{ ok: boolean; message: string }>('connections.test', { id: saved.value.id, provider: 'jpmmps' });
    expect(t.ok && t.value.ok).toBe(false);
    expect(t.ok && t.value.message).toMatch(/not whitelisted/);
  });
});

describe('"Test connection" on the form, before saving', () => {
  const draftOf = (d: ReturnType<typeof smartpay>) => ({ id: null, provider: d.provider, draft: { name: d.name, baseUrl: d.baseUrl, upload: d.upload, contract: d.contract, values: d.values } });

  it('tests the values typed, secrets included, and stores nothing', { timeout: 60_000 }, async () => {
    const { call, dataDir } = setup();
    const ok = await call<{ ok: boolean; message: string }>('connections.test', draftOf(smartpay({ merchantKey: KEY, origin: ORIGIN }, '')));
    expect(ok).toEqual({ ok: true, value: { ok: true, message: 'JPMMPS SmartPay accepted the merchant key and origin.' } });
    const wrong = await call<{ ok: boolean; message: string }>('connections.test', draftOf(smartpay({ merchantKey: 'ffffffff-1111-4222-8333-444444444444', origin: ORIGIN })));
    expect(wrong.ok && wrong.value.ok).toBe(false);
    expect(wrong.ok && wrong.value.message).not.toContain('ffffffff-1111');
    // KontoCloud the same way: the typed password is what is tried.
    const kc = SANDBOX_CREDENTIALS.jpmmps;
    const kcValues = { userId: kc.userId, password: kc.password, programAccno: kc.programAccno, accno: kc.accno, accnoType: kc.accnoType };
    const kcOk = await call<{ ok: boolean; message: string }>('connections.test', { id: null, provider: 'jpmmps', draft: { name: 'k', baseUrl: base(), upload: null, contract: 'kontocloud', values: kcValues } });
    expect(kcOk.ok && kcOk.value).toEqual({ ok: true, message: 'JPMMPS issued a token: user id and password are right.' });
    const kcBad = await call<{ ok: boolean; message: string }>('connections.test', { id: null, provider: 'jpmmps', draft: { name: 'k', baseUrl: base(), upload: null, contract: 'kontocloud', values: { ...kcValues, password: 'not-the-password' } } });
    expect(kcBad.ok && kcBad.value.ok).toBe(false);
    expect(kcBad.ok && kcBad.value.message).toMatch(/Check the user id and password/);
    const list = await call<ConnectionsList>('connections.list', {});
    expect(list.ok && list.value.connections).toEqual([]);
    expect(existsSync(join(dataDir, 'connection-secrets.json'))).toBe(false);
    expect(storedBytes(dataDir).includes(Buffer.from(KEY))).toBe(false);
  });

  it('refuses a draft with a missing field in words (nothing sent), and uses the stored secret of the connection being edited when left empty', { timeout: 60_000 }, async () => {
    const { call } = setup();
    const missing = await call('connections.test', draftOf(smartpay({ origin: ORIGIN })));
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error.message).toContain('Enter the Merchant key.');
    const saved = await call<ConnectionView>('connections.save', smartpay({ merchantKey: KEY, origin: ORIGIN }));
    if (!saved.ok) throw new Error(saved.error.message);
    const before = saved.value.updatedAt;
    // Editing: the key left empty is the stored one; the changed origin typed is what is tried.
    const kept = await call<{ ok: boolean; message: string }>('connections.test', { ...draftOf(smartpay({ origin: ORIGIN })), id: saved.value.id });
    expect(kept.ok && kept.value.ok).toBe(true);
    const otherOrigin = await call<{ ok: boolean; message: string }>('connections.test', { ...draftOf(smartpay({ origin: 'https://elsewhere.example' })), id: saved.value.id });
    expect(otherOrigin.ok && otherOrigin.value.ok).toBe(false);
    const list = await call<ConnectionsList>('connections.list', {});
    expect(list.ok && list.value.connections.map((c) => [c.values, c.updatedAt])).toEqual([[{ origin: ORIGIN }, before]]);
  });
});
