/** Small HTTP helpers for the sandbox tests (real HTTP through fetch). */
import { randomUUID } from 'node:crypto';

export interface Reply {
  status: number;
  headers: Headers;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- provider bodies are checked field by field in the tests
}

export async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {}): Promise<Reply> {
  const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? null : JSON.parse(text) };
}

/** Resolves to the error when the request fails at the network level (reset, dropped answer). */
export async function networkFailure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the request to fail at the network level, but it was answered');
}

export function epayEntry(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subscriptionId: randomUUID(),
    amount: 1095,
    currency: 'DKK',
    reference: `ref-${randomUUID().slice(0, 8)}`,
    instantCapture: 'OFF',
    textOnStatement: 'Sandbox renewal',
    notificationUrl: 'https://example.com/epay/notification',
    attributes: { row: 1 },
    ...over,
  };
}
