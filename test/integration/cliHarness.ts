/** Shared helpers for the CLI/files integration tests: spawn the real CLI, temp dirs. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'cli', 'batchdesk.mjs');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node [nodeArgs] cli/batchdesk.mjs ...args` with this Node (22) binary. `nodeArgs` bound the
 * child (e.g. `--max-old-space-size=128`) to prove that a command runs in bounded memory.
 */
export function runCli(args: string[], opts: { cwd?: string; nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '', ...(opts.env ?? {}) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'batchdesk-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Runs the CLI and also returns its peak RSS in MiB (through test/helpers/peakRss.mjs). */
export async function runCliMeasured(args: string[], dir: string): Promise<CliResult & { peakRssMB: number }> {
  const file = join(dir, `peak-rss-${Date.now()}.txt`);
  const r = await runCli(args, { nodeArgs: ['--import', join(ROOT, 'test', 'helpers', 'peakRss.mjs')], env: { BATCHDESK_TEST_PEAK_RSS: file } });
  const kib = Number(await readFile(file, 'utf8'));
  return { ...r, peakRssMB: kib / 1024 };
}
