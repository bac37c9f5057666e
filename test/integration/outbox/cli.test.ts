/** `batchdesk submit` / `status` as a real process against a sandbox on 127.0.0.1 (connection.json files). */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../cliHarness';
import { tempDir, cleanupTempDirs } from '../../helpers/tmp';
import { sandboxConnection, startSandbox, type Sandbox } from '../../../electron/main/services/providers/sandbox';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 11, outcomes: { settleMs: [100, 600] } });
});
afterAll(async () => {
  await sb.close();
  cleanupTempDirs();
});

function cli(home: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, BATCHDESK_HOME: home, NO_COLOR: '1', NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function connectionFile(dir: string, provider: 'epay' | 'sibs' | 'jpmmps' | 'wonder', patch: (c: Record<string, unknown>) => void = () => {}): string {
  const c = JSON.parse(JSON.stringify(sandboxConnection(provider, sb))) as Record<string, unknown>;
  delete c.sandbox;
  patch(c);
  const f = join(dir, `${provider}.json`);
  writeFileSync(f, JSON.stringify(c));
  return f;
}

const SAMPLES = join(ROOT, 'resources', 'samples');

describe('batchdesk submit / status', () => {
  it('submit --wait --json: every row final, exit 1 when some are declined, and status repeats it', { timeout: 120_000 }, async () => {
    const home = tempDir();
    const r = await cli(home, ['submit', join(SAMPLES, 'sibs-recurring.csv'), '--profile', 'sibs', '--connection', connectionFile(home, 'sibs'), '--json', '--wait']);
    const out = JSON.parse(r.stdout) as { batchId: string; final: boolean; sandbox: boolean; items: { status: string; reason: string | null }[]; counts: Record<string, number> };
    expect(out.final).toBe(true);
    expect(out.sandbox).toBe(false);
    expect(out.items.every((i) => i.status === 'succeeded' || i.status === 'failed')).toBe(true);
    expect(r.code).toBe(out.items.every((i) => i.status === 'succeeded') ? 0 : 1);
    const s = await cli(home, ['status', out.batchId, '--json']);
    expect(JSON.parse(s.stdout)).toMatchObject({ batchId: out.batchId, final: true, counts: out.counts });
    const text = await cli(home, ['status', out.batchId]);
    expect(text.stdout).toMatch(/Final/);
    expect(text.stdout).toMatch(/row\s+status\s+amount/);
  });

  it('without --wait returns at accepted; exit 0 when every row is accepted', { timeout: 120_000 }, async () => {
    const home = tempDir();
    const r = await cli(home, ['submit', join(SAMPLES, 'epay-renewals.csv'), '--profile', 'epay', '--connection', connectionFile(home, 'epay'), '--json']);
    const out = JSON.parse(r.stdout) as { items: { status: string }[] };
    expect(out.items.every((i) => ['accepted', 'pending', 'succeeded', 'failed'].includes(i.status))).toBe(true);
    expect(r.code).toBe(out.items.some((i) => i.status === 'failed') ? 1 : 0);
  });

  it('omitted --connection = the built-in sandbox, said so', { timeout: 120_000 }, async () => {
    const home = tempDir();
    const r = await cli(home, ['submit', join(SAMPLES, 'jpmmps-charges.csv'), '--profile', 'jpmmps', '--wait']);
    expect(r.stdout).toMatch(/Sandbox — nothing is charged/);
    expect([0, 1]).toContain(r.code);
  });

  it('exit 2: bad connection file, provider unreachable, wrong credentials; exit 1: file with errors', { timeout: 120_000 }, async () => {
    const home = tempDir();
    const f = join(home, 'bad.json');
    writeFileSync(f, '{"provider":"epay","baseUrl":"not a url","credentials":{"apiKey":"k"}}');
    const bad = await cli(home, ['submit', join(SAMPLES, 'epay-renewals.csv'), '--profile', 'epay', '--connection', f]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/base URL/);
    const down = await cli(home, ['submit', join(SAMPLES, 'epay-renewals.csv'), '--profile', 'epay', '--connection', connectionFile(home, 'epay', (c) => (c.baseUrl = 'http://127.0.0.1:59999'))]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/Cannot reach/);
    const auth = await cli(home, ['submit', join(SAMPLES, 'epay-renewals.csv'), '--profile', 'epay', '--connection', connectionFile(home, 'epay', (c) => ((c.credentials as Record<string, string>).apiKey = 'wrong-key-123'))]);
    expect(auth.code).toBe(2);
    expect(auth.stderr).toMatch(/refused the credentials/);
    expect(auth.stderr).not.toMatch(/wrong-key-123/);
    const errors = await cli(home, ['submit', join(ROOT, 'test', 'fixtures', 'cli', 'wonder-errors.csv'), '--profile', 'wonder', '--connection', connectionFile(home, 'wonder')]);
    expect(errors.code).toBe(1);
    expect(errors.stderr).toMatch(/Submit refused/);
  });

  it('submit --batch: a stored batch already final is refused (never sent twice)', { timeout: 120_000 }, async () => {
    const home = tempDir();
    const r = await cli(home, ['submit', join(SAMPLES, 'sibs-recurring.csv'), '--profile', 'sibs', '--connection', connectionFile(home, 'sibs'), '--json', '--wait']);
    const { batchId } = JSON.parse(r.stdout) as { batchId: string };
    const again = await cli(home, ['submit', '--batch', batchId, '--connection', connectionFile(home, 'sibs')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already submitted/);
    expect(sb.ledger.duplicates('sibs')).toEqual([]);
  });
});
