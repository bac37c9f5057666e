/**
 * The submit channels: the renderer's one way into the outbox (SubmissionService). Amounts leave
 * here as integer minor units (decimal strings) with the ISO 4217 exponent used to format them.
 */
import type { SubmitStatus } from '../../../shared/contract';
import type { Emit, Services } from '../services';
import { currencyExponent } from '../../../shared/formats/money';
import { AppError } from '../services/errors';
import type { BatchReport } from '../services/outbox';
import { FINAL_STATUSES, type RowStatus } from '../services/providers/types';
import type { Handlers } from './wrap';

type SubmitChannel = 'submit.connections' | 'submit.preview' | 'submit.start' | 'submit.status' | 'submit.pause' | 'submit.resume' | 'submit.cancel';

function batchName(s: Services, batchId: string): string {
  const b = s.db.prepare('SELECT name FROM batches WHERE id = ?').get(batchId) as { name: string } | undefined;
  if (!b) throw new AppError('not_found', 'That batch does not exist (it may have been deleted permanently).');
  return b.name;
}

function exponentOf(currency: string): number | null {
  return currency === '' ? null : (currencyExponent(currency) ?? null);
}

/** The outbox's report in the contract's shape; `items` paged and optionally one status only. */
export function statusOf(s: Services, r: BatchReport, page: { only?: SubmitStatus['items'][number]['status']; offset: number; limit: number } = { offset: 0, limit: 500 }): SubmitStatus {
  const matching = page.only ? r.items.filter((i) => i.status === page.only) : r.items;
  let done = 0;
  for (const [k, n] of Object.entries(r.counts) as [RowStatus, number][]) if (FINAL_STATUSES.has(k)) done += n;
  return {
    batchId: r.batchId,
    batchName: batchName(s, r.batchId),
    provider: r.provider,
    connectionName: r.connectionName,
    sandbox: r.sandbox,
    state: r.state,
    final: r.final,
    note: r.note,
    rows: r.rows,
    counts: r.counts,
    amounts: r.amounts.map((a) => ({ status: a.status, currency: a.currency, rows: r.items.filter((i) => i.status === a.status && i.currency === a.currency).length, minor: String(a.minor), exponent: exponentOf(a.currency), text: a.amount })),
    done,
    items: matching.slice(page.offset, page.offset + page.limit).map((i) => ({ row: i.row, rowId: i.rowId, status: i.status, amount: i.amount, currency: i.currency, providerRef: i.providerRef, reason: i.reason })),
    itemsTotal: matching.length,
  };
}

export function submitHandlers(s: Services, _emit: Emit): Pick<Handlers, SubmitChannel> {
  const sub = s.submissions;
  const refuseSubmitted = (batchId: string) => {
    const b = sub.outbox.store.batch(batchId);
    if (!b) return;
    const name = batchName(s, batchId);
    throw new AppError(
      'conflict',
      b.state === 'final'
        ? `"${name}" was already submitted and is complete; a batch is never sent twice. Open its status to see the results.`
        : `"${name}" was already submitted and is being processed; a batch is never sent twice. Open its status to follow it.`,
    );
  };
  const profile = (batchId: string) => s.rows.meta(batchId).profile;
  const report = (batchId: string): SubmitStatus => statusOf(s, sub.status(batchId));
  return {
    'submit.connections': async (input) => {
      const p = profile(input.batchId);
      // A sandbox that did not start is still listed (its preview says why); stored connections stay choosable.
      const sandboxUrl = await sub.connectionFor(p, null).then((c) => c.baseUrl, () => '');
      const stored = sub.connections.list().filter((c) => c.provider === p);
      return [
        { id: null, name: 'Built-in sandbox', provider: p, baseUrl: sandboxUrl, sandbox: true },
        ...stored.map((c) => ({ id: c.id, name: c.name, provider: p, baseUrl: c.baseUrl, sandbox: false })),
      ];
    },
    'submit.preview': async (input) => {
      refuseSubmitted(input.batchId);
      const c = await sub.confirm(input.batchId, input.connectionId);
      return {
        batchId: c.batchId,
        batchName: c.batchName,
        provider: c.provider,
        connectionId: input.connectionId,
        connectionName: c.connectionName,
        baseUrl: c.baseUrl,
        sandbox: c.sandbox,
        rows: c.rows,
        totals: c.totals.map((t) => ({ currency: t.currency, rows: t.rows, minor: String(t.minor), exponent: exponentOf(t.currency), text: t.text })),
        token: c.token,
      };
    },
    'submit.start': async (input) => {
      refuseSubmitted(input.batchId);
      await sub.submit(input.batchId, input.connectionId, input.token);
      const c = sub.status(input.batchId);
      s.audit.record('batch.submit', 'batch', input.batchId, {
        connection: c.connectionName,
        sandbox: c.sandbox,
        rows: c.rows,
        text: `Submitted "${batchName(s, input.batchId)}" — ${c.rows.toLocaleString('en-US')} rows to ${c.connectionName}${c.sandbox ? ' (sandbox: nothing is charged)' : ''}`,
      });
      s.events.emit('batches.changed', { reason: 'renamed', id: input.batchId });
      return report(input.batchId);
    },
    'submit.status': (input) => {
      if (!sub.outbox.store.batch(input.batchId)) {
        batchName(s, input.batchId); // not_found for a batch that does not exist
        return null;
      }
      return statusOf(s, sub.status(input.batchId), { ...(input.only ? { only: input.only } : {}), offset: input.offset, limit: input.limit });
    },
    'submit.pause': (input) => {
      sub.pause(input.batchId);
      return report(input.batchId);
    },
    'submit.resume': async (input) => {
      await sub.resume(input.batchId);
      return report(input.batchId);
    },
    'submit.cancel': (input) => {
      sub.cancel(input.batchId);
      return report(input.batchId);
    },
  };
}
