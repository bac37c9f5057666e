/**
 * Shutdown while a background submission is still waiting on the provider: closing must wait for
 * the run to stop writing before the database closes (before the fix, Services.close closed the
 * database under the run and its last writes failed as an unhandled error). A real SQLite file and
 * a real HTTP server on 127.0.0.1 that holds every request unanswered.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/main/services';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

let server: Server;
let baseUrl: string;
const sockets = new Set<Socket>();
let waiting: ((req: IncomingMessage) => void)[] = [];
const received = () => new Promise<IncomingMessage>((r) => waiting.push(r));

beforeAll(async () => {
  // Accepts every request and never answers: the submission stays in flight until it is aborted.
  server = createServer((req) => {
    for (const w of waiting.splice(0)) w(req);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  cleanupTempDirs();
});

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));
afterEach(() => {
  waiting = [];
});

async function submitHanging(services: Services): Promise<string> {
  const conn = services.connections.save({ name: 'Never answers', provider: 'epay', baseUrl, upload: null, values: { apiKey: 'close-test-key-0001' } });
  const file = join(import.meta.dirname, '..', '..', 'resources', 'samples', 'epay-renewals.csv');
  const preview = await services.imports.preview({ file: { kind: 'path', path: file }, profile: 'epay' });
  const out = await services.imports.importNow({ file: { kind: 'path', path: file }, profile: 'epay', mapping: preview.mapping, amountUnit: preview.amount.suggested, target: { kind: 'new', name: 'Closing' } });
  const confirm = await services.submissions.confirm(out.batchId, conn.id);
  const sent = received();
  await services.submissions.submit(out.batchId, conn.id, confirm.token);
  await sent; // the background run is now waiting on the provider
  return out.batchId;
}

const ownerOf = (db: { prepare(sql: string): { get(...a: unknown[]): unknown } }, batchId: string) => (db.prepare('SELECT owner FROM outbox_batches WHERE batch_id = ?').get(batchId) as { owner: string | null }).owner;

describe('closing while a submission runs in the background', () => {
  it('submissions.close() resolves only once the run has stopped and released its batch', { timeout: 60_000 }, async () => {
    const services = createServices({ dataDir: tempDir(), mode: 'web', version: '0.0.0-test' });
    try {
      const batchId = await submitHanging(services);
      expect(ownerOf(services.db, batchId)).not.toBeNull();
      await services.submissions.close();
      // No waiting here: the run's last writes (lease released) are done when close() resolves.
      expect(ownerOf(services.db, batchId)).toBeNull();
    } finally {
      await services.closeAsync();
    }
  });

  it('closeAsync() closes the database after the run stopped: nothing written to a closed database, the batch is left to continue', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const services = createServices({ dataDir, mode: 'web', version: '0.0.0-test' });
    const batchId = await submitHanging(services);
    unhandled.length = 0;
    await services.closeAsync();
    expect(services.db.open).toBe(false);
    // Let any late rejection surface before looking (what is measured is whether one exists, not time).
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 100));
    expect(unhandled).toEqual([]);
    const db = new Database(join(dataDir, 'batchdesk.sqlite'), { readonly: true });
    try {
      expect(ownerOf(db, batchId)).toBeNull();
      expect((db.prepare('SELECT state FROM outbox_batches WHERE batch_id = ?').get(batchId) as { state: string }).state).not.toBe('final');
    } finally {
      db.close();
    }
  });
});
