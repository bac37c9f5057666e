/**
 * Worker thread: reads and validates one file, off the main thread (which serves the UI's calls).
 * Receives a CheckJob as workerData; posts {type:'progress'} messages and one {type:'done'} or
 * {type:'failed'}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isFormatError } from '../../../../shared/formats/errors';
import { countIssues } from '../../../../shared/formats';
import { importFile } from './importFile';
import type { CheckJob, WorkerMessage } from './check';
import type { Issue } from '../../../../shared/formats/types';
import type { OmittedIssues } from '../../../../shared/formats/issues';

/** Findings per rule with exact counts (kept and omitted), most frequent first. */
function rulesSummary(kept: readonly Issue[], omitted: readonly OmittedIssues[], byCode: Record<string, number>) {
  const first = new Map<string, Issue>();
  for (const i of kept) if (!first.has(i.code)) first.set(i.code, i);
  const severity = new Map(omitted.map((o) => [o.code, o.severity] as const));
  return Object.entries(byCode)
    .map(([code, count]) => ({ code, count, severity: first.get(code)?.severity ?? severity.get(code) ?? 'error', example: first.get(code)?.message ?? '' }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

const job = workerData as CheckJob;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

async function run(): Promise<void> {
  const started = performance.now();
  post({ type: 'progress', label: 'Reading the file', done: 0, total: null });
  const result = await importFile(job.path, {
    profile: job.profile,
    ...(job.sheet !== undefined ? { sheet: job.sheet } : {}),
    ctx: job.ctx,
    onProgress: (p) => {
      if (p.step === 'reading') post({ type: 'progress', label: 'Reading the file', done: p.done, total: p.total });
      else if (p.step === 'checking') post({ type: 'progress', label: `Checking ${p.total.toLocaleString('en-US')} rows`, done: p.done, total: p.total });
      else post({ type: 'progress', label: 'Looking for duplicate rows', done: 0, total: null });
    },
  });
  // exact totals; the worker holds at most ISSUES_PER_CODE findings per code, the panel ISSUE_LIMIT
  const { errors, warnings, byCode } = countIssues(result.issues, result.omitted);
  const rows = result.rows.length;
  post({ type: 'progress', label: `Checked ${rows.toLocaleString('en-US')} rows`, done: rows, total: rows });
  const src = result.source;
  post({
    type: 'done',
    result: {
      path: job.path,
      profile: job.profile,
      rows,
      errors,
      warnings,
      issues: result.issues.slice(0, job.issueLimit),
      moreIssues: Math.max(0, errors + warnings - Math.min(result.issues.length, job.issueLimit)),
      byRule: rulesSummary(result.issues, result.omitted, byCode),
      unknownColumns: result.unknownColumns,
      source: {
        kind: src.kind,
        ...(src.encoding !== undefined ? { encoding: src.encoding } : {}),
        ...(src.delimiter !== undefined ? { delimiter: src.delimiter } : {}),
        ...(src.decimalComma !== undefined ? { decimalComma: src.decimalComma } : {}),
        ...(src.sheet !== undefined ? { sheet: src.sheet } : {}),
        ...(src.sheets !== undefined ? { sheets: src.sheets } : {}),
      },
      ms: Math.round(performance.now() - started),
    },
  });
}

run().catch((e: unknown) => {
  if (isFormatError(e)) post({ type: 'failed', code: e.code, message: e.message });
  else post({ type: 'failed', code: 'internal', message: `Checking the file failed unexpectedly: ${(e as Error).message}` });
});
