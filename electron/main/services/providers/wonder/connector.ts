/**
 * Wonder Batch MIT (SPEC §1): the batch's rows become one CSV file (published header, card numbers in
 * full — the file is what Wonder charges from); it is uploaded to an S3-compatible bucket (SSE
 * requested, presigned GET ≤ 15 min) or the user gives its URL; then Create Batch MIT Transaction
 * with `file_url`, signed (Credential/Nonce/Signature). Status: Query By ID (`process_status`
 * pending/success/failed, plus per-row results where the answer has them). Wonder documents no
 * dedupe for batch files, so an unanswered create is looked up with Query By Search (a time window
 * around our attempt, matched on our file's object key) before a new create is ever sent.
 */
import { randomUUID } from 'node:crypto';
import { wonderCsvChunks } from '../../../../../shared/formats/export';
import { WONDER_COLUMNS_INDEX } from './columns';
import { request, joinUrl, retryAfterMs, TransportError, type HttpResponse } from '../http';
import { checkReadResponse, errorSummary, obj, str } from '../common';
import { ConnectionProblem, type Connector, type Prepared, type ReconcileResult, type RowOutcome, type SendResult, type TrackedRow, type UnitContext } from '../types';
import type { ConnectionOf } from '../connection';
import { wonderSign } from './sign';
import { S3Upload } from './upload';

const API = '/svc/payment/api/v1/openapi';
/**
 * SPEC §1.9: the three operations' paths are not published. These are the names of Wonder's
 * operations in its own API reference ("Query Batch MIT Transactions By ID / By Search"), the same
 * the built-in sandbox serves; a live contract may need them adjusted here.
 */
export const WONDER_PATHS = {
  create: `${API}/batch_mit_transactions`,
  queryById: `${API}/batch_mit_transactions/query_by_id`,
  search: `${API}/batch_mit_transactions/query_by_search`,
  echo: '/svc/payment/api/v1/echo',
} as const;
/** List APIs return at most 1000 entries per call (Advanced Query DSL, SPEC §1.3). */
const PAGE = 1000;

/** A Wonder row/transaction state → our row status. */
export function wonderRowStatus(entry: Record<string, unknown>): RowOutcome['status'] | null {
  const pd = obj(entry.payment_data) ?? {};
  const s = (str(pd.transaction_state) ?? str(entry.status) ?? str(entry.transaction_state) ?? str(entry.state) ?? str(entry.result) ?? '').toLowerCase();
  if (entry.is_pending === true || s === 'pending') return 'pending';
  if (entry.success === true || ['success', 'succeeded', 'paid', 'captured', 'authorized', 'approved', 'completed'].includes(s)) return 'succeeded';
  if (entry.success === false || ['failed', 'fail', 'declined', 'rejected', 'error', 'voided', 'cancelled'].includes(s)) return 'failed';
  if (['processing', 'in_progress', 'created'].includes(s)) return 'pending';
  return null;
}

function envelopeOk(json: unknown): boolean {
  const o = obj(json) ?? {};
  const code = str(o.code) ?? str(o.error_code);
  return code === undefined || /^0+$/.test(code) || code === 'OK' || code === 'SUCCESS' || code === '200';
}

function batchOf(json: unknown): Record<string, unknown> {
  const data = obj(obj(json)?.data) ?? {};
  return obj(data.batch) ?? obj(data.batch_mit_transaction) ?? data;
}

function batchIdOf(b: Record<string, unknown>): string | undefined {
  return str(b.id) ?? str(b.batch_id) ?? str(b.uuid) ?? str(b.batch_uuid);
}

function rowEntries(b: Record<string, unknown>): Record<string, unknown>[] {
  for (const k of ['rows', 'transactions', 'details', 'items', 'records', 'results']) {
    const v = b[k];
    if (Array.isArray(v)) return v.map((x) => obj(x) ?? {});
  }
  return [];
}

export class WonderConnector implements Connector {
  readonly id = 'wonder' as const;
  readonly limits = {
    rowsPerRequest: 1_048_575, // one file per batch (spreadsheet row limit, as the exporter)
    submitIntervalMs: 1000,
    submitConcurrency: 1,
    pollIntervalMs: 10_000,
    pollConcurrency: 1,
    timeoutMs: 30_000,
    pollPerUnit: true,
  };
  private readonly s3: S3Upload | null;

  constructor(private readonly conn: ConnectionOf<'wonder'>) {
    const up = conn.credentials.upload;
    this.s3 = 's3' in up ? new S3Upload(up.s3) : null;
  }

  private async call(path: string, payload: Record<string, unknown> | null, signal?: AbortSignal): Promise<HttpResponse> {
    const body = payload === null ? '' : JSON.stringify(payload);
    const u = new URL(joinUrl(this.conn.baseUrl, path));
    // The signed uri is the path with its query string exactly as sent.
    const headers = wonderSign({ appId: this.conn.credentials.appId, privateKeyPem: this.conn.credentials.privateKeyPem, method: 'POST', uri: u.pathname + u.search, body });
    return request({ method: 'POST', url: joinUrl(this.conn.baseUrl, path), headers: { ...headers }, body, timeoutMs: this.limits.timeoutMs, ...(signal ? { signal } : {}) });
  }

  /** The file as Wonder reads it; card numbers and CVCs in full (it is the charge instruction). */
  csv(unit: UnitContext): string {
    let s = '';
    for (const chunk of wonderCsvChunks(unit.rows.map((r) => r.cells), { includeFullCardNumbers: true })) s += chunk;
    return s;
  }

  async prepare(unit: UnitContext, signal?: AbortSignal): Promise<Prepared> {
    const up = this.conn.credentials.upload;
    if ('fileUrl' in up) return { method: 'POST', path: WONDER_PATHS.create, body: JSON.stringify({ file_url: up.fileUrl }), storable: true };
    const s3 = this.s3!;
    let key = str(unit.meta.objectKey);
    if (!key) {
      // Written down before the upload, so the object can be found and deleted after a crash.
      key = `batchdesk/${randomUUID()}.csv`;
      unit.saveMeta({ ...unit.meta, objectKey: key });
    }
    if (unit.meta.uploaded !== true) {
      await s3.put(key, this.csv(unit), signal);
      unit.saveMeta({ ...unit.meta, objectKey: key, uploaded: true });
    }
    const url = await s3.presign(key);
    // A presigned URL lets anyone read the card file for 15 minutes: it is never written to disk.
    return { method: 'POST', path: WONDER_PATHS.create, body: JSON.stringify({ file_url: url }), storable: false };
  }

  async send(unit: UnitContext, req: Prepared, signal?: AbortSignal): Promise<SendResult> {
    const payload = JSON.parse(req.body) as Record<string, unknown>;
    const res = await this.call(req.path, payload, signal);
    if (res.status === 401 || res.status === 403) throw new ConnectionProblem(`Wonder refused the signature or App ID (${errorSummary(res)}). Check the App ID and private key.`);
    if (res.status === 429) return { kind: 'retry', http: 429, retryAfterMs: retryAfterMs(res.headers), summary: errorSummary(res) };
    if (res.status >= 500 || res.status === 408) throw new TransportError('timeout', true, `Wonder answered ${errorSummary(res)}: the batch may or may not have been created.`);
    if (res.status === 200 && envelopeOk(res.json)) {
      const b = batchOf(res.json);
      const id = batchIdOf(b);
      if (!id) {
        return { kind: 'answered', http: 200, outcomes: unit.rows.map((r) => ({ rowId: r.rowId, status: 'needs_review', reason: 'Wonder accepted the file but returned no batch id; find the batch in the Wonder dashboard.' })), summary: 'HTTP 200 without batch id' };
      }
      unit.saveMeta({ ...unit.meta, batchId: id, processStatus: str(b.process_status) ?? 'pending' });
      return { kind: 'answered', http: 200, providerRef: id, outcomes: unit.rows.map((r) => ({ rowId: r.rowId, status: 'accepted', providerRef: id })), summary: `HTTP 200 batch ${id}` };
    }
    return { kind: 'refused', http: res.status, reason: errorSummary(res), summary: errorSummary(res) };
  }

  /** Looks for a batch created from our file in a window around the first attempt. */
  async reconcile(unit: UnitContext, _req: Prepared | null, signal?: AbortSignal): Promise<ReconcileResult> {
    const marker = str(unit.meta.objectKey) ?? (('fileUrl' in this.conn.credentials.upload) ? this.conn.credentials.upload.fileUrl : undefined);
    if (!marker) return { kind: 'unreconcilable', reason: 'The Wonder batch cannot be identified (no file reference was kept). Check the Wonder dashboard.' };
    const from = new Date((unit.firstAttemptAt ?? Date.now()) - 5 * 60_000);
    const q = new URLSearchParams({ 'filter[created_at][_gte]': from.toISOString(), offset: '0', limit: String(PAGE) });
    let res: HttpResponse;
    try {
      res = await this.call(`${WONDER_PATHS.search}?${q.toString()}`, null, signal);
    } catch (e) {
      if (e instanceof TransportError) return { kind: 'later', summary: e.message };
      throw e;
    }
    if (res.status === 429 || res.status >= 500) return { kind: 'later', retryAfterMs: retryAfterMs(res.headers), summary: errorSummary(res) };
    checkReadResponse(res, 'Wonder');
    if (res.status !== 200 || !envelopeOk(res.json)) return { kind: 'unreconcilable', reason: `Wonder's search did not answer usefully (${errorSummary(res)}); check the Wonder dashboard before submitting this file again.` };
    const data = obj(obj(res.json)?.data) ?? {};
    const list = Array.isArray(data.items) ? data.items : Array.isArray(data.list) ? data.list : Array.isArray(data.records) ? data.records : [];
    const total = Number(data.total ?? list.length);
    if (Number.isFinite(total) && total > list.length) return { kind: 'unreconcilable', reason: `Wonder lists more than ${PAGE} batches since the first attempt; find this one in the Wonder dashboard before submitting again.` };
    const mine = list.map((x) => obj(x) ?? {}).filter((b) => (str(b.file_url) ?? '').includes(marker));
    if (mine.length === 1) {
      const id = batchIdOf(mine[0]!);
      if (id) {
        unit.saveMeta({ ...unit.meta, batchId: id, processStatus: str(mine[0]!.process_status) ?? 'pending' });
        return { kind: 'known', providerRef: id, outcomes: unit.rows.map((r) => ({ rowId: r.rowId, status: 'accepted', providerRef: id })), summary: `found batch ${id} by search` };
      }
    }
    if (mine.length > 1) return { kind: 'unreconcilable', reason: `Wonder shows ${mine.length} batches made from this file; check them in the Wonder dashboard.` };
    // The search lists batches from the time window; ours is not among them, so it was never created.
    return { kind: 'absent', summary: 'no Wonder batch from this file' };
  }

  async poll(rows: readonly TrackedRow[], signal?: AbortSignal): Promise<RowOutcome[]> {
    const id = str(rows[0]?.unitMeta.batchId) ?? rows[0]?.providerRef ?? undefined;
    if (!id) return [];
    let b: Record<string, unknown> = {};
    const entries: Record<string, unknown>[] = [];
    for (let offset = 0; ; offset += PAGE) {
      let res: HttpResponse;
      try {
        res = await this.call(WONDER_PATHS.queryById, { uuid: id, offset, limit: PAGE }, signal);
        checkReadResponse(res, 'Wonder');
      } catch (e) {
        // A later page failing keeps what the earlier pages said; the rest is read next time.
        if (offset === 0) throw e;
        break;
      }
      if (res.status !== 200 || !envelopeOk(res.json)) {
        if (offset === 0) return [];
        break;
      }
      b = batchOf(res.json);
      const page = rowEntries(b);
      entries.push(...page);
      const total = Number(obj(b.counts)?.total ?? 0);
      if (page.length < PAGE || entries.length >= total) break;
    }
    const ps = (str(b.process_status) ?? '').toLowerCase();
    rows[0]!.unitMeta.processStatus = ps;
    if (ps === 'failed') {
      const why = str(b.error_message) ?? str(b.fail_reason) ?? str(b.message) ?? 'Wonder could not process the file';
      return rows.map((r) => ({ rowId: r.rowId, status: 'failed', reason: `file failed: ${why}` }));
    }
    if (entries.length === 0) return [];
    // Entries are matched by line number in our file (1 = first data row), else by Reference Number.
    const byLine = new Map<number, Record<string, unknown>>();
    const byRef = new Map<string, Record<string, unknown>>();
    entries.forEach((e, i) => {
      const line = Number(e.row_number ?? e.row ?? e.line ?? i + 1);
      if (Number.isInteger(line)) byLine.set(line, e);
      const ref = str(e.reference_number) ?? str(e.referenceNumber);
      if (ref) byRef.set(ref, e);
    });
    const out: RowOutcome[] = [];
    rows.forEach((r) => {
      const ref = r.cells[WONDER_COLUMNS_INDEX.referenceNumber] ?? '';
      const e = byLine.get(r.line) ?? (ref ? byRef.get(ref) : undefined);
      if (!e) return;
      const status = wonderRowStatus(e);
      if (status === null) return;
      const tx = str(e.uuid) ?? str(e.transaction_uuid) ?? str(e.transaction_id);
      const code = str(e.error_code);
      const msg = str(e.error_message) ?? str(e.message) ?? str(e.reason);
      const reason = code && msg ? `${code}: ${msg}` : (msg ?? code);
      out.push({ rowId: r.rowId, status, ...(tx ? { providerRef: tx } : {}), ...(status === 'failed' ? { reason: reason ?? 'declined' } : {}) });
    });
    return out;
  }

  /** The uploaded file holds card data: deleted once Wonder has processed it. */
  async finish(unit: UnitContext, signal?: AbortSignal): Promise<void> {
    const key = str(unit.meta.objectKey);
    if (!key || !this.s3 || unit.meta.deleted === true) return;
    await this.s3.delete(key, signal);
    unit.saveMeta({ ...unit.meta, deleted: true });
  }

  async test(signal?: AbortSignal): Promise<string> {
    const res = await this.call(WONDER_PATHS.echo, { message: 'batchdesk connection test' }, signal);
    if (res.status === 401 || res.status === 403) throw new ConnectionProblem(`Wonder refused the signature (${errorSummary(res)}): check the App ID and the private key.`);
    if (res.status !== 200) throw new TransportError('network', false, `Wonder answered ${errorSummary(res)}.`);
    return 'Wonder answered the signed echo call: App ID and key are right.';
  }
}
