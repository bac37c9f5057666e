/** Small helpers shared by the connectors. */
import { createHash } from 'node:crypto';
import { retryAfterMs, type HttpResponse } from './http';
import { ConnectionProblem, Throttled } from './types';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A provider error body in one line, at most 300 characters (never the request). */
export function errorSummary(res: HttpResponse): string {
  const o = obj(res.json);
  if (o) {
    const code = str(o.errorCode) ?? str(o.code) ?? str(o.error_code) ?? str(obj(o.returnStatus)?.statusCode) ?? str(o.responseCode);
    const msg = str(o.message) ?? str(o.msg) ?? str(o.error_message) ?? str(obj(o.returnStatus)?.statusMsg) ?? str(o.responseDescription);
    const s = [code, msg].filter(Boolean).join(' ');
    if (s) return `HTTP ${res.status} ${s}`.slice(0, 300);
  }
  return `HTTP ${res.status}${res.text ? ' ' + res.text.replace(/\s+/g, ' ').slice(0, 200) : ''}`;
}

/** 401/403 → the connection is wrong (retrying cannot help); 429 → Throttled. Used for reads. */
export function checkReadResponse(res: HttpResponse, provider: string): void {
  if (res.status === 401 || res.status === 403) {
    throw new ConnectionProblem(`${provider} refused the credentials (${errorSummary(res)}). Check the connection settings.`);
  }
  if (res.status === 429) throw new Throttled(retryAfterMs(res.headers), `${provider} asked to slow down (HTTP 429).`);
}

/** `ConnectionProblem` for an auth failure on a submission. */
export function authProblem(res: HttpResponse, provider: string): ConnectionProblem | null {
  if (res.status === 401 || res.status === 403) {
    return new ConnectionProblem(`${provider} refused the credentials (${errorSummary(res)}). Check the connection settings; nothing was sent for these rows.`);
  }
  return null;
}

export const USER_AGENT = 'Batchdesk/0.1';
