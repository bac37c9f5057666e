import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEnv, type OutboxEnv } from '../../helpers/outboxEnv';
import { epayRows, insertBatch } from '../../helpers/outboxRows';
import { cleanupTempDirs } from '../../helpers/tmp';
import { Outbox } from '../../../electron/main/services/outbox';
import { cardCells } from '../../../electron/main/services/outbox/cardCells';
import { FileKeySource, Sealer } from '../../../electron/main/services/crypto';
import { ConnectionStore, SECRETS_FILE } from '../../../electron/main/services/providers/connections';
import { sandboxConnection } from '../../../electron/main/services/providers/sandbox';

let env: OutboxEnv;
beforeAll(async () => {
  env = await outboxEnv({ sandbox: { seed: 13, outcomes: { settleMs: [100, 500] } } });
});
afterAll(async () => {
  await env.close();
  cleanupTempDirs();
});

describe('pause, resume, cancel', () => {
  it('pause stops new requests, resume sends the rest; cancel drops only rows never sent', { timeout: 120_000 }, async () => {
    const { batchId } = insertBatch(env.db, 'epay', epayRows(2500, { salt: 61 }));
    const conn = env.connection('epay');
    env.outbox.submit(batchId, conn, { token: env.outbox.confirmation(batchId, conn).token });
    env.outbox.pause(batchId);
    expect(await env.outbox.run(batchId, conn, { until: 'accepted' })).toBe('paused');
    expect(env.outbox.report(batchId).counts.queued).toBe(2500);
    env.outbox.resume(batchId);
    // Let the first request go out, then cancel: the other four are never sent.
    const ac = new AbortController();
    const running = env.outbox.run(batchId, conn, { until: 'accepted', signal: ac.signal, onChange: () => {
      if (env.outbox.report(batchId).counts.accepted > 0) ac.abort();
    } });
    await running;
    const cancelled = env.outbox.cancel(batchId);
    expect(cancelled).toBeGreaterThanOrEqual(1000);
    expect(await env.outbox.run(batchId, conn, { until: 'final' })).toBe('final');
    const r = env.outbox.report(batchId);
    expect(r.counts.cancelled).toBe(cancelled);
    expect(r.counts.cancelled + r.counts.succeeded + r.counts.failed).toBe(2500);
    expect(env.sandbox.ledger.charges('epay').filter((c) => c.merchantRef.startsWith('E-61-')).length).toBe(2500 - cancelled);
  });
});

describe('the same batch submitted from two processes at once', () => {
  it('exactly one claim succeeds', { timeout: 60_000 }, async () => {
    const { batchId } = insertBatch(env.db, 'epay', epayRows(5, { salt: 62 }));
    const code = `
      const { openDatabase } = await import('./electron/main/services/db/database.ts');
      const { Outbox } = await import('./electron/main/services/outbox/index.ts');
      const { parseConnection } = await import('./electron/main/services/providers/connection.ts');
      const db = openDatabase(process.argv[1]);
      const o = new Outbox(db);
      const conn = parseConnection(JSON.parse(process.env.C));
      const c = o.confirmation(process.argv[2], conn);
      try { o.submit(process.argv[2], conn, { token: c.token }); console.log('claimed'); } catch (e) { console.log('refused'); }
      db.close();`;
    const run = () =>
      new Promise<string>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, env.file, batchId], {
          cwd: join(import.meta.dirname, '../../..'),
          env: { ...process.env, C: JSON.stringify(sandboxConnection('epay', env.sandbox)) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        p.on('close', () => resolve(out.trim()));
      });
    const results = await Promise.all([run(), run(), run()]);
    expect(results.sort()).toEqual(['claimed', 'refused', 'refused']);
  });
});

describe('card data', () => {
  it('the CVC is deleted once the provider has answered for the row; the card number stays sealed', { timeout: 60_000 }, async () => {
    const sealer = new Sealer(new FileKeySource(env.dir));
    const outbox = new Outbox(env.db, { cards: cardCells(sealer) });
    const conn = env.connection('wonder');
    const rows = [['payment', 'CVC-1', '', '', '12.00', '', '4111111111111111', '12', '30', '123', 'renewal']];
    const { batchId, rowIds } = insertBatch(env.db, 'wonder', rows.map((r) => r.map((c, i) => (i === 6 || i === 9 ? '' : c))));
    env.db.prepare('UPDATE batch_rows SET sealed = ? WHERE id = ?').run(sealer.seal(JSON.stringify({ 6: '4111111111111111', 9: '123' }), rowIds[0]!), rowIds[0]);
    outbox.submit(batchId, conn, { token: outbox.confirmation(batchId, conn).token });
    await outbox.run(batchId, conn, { until: 'accepted' });
    const stored = env.db.prepare('SELECT cells, sealed FROM batch_rows WHERE id = ?').get(rowIds[0]) as { cells: string; sealed: Buffer };
    expect(JSON.parse(sealer.openText(stored.sealed, rowIds[0]!))).toEqual({ 6: '4111111111111111' });
    expect(stored.cells).not.toMatch(/4111|123/);
    const file = readFileSync(env.file);
    expect(file.includes(Buffer.from('4111111111111111'))).toBe(false);
  });
});

describe('connection store', () => {
  it('keeps secrets out of SQLite and exports, and refuses to import them', () => {
    const store = new ConnectionStore(env.db, new Sealer(new FileKeySource(env.dir)), env.dir);
    const saved = store.save({ name: 'Live ePay', connection: { provider: 'epay', baseUrl: 'https://payments.epay.eu', credentials: { apiKey: 'live-api-key-999' } } });
    expect(saved.secretsSet).toEqual(['apiKey']);
    expect(JSON.stringify(env.db.prepare('SELECT * FROM connections').all())).not.toMatch(/live-api-key-999/);
    expect(readFileSync(join(env.dir, SECRETS_FILE), 'utf8')).not.toMatch(/live-api-key-999/);
    expect(store.resolve(saved.id).credentials).toEqual({ apiKey: 'live-api-key-999' });
    // Saving again without the secret keeps it.
    store.save({ id: saved.id, name: 'Live ePay', connection: { provider: 'epay', baseUrl: 'https://payments.epay.eu/v', credentials: {} } });
    expect(store.resolve(saved.id)).toMatchObject({ baseUrl: 'https://payments.epay.eu/v', credentials: { apiKey: 'live-api-key-999' } });
    const exported = store.exportJson();
    expect(exported).not.toMatch(/live-api-key-999/);
    const { connections: imported, secretsIgnored } = store.importJson(JSON.stringify({ connections: [{ name: 'From file', provider: 'sibs', baseUrl: 'https://api.qly.sibspayments.com/sibs/spg/v2', credentials: { bearerToken: 'tok-from-file', clientId: 'cid', terminalId: '1' } }] }));
    expect(imported[0]!.secretsSet).toEqual([]);
    expect(secretsIgnored).toBe(1);
    expect(JSON.stringify(env.db.prepare('SELECT * FROM connections').all())).not.toMatch(/tok-from-file/);
    expect(() => store.resolve(imported[0]!.id)).toThrow(/bearer token is missing.*Settings/);
  });

  it('test connection answers in words, never with the secret', async () => {
    const store = new ConnectionStore(env.db, new Sealer(new FileKeySource(env.dir)), env.dir);
    const good = store.save({ name: 'Sandbox SIBS', connection: sandboxConnection('sibs', env.sandbox) });
    expect(await store.test(good.id)).toMatchObject({ ok: true });
    const bad = store.save({ name: 'Bad SIBS', connection: { ...sandboxConnection('sibs', env.sandbox), credentials: { bearerToken: 'nope-token-xyz', clientId: 'sandbox-sibs-client-0001', terminalId: '11111' } } });
    const r = await store.test(bad.id);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/refused the credentials/);
    expect(r.message).not.toMatch(/nope-token-xyz/);
  });
});
