/**
 * `batchdesk import` and `batchdesk export --batch`: the app's own import and export (the same
 * services, the same SQLite store under BATCHDESK_HOME, card data sealed with the data folder's
 * key file). Exit codes: import 0 stored without errors, 1 stored with errors, 2 not stored.
 */
import { basename } from 'node:path';
import type { ProfileId } from '../shared/formats/types';
import type { Io } from './run';
import type { ExportBatchArgs, ImportArgs } from './args';

async function services() {
  const { createServices } = await import('../electron/main/services');
  const { defaultDataDir } = await import('../electron/main/services/paths');
  const { createRequire } = await import('node:module');
  const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
  return createServices({ dataDir: defaultDataDir(), mode: 'web', version: pkg.version });
}

export async function importCmd(args: ImportArgs, profile: ProfileId, io: Io): Promise<number> {
  const s = await services();
  try {
    const file = { kind: 'path' as const, path: args.file };
    const preview = await s.imports.preview({ file, profile, ...(args.sheet !== undefined ? { sheet: args.sheet } : {}) });
    const blocking = preview.issues.filter((i) => i.severity === 'error');
    if (blocking.length > 0) {
      io.stderr(`batchdesk: not stored: ${blocking.map((i) => i.message).join(' ')}\n`);
      return 2;
    }
    const out = await s.imports.importNow({
      file,
      profile,
      ...(args.sheet !== undefined ? { sheet: args.sheet } : {}),
      mapping: preview.mapping,
      amountUnit: args.amountUnit ?? preview.amount.suggested,
      ...(args.currency !== undefined ? { currency: args.currency } : {}),
      target: { kind: 'new', name: args.name ?? (basename(args.file.trim().replace(/^["']|["']$/g, '')).replace(/\.[^.]+$/, '') || 'Imported batch') },
    });
    if (args.json) io.stdout(JSON.stringify({ batch: out.batchId, rows: out.rows, errors: out.errors, warnings: out.warnings }) + '\n');
    else {
      io.stdout(out.batchId + '\n');
      const unit = args.amountUnit ?? preview.amount.suggested;
      io.stderr(`Stored ${out.rows} row${out.rows === 1 ? '' : 's'} as a new ${profile} batch: ${out.errors} error${out.errors === 1 ? '' : 's'}, ${out.warnings} warning${out.warnings === 1 ? '' : 's'}; amounts read as ${unit} units${args.amountUnit === undefined ? ` (${preview.amount.reason.replace(/\.$/, '')})` : ''}.\n`);
    }
    return out.errors > 0 ? 1 : 0;
  } finally {
    await s.closeAsync();
  }
}

export async function exportBatchCmd(args: ExportBatchArgs, io: Io): Promise<number> {
  const s = await services();
  try {
    const { exportBatch } = await import('../electron/main/services/rows/export');
    const session = s.rows.open(args.batch);
    if (session.damaged > 0) {
      io.stderr(`batchdesk: ${session.damaged} row${session.damaged === 1 ? '' : 's'} of this batch could not be read (card data sealed with another key, e.g. the desktop app's); export it from the app.\n`);
      return 2;
    }
    const r = await exportBatch(session, { out: args.out, includeFullCardNumbers: args.includeFullCardNumbers, dataDir: s.dataDir, settings: s.settings.get() });
    s.audit.record('batch.export', 'batch', session.id, { files: r.files.length, rows: r.rows, masked: r.masked, text: `Exported "${session.name}" — ${r.rows.toLocaleString('en-US')} rows from the command line${r.masked ? ', card numbers masked (for review)' : ''}` });
    if (args.json) io.stdout(JSON.stringify({ batch: session.id, rows: r.rows, files: r.files, bytes: r.bytes, masked: r.masked }) + '\n');
    else {
      io.stdout(`Exported ${r.rows} row${r.rows === 1 ? '' : 's'} of "${session.name}":\n`);
      for (const f of r.files) io.stdout(`  ${f}\n`);
      if (r.masked) io.stdout('Card numbers are masked: the file is for review, not for upload (--include-full-card-numbers to upload).\n');
    }
    return 0;
  } finally {
    await s.closeAsync();
  }
}
