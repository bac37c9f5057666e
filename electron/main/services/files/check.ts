/**
 * Checking a file (read + import + validate) runs in a worker thread, so a million-row file never
 * blocks the process that answers the UI. One check at a time per file path; progress is reported
 * through a callback that main turns into `task.progress` events.
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { cleanPath } from './uploads';
import { Worker } from 'node:worker_threads';
import type { CheckFileResult } from '../../../../shared/contract';
import type { ProfileId } from '../../../../shared/formats/types';
import type { ValidationContext } from '../../../../shared/formats/profile';
import { AppError } from '../errors';

export interface CheckJob {
  path: string;
  profile: ProfileId;
  sheet?: string;
  ctx: ValidationContext;
  issueLimit: number;
}

export type WorkerMessage =
  | { type: 'progress'; label: string; done: number; total: number | null }
  | { type: 'done'; result: Omit<CheckFileResult, 'taskId'> }
  | { type: 'failed'; code: string; message: string };

export interface WorkerScript {
  /** The worker's entry file: out/main/checkWorker.js when built, the .ts source under tests. */
  file: string;
  execArgv?: string[];
}

export interface Progress {
  taskId: string;
  label: string;
  done: number;
  total: number | null;
}

export const ISSUE_LIMIT = 500;

export class FileCheckService {
  /** One check at a time: each holds a whole file in memory in its worker. */
  private running = false;

  constructor(private readonly script: WorkerScript | null) {}

  check(
    input: { path: string; profile: ProfileId; sheet?: string },
    ctx: ValidationContext,
    onProgress: (p: Progress) => void,
  ): Promise<CheckFileResult> {
    if (!this.script) throw new AppError('unavailable', 'File checking is not available in this build.');
    // A path pasted from Windows "Copy as path" comes in quotes; the file is then read by its
    // content (CSV/text or XLSX), whatever its name, as the CLI does.
    input = { ...input, path: cleanPath(input.path) };
    if (!isAbsolute(input.path)) {
      throw new AppError('bad_input', `Give the file's full path (for example /home/me/batch.csv or C:\\Batches\\batch.xlsx), not "${input.path}".`);
    }
    if (this.running) throw new AppError('conflict', 'Another file is being checked; wait for it to finish.');
    this.running = true;
    const taskId = randomUUID();
    const job: CheckJob = { ...input, ctx, issueLimit: ISSUE_LIMIT };
    let worker: Worker;
    try {
      worker = new Worker(this.script.file, { workerData: job, execArgv: this.script.execArgv ?? [] });
    } catch (e) {
      this.running = false;
      throw e;
    }
    return new Promise<CheckFileResult>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.running = false;
        fn();
        void worker.terminate();
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') onProgress({ taskId, label: m.label, done: m.done, total: m.total });
        else if (m.type === 'done') finish(() => resolve({ taskId, ...m.result }));
        else finish(() => reject(new AppError(m.code, m.message)));
      });
      worker.on('error', (e) => finish(() => reject(new AppError('internal', `Checking the file failed: ${e.message}`))));
      worker.on('exit', (code) => finish(() => reject(new AppError('internal', `The file check stopped unexpectedly (exit code ${code}).`))));
    });
  }
}
