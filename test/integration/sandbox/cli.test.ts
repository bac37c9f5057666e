import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI, ROOT, runCli, withTempDir } from '../cliHarness';
import { call, epayEntry } from './helpers';
import { startSandbox } from '../../../electron/main/services/providers/sandbox';

/** Starts `batchdesk sandbox ...`, resolves with the child once stdout holds `until`. */
function startCli(args: string[], until: RegExp) {
  const child = spawn(process.execPath, [CLI, 'sandbox', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  const ready = new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`sandbox CLI did not start: ${stderr}`)), 45_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (until.test(stdout)) {
        clearTimeout(timer);
        res(stdout);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    void exited.then(() => rej(new Error(`sandbox CLI exited early: ${stderr}`)));
  });
  return { child, ready, exited, output: () => stdout };
}

describe('batchdesk sandbox (CLI)', () => {
  it('--json prints the URLs and connections, serves requests, stops on Ctrl+C with exit 0', async () => {
    const cli = startCli(['--port', '0', '--json', '--no-s3', '--seed', '4'], /\n/);
    const info = JSON.parse((await cli.ready).split('\n')[0]!);
    expect(info).toMatchObject({ sandbox: true, seed: 4, s3: null });
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const epay = info.connections.find((c: { provider: string }) => c.provider === 'epay');
    expect(epay).toMatchObject({ provider: 'epay', baseUrl: `${info.url}/epay`, credentials: { apiKey: expect.any(String) } });
    const r = await call(`${epay.baseUrl}/public/api/v1/mit/batch`, { headers: { Authorization: `Bearer ${epay.credentials.apiKey}` }, body: { transactions: [epayEntry()] } });
    expect(r.status).toBe(200);
    const ledger = await call(`${info.url}/_sandbox/ledger`);
    expect(ledger.json.entries).toHaveLength(1);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('prints credentials in text, writes connection files, starts S3, stops on SIGTERM', async () => {
    await withTempDir(async (dir) => {
      const cli = startCli(['--connection-dir', dir, '--fault-rate', '0.1', '--fault-kinds', 'drop,500'], /Ctrl\+C stops it/);
      const text = await cli.ready;
      expect(text).toContain('nothing is charged');
      expect(text).toMatch(/epay\s+http:\/\/127\.0\.0\.1:\d+\/epay/);
      expect(text).toContain('apiKey=sandbox-epay-api-key-0001');
      expect(text).not.toContain('BEGIN PRIVATE KEY');
      const wonder = JSON.parse(await readFile(join(dir, 'wonder.connection.json'), 'utf8'));
      expect(wonder).toMatchObject({ provider: 'wonder', credentials: { appId: expect.any(String), privateKeyPem: expect.stringContaining('BEGIN PRIVATE KEY'), upload: { s3: { endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) } } } });
      for (const p of ['epay', 'sibs', 'jpmmps', 'hypercard']) expect(JSON.parse(await readFile(join(dir, `${p}.connection.json`), 'utf8')).provider).toBe(p);
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toContain('Sandbox stopped');
    });
  });

  it('a port in use or a damaged --state file is exit 2 with a message', async () => {
    const taken = await startSandbox({ s3: false });
    try {
      const r = await runCli(['sandbox', '--port', String(taken.port), '--no-s3']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('already in use');
    } finally {
      await taken.close();
    }
    await withTempDir(async (dir) => {
      const f = join(dir, 'state.json');
      await writeFile(f, 'not json');
      const r = await runCli(['sandbox', '--no-s3', '--state', f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('damaged');
    });
  });

  it('refuses bad options with exit 2', async () => {
    for (const args of [['--port', '70000'], ['--fault-rate', '1.5'], ['--fault-kinds', 'drop'], ['--fault-rate', '0.1', '--fault-kinds', 'meteor'], ['--bogus']]) {
      const r = await runCli(['sandbox', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^batchdesk: sandbox: /);
    }
  });
});
