/**
 * Settings → Connections through the real handler map (the same one IPC and the web host use):
 * a real SQLite file, the real provider sandbox over HTTP on 127.0.0.1, real log files. Secrets
 * must never come back out: not in answers, the SQLite file, its WAL, the logs or exports.
 * safeStorage is a FAKE here (the real one needs the Electron binary and an OS keyring).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { dispatch } from '../../electron/main/ipc/wrap';
import { createLog } from '../../electron/main/log/logger';
import { KEY_FILE, SafeStorageKeySource, type SafeStorageLike } from '../../electron/main/services/crypto';
import { SECRETS_FILE } from '../../electron/main/services/providers/connections';
import { sandboxConnection, startSandbox, type Sandbox } from '../../electron/main/services/providers/sandbox';
import { SANDBOX_CREDENTIALS } from '../../electron/main/services/providers/sandbox/credentials';
import type { ConnectionView, ConnectionsList } from '../../shared/contract';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 5 });
});
afterAll(async () => {
  await sb.close();
  cleanupTempDirs();
});

const open: Services[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function setup(opts: { dataDir?: string; safe?: SafeStorageLike } = {}) {
  const dataDir = opts.dataDir ?? tempDir();
  const services = createServices({ dataDir, mode: opts.safe ? 'electron' : 'web', version: '0.0.0-test', ...(opts.safe ? { keySource: new SafeStorageKeySource(opts.safe, dataDir, 'linux') } : {}) });
  open.push(services);
  const log = createLog({ dataDir, console: false, id: `conn-${randomBytes(4).toString('hex')}` });
  const handlers = createHandlers(services, () => {});
  const call = async <T = unknown>(name: string, input: unknown) => {
    const r = await dispatch(handlers, name, input, { via: 'http' }, log.logger);
    return r as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  };
  return { services, call, dataDir };
}

/** Every byte Batchdesk wrote: the SQLite file, its WAL and journal, the logs. */
function storedBytes(dataDir: string): Buffer {
  const parts: Buffer[] = [];
  for (const f of readdirSync(dataDir)) if (f.startsWith('batchdesk.sqlite')) parts.push(readFileSync(join(dataDir, f)));
  const logs = join(dataDir, 'logs');
  if (existsSync(logs)) for (const f of readdirSync(logs)) parts.push(readFileSync(join(logs, f)));
  return Buffer.concat(parts);
}

function expectNowhere(dataDir: string, secrets: string[], also: string[] = []): void {
  const bytes = storedBytes(dataDir);
  expect(bytes.length).toBeGreaterThan(0);
  for (const s of secrets) {
    expect(bytes.includes(Buffer.from(s, 'utf8')), `"${s.slice(0, 12)}…" in the SQLite file, WAL or logs`).toBe(false);
    for (const text of also) expect(text.includes(s)).toBe(false);
  }
}

function sandboxDraft(provider: 'epay' | 'sibs' | 'jpmmps' | 'wonder' | 'hypercard', name: string) {
  const c = sandboxConnection(provider, sb);
  const flat: Record<string, string> = {};
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'string') flat[prefix + k] = v;
      else if (v && typeof v === 'object') walk(v as Record<string, unknown>, `${prefix}${k}.`);
    }
  };
  walk(c.credentials as Record<string, unknown>, '');
  return { name, provider, baseUrl: c.baseUrl, upload: provider === 'wonder' ? ('s3' as const) : null, values: flat };
}

describe('connections channels', () => {
  it('create → list → test against the sandbox → edit keeping the secret → export → import → delete; no secret ever comes back', { timeout: 60_000 }, async () => {
    const { call, dataDir } = setup();
    const apiKey = SANDBOX_CREDENTIALS.epay.apiKey;
    const saved = await call<ConnectionView>('connections.save', sandboxDraft('epay', 'ePay test'));
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.value).toMatchObject({ name: 'ePay test', provider: 'epay', secretsSet: ['apiKey'], values: {}, secretsUnreadable: false });
    expect(JSON.stringify(saved.value)).not.toContain(apiKey);

    const list = await call<ConnectionsList>('connections.list', {});
    expect(list.ok && list.value.connections.map((c) => c.name)).toEqual(['ePay test']);
    expect(list.ok && list.value.secretStore).toMatchObject({ available: true, problem: null });
    expect(JSON.stringify(list)).not.toContain(apiKey);

    const tested = await call<{ ok: boolean; message: string }>('connections.test', { id: saved.value.id, provider: 'epay' });
    expect(tested).toMatchObject({ ok: true, value: { ok: true } });
    expect(tested.ok && tested.value.message).toMatch(/API key was accepted/);

    // Edit without typing the key again: the stored one is kept and still works.
    const edited = await call<ConnectionView>('connections.save', { ...sandboxDraft('epay', 'ePay test (renamed)'), id: saved.value.id, values: {} });
    expect(edited).toMatchObject({ ok: true, value: { name: 'ePay test (renamed)', secretsSet: ['apiKey'] } });
    expect(await call('connections.test', { id: saved.value.id, provider: 'epay' })).toMatchObject({ ok: true, value: { ok: true } });

    // A wrong key: the test fails in words, without the key.
    const wrongKey = 'live-wrong-key-7f3a9c';
    expect(await call('connections.save', { ...sandboxDraft('epay', 'ePay test (renamed)'), id: saved.value.id, values: { apiKey: wrongKey } })).toMatchObject({ ok: true });
    const bad = await call<{ ok: boolean; message: string }>('connections.test', { id: saved.value.id, provider: 'epay' });
    expect(bad.ok && bad.value.ok).toBe(false);
    expect(bad.ok && bad.value.message).toMatch(/refused|key/i);
    expect(JSON.stringify(bad)).not.toContain(wrongKey);

    const sibs = await call<ConnectionView>('connections.save', sandboxDraft('sibs', 'SIBS test'));
    expect(sibs).toMatchObject({ ok: true, value: { values: { clientId: 'sandbox-sibs-client-0001', terminalId: '11111' }, secretsSet: ['bearerToken'] } });
    const wonder = await call<ConnectionView>('connections.save', sandboxDraft('wonder', 'Wonder test'));
    expect(wonder).toMatchObject({ ok: true, value: { upload: 's3', secretsSet: ['privateKeyPem', 'upload.s3.secretAccessKey'] } });
    expect(await call('connections.test', { id: (wonder as { value: ConnectionView }).value.id, provider: 'wonder' })).toMatchObject({ ok: true, value: { ok: true } });

    const exported = await call<{ json: string; fileName: string; count: number }>('connections.export', {});
    expect(exported).toMatchObject({ ok: true, value: { count: 3, fileName: expect.stringMatching(/^batchdesk-connections-\d{4}-\d\d-\d\d\.json$/) } });
    const json = exported.ok ? exported.value.json : '';
    // (s3rver's secret access key is "S3RVER", the same text as its access key id, so it is not grepped for.)
    const secrets = [wrongKey, apiKey, SANDBOX_CREDENTIALS.sibs.bearerToken, 'PRIVATE KEY', SANDBOX_CREDENTIALS.wonder.privateKeyPem.split('\n')[1]!];
    for (const s of secrets) expect(json).not.toContain(s);
    expect(JSON.parse(json)).toMatchObject({ format: 'batchdesk-connections/1', connections: expect.arrayContaining([expect.objectContaining({ name: 'SIBS test', credentials: { clientId: 'sandbox-sibs-client-0001', terminalId: '11111' } })]) });

    // Imported into a fresh data folder: same settings, no secrets; they are entered there.
    const other = setup();
    const imported = await other.call<{ imported: ConnectionView[]; secretsIgnored: number }>('connections.import', { json });
    expect(imported).toMatchObject({ ok: true, value: { secretsIgnored: 0 } });
    expect(imported.ok && imported.value.imported.map((c) => [c.provider, c.name, c.secretsSet.length])).toEqual([
      ['epay', 'ePay test (renamed)', 0],
      ['sibs', 'SIBS test', 0],
      ['wonder', 'Wonder test', 0],
    ]);
    const needsKey = await other.call<{ ok: boolean; message: string }>('connections.test', { id: imported.ok ? imported.value.imported[0]!.id : '', provider: 'epay' });
    expect(needsKey.ok && needsKey.value).toMatchObject({ ok: false, message: expect.stringMatching(/API key is missing/) });
    // The same file again adds nothing; a file with secrets has them left out and counted.
    const again = await other.call<{ imported: ConnectionView[] }>('connections.import', { json });
    expect(again.ok && again.value.imported.map((c) => c.name)).toEqual(['ePay test (renamed)', 'SIBS test', 'Wonder test']);
    const withSecret = await other.call<{ imported: ConnectionView[]; secretsIgnored: number }>('connections.import', { json: JSON.stringify({ ...sandboxConnection('sibs', sb), name: 'SIBS test', credentials: { ...SANDBOX_CREDENTIALS.sibs, terminalId: '22222' } }) });
    expect(withSecret).toMatchObject({ ok: true, value: { secretsIgnored: 1, imported: [{ name: 'SIBS test (2)', secretsSet: [] }] } });
    expectNowhere(other.dataDir, secrets);

    const del = await call('connections.delete', { id: (sibs as { value: ConnectionView }).value.id });
    expect(del).toEqual({ ok: true, value: { deleted: true } });
    // Undo: the same connection, its sealed secret still working; then deleted for good.
    expect(await call('connections.restore', { id: (sibs as { value: ConnectionView }).value.id })).toMatchObject({ ok: true, value: { name: 'SIBS test', secretsSet: ['bearerToken'] } });
    expect(await call('connections.test', { id: (sibs as { value: ConnectionView }).value.id, provider: 'sibs' })).toMatchObject({ ok: true, value: { ok: true } });
    expect(await call('connections.delete', { id: (sibs as { value: ConnectionView }).value.id })).toEqual({ ok: true, value: { deleted: true } });
    expect(await call('connections.delete', { id: (sibs as { value: ConnectionView }).value.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const secretsFile = readFileSync(join(dataDir, SECRETS_FILE), 'utf8');
    for (const s of secrets) expect(secretsFile).not.toContain(s);
    expectNowhere(dataDir, secrets, [JSON.stringify(await call('connections.list', {})), JSON.stringify(await call('history.list', {}))]);
  });

  it('a connection a batch is still being submitted with cannot be deleted', { timeout: 60_000 }, async () => {
    const { services, call } = setup();
    const saved = await call<ConnectionView>('connections.save', sandboxDraft('epay', 'Busy ePay'));
    if (!saved.ok) throw new Error(saved.error.message);
    const file = join(import.meta.dirname, '..', '..', 'resources', 'samples', 'epay-renewals.csv');
    const preview = await services.imports.preview({ file: { kind: 'path', path: file }, profile: 'epay' });
    const out = await services.imports.importNow({ file: { kind: 'path', path: file }, profile: 'epay', mapping: preview.mapping, amountUnit: preview.amount.suggested, target: { kind: 'new', name: 'Busy' } });
    const confirm = await services.submissions.confirm(out.batchId, saved.value.id);
    expect(confirm).toMatchObject({ connectionName: 'Busy ePay', sandbox: false });
    await services.submissions.submit(out.batchId, saved.value.id, confirm.token);
    services.submissions.pause(out.batchId);
    const r = await call('connections.delete', { id: saved.value.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: '"Busy ePay" is used by 1 batch still being submitted; it can be deleted once that batch is final.' } });
    expect(await call<ConnectionsList>('connections.list', {})).toMatchObject({ ok: true, value: { connections: [{ name: 'Busy ePay', secretsSet: ['apiKey'] }] } });
    // Stop following the batch, and wait for its lease to be released, before the database closes
    // (Services.close does not wait for the background run).
    await services.submissions.close();
    const released = () => (services.db.prepare('SELECT owner FROM outbox_batches WHERE batch_id = ?').get(out.batchId) as { owner: string | null }).owner === null;
    for (let i = 0; i < 200 && !released(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(released()).toBe(true);
  });

  it('the built-in sandbox is testable for every provider, said so', { timeout: 60_000 }, async () => {
    const { call } = setup();
    for (const provider of ['epay', 'sibs', 'jpmmps', 'wonder', 'hypercard'] as const) {
      const r = await call<{ ok: boolean; message: string }>('connections.test', { id: null, provider });
      expect(r, provider).toMatchObject({ ok: true, value: { ok: true, message: expect.stringMatching(/^Built-in sandbox: .*Nothing is charged\.$/) } });
    }
  });

  it('bad input: an error per problem in the clerk\'s words, nothing saved, no secret quoted', async () => {
    const { call, dataDir } = setup();
    const secret = 'typed-secret-0042-zz';
    const r = await call('connections.save', { name: ' ', provider: 'jpmmps', baseUrl: 'ftp://x', upload: null, values: { password: secret } });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const msg = r.ok ? '' : r.error.message;
    expect(msg).toMatch(/Give the connection a name/);
    expect(msg).toMatch(/base URL must be an address starting with https:\/\//);
    expect(msg).toMatch(/User ID is required/);
    expect(msg).not.toContain(secret);
    expect(await call('connections.save', { ...sandboxDraft('wonder', 'W'), values: { ...sandboxDraft('wonder', 'W').values, privateKeyPem: 'not a key' } })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/must be a PEM private key/) } });
    expect(await call('connections.save', { ...sandboxDraft('epay', 'E'), provider: 'visa' })).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/Choose a provider/) } });
    // Duplicate names per provider are refused, with what to do.
    expect(await call('connections.save', sandboxDraft('epay', 'Same'))).toMatchObject({ ok: true });
    expect(await call('connections.save', sandboxDraft('epay', 'Same'))).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Another ePay connection is already named "Same": choose another name.' } });
    // Hostile import files: refused as a whole, nothing written.
    for (const bad of ['not json', '[]', '{"connections":[{"provider":"epay","baseUrl":"javascript:alert(1)"}]}', '{"connections":[{"provider":"epay","baseUrl":"https://ok.example"},{"provider":"nope"}]}', '{"connections":[{"provider":"__proto__","baseUrl":"https://a.b"}]}']) {
      const imp = await call('connections.import', { json: bad });
      expect(imp, bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    }
    const listed = await call<ConnectionsList>('connections.list', {});
    expect(listed.ok && listed.value.connections.map((c) => c.name)).toEqual(['Same']);
    expectNowhere(dataDir, [secret]);
  });

  it('refuses to store a secret where safeStorage would fall back to plain text (FAKE safeStorage on basic_text), and says so', async () => {
    const fake: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: () => {
        throw new Error('must not be called');
      },
      decryptString: () => {
        throw new Error('must not be called');
      },
    };
    const { call, dataDir } = setup({ safe: fake });
    const list = await call<ConnectionsList>('connections.list', {});
    expect(list.ok && list.value.secretStore).toMatchObject({ available: false, problem: expect.stringMatching(/cannot keep passwords and keys safe on this computer.*plain text.*Nothing was saved/) });
    const r = await call('connections.save', sandboxDraft('epay', 'Live ePay'));
    expect(r).toMatchObject({ ok: false, error: { code: 'connections.no_secure_storage', message: expect.stringMatching(/GNOME Keyring or KWallet/) } });
    expect(await call('connections.list', {})).toMatchObject({ ok: true, value: { connections: [] } });
    expect(existsSync(join(dataDir, SECRETS_FILE))).toBe(false);
    // The built-in sandbox still works: it needs no stored secret.
    expect(await call('connections.test', { id: null, provider: 'epay' })).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('a damaged secrets file: every connection asks for its secrets again; saving one sets the file aside and starts a new one', async () => {
    const { call, dataDir } = setup();
    const saved = await call<ConnectionView>('connections.save', sandboxDraft('epay', 'ePay'));
    if (!saved.ok) throw new Error(saved.error.message);
    writeFileSync(join(dataDir, SECRETS_FILE), '{"truncated": ');
    const list = await call<ConnectionsList>('connections.list', {});
    expect(list.ok && list.value.connections[0]).toMatchObject({ name: 'ePay', secretsSet: [], secretsUnreadable: true });
    expect(await call('connections.test', { id: saved.value.id, provider: 'epay' })).toMatchObject({ ok: true, value: { ok: false, message: expect.stringMatching(/damaged.*enter the secrets/) } });
    expect(await call('connections.save', { ...sandboxDraft('epay', 'ePay'), id: saved.value.id })).toMatchObject({ ok: true, value: { secretsSet: ['apiKey'], secretsUnreadable: false } });
    expect(readdirSync(dataDir).some((f) => f.startsWith(`${SECRETS_FILE}.damaged-`))).toBe(true);
    expect(await call('connections.test', { id: saved.value.id, provider: 'epay' })).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('secrets sealed with another key are shown as unreadable and must be entered again', async () => {
    const dataDir = tempDir();
    const first = setup({ dataDir });
    const saved = await first.call<ConnectionView>('connections.save', sandboxDraft('sibs', 'SIBS'));
    expect(saved.ok).toBe(true);
    open.splice(0).forEach((s) => s.close());
    writeFileSync(join(dataDir, KEY_FILE), randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    const { call } = setup({ dataDir });
    const list = await call<ConnectionsList>('connections.list', {});
    expect(list.ok && list.value.connections[0]).toMatchObject({ name: 'SIBS', secretsSet: [], secretsUnreadable: true });
    const id = saved.ok ? saved.value.id : '';
    const keep = await call('connections.save', { ...sandboxDraft('sibs', 'SIBS'), id, values: { clientId: 'sandbox-sibs-client-0001', terminalId: '11111' } });
    expect(keep).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Enter the Bearer token/) } });
    expect(await call('connections.save', { ...sandboxDraft('sibs', 'SIBS'), id })).toMatchObject({ ok: true, value: { secretsSet: ['bearerToken'], secretsUnreadable: false } });
    expect(await call('connections.test', { id, provider: 'sibs' })).toMatchObject({ ok: true, value: { ok: true } });
  });
});
