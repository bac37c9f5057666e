/**
 * Spawns the real browser harness (`node out/main/web.js --no-open`) as a child process, with its
 * own BATCHDESK_HOME, and parses the `Open: http://127.0.0.1:PORT/?t=TOKEN` line it prints.
 * Needs `npx electron-vite build` first (out/main/web.js and out/renderer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_ENTRY = join(ROOT, 'out', 'main', 'web.js');

export interface WebHost {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  origin: string;
  /** The one-time URL with the token (`/?t=...`). */
  openUrl: string;
  token: string;
  home: string;
  proc: ChildProcess;
  /** Everything the process printed so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then SIGKILL if it does not exit; resolves with the exit code (null if killed). */
  stop(): Promise<number | null>;
}

export async function makeTempHome(prefix = 'batchdesk-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeTempHome(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

const live = new Set<ChildProcess>();
// Last resort: never leave a harness behind if the test runner exits without the afterAll hooks.
process.once('exit', () => {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

/** `nodeArgs`: flags for the host's Node (the grid bench passes `--inspect=127.0.0.1:0` to read main's heap). */
export function startWebHost(home: string, opts: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<WebHost> {
  if (!existsSync(WEB_ENTRY)) {
    return Promise.reject(new Error(`${WEB_ENTRY} is missing: run \`npx electron-vite build\` first.`));
  }
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), WEB_ENTRY, '--no-open'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BATCHDESK_HOME: home, BATCHDESK_NO_OPEN: '1', NODE_OPTIONS: '' },
  });
  live.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));

  const exited = new Promise<number | null>((res) => {
    if (proc.exitCode !== null || proc.signalCode !== null) res(proc.exitCode);
    else proc.once('exit', (code) => res(code));
  });
  void exited.then(() => live.delete(proc));

  const stop = async (): Promise<number | null> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  return new Promise<WebHost>((res, rej) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proc.off('exit', onEarlyExit);
      void stop();
      rej(new Error(`${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`The web host exited early (code ${code}, signal ${signal}).`);
    const timer = setTimeout(() => fail(`The web host printed no Open: URL within ${timeoutMs} ms.`), timeoutMs);
    proc.once('error', (e) => fail(`Could not spawn the web host: ${e.message}`));
    proc.once('exit', onEarlyExit);
    proc.stdout!.on('data', () => {
      if (settled) return;
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+)\/\?t=([A-Za-z0-9_-]+)/.exec(stdout);
      if (!m) return;
      settled = true;
      clearTimeout(timer);
      proc.off('exit', onEarlyExit);
      const origin = m[1]!;
      const token = m[2]!;
      res({
        origin,
        openUrl: `${origin}/?t=${token}`,
        token,
        home,
        proc,
        output: () => ({ stdout, stderr }),
        stop,
      });
    });
  });
}
