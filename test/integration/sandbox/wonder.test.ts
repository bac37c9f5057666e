import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { manualClock, sandboxConnection, startSandbox, WONDER_PATHS, type Sandbox } from '../../../electron/main/services/providers/sandbox';
import { writeXlsx } from '../../../electron/main/services/files/xlsx';
import { call, networkFailure, wonderHeaders } from './helpers';

const clock = manualClock(Date.now());
let sb: Sandbox;
let base: string;
let creds: { appId: string; privateKeyPem: string; upload: { s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string } } };
let s3: S3Client;

const HEADER = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark';

function post(path: string, body: unknown, over: Partial<Parameters<typeof wonderHeaders>[0]> = {}, query = '') {
  const url = `${base}${path}${query}`;
  const text = JSON.stringify(body);
  return call(url, { method: 'POST', headers: wonderHeaders({ appId: creds.appId, privateKeyPem: creds.privateKeyPem, method: 'POST', url, body: text, at: clock.now(), ...over }), rawBody: text });
}

/** Uploads like the app's Wonder connector: server-side encryption, presigned GET valid 15 minutes. */
async function upload(name: string, body: string | Uint8Array): Promise<string> {
  const bucket = creds.upload.s3.bucket;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: body, ServerSideEncryption: 'AES256' }));
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: name }), { expiresIn: 900 });
}

/** Steps the sandbox clock until the batch's file is processed (the download itself is real I/O). */
async function untilProcessed(uuid: string) {
  for (let i = 0; i < 300; i++) {
    const r = await post(WONDER_PATHS.queryById, { uuid, limit: 1000 });
    if (r.json.data.process_status !== 'pending') return r.json.data;
    clock.advance(250);
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('batch stayed pending');
}

beforeAll(async () => {
  sb = await startSandbox({ seed: 11, clock, outcomes: { settleMs: [1000, 5000], declineRate: 0.2 } });
  const conn = sandboxConnection('wonder', sb);
  base = conn.baseUrl;
  creds = conn.credentials as typeof creds;
  const c = creds.upload.s3;
  s3 = new S3Client({ endpoint: c.endpoint, region: c.region, forcePathStyle: true, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } });
});
afterAll(async () => {
  s3.destroy();
  await sb.close();
});

describe('Wonder sandbox: signed requests', () => {
  it('echo answers a correctly signed request on both published paths', async () => {
    for (const p of [WONDER_PATHS.echo, WONDER_PATHS.echoOpenapi]) {
      const r = await post(p, { message: 'hello' });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ code: '000000', message: 'Success', data: { message: 'hello' } });
    }
  });

  it('refuses missing, malformed, stale, foreign, tampered and replayed signatures', async () => {
    const url = `${base}${WONDER_PATHS.echo}`;
    const body = JSON.stringify({ message: 'x' });
    const good = () => wonderHeaders({ appId: creds.appId, privateKeyPem: creds.privateKeyPem, method: 'POST', url, body, at: clock.now() });
    const send = (headers: Record<string, string>, raw = body) => call(url, { method: 'POST', headers, rawBody: raw });

    expect((await send({ 'Content-Type': 'application/json' })).json.code).toBe('E000001');
    const badFormat = await send({ ...good(), Credential: `${creds.appId}/2026-01-01/Wonder-RSA-SHA256` });
    expect(badFormat.status).toBe(401);
    expect(badFormat.json).toEqual({ code: 'E000002', message: 'Invalid Credential Format.' });
    const foreign = await send({ ...good(), Credential: good().Credential!.replace(creds.appId, 'someone-else') });
    expect(foreign.status).toBe(403);
    // 30 minutes off is the limit: just inside passes, just outside is refused.
    const inside = wonderHeaders({ appId: creds.appId, privateKeyPem: creds.privateKeyPem, method: 'POST', url, body, at: clock.now() - 30 * 60 * 1000 + 1000 });
    expect((await send(inside)).status).toBe(200);
    const stale = wonderHeaders({ appId: creds.appId, privateKeyPem: creds.privateKeyPem, method: 'POST', url, body, at: clock.now() - 30 * 60 * 1000 - 1000 });
    expect((await send(stale)).json.code).toBe('E000004');
    const tampered = await send(good(), JSON.stringify({ message: 'y' }));
    expect(tampered.status).toBe(403);
    expect(tampered.json.code).toBe('E000006');
    const h = good();
    expect((await send(h)).status).toBe(200);
    expect((await send(h)).json.code).toBe('E000008'); // the same Nonce again
    const noRequestId = good();
    delete noRequestId['X-Request-ID'];
    expect((await send(noRequestId)).status).toBe(400);
  });

  it('signs the query string too: a changed query fails', async () => {
    const url = `${base}${WONDER_PATHS.search}?limit=10`;
    const h = wonderHeaders({ appId: creds.appId, privateKeyPem: creds.privateKeyPem, method: 'POST', url, body: '{}', at: clock.now() });
    const r = await call(`${base}${WONDER_PATHS.search}?limit=11`, { method: 'POST', headers: h, rawBody: '{}' });
    expect(r.status).toBe(403);
  });
});

describe('Wonder sandbox: batch MIT', () => {
  it('fetches the CSV from a presigned S3 URL, processes it, rows go pending → approved | declined | rejected', async () => {
    const csv = [
      HEADER,
      'payment,INV-1,,,10.00,tok_a,,,,,May renewal',
      'payment,INV-2,,,0.51,tok_b,,,,,insufficient funds by magic amount',
      'payment,INV-3,,,25.00,,4111111111111111,12,30,123,card row',
      'payment,INV-4,,,25.00,,4111111111111112,12,30,,bad check digit',
      'authorize,INV-5,,,7.50,tok_c,,,,,',
    ].join('\r\n');
    const url = await upload('batch-1.csv', csv);
    const created = await post(WONDER_PATHS.create, { file_url: url });
    expect(created.status).toBe(200);
    expect(created.json.data).toMatchObject({ process_status: 'pending', file_url: url });
    const data = await untilProcessed(created.json.data.uuid);
    expect(data.process_status).toBe('success');
    expect(data.transactions).toHaveLength(5);
    const [a, b, c, d] = data.transactions;
    expect(a).toMatchObject({ row_number: 1, reference_number: 'INV-1', type: 'Sales', amount: '10.00', currency: 'HKD', is_pending: true });
    expect(d).toMatchObject({ success: false, is_pending: false, uuid: null, error_code: 'ROW_REJECTED', payment_data: { transaction_state: 'rejected' } });
    expect(d.error_message).toContain('check digit');
    expect(JSON.stringify(data)).not.toContain('4111111111111111'); // card numbers come back masked
    expect(c.payment_data.card_number).toBe('411111…1111');
    clock.advance(5000);
    const final = (await post(WONDER_PATHS.queryById, { uuid: created.json.data.uuid })).json.data;
    expect(final.counts).toMatchObject({ total: 5, pending: 0, rejected: 1 });
    expect(final.transactions[1]).toMatchObject({ success: false, is_pending: false, error_code: 'ISO_51', payment_data: { transaction_state: 'declined', response_code: '51' } });
    expect(final.transactions[0].success || final.transactions[0].payment_data.transaction_state === 'declined').toBe(true);
    expect(b.reference_number).toBe('INV-2');
    // 4 rows reached the card networks (the rejected one did not)
    expect(sb.ledger.entries('wonder').filter((e) => e.idempotencyKey?.startsWith(created.json.data.uuid))).toHaveLength(4);
    await s3.send(new DeleteObjectCommand({ Bucket: creds.upload.s3.bucket, Key: 'batch-1.csv' }));
  });

  it('reads an XLSX file with the same engine', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bd-sbx-'));
    try {
      const path = join(dir, 'b.xlsx');
      await writeXlsx(path, { name: 'Batch', header: HEADER.split(','), rows: [['payment', 'X-1', '', '', '12.30', 'tok_x', '', '', '', '', '']], textColumns: HEADER.split(',') });
      const url = await upload('batch-2.xlsx', await readFile(path));
      const created = await post(WONDER_PATHS.create, { file_url: url });
      const data = await untilProcessed(created.json.data.uuid);
      expect(data.process_status).toBe('success');
      expect(data.transactions[0]).toMatchObject({ reference_number: 'X-1', amount: '12.30', type: 'Sales' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a file that cannot be fetched or read fails the batch with a reason', async () => {
    const missing = await post(WONDER_PATHS.create, { file_url: `${creds.upload.s3.endpoint}/${creds.upload.s3.bucket}/no-such-file.csv` });
    const m = await untilProcessed(missing.json.data.uuid);
    expect(m.process_status).toBe('failed');
    expect(m.error_message).toContain('404');
    const noColumns = await post(WONDER_PATHS.create, { file_url: await upload('wrong.csv', 'a,b\n1,2\n') });
    const n = await untilProcessed(noColumns.json.data.uuid);
    expect(n.process_status).toBe('failed');
    expect(n.error_message.length).toBeGreaterThan(10);
    const noUrl = await post(WONDER_PATHS.create, {});
    expect(noUrl.status).toBe(400);
    expect((await post(WONDER_PATHS.create, { file_url: 'ftp://x/y.csv' })).status).toBe(400);
  });

  it('a dropped Create answer still makes the batch; search by file_url finds it; a second Create charges twice (no dedupe)', async () => {
    const url = await upload('batch-3.csv', `${HEADER}\r\npayment,DROP-1,,,9.00,tok_d,,,,,\r\n`);
    sb.setFaults({ wonder: { rate: 1, kinds: ['drop'], count: 1 } });
    await networkFailure(post(WONDER_PATHS.create, { file_url: url }));
    sb.setFaults({});
    const q = `?filter[file_url][_eq]=${encodeURIComponent(url)}`;
    const found = await post(WONDER_PATHS.search, {}, {}, q);
    expect(found.status).toBe(200);
    expect(found.json.data.total).toBe(1);
    await untilProcessed(found.json.data.items[0].uuid);
    expect(sb.ledger.duplicates('wonder')).toEqual([]);
    const second = await post(WONDER_PATHS.create, { file_url: url });
    await untilProcessed(second.json.data.uuid);
    expect(sb.ledger.duplicates('wonder')).toEqual([expect.objectContaining({ key: 'payment:DROP-1', count: 2 })]);
  });

  it('search: time range and status filters, limit at most 1000', async () => {
    const since = new Date(clock.now() - 3600_000).toISOString();
    const r = await post(WONDER_PATHS.search, {}, {}, `?filter[created_at][_gte]=${encodeURIComponent(since)}&filter[process_status][_in]=success,failed&limit=1000`);
    expect(r.status).toBe(200);
    expect(r.json.data.total).toBeGreaterThanOrEqual(4);
    expect(r.json.data.items.every((b: { process_status: string }) => b.process_status !== 'pending')).toBe(true);
    expect((await post(WONDER_PATHS.search, {}, {}, '?limit=1001')).status).toBe(400);
    expect((await post(WONDER_PATHS.search, {}, {}, '?filter[amount][_eq]=1')).status).toBe(400);
  });

  it('refunds a successful payment of the sandbox, refuses one on an unknown transaction', async () => {
    const pay = await post(WONDER_PATHS.create, { file_url: await upload('pay.csv', `${HEADER}\r\npayment,RF-C,,,20.00,tok_r,,,,,\r\n`) });
    await untilProcessed(pay.json.data.uuid);
    clock.advance(6000);
    const paid = (await post(WONDER_PATHS.queryById, { uuid: pay.json.data.uuid })).json.data.transactions[0];
    expect(paid).toMatchObject({ success: true, allow_refund: true }); // deterministic for this seed and reference
    const refund = await post(WONDER_PATHS.create, { file_url: await upload('refund.csv', `${HEADER}\r\nrefund,RF-C,${paid.uuid},,5.00,tok_r,,,,,\r\nrefund,RF-2,00000000-0000-4000-8000-000000000000,,5.00,tok_r,,,,,\r\n`) });
    const data = await untilProcessed(refund.json.data.uuid);
    expect(data.transactions[0]).toMatchObject({ type: 'Refund', original_transaction_uuid: paid.uuid });
    expect(data.transactions[1]).toMatchObject({ error_message: 'Original transaction not found.', uuid: null });
    const tooMuch = await post(WONDER_PATHS.create, { file_url: await upload('refund2.csv', `${HEADER}\r\nrefund,RF-3,${paid.uuid},,15.01,tok_r,,,,,\r\n`) });
    expect((await untilProcessed(tooMuch.json.data.uuid)).transactions[0].error_message).toContain('more than what is left');
  });
});
