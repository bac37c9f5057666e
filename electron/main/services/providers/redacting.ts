/**
 * Every connector is handed out wrapped: any secret of its connection that a provider echoes back
 * (an error body quoting the key, a reason holding the password) is blanked in what the connector
 * returns or throws, before it can reach SQLite (notes, attempt summaries, row reasons), logs,
 * messages or the window.
 */
import { redactSecrets, type Connection } from './connection';
import type { Connector, ReconcileResult, RowOutcome, SendResult } from './types';

export function redacting(inner: Connector, conn: Connection): Connector {
  const r = (text: string) => redactSecrets(text, conn);
  const outcomes = (list: RowOutcome[]) => list.map((o) => (o.reason === undefined ? o : { ...o, reason: r(o.reason) }));
  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof Error) e.message = r(e.message);
      throw e;
    }
  };
  const wrapped: Connector = {
    id: inner.id,
    limits: inner.limits,
    prepare: (unit, signal) => guard(() => inner.prepare(unit, signal)),
    send: (unit, req, signal) =>
      guard(async (): Promise<SendResult> => {
        const res = await inner.send(unit, req, signal);
        if (res.kind === 'answered') return { ...res, summary: r(res.summary), outcomes: outcomes(res.outcomes) };
        if (res.kind === 'refused') return { ...res, summary: r(res.summary), reason: r(res.reason) };
        return { ...res, summary: r(res.summary) };
      }),
    reconcile: (unit, req, signal) =>
      guard(async (): Promise<ReconcileResult> => {
        const res = await inner.reconcile(unit, req, signal);
        if (res.kind === 'known') return { ...res, summary: r(res.summary), outcomes: outcomes(res.outcomes) };
        if (res.kind === 'unreconcilable') return { ...res, reason: r(res.reason) };
        return { ...res, summary: r(res.summary) };
      }),
    poll: (rows, signal) => guard(async () => outcomes(await inner.poll(rows, signal))),
    test: (signal) => guard(async () => r(await inner.test(signal))),
  };
  if (inner.finish) {
    const finish = inner.finish.bind(inner);
    wrapped.finish = (unit, signal) => guard(() => finish(unit, signal));
  }
  return wrapped;
}
