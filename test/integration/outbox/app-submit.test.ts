/**
 * The app's submit channels end to end in Node: real services on a real SQLite file, the built-in
 * sandbox started in-process on 127.0.0.1 (the default connection), every call through dispatch
 * (the same path as IPC and the web harness). Covers each submitting provider to final, the
 * refusals (errors, twice), the editor frozen while submitted, and an app restart meeting a sandbox
 * that remembers what it was sent (its state file in the data folder).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/main/services';
import { createHandlers } from '../../../electron/main/ipc/handlers';
import { dispatch, type Handlers } from '../../../electron/main/ipc/wrap';
import { SANDBOX_STATE_FILE } from '../../../electron/main/services/outbox/submissions';
import { withNotifications } from '../../../electron/main/notifications';
import { SANDBOX_CREDENTIALS, sandboxConnection, startSandbox } from '../../../electron/main/services/providers/sandbox';
import { parseConnection } from '../../../electron/main/services/providers/connection';
import { openDatabase } from '../../../electron/main/services/db/database';
import { databaseFile } from '../../../electron/main/services/paths';
import { Outbox } from '../../../electron/main/services/outbox';
import type { ChannelName, ChannelInput, ChannelOutput, EventName, SubmitFinished } from '../../../shared/contract';
import type { ProfileId } from '../../../shared/formats/types';
import { epayRows, insertBatch, jpmmpsRows, sibsRows, wonderRows } from '../../helpers/outboxRows';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';

interface App {
  services: Services;
  handlers: Handlers;
  events: { name: EventName; payload: unknown }[];
  notified: { title: string; body: string }[];
  call<K extends ChannelName>(name: K, input: ChannelInput<K>): Promise<ChannelOutput<K>>;
  refused<K extends ChannelName>(name: K, input: ChannelInput<K>): Promise<{ code: string; message: string }>;
  close(): Promise<void>;
}

async function openApp(dataDir: string): Promise<App> {
  const services = createServices({ dataDir, mode: 'web', version: '0.0.0-test' });
  const events: App['events'] = [];
  const notified: App['notified'] = [];
  const emit = withNotifications((name, payload) => events.push({ name, payload }), { notify: (title, body) => notified.push({ title, body }) });
  const handlers = createHandlers(services, emit);
  const app: App = {
    services,
    handlers,
    events,
    notified,
    async call(name, input) {
      const r = await dispatch(handlers, name, input, { via: 'http' });
      if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
      return r.value as never;
    },
    async refused(name, input) {
      const r = await dispatch(handlers, name, input, { via: 'http' });
      if (r.ok) throw new Error(`${name} was expected to be refused`);
      return r.error;
    },
    async close() {
      await services.submissions.close();
      services.close();
    },
  };
  await services.submissions.start();
  return app;
}

async function waitFor<T>(what: string, f: () => T | undefined | Promise<T | undefined>, timeoutMs = 150_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const opened: App[] = [];
afterAll(async () => {
  for (const a of opened) await a.close().catch(() => {});
  cleanupTempDirs();
});

const ROWS: Record<ProfileId, () => string[][]> = {
  wonder: () => wonderRows(3, { salt: 81 }),
  epay: () => epayRows(3, { salt: 82 }),
  sibs: () => sibsRows(3, { salt: 83 }),
  jpmmps: () => jpmmpsRows(3, { salt: 84 }),
};

describe('submitting from the app to the built-in sandbox', () => {
  for (const provider of ['wonder', 'epay', 'sibs', 'jpmmps'] as const) {
    it(`${provider}: preview, submit, refused twice, editor frozen, followed to final with a notice`, { timeout: 200_000 }, async () => {
      const app = await openApp(tempDir());
      opened.push(app);
      const { batchId, rowIds } = insertBatch(app.services.db, provider, ROWS[provider](), `${provider} renewals`);

      const conns = await app.call('submit.connections', { batchId });
      expect(conns[0]).toMatchObject({ id: null, name: 'Built-in sandbox', provider, sandbox: true });
      expect(conns[0]!.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

      const preview = await app.call('submit.preview', { batchId });
      expect(preview).toMatchObject({ batchId, batchName: `${provider} renewals`, provider, connectionId: null, connectionName: 'Built-in sandbox', sandbox: true, rows: 3 });
      expect(preview.totals.length).toBe(1);
      const t = preview.totals[0]!;
      expect(t.rows).toBe(3);
      expect(t.minor).toMatch(/^\d+$/);
      if (t.currency !== '') {
        expect(t.exponent).toBe(t.currency === 'DKK' || t.currency === 'EUR' || t.currency === 'HKD' ? 2 : t.exponent);
        // the text is the minor units formatted with the ISO 4217 exponent
        const m = BigInt(t.minor);
        const e = BigInt(10 ** (t.exponent ?? 2));
        expect(t.text.replace(/,/g, '')).toContain(`${m / e}.${String(m % e).padStart(t.exponent ?? 2, '0')}`);
      }

      // a token that does not match what was shown is refused, nothing queued
      expect((await app.refused('submit.start', { batchId, token: 'x'.repeat(64) })).code).toBe('conflict');
      expect(await app.call('submit.status', { batchId })).toBeNull();

      const first = await app.call('submit.start', { batchId, token: preview.token });
      expect(first).toMatchObject({ batchId, sandbox: true, rows: 3, final: false });
      // the double click / second window: refused in clerk words
      const again = await app.refused('submit.start', { batchId, token: preview.token });
      expect(again.code).toBe('conflict');
      expect(again.message).toMatch(/already submitted.*never sent twice/);
      expect((await app.refused('submit.preview', { batchId })).message).toMatch(/already submitted/);
      const submitted = (await app.call('history.list', {})).find((h) => h.action === 'batch.submit')!;
      expect(submitted.detail).toMatchObject({ text: `Submitted "${provider} renewals" — 3 rows to Built-in sandbox (sandbox: nothing is charged)`, connection: 'Built-in sandbox', sandbox: true, rows: 3 });

      // the editor is read-only and says why; a change is refused and nothing is written
      const w = await app.call('rows.window', { batchId, offset: 0, limit: 10 });
      expect(w.readOnly).toBe(true);
      expect(w.readOnlyReason).toMatch(/submitted/);
      const column = Object.keys(w.rows[0]!.cells)[0]!;
      const edit = await app.refused('rows.edit', { batchId, changes: [{ rowId: rowIds[0]!, column, value: 'changed' }] });
      expect(edit.code).toBe('conflict');
      expect(edit.message).toMatch(/submitted/);
      expect((await app.refused('rows.delete', { batchId, rowIds: [rowIds[1]!] })).code).toBe('conflict');

      const finished = await waitFor('submit.finished', () => app.events.find((e) => e.name === 'submit.finished' && (e.payload as SubmitFinished).batchId === batchId)?.payload as SubmitFinished | undefined);
      expect(finished.sandbox).toBe(true);
      expect(finished.text).toMatch(/^Sandbox — nothing is charged\. "[a-z]+ renewals" (is final|needs review): \d+ succeeded, \d+ failed/);
      expect(app.notified.some((n) => n.body === finished.text)).toBe(true);

      const status = (await app.call('submit.status', { batchId }))!;
      expect(status.final).toBe(true);
      expect(status.state).toBe('final');
      expect(status.done).toBe(3);
      expect(status.counts.succeeded + status.counts.failed + status.counts.needs_review).toBe(3);
      expect(status.items.map((i) => i.row)).toEqual([1, 2, 3]);
      for (const i of status.items) if (i.status === 'failed') expect(i.reason).toBeTruthy();
      const amountRows = status.amounts.reduce((n, a) => n + a.rows, 0);
      expect(amountRows).toBe(3);
      // only one status: needs_review rows (none here) as their own list
      const review = (await app.call('submit.status', { batchId, only: 'needs_review' }))!;
      expect(review.itemsTotal).toBe(status.counts.needs_review);
      // final: still frozen, and the message says so
      expect((await app.call('rows.window', { batchId, offset: 0, limit: 1 })).readOnlyReason).toMatch(/complete/);
      expect((await app.refused('submit.start', { batchId, token: preview.token })).message).toBe(`"${provider} renewals" was already submitted and is complete; a batch is never sent twice. Open its status to see the results.`);
      // pause/resume/cancel on a final batch change nothing
      expect((await app.call('submit.cancel', { batchId })).counts).toEqual(status.counts);
    });
  }

  it('refuses a batch with errors, an empty batch, and a batch that does not exist, in clerk words', { timeout: 60_000 }, async () => {
    const app = await openApp(tempDir());
    opened.push(app);
    const bad = epayRows(2, { salt: 85 });
    bad[1]![2] = 'XXX'; // not a currency
    const { batchId } = insertBatch(app.services.db, 'epay', bad, 'bad currency');
    const e = await app.refused('submit.preview', { batchId });
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/has 1 error; fix it before submitting/);
    const empty = insertBatch(app.services.db, 'sibs', [], 'empty');
    expect((await app.refused('submit.preview', { batchId: empty.batchId })).message).toMatch(/no rows/);
    expect((await app.refused('submit.status', { batchId: '0190a0a0-0000-7000-8000-000000000000' })).code).toBe('not_found');
    expect((await app.refused('submit.pause', { batchId })).code).toBe('not_found');
  });

  it('pause and resume a running batch; cancel drops only rows not yet sent', { timeout: 200_000 }, async () => {
    const app = await openApp(tempDir());
    opened.push(app);
    const { batchId } = insertBatch(app.services.db, 'sibs', sibsRows(40, { salt: 86 }), 'forty');
    const p = await app.call('submit.preview', { batchId });
    await app.call('submit.start', { batchId, token: p.token });
    const del = await app.refused('batches.delete', { id: batchId });
    expect(del).toEqual({ code: 'conflict', message: expect.stringMatching(/^"forty" is being submitted: it cannot be deleted until every row has a final status/) });
    const paused = await app.call('submit.pause', { batchId });
    expect(paused.state).toBe('paused');
    expect(paused.note).toMatch(/Paused/);
    expect((await app.refused('submit.preview', { batchId })).message).toBe('"forty" was already submitted and is being processed; a batch is never sent twice. Open its status to follow it.');
    expect((await app.call('submit.resume', { batchId })).state).toBe('running');
    const cancelled = await app.call('submit.cancel', { batchId });
    expect(['cancelled', 'final']).toContain(cancelled.state);
    const final = await waitFor('final', async () => {
      const s = (await app.call('submit.status', { batchId }))!;
      return s.final ? s : undefined;
    });
    expect(final.counts.cancelled + final.counts.succeeded + final.counts.failed + final.counts.needs_review).toBe(40);
    // final: it may be deleted (and restored) like any batch
    expect((await app.call('batches.delete', { id: batchId })).deletedAt).not.toBeNull();
  });
});

describe('rows that need review', () => {
  it('are announced while the batch still runs, listed with what is known, and announced again at final', { timeout: 240_000 }, async () => {
    const app = await openApp(tempDir());
    opened.push(app);
    const { batchId } = insertBatch(app.services.db, 'jpmmps', jpmmpsRows(30, { salt: 90 }), 'review me');
    const origin = new URL((await app.call('submit.connections', { batchId }))[0]!.baseUrl).origin;
    const faults = (plan: unknown) => fetch(`${origin}/_sandbox/faults`, { method: 'PUT', body: JSON.stringify(plan) });
    // Every authorization answered 500: JPMMPS has no lookup, so such a row needs review (never re-sent).
    expect((await faults({ jpmmps: { rate: 1, kinds: ['500'], match: 'authorize' } })).status).toBe(204);
    const p = await app.call('submit.preview', { batchId });
    await app.call('submit.start', { batchId, token: p.token });
    const early = await waitFor('early needs-review notice', () => app.events.find((e) => e.name === 'submit.finished')?.payload as SubmitFinished | undefined);
    expect((await faults({})).status).toBe(204);
    expect(early).toMatchObject({ batchId, outcome: 'needs_review', final: false });
    expect(early.text).toMatch(/^Sandbox — nothing is charged\. "review me" needs review: .*need(s)? review, \d+ still in progress\.$/);
    const s = await waitFor('final', async () => {
      const r = (await app.call('submit.status', { batchId }))!;
      return r.final ? r : undefined;
    });
    expect(s.counts.needs_review).toBeGreaterThan(0);
    expect(s.counts.needs_review + s.counts.succeeded + s.counts.failed).toBe(30);
    const review = (await app.call('submit.status', { batchId, only: 'needs_review' }))!;
    expect(review.itemsTotal).toBe(s.counts.needs_review);
    for (const i of review.items) {
      expect(i.status).toBe('needs_review');
      expect(i.reason).toMatch(/JPMMPS did not answer the authorization of partnerReference J-90-\d+.*Check this payment in the JPMMPS portal/);
    }
    const last = await waitFor('final notice', () => app.events.filter((e) => e.name === 'submit.finished').map((e) => e.payload as SubmitFinished).find((f) => f.final));
    expect(last).toMatchObject({ outcome: 'needs_review', final: true });
    expect(app.events.filter((e) => e.name === 'submit.finished')).toHaveLength(2);
    expect(app.notified.map((n) => n.title)).toEqual(['Batch needs review', 'Batch needs review']);
  });
});

describe('a stored (live) connection', () => {
  it('is listed after the sandbox for its provider only, previewed and submitted as live (not labelled sandbox)', { timeout: 200_000 }, async () => {
    const app = await openApp(tempDir());
    opened.push(app);
    const { batchId } = insertBatch(app.services.db, 'sibs', sibsRows(2, { salt: 89 }), 'via stored');
    const sandboxUrl = (await app.call('submit.connections', { batchId }))[0]!.baseUrl;
    // A stored connection that happens to point at the sandbox server: to the app it is a live one.
    const stored = app.services.submissions.connections.save({ name: 'Acme SIBS', connection: { provider: 'sibs', baseUrl: sandboxUrl, credentials: { ...SANDBOX_CREDENTIALS.sibs } } });
    app.services.submissions.connections.save({ name: 'Other ePay', connection: { provider: 'epay', baseUrl: sandboxUrl.replace('/sibs', '/epay'), credentials: { ...SANDBOX_CREDENTIALS.epay } } });
    const conns = await app.call('submit.connections', { batchId });
    expect(conns.map((c) => [c.id, c.name, c.sandbox])).toEqual([
      [null, 'Built-in sandbox', true],
      [stored.id, 'Acme SIBS', false],
    ]);
    expect((await app.refused('submit.preview', { batchId, connectionId: 'no-such-connection' })).code).toBe('not_found');
    const p = await app.call('submit.preview', { batchId, connectionId: stored.id });
    expect(p).toMatchObject({ connectionId: stored.id, connectionName: 'Acme SIBS', sandbox: false, rows: 2 });
    // the sandbox preview's token does not submit to the stored connection
    const sbPreview = await app.call('submit.preview', { batchId });
    expect((await app.refused('submit.start', { batchId, connectionId: stored.id, token: sbPreview.token })).code).toBe('conflict');
    const started = await app.call('submit.start', { batchId, connectionId: stored.id, token: p.token });
    expect(started).toMatchObject({ sandbox: false, connectionName: 'Acme SIBS' });
    const f = await waitFor('submit.finished', () => app.events.find((e) => e.name === 'submit.finished')?.payload as SubmitFinished | undefined);
    expect(f.sandbox).toBe(false);
    expect(f.text).not.toMatch(/Sandbox/);
  });
});

describe('a sandbox batch across an app restart', () => {
  it('the restarted app follows it to final against a sandbox that remembers it: no row re-sent, none needs review', { timeout: 300_000 }, async () => {
    const dataDir = tempDir();
    const a = await openApp(dataDir);
    const { batchId } = insertBatch(a.services.db, 'epay', epayRows(20, { salt: 87 }), 'restart');
    const p = await a.call('submit.preview', { batchId });
    await a.call('submit.start', { batchId, token: p.token });
    await waitFor('accepted', async () => {
      const s = (await a.call('submit.status', { batchId }))!;
      return s.counts.accepted + s.counts.pending > 0 && s.counts.queued === 0 && s.counts.sending === 0 ? s : undefined;
    });
    await a.close();
    const saved = JSON.parse(readFileSync(join(dataDir, SANDBOX_STATE_FILE), 'utf8')) as { version: number };
    expect(saved.version).toBe(1);

    const b = await openApp(dataDir);
    opened.push(b);
    const s = await waitFor('final after restart', async () => {
      const r = (await b.call('submit.status', { batchId }))!;
      return r.final ? r : undefined;
    });
    expect(s.counts.needs_review).toBe(0);
    expect(s.counts.succeeded + s.counts.failed).toBe(20);
    const conns = await b.call('submit.connections', { batchId });
    const origin = new URL(conns[0]!.baseUrl).origin;
    const ledger = (await (await fetch(`${origin}/_sandbox/ledger`)).json()) as { entries: { provider: string }[]; duplicates: unknown[] };
    expect(ledger.duplicates).toEqual([]);
    expect(ledger.entries.filter((e) => e.provider === 'epay').length).toBe(20);
  });

  it('without the saved sandbox state (deleted), rows the old sandbox accepted become needs review with the reason, and the batch is final', { timeout: 300_000 }, async () => {
    const dataDir = tempDir();
    const a = await openApp(dataDir);
    const { batchId } = insertBatch(a.services.db, 'epay', epayRows(10, { salt: 88 }), 'lost state');
    const p = await a.call('submit.preview', { batchId });
    await a.call('submit.start', { batchId, token: p.token });
    await waitFor('accepted', async () => {
      const s = (await a.call('submit.status', { batchId }))!;
      return s.counts.queued === 0 && s.counts.sending === 0 && s.counts.accepted + s.counts.pending === 10 ? s : undefined;
    });
    await a.close();
    rmSync(join(dataDir, SANDBOX_STATE_FILE));

    const b = await openApp(dataDir);
    opened.push(b);
    const s = await waitFor('final after restart', async () => {
      const r = (await b.call('submit.status', { batchId }))!;
      return r.final ? r : undefined;
    });
    expect(s.counts.needs_review).toBe(10);
    expect(s.items.every((i) => i.status === 'needs_review' && /restarted without its saved state.*nothing was charged/.test(i.reason ?? ''))).toBe(true);
    const finished = await waitFor('notice', () => b.events.find((e) => e.name === 'submit.finished')?.payload as SubmitFinished | undefined);
    expect(finished).toMatchObject({ batchId, outcome: 'needs_review' });
    expect(finished.text).toMatch(/"lost state" needs review: 0 succeeded, 0 failed, 10 need review/);
  });

  it('a batch the CLI left unfinished: its temporary sandbox is gone (sent rows need review, with why); a CLI live connection is never guessed', { timeout: 200_000 }, async () => {
    const dataDir = tempDir();
    // What `batchdesk submit` does: its own sandbox (no saved state), the outbox on the same data folder.
    const db = openDatabase(databaseFile(dataDir));
    const outbox = new Outbox(db);
    const sb = await startSandbox({ seed: 5 });
    const viaCliSandbox = insertBatch(db, 'sibs', sibsRows(3, { salt: 91 }), 'cli sandbox').batchId;
    const viaCliLive = insertBatch(db, 'sibs', sibsRows(2, { salt: 92 }), 'cli live').batchId;
    const sandboxConn = parseConnection(sandboxConnection('sibs', sb));
    const liveConn = parseConnection({ provider: 'sibs', baseUrl: sb.providers.sibs, credentials: { ...SANDBOX_CREDENTIALS.sibs } });
    for (const [id, conn] of [[viaCliSandbox, sandboxConn], [viaCliLive, liveConn]] as const) {
      outbox.submit(id, conn, { token: outbox.confirmation(id, conn).token });
      expect(await outbox.run(id, conn, { until: 'accepted' })).toBe('accepted');
    }
    await sb.close();
    db.close();

    const app = await openApp(dataDir);
    opened.push(app);
    const s = await waitFor('final', async () => {
      const r = (await app.call('submit.status', { batchId: viaCliSandbox }))!;
      return r.final ? r : undefined;
    });
    expect(s.counts.needs_review + s.counts.succeeded + s.counts.failed).toBe(3);
    expect(s.counts.needs_review).toBeGreaterThan(0);
    for (const i of s.items.filter((x) => x.status === 'needs_review')) expect(i.reason).toMatch(/temporary sandbox of `batchdesk submit`, which has stopped/);
    const live = (await app.call('submit.status', { batchId: viaCliLive }))!;
    expect(live.final).toBe(false);
    expect(live.note).toMatch(/^Submitted from the command line with a connection file: continue it there with `npx batchdesk submit --batch /);
  });

  it('a damaged sandbox state file: the sandbox does not start, the preview says which file and what to do, nothing is overwritten', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, SANDBOX_STATE_FILE), '{"version": 1, "ids": 3, "led');
    const app = await openApp(dataDir);
    opened.push(app);
    const { batchId } = insertBatch(app.services.db, 'sibs', sibsRows(1, { salt: 93 }), 'damaged');
    const conns = await app.call('submit.connections', { batchId });
    expect(conns[0]).toMatchObject({ id: null, sandbox: true, baseUrl: '' });
    const e = await app.refused('submit.preview', { batchId });
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/^The built-in sandbox did not start: The sandbox state file .*sandbox-state\.json is damaged \(not JSON\)\. Move it away to start an empty sandbox\.$/);
    expect(readFileSync(join(dataDir, SANDBOX_STATE_FILE), 'utf8')).toBe('{"version": 1, "ids": 3, "led');
  });
});
