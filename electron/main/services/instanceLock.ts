/**
 * One Batchdesk app process per data folder. Main owns each open batch in memory (one writer): a
 * second app on the same folder would keep its own copy and the two would overwrite each other's
 * edits. A lock file (created exclusively, naming the process) is taken at start and removed at
 * exit; a second app is refused with a message saying which process has the folder. A lock left
 * by a process that no longer runs (a crash, SIGKILL) is taken over. The CLI does not take it:
 * its commands are short and go through SQLite's own locking.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from './errors';

export const LOCK_FILE = 'batchdesk.lock';

interface LockInfo {
  pid: number;
  mode: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    return typeof v.pid === 'number' ? { pid: v.pid, mode: String(v.mode ?? 'app'), since: String(v.since ?? '') } : null;
  } catch {
    return null;
  }
}

export interface InstanceLock {
  readonly path: string;
  release(): void;
}

/** Takes the data folder's lock for this process, or throws AppError('locked') in the clerk's words. */
export function acquireInstanceLock(dataDir: string, mode: 'desktop' | 'web'): InstanceLock {
  const path = join(dataDir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, mode, since: new Date().toISOString() };
  mkdirSync(dataDir, { recursive: true }); // first run: the folder is made here
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = readLock(path);
      if (held && held.pid !== process.pid && alive(held.pid)) {
        const what = held.mode === 'web' ? 'Batchdesk in web mode (npm run web)' : 'the Batchdesk app';
        throw new AppError(
          'locked',
          `This data folder (${dataDir}) is already open in ${what}, process ${held.pid}${held.since ? ` since ${held.since}` : ''}. Use that window, or close it and start again; two copies on one folder would overwrite each other's edits.`,
        );
      }
      // left behind by a process that is gone (or half written): take it over
      try {
        unlinkSync(path);
      } catch {
        // another starting process removed it first; try again
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(mine));
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (readLock(path)?.pid === process.pid) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
    };
    process.once('exit', release);
    return { path, release };
  }
  throw new AppError('locked', `The lock file ${path} could not be taken. Check that no other Batchdesk is starting on this folder, then try again.`);
}
