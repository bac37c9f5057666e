/**
 * One app per data folder: the lock file names the process holding the folder; another live
 * process's lock refuses the start in words, a dead process's lock is taken over, and the lock
 * goes away on release. Real files, a real second process (its pid).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, LOCK_FILE } from '../../electron/main/services/instanceLock';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

let child: ChildProcess | null = null;
afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
  cleanupTempDirs();
});

function otherProcess(): Promise<ChildProcess> {
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  return new Promise((resolve) => c.once('spawn', () => resolve(c)));
}

describe('instance lock', () => {
  it('is taken, names this process, and is gone after release', () => {
    const dir = join(tempDir(), 'first-run'); // not there yet: made on the way
    const lock = acquireInstanceLock(dir, 'web');
    const info = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; mode: string };
    expect(info).toMatchObject({ pid: process.pid, mode: 'web' });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses while another live process holds the folder, in words naming it; takes over once it is gone', async () => {
    const dir = tempDir();
    child = await otherProcess();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: child.pid, mode: 'desktop', since: '2026-12-02T05:00:00.000Z' }));
    let refusal: unknown;
    try {
      acquireInstanceLock(dir, 'web');
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ code: 'locked' });
    expect((refusal as Error).message).toBe(
      `This data folder (${dir}) is already open in the Batchdesk app, process ${child.pid} since 2026-12-02T05:00:00.000Z. Use that window, or close it and start again; two copies on one folder would overwrite each other's edits.`,
    );
    // the refused start left the other's lock alone
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: child.pid });

    // killed (SIGKILL: no clean-up): its lock is stale and taken over
    const gone = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    const lock = acquireInstanceLock(dir, 'web');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('a damaged lock file (half written) does not block the start', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    const lock = acquireInstanceLock(dir, 'desktop');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, mode: 'desktop' });
    lock.release();
  });
});
