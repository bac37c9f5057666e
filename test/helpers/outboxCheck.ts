/**
 * Compares what the outbox says with what the sandbox's ledger says was charged: duplicates (a
 * merchant reference charged twice), lost rows (not final, or our status contradicts the ledger).
 */
import type { Outbox } from '../../electron/main/services/outbox';
import type { Ledger } from '../../electron/main/services/providers/sandbox';
import type { ProfileId } from '../../shared/formats/types';
import type { Db } from '../../electron/main/services/db/database';

/** The merchant reference the sandbox ledger records for a row, per profile (Wonder: `action:Reference Number`). */
const REF_OF: Record<ProfileId, (cells: readonly string[]) => string> = {
  epay: (c) => c[3] ?? '',
  sibs: (c) => c[0] ?? '',
  jpmmps: (c) => c[0] ?? '',
  wonder: (c) => `${c[0] ?? ''}:${c[1] ?? ''}`,
};

export interface Figures {
  rows: number;
  duplicates: number;
  lost: number;
  needsReview: number;
  succeeded: number;
  failed: number;
  contradictions: string[];
}

export function compareWithLedger(db: Db, outbox: Outbox, ledger: Ledger, profile: ProfileId, batchId: string): Figures {
  const report = outbox.report(batchId);
  const cells = new Map(
    (db.prepare('SELECT id, cells FROM batch_rows WHERE batch_id = ?').all(batchId) as { id: string; cells: string }[]).map((r) => [r.id, JSON.parse(r.cells) as string[]]),
  );
  const charges = ledger.charges(profile);
  const byRef = new Map<string, typeof charges>();
  for (const c of charges) {
    const list = byRef.get(c.merchantRef) ?? [];
    list.push(c);
    byRef.set(c.merchantRef, list);
  }
  let duplicates = 0;
  let lost = 0;
  const contradictions: string[] = [];
  for (const item of report.items) {
    const ref = REF_OF[profile](cells.get(item.rowId) ?? []);
    const seen = byRef.get(ref) ?? [];
    if (seen.length > 1) duplicates++;
    const entry = seen[0];
    switch (item.status) {
      case 'succeeded':
        if (!entry || entry.result !== 'success') contradictions.push(`${ref}: succeeded here, ledger ${entry?.result ?? 'none'}`);
        break;
      case 'failed':
        // A refusal before processing leaves no ledger entry; a decline leaves a declined one.
        if (entry && entry.result === 'success') contradictions.push(`${ref}: failed here, charged in the ledger`);
        break;
      case 'needs_review':
        break;
      default:
        lost++;
        contradictions.push(`${ref}: not final (${item.status})`);
    }
  }
  lost += contradictions.filter((c) => !c.includes('not final')).length;
  return {
    rows: report.rows,
    duplicates,
    lost,
    needsReview: report.counts.needs_review,
    succeeded: report.counts.succeeded,
    failed: report.counts.failed,
    contradictions,
  };
}
