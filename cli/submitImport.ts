/**
 * `batchdesk submit <file>` reads the file with the app's own ImportService (the same preview,
 * remembered mapping, amount-unit choice, canonical amounts and sealing as the Import wizard), so
 * the app and the CLI read a file identically. A file with errors is refused and not kept.
 */
import { basename } from 'node:path';
import type { Services } from '../electron/main/services';
import type { ProfileId } from '../shared/formats/types';
import { getProfile } from '../shared/formats/profiles';
import { maskPans } from './report';
import type { Io } from './run';

/** Same codes as cli/submit.ts (kept apart so this file does not import it back). */
export class ImportRefused extends Error {
  constructor(
    readonly exitCode: 1 | 2,
    message: string,
  ) {
    super(message);
  }
}

function firstRowErrors(s: Services, batchId: string, profile: ProfileId, n = 5): { lines: string[]; total: number } {
  const f = s.rows.findings({ batchId });
  const labels = new Map(getProfile(profile).columns.map((c) => [c.key, c.label]));
  const items: { position: number; text: string }[] = [];
  for (const g of f.groups.filter((x) => x.severity === 'error')) {
    for (const it of s.rows.findings({ batchId, code: g.code, column: g.column, limit: n }).items) {
      const where = [it.line === null ? `row ${it.position + 1}` : `line ${it.line}`, it.finding.column ? labels.get(it.finding.column) : null].filter(Boolean).join(', ');
      items.push({ position: it.position, text: `  ${where}: ${maskPans(it.finding.message)} [${it.finding.code}]` });
    }
  }
  items.sort((a, b) => a.position - b.position);
  return { lines: items.slice(0, n).map((i) => i.text), total: f.errors };
}

/** Imports `file` into a new batch and returns its id; refuses (and removes the batch) when it has errors. */
export async function importForSubmit(s: Services, file: string, profile: ProfileId, io: Io): Promise<string> {
  const ref = { kind: 'path' as const, path: file };
  const preview = await s.imports.preview({ file: ref, profile });
  const blocking = preview.issues.filter((i) => i.severity === 'error');
  if (blocking.length > 0) throw new ImportRefused(2, `${file} cannot be submitted: ${blocking.map((i) => maskPans(i.message)).join(' ')}`);
  const name = basename(file.trim().replace(/^["']|["']$/g, '')).replace(/\.[^.]+$/, '') || 'Submitted batch';
  const out = await s.imports.importNow({ file: ref, profile, mapping: preview.mapping, amountUnit: preview.amount.suggested, target: { kind: 'new', name } });
  const fileErrors = out.issues.filter((i) => i.severity === 'error');
  if (out.errors > 0 || fileErrors.length > 0) {
    const rows = firstRowErrors(s, out.batchId, profile);
    const total = out.errors + fileErrors.length;
    const lines = [...fileErrors.slice(0, 5).map((i) => `  file: ${maskPans(i.message)} [${i.code}]`), ...rows.lines].slice(0, 5);
    discard(s, out.batchId);
    io.stderr(`Submit refused: ${file} has ${total} error${total === 1 ? '' : 's'} (${profile}); nothing was submitted or kept. First errors:\n${lines.join('\n')}\n`);
    if (total > 5) io.stderr(`  ... and ${total - 5} more; run "batchdesk validate ${file} --profile ${profile}" for the full list.\n`);
    throw new ImportRefused(1, '');
  }
  if (out.rows === 0) {
    discard(s, out.batchId);
    throw new ImportRefused(2, `${file} has no rows to submit.`);
  }
  return out.batchId;
}

function discard(s: Services, batchId: string): void {
  s.rows.forget(batchId);
  s.batches.purge(batchId);
}
