import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEnv, type OutboxEnv } from '../../helpers/outboxEnv';
import { insertBatch, wonderRows } from '../../helpers/outboxRows';
import { compareWithLedger } from '../../helpers/outboxCheck';
import { cleanupTempDirs } from '../../helpers/tmp';
import { S3Upload, PRESIGN_SECONDS } from '../../../electron/main/services/providers/wonder/upload';
import { FINAL_STATUSES } from '../../../electron/main/services/providers/types';
import type { ConnectionOf } from '../../../electron/main/services/providers/connection';

let env: OutboxEnv;
beforeAll(async () => {
  env = await outboxEnv({ sandbox: { seed: 3, outcomes: { settleMs: [100, 800] } } });
});
afterAll(async () => {
  await env.close();
  cleanupTempDirs();
});

async function bucketKeys(): Promise<string[]> {
  const s3 = env.sandbox.s3!;
  const c = new S3Client({ region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  const r = await c.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  c.destroy();
  return (r.Contents ?? []).map((o) => o.Key ?? '');
}

describe('Wonder through the outbox: S3 upload, signed create, query to final', () => {
  it('uploads the file, creates the batch, follows every row to final and deletes the object', { timeout: 120_000 }, async () => {
    const conn = env.connection('wonder') as ConnectionOf<'wonder'>;
    const { batchId } = insertBatch(env.db, 'wonder', wonderRows(40, { salt: 51 }));
    const c = env.outbox.confirmation(batchId, conn);
    expect(c.totals[0]!.currency).toBe('HKD');
    env.outbox.submit(batchId, conn, { token: c.token });
    const end = await env.outbox.run(batchId, conn, { until: 'final' });
    expect(end).toBe('final');
    const r = env.outbox.report(batchId);
    expect(r.items.every((i) => FINAL_STATUSES.has(i.status))).toBe(true);
    expect(r.counts.succeeded).toBeGreaterThan(0);
    const f = compareWithLedger(env.db, env.outbox, env.sandbox.ledger, 'wonder', batchId);
    expect(f.contradictions).toEqual([]);
    expect(f.duplicates).toBe(0);
    // The presigned URL was never written to disk; the object is gone.
    const unit = env.outbox.store.units(batchId)[0]!;
    expect(unit.body).toBeNull();
    const meta = JSON.parse(unit.meta) as { objectKey: string; deleted?: boolean };
    expect(meta.deleted).toBe(true);
    expect(await bucketKeys()).not.toContain(meta.objectKey);
  });

  it('a dropped create answer is found by search instead of creating a second batch', { timeout: 120_000 }, async () => {
    const conn = env.connection('wonder') as ConnectionOf<'wonder'>;
    const { batchId } = insertBatch(env.db, 'wonder', wonderRows(10, { salt: 52 }));
    env.sandbox.setFaults({ wonder: { rate: 1, kinds: ['drop'], count: 1, match: /^POST \/svc\/payment\/api\/v1\/openapi\/batch_mit_transactions$/ } });
    const c = env.outbox.confirmation(batchId, conn);
    env.outbox.submit(batchId, conn, { token: c.token });
    const end = await env.outbox.run(batchId, conn, { until: 'final' });
    env.sandbox.setFaults({});
    expect(end).toBe('final');
    expect(env.sandbox.ledger.requests('wonder').faults.drop).toBe(1);
    const f = compareWithLedger(env.db, env.outbox, env.sandbox.ledger, 'wonder', batchId);
    expect(f.duplicates).toBe(0);
    expect(f.contradictions).toEqual([]);
    const attempts = env.db.prepare(`SELECT state FROM submission_attempts WHERE batch_id = ? ORDER BY started_at`).all(batchId) as { state: string }[];
    expect(attempts.map((a) => a.state)).toEqual(['unknown', 'accepted']);
  });
});

describe('S3 upload settings', () => {
  it('asks for server-side encryption and presigns for at most 15 minutes', async () => {
    const seen: { method: string; headers: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      seen.push({ method: req.method ?? '', headers: req.headers });
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { ETag: '"x"' });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const up = new S3Upload({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', bucket: 'b', accessKeyId: 'AK', secretAccessKey: 'SK', forcePathStyle: true });
    await up.put('k.csv', 'Action\r\n');
    const url = new URL(await up.presign('k.csv', 3600));
    up.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    expect(seen[0]!.method).toBe('PUT');
    expect(seen[0]!.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBe(PRESIGN_SECONDS);
    expect(PRESIGN_SECONDS).toBeLessThanOrEqual(900);
  });
});
