/**
 * A provider that echoes the credentials back in its error bodies (a real HTTP server on
 * 127.0.0.1 written to be hostile): the secret must not reach SQLite (row reasons, attempt
 * summaries, batch notes), the WAL, or any message, because every connector is wrapped to blank it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/main/services/db/database';
import { Outbox } from '../../../electron/main/services/outbox';
import { parseConnection } from '../../../electron/main/services/providers/connection';
import { testConnection } from '../../../electron/main/services/providers/registry';
import { epayRows, insertBatch } from '../../helpers/outboxRows';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';

const SECRET = 'live-epay-key-echoed-9f8e7d';
let server: Server;
let base = '';
let dir = '';
let db: Db;
let mode: 'refuse' | 'unauthorized' = 'refuse';

beforeAll(async () => {
  server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      if (mode === 'unauthorized' || req.method === 'GET') {
        res.statusCode = 401;
        res.end(JSON.stringify({ errorCode: 'UNAUTHORIZED', message: `The key in "${auth}" is not valid` }));
      } else {
        res.statusCode = 400;
        res.end(JSON.stringify({ errorCode: 'BAD_REQUEST', message: `Request with ${auth} refused` }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = tempDir();
  db = openDatabase(join(dir, 'batchdesk.sqlite'));
});
afterAll(async () => {
  db.close();
  await new Promise((r) => server.close(r));
  cleanupTempDirs();
});

const conn = () => parseConnection({ provider: 'epay', baseUrl: base, credentials: { apiKey: SECRET } });

function dbBytes(): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('batchdesk.sqlite')).map((f) => readFileSync(join(dir, f))));
}

describe('secrets echoed by a provider', () => {
  it('Test connection: the message names the refusal, not the key', async () => {
    const r = await testConnection(conn());
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/refused the credentials/);
    expect(r.message).toContain('[secret]');
    expect(r.message).not.toContain(SECRET);
  });

  it('a refused request: rows fail with the provider\'s reason, the key blanked in SQLite and its WAL', { timeout: 60_000 }, async () => {
    mode = 'refuse';
    const outbox = new Outbox(db);
    const { batchId } = insertBatch(db, 'epay', epayRows(3, { salt: 77 }));
    outbox.submit(batchId, conn(), { token: outbox.confirmation(batchId, conn()).token });
    expect(await outbox.run(batchId, conn(), { until: 'accepted' })).toBe('final');
    const r = outbox.report(batchId);
    expect(r.counts.failed).toBe(3);
    for (const i of r.items) expect(i.reason).toMatch(/BAD_REQUEST Request with Bearer \[secret\] refused/);
    expect(dbBytes().includes(Buffer.from(SECRET))).toBe(false);
  });

  it('credentials refused on submit: the batch pauses with a note, the key blanked', { timeout: 60_000 }, async () => {
    mode = 'unauthorized';
    const outbox = new Outbox(db);
    const { batchId } = insertBatch(db, 'epay', epayRows(2, { salt: 78 }));
    outbox.submit(batchId, conn(), { token: outbox.confirmation(batchId, conn()).token });
    expect(await outbox.run(batchId, conn(), { until: 'accepted' })).toBe('paused');
    const r = outbox.report(batchId);
    expect(r.note).toMatch(/refused the credentials .*\[secret\]/);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(dbBytes().includes(Buffer.from(SECRET))).toBe(false);
  });
});
