/**
 * Export an open batch with the CLI's writers (exportFile): amounts in canonical form, card
 * numbers masked unless asked, and a masked export says in its name and first line that it is
 * for review, not for upload. A missing setting names the screen and field where it is set.
 */
import { join } from 'node:path';
import type { Settings } from '../../../../shared/contract';
import { isFormatError } from '../../../../shared/formats/errors';
import { AppError } from '../errors';
import { exportFile } from '../files/exportFile';
import type { BatchSession } from './session';

export const REVIEW_NOTE =
  'FOR REVIEW ONLY - card numbers are masked and CVCs left out; do not upload or submit this file (export with full card numbers for that).';

export interface BatchExportOptions {
  out?: string | undefined;
  format?: 'csv' | 'xlsx' | undefined;
  includeFullCardNumbers?: boolean | undefined;
  dataDir: string;
  settings: Settings;
}

function safeName(name: string): string {
  return name.replace(/[^\p{L}\p{N}._ -]+/gu, '_').replace(/\s+/g, '-').slice(0, 80) || 'batch';
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

export function defaultExportPath(s: BatchSession, o: BatchExportOptions): string {
  const masked = o.includeFullCardNumbers !== true && s.sensitiveCols.length > 0;
  const base = `${safeName(s.name)}-${stamp()}${masked ? '-REVIEW-ONLY-masked' : ''}`;
  const ext = s.profile.id === 'wonder' ? `.${o.format ?? 'csv'}` : '';
  return join(o.dataDir, 'exports', base + ext);
}

export async function exportBatch(s: BatchSession, o: BatchExportOptions) {
  s.assertEditable();
  if (s.counts.errors > 0) {
    throw new AppError('export.has_errors', `The batch has ${s.counts.errors.toLocaleString('en-US')} error${s.counts.errors === 1 ? '' : 's'}; fix them before exporting (the Findings panel lists them). Nothing was written.`);
  }
  const full = o.includeFullCardNumbers === true;
  const masked = !full && s.sensitiveCols.length > 0;
  let out = o.out ?? defaultExportPath(s, o);
  if (masked && o.out !== undefined && !/review/i.test(out)) {
    // the name must say it is for review: add it before the extension
    out = out.replace(/(\.[A-Za-z0-9]+)?$/, (ext) => `-REVIEW-ONLY-masked${ext}`);
  }
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(out, '..'), { recursive: true });
  const rows = s.order.map((slot) => slot.cells);
  try {
    const r = await exportFile(rows, {
      profile: s.profile.id,
      out,
      ctx: s.ctx,
      includeFullCardNumbers: full,
      ...(masked ? { reviewNote: REVIEW_NOTE } : {}),
      jsonLines: {
        ...(o.settings.sibsTerminalId ? { terminalId: o.settings.sibsTerminalId } : {}),
        channel: o.settings.sibsChannel,
        ...(o.settings.jpmmpsProgramAccno ? { programAccno: o.settings.jpmmpsProgramAccno } : {}),
        ...(o.settings.jpmmpsAccno ? { accno: o.settings.jpmmpsAccno } : {}),
        ...(o.settings.jpmmpsAccnoType ? { accnoType: o.settings.jpmmpsAccnoType } : {}),
      },
    });
    return { files: r.files, rows: r.rows, bytes: r.bytes, masked, downloads: [] as string[] };
  } catch (e) {
    if (isFormatError(e)) {
      if (e.code === 'export.setting_missing' && /terminalId/.test(e.message)) {
        throw new AppError(e.code, 'A SIBS export needs the terminal ID from your SIBS onboarding: enter it in Settings › SIBS › Terminal ID, then export again. Nothing was written.');
      }
      throw new AppError(e.code, e.message);
    }
    throw e;
  }
}
