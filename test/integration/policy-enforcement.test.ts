/**
 * The policy where it bites: locked settings (service and contract), policy.get, history
 * retention, the CLI's full-card-number export; and `batchdesk backup` while the database is open
 * and being written.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../electron/main/policy/load';
import { createServices, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { dispatch } from '../../electron/main/ipc/wrap';
import { databaseFile } from '../../electron/main/services/paths';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';
import { fixture, runCli } from './cliHarness';

const open: Services[] = [];
afterAll(() => {
  for (const s of open) s.close();
  cleanupTempDirs();
});

function linuxPolicy(doc: unknown): string {
  const root = tempDir('batchdesk-policy-');
  mkdirSync(join(root, 'etc', 'batchdesk'), { recursive: true });
  writeFileSync(join(root, 'etc', 'batchdesk', 'policy.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
  return root;
}

async function setup(doc: unknown, dataDir = tempDir()) {
  const root = linuxPolicy(doc);
  const policy = await loadPolicy({ platform: 'linux', root });
  const services = createServices({ dataDir, mode: 'web', version: 'test', policy });
  open.push(services);
  const handlers = createHandlers(services, () => {});
  const call = (name: string, input: unknown) => dispatch(handlers, name, input, { via: 'http' });
  return { services, call, root, file: join(root, 'etc', 'batchdesk', 'policy.json') };
}

describe('managed settings', () => {
  it('managed values are what settings.get returns, and settings.set cannot change them', async () => {
    const { call, file } = await setup({ settings: { wonderCurrency: 'EUR', theme: 'dark' }, updates: { channel: 'stable' } });
    expect(await call('settings.get', {})).toMatchObject({ ok: true, value: { wonderCurrency: 'EUR', theme: 'dark', updateChannel: 'stable' } });
    expect(await call('settings.set', { wonderCurrency: 'HKD' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: `Wonder currency is set by your administrator (${file}); it cannot be changed here.` },
    });
    expect(await call('settings.set', { updateChannel: 'beta' })).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/^Update channel is set by your administrator/) } });
    // The Settings screen sends every field: the managed ones unchanged go through, the rest are saved.
    expect(await call('settings.set', { wonderCurrency: 'EUR', theme: 'dark', defaultProfile: 'epay' })).toMatchObject({ ok: true, value: { defaultProfile: 'epay', wonderCurrency: 'EUR' } });
  });

  it('a value stored before the policy came is overridden, not deleted', async () => {
    const dataDir = tempDir();
    const first = await setup({}, dataDir);
    await first.call('settings.set', { theme: 'light' });
    first.services.close();
    open.splice(open.indexOf(first.services), 1);
    const managed = await setup({ settings: { theme: 'dark' } }, dataDir);
    expect(await managed.call('settings.get', {})).toMatchObject({ ok: true, value: { theme: 'dark' } });
    managed.services.close();
    open.splice(open.indexOf(managed.services), 1);
    const after = await setup({}, dataDir);
    expect(await after.call('settings.get', {})).toMatchObject({ ok: true, value: { theme: 'light' } });
  });

  it('policy.get tells the Settings screen what is managed, by what, and what is wrong', async () => {
    const { call, file } = await setup({ exports: { allowFullCardNumbers: false }, history: { retentionDays: 'forever' } });
    const r = await call('policy.get', {});
    expect(r).toMatchObject({
      ok: true,
      value: {
        sources: [{ location: file, status: 'partly-invalid' }],
        fullCardNumberExport: 'forbidden',
        historyRetentionDays: null,
        managed: [{ key: 'exports.allowFullCardNumbers', label: 'Export of full card numbers', value: 'off', source: file }],
        problems: [{ source: file, message: expect.stringMatching(/^history\.retentionDays: /) }],
      },
    });
  });
});

describe('history retention', () => {
  it('entries older than the retention are removed at start; newer ones stay', async () => {
    const dataDir = tempDir();
    const first = await setup({}, dataDir);
    const insert = first.services.db.prepare("INSERT INTO audit_log (at, action, entity, entity_id, detail) VALUES (?, 'test', 'x', NULL, '{}')");
    const day = 86_400_000;
    insert.run(new Date(Date.now() - 31 * day).toISOString());
    insert.run(new Date(Date.now() - 29 * day).toISOString());
    first.services.close();
    open.splice(open.indexOf(first.services), 1);
    const { services } = await setup({ history: { retentionDays: 30 } }, dataDir);
    const actions = services.audit.list({}).map((e) => e.action);
    expect(actions.filter((a) => a === 'test')).toHaveLength(1);
    expect(services.audit.list({})[0]).toMatchObject({ action: 'history.pruned', detail: { days: 30, removed: 1 } });
  });
});

describe('CLI export of full card numbers under a policy', () => {
  it('is refused when the policy forbids it; nothing is written', async () => {
    const root = linuxPolicy({ exports: { allowFullCardNumbers: false } });
    const out = join(tempDir(), 'out.csv');
    const r = await runCli(['export', fixture('wonder-valid.csv'), '--profile', 'wonder', '--out', out, '--include-full-card-numbers'], { env: { BATCHDESK_POLICY_ROOT: root } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `batchdesk: your administrator's policy forbids exporting full card numbers (${join(root, 'etc', 'batchdesk', 'policy.json')}). Nothing was written. Export without --include-full-card-numbers to write masked numbers.\n`,
    );
    expect(existsSync(out)).toBe(false);
    // Masked export is still allowed.
    const masked = await runCli(['export', fixture('wonder-valid.csv'), '--profile', 'wonder', '--out', out], { env: { BATCHDESK_POLICY_ROOT: root } });
    expect(masked.code).toBe(0);
  });

  it('an unreadable policy forbids it too (safe default); an allowing policy lets it through', async () => {
    const broken = linuxPolicy('{"exports": ');
    const out = join(tempDir(), 'out.csv');
    const r = await runCli(['export', fixture('wonder-valid.csv'), '--profile', 'wonder', '--out', out, '--include-full-card-numbers'], { env: { BATCHDESK_POLICY_ROOT: broken } });
    expect(r.code).toBe(2);
    const allowing = linuxPolicy({ exports: { allowFullCardNumbers: true } });
    const ok = await runCli(['export', fixture('wonder-valid.csv'), '--profile', 'wonder', '--out', out, '--include-full-card-numbers'], { env: { BATCHDESK_POLICY_ROOT: allowing } });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/IN FULL/);
  });
});

describe('batchdesk backup', () => {
  it('copies the database while another connection holds it open and writes', async () => {
    const home = tempDir();
    const { services } = await setup({}, home);
    services.batches.create({ name: 'Before the backup', profile: 'wonder' });
    // Another process-like writer: a second connection in a write transaction loop.
    const writer = new Database(databaseFile(home));
    const ins = writer.prepare("INSERT INTO audit_log (at, action, entity, entity_id, detail) VALUES (?, 'w', 'x', NULL, '{}')");
    for (let i = 0; i < 200; i++) ins.run(new Date().toISOString());
    const out = join(tempDir(), 'batchdesk-backup.sqlite');
    const r = await runCli(['backup', '--out', out], { env: { BATCHDESK_HOME: home } });
    writer.close();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Backed up ${databaseFile(home).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to .*batchdesk-backup\\.sqlite: \\d+ pages, \\d+ bytes; the copy passed SQLite's integrity check\\.\\n$`));
    const copy = new Database(out, { readonly: true });
    expect(copy.prepare('SELECT name FROM batches').all()).toEqual([{ name: 'Before the backup' }]);
    expect((copy.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'w'").get() as { n: number }).n).toBe(200);
    copy.close();
    expect(readdirSync(join(out, '..')).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('never overwrites a file, and says so when there is no database', async () => {
    const home = tempDir();
    const { services } = await setup({}, home);
    void services;
    const existing = join(tempDir(), 'taken.sqlite');
    writeFileSync(existing, 'keep me');
    const r = await runCli(['backup', '--out', existing], { env: { BATCHDESK_HOME: home } });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`batchdesk: ${existing} already exists: choose a new file name for the backup (nothing was written).\n`);
    const empty = tempDir();
    const none = await runCli(['backup', '--out', join(empty, 'b.sqlite')], { env: { BATCHDESK_HOME: empty } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^batchdesk: There is no Batchdesk database at /);
    expect((await runCli(['backup'], {})).stderr).toMatch(/^batchdesk: backup: --out <file> is required/);
  });
});
