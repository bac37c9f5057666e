import { resolve } from 'node:path';
import type { WorkerScript } from '../../electron/main/services/files/check';

/** The file-check worker from source: tests run TypeScript, so the worker thread loads it via tsx. */
export const SOURCE_CHECK_WORKER: WorkerScript = {
  file: resolve(import.meta.dirname, '../../electron/main/services/files/checkWorker.ts'),
  execArgv: ['--import', 'tsx'],
};
