/**
 * `batchdesk submit` and `batchdesk status` (issue 8's contract). Submit imports a file into a new
 * batch under BATCHDESK_HOME (or takes a stored one with --batch), submits it through the outbox and
 * prints each row's result. Exit: 0 every row accepted (succeeded with --wait); 1 some rejected,
 * failed or needing review (or the file has errors); 2 could not run.
 */
import { readFileSync } from 'node:fs';
import type { Io } from './run';
import type { SubmitArgs, StatusArgs } from './args';
import type { ProfileId } from '../shared/formats/types';
import type { BatchReport } from '../electron/main/services/outbox';
import { maskPans } from './report';

export const EXIT_OK = 0;
export const EXIT_ROWS = 1;
export const EXIT_UNUSABLE = 2;

export class CliStop extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

async function openStore() {
  const { defaultDataDir, databaseFile } = await import('../electron/main/services/paths');
  const { openDatabase } = await import('../electron/main/services/db/database');
  const dir = defaultDataDir();
  return { dir, db: openDatabase(databaseFile(dir)) };
}

/** The app's services on BATCHDESK_HOME (the same store, import and sealer as the app). */
async function openServices() {
  const { createServices } = await import('../electron/main/services');
  const { defaultDataDir } = await import('../electron/main/services/paths');
  const { createRequire } = await import('node:module');
  const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
  return createServices({ dataDir: defaultDataDir(), mode: 'web', version: pkg.version });
}

async function readConnection(path: string | undefined, profile: ProfileId) {
  const { parseConnection, ConnectionError } = await import('../electron/main/services/providers/connection');
  if (path === undefined) {
    const { startSandbox, sandboxConnection } = await import('../electron/main/services/providers/sandbox');
    const sandbox = await startSandbox({ seed: Date.now() % 1_000_000 });
    return { conn: parseConnection(sandboxConnection(profile, sandbox)), sandbox };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (e as NodeJS.ErrnoException).code ? `cannot be read (${(e as NodeJS.ErrnoException).code})` : 'is not valid JSON';
    throw new CliStop(EXIT_UNUSABLE, `The connection file ${path} ${why}.`);
  }
  try {
    const conn = parseConnection(raw, `The connection file ${path}`);
    if (conn.provider !== profile) throw new CliStop(EXIT_UNUSABLE, `The connection file ${path} is for ${conn.provider}, but the batch is for ${profile}.`);
    return { conn, sandbox: null };
  } catch (e) {
    if (e instanceof ConnectionError) throw new CliStop(EXIT_UNUSABLE, e.message);
    throw e;
  }
}

export function reportJson(r: BatchReport): string {
  return JSON.stringify({
    batchId: r.batchId,
    provider: r.provider,
    connection: r.connectionName,
    sandbox: r.sandbox,
    state: r.state,
    final: r.final,
    note: r.note,
    rows: r.rows,
    counts: r.counts,
    amounts: r.amounts.map((a) => ({ status: a.status, currency: a.currency, amountMinor: a.minor })),
    items: r.items.map((i) => ({ row: i.row, status: i.status, amountMinor: i.amountMinor, currency: i.currency, providerRef: i.providerRef, reason: i.reason })),
  });
}

export function reportText(r: BatchReport): string {
  const lines: string[] = [];
  lines.push(`Batch ${r.batchId} · ${r.provider} · ${r.connectionName}${r.sandbox ? ' · Sandbox — nothing is charged' : ''}`);
  lines.push(`${r.final ? 'Final' : `Not final yet (${r.state})`}${r.note ? ` — ${r.note}` : ''}`);
  const counts = Object.entries(r.counts).filter(([, n]) => n > 0).map(([s, n]) => `${s.replace('_', ' ')} ${n}`);
  lines.push(`${r.rows} row${r.rows === 1 ? '' : 's'}: ${counts.join(', ')}`);
  for (const a of r.amounts) lines.push(`  ${a.status.replace('_', ' ').padEnd(13)} ${a.amount}`);
  lines.push('');
  lines.push('row     status        amount                 provider ref             reason');
  for (const i of r.items) {
    lines.push(`${String(i.row).padEnd(7)} ${i.status.replace('_', ' ').padEnd(13)} ${i.amount.padEnd(22)} ${(i.providerRef ?? '').padEnd(24)} ${maskPans(i.reason ?? '')}`.trimEnd());
  }
  return lines.join('\n') + '\n';
}

function exitFor(r: BatchReport, wait: boolean): number {
  const ok = r.items.every((i) => (wait ? i.status === 'succeeded' : i.status === 'accepted' || i.status === 'pending' || i.status === 'succeeded'));
  return ok ? EXIT_OK : EXIT_ROWS;
}

export async function submitCmd(args: SubmitArgs, io: Io): Promise<number> {
  const services = await openServices();
  const { db, sealer } = services;
  let sandbox: { close(): Promise<void> } | null = null;
  try {
    const { Outbox } = await import('../electron/main/services/outbox');
    const { cardCells } = await import('../electron/main/services/outbox/cardCells');
    const { createConnector } = await import('../electron/main/services/providers/registry');
    const { TransportError } = await import('../electron/main/services/providers/http');
    const { ConnectionProblem } = await import('../electron/main/services/providers/types');
    const { AppError } = await import('../electron/main/services/errors');
    let profile: ProfileId;
    let batchId: string;
    if (args.batch !== undefined) {
      const b = db.prepare('SELECT profile FROM batches WHERE id = ?').get(args.batch) as { profile: ProfileId } | undefined;
      if (!b) throw new CliStop(EXIT_UNUSABLE, `No batch ${args.batch} under ${(await import('../electron/main/services/paths')).defaultDataDir()}.`);
      profile = b.profile;
      batchId = args.batch;
    } else {
      const { PROFILE_IDS } = await import('../shared/formats/types');
      const id = (args.profile ?? '').toLowerCase();
      if (!(PROFILE_IDS as readonly string[]).includes(id)) throw new CliStop(EXIT_UNUSABLE, `unknown profile "${args.profile ?? ''}" (expected one of: ${PROFILE_IDS.join(', ')})`);
      profile = id as ProfileId;
      batchId = '';
    }
    const c = await readConnection(args.connection, profile);
    sandbox = c.sandbox;
    const conn = c.conn;
    if (!batchId) {
      const { importForSubmit, ImportRefused } = await import('./submitImport');
      try {
        batchId = await importForSubmit(services, args.file!, profile, io);
      } catch (e) {
        if (e instanceof ImportRefused) throw new CliStop(e.exitCode, e.message);
        throw e;
      }
    }
    const outbox = new Outbox(db, { cards: cardCells(sealer) });
    const existing = outbox.store.batch(batchId);
    if (existing?.state === 'final') throw new CliStop(EXIT_UNUSABLE, `Batch ${batchId} was already submitted and is final; it is never sent twice. See "batchdesk status ${batchId}".`);
    if (!existing) {
      // Unreachable or refused from the start: nothing is queued.
      try {
        await createConnector(conn).test();
      } catch (e) {
        if (e instanceof TransportError || e instanceof ConnectionProblem) {
          const kept = args.batch === undefined ? ` The rows are kept as batch ${batchId}: submit it later with --batch ${batchId}.` : '';
          throw new CliStop(EXIT_UNUSABLE, `Cannot submit: ${e.message} Nothing was sent.${kept}`);
        }
        throw e;
      }
      try {
        const confirm = outbox.confirmation(batchId, conn);
        outbox.submit(batchId, conn, { token: confirm.token });
        const totals = confirm.totals.map((t) => t.text).join(', ');
        io.stderr(`Submitting ${confirm.rows} row${confirm.rows === 1 ? '' : 's'} (${totals}) to ${profile} via ${confirm.connectionName}${confirm.sandbox ? ' — Sandbox, nothing is charged' : ''}; batch ${batchId}.\n`);
      } catch (e) {
        if (e instanceof AppError) throw new CliStop(e.code === 'bad_input' ? EXIT_ROWS : EXIT_UNUSABLE, maskPans(e.message));
        throw e;
      }
    } else {
      io.stderr(`Batch ${batchId} was submitted before; continuing it (nothing already sent is sent again).\n`);
    }
    const end = await outbox.run(batchId, conn, { until: args.wait ? 'final' : 'accepted' });
    if (end === 'lost_lease') throw new CliStop(EXIT_UNUSABLE, `Batch ${batchId} is being submitted by another Batchdesk process; it is never sent twice.`);
    const r = outbox.report(batchId);
    io.stdout(args.json ? reportJson(r) + '\n' : reportText(r));
    if (end === 'paused') return EXIT_ROWS;
    return exitFor(r, args.wait);
  } finally {
    await sandbox?.close();
    await services.closeAsync();
  }
}

export async function statusCmd(args: StatusArgs, io: Io): Promise<number> {
  const { db } = await openStore();
  try {
    const { Outbox } = await import('../electron/main/services/outbox');
    const outbox = new Outbox(db);
    if (!outbox.store.batch(args.batchId)) {
      const known = db.prepare('SELECT 1 FROM batches WHERE id = ?').get(args.batchId);
      throw new CliStop(EXIT_UNUSABLE, known ? `Batch ${args.batchId} has not been submitted.` : `No batch ${args.batchId}.`);
    }
    const r = outbox.report(args.batchId);
    io.stdout(args.json ? reportJson(r) + '\n' : reportText(r));
    return r.items.some((i) => i.status === 'failed' || i.status === 'needs_review' || i.status === 'cancelled') ? EXIT_ROWS : EXIT_OK;
  } finally {
    db.close();
  }
}
