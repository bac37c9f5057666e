/**
 * `batchdesk sandbox [--port <n>] [--seed <n>] [--fault-rate <0..1>] [--fault-kinds k,k] [--no-s3]
 *  [--connection-dir <dir>] [--state <file>] [--json]`: starts the provider sandbox alone on 127.0.0.1, prints its
 * base URLs and its (sandbox-only) credentials, and runs until Ctrl+C (SIGINT) or SIGTERM.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './args';
import type { Io } from './run';

export interface SandboxArgs {
  command: 'sandbox';
  port: number;
  seed: number;
  s3: boolean;
  json: boolean;
  faultRate?: number;
  faultKinds?: string[];
  connectionDir?: string;
  stateFile?: string;
}

export const SANDBOX_USAGE = `  batchdesk sandbox [--port <n>] [--seed <n>] [--fault-rate <0..1>] [--fault-kinds latency,429,500,reset,drop]
                    [--no-s3] [--connection-dir <dir>] [--state <file>] [--json]
           Starts the provider sandbox (wonder, epay, sibs, jpmmps, hypercard) on 127.0.0.1 until Ctrl+C.
           --connection-dir writes <provider>.connection.json files for --connection;
           --state keeps the sandbox's transactions in that file across restarts.
`;

export function parseSandboxArgs(argv: string[]): SandboxArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        'fault-rate': { type: 'string' },
        'fault-kinds': { type: 'string' },
        'no-s3': { type: 'boolean' },
        'connection-dir': { type: 'string' },
        state: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`sandbox: ${(e as Error).message}`);
  }
  const v = parsed.values;
  const int = (name: string, s: string | undefined, def: number, max: number) => {
    if (s === undefined) return def;
    if (!/^\d+$/.test(s) || Number(s) > max) throw new UsageError(`sandbox: --${name} must be a whole number from 0 to ${max}, got "${s}"`);
    return Number(s);
  };
  const port = int('port', v.port, 0, 65535);
  const seed = int('seed', v.seed, 1, 2 ** 31 - 1);
  let faultRate: number | undefined;
  if (v['fault-rate'] !== undefined) {
    faultRate = Number(v['fault-rate']);
    if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(v['fault-rate'])) throw new UsageError(`sandbox: --fault-rate must be a number from 0 to 1, got "${v['fault-rate']}"`);
  }
  const kinds = v['fault-kinds']?.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const allowed = ['latency', '429', '500', 'reset', 'drop'];
  for (const k of kinds ?? []) if (!allowed.includes(k)) throw new UsageError(`sandbox: unknown fault kind "${k}" (expected ${allowed.join(', ')})`);
  if (kinds !== undefined && faultRate === undefined) throw new UsageError('sandbox: --fault-kinds needs --fault-rate');
  return {
    command: 'sandbox',
    port,
    seed,
    s3: !v['no-s3'],
    json: v.json ?? false,
    ...(faultRate !== undefined ? { faultRate } : {}),
    ...(kinds !== undefined ? { faultKinds: kinds } : {}),
    ...(v['connection-dir'] !== undefined ? { connectionDir: v['connection-dir'] } : {}),
    ...(v.state !== undefined && v.state !== '' ? { stateFile: resolve(v.state) } : {}),
  };
}

/** Resolves on Ctrl+C or SIGTERM. */
function untilStopped(): Promise<string> {
  return new Promise((res) => {
    const stop = (sig: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      res(sig);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export async function sandboxCommand(args: SandboxArgs, io: Io): Promise<number> {
  const { startSandbox, sandboxConnection, SANDBOX_PROVIDERS, SANDBOX_HYPERCARD_CARD_IDS } = await import('../electron/main/services/providers/sandbox');
  const faults = args.faultRate !== undefined ? { all: { rate: args.faultRate, ...(args.faultKinds ? { kinds: args.faultKinds as ('latency' | '429' | '500' | 'reset' | 'drop')[] } : {}) } } : {};
  // Listen for Ctrl+C before anything is printed: a caller may signal as soon as it reads the banner.
  const stopped = untilStopped();
  let sb;
  try {
    sb = await startSandbox({ port: args.port, seed: args.seed, s3: args.s3, faults, ...(args.stateFile !== undefined ? { stateFile: args.stateFile } : {}) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      io.stderr(`batchdesk: sandbox: port ${args.port} is already in use; choose another with --port (0 = any free port).\n`);
      return 2;
    }
    if ((e as Error).name === 'SandboxStateError') {
      io.stderr(`batchdesk: sandbox: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    const connections = SANDBOX_PROVIDERS.filter((p) => p !== 'wonder' || sb.s3).map((p) => sandboxConnection(p, sb));
    const files: string[] = [];
    if (args.connectionDir !== undefined) {
      const dir = resolve(args.connectionDir);
      await mkdir(dir, { recursive: true });
      for (const c of connections) {
        const f = join(dir, `${c.provider}.connection.json`);
        await writeFile(f, JSON.stringify(c, null, 2) + '\n', { mode: 0o600 });
        files.push(f);
      }
    }
    if (args.json) {
      io.stdout(JSON.stringify({ sandbox: true, url: sb.url, seed: sb.seed, providers: sb.providers, s3: sb.s3 ?? null, hypercardCardIds: SANDBOX_HYPERCARD_CARD_IDS, connections, connectionFiles: files }) + '\n');
    } else {
      io.stdout(`Batchdesk provider sandbox — nothing is charged. Listening on ${sb.url} (seed ${sb.seed}${args.faultRate !== undefined ? `, faults ${args.faultRate * 100}%` : ''}).\n\n`);
      for (const c of connections) {
        const shown = Object.entries(c.credentials)
          .map(([k, v]) => (k.toLowerCase().includes('privatekey') ? `${k}=<RSA key, in the connection file>` : k === 'upload' ? 'upload=<sandbox S3>' : `${k}=${String(v)}`))
          .join('  ');
        io.stdout(`  ${c.provider.padEnd(10)} ${c.baseUrl}\n             ${shown}\n`);
      }
      if (sb.s3) io.stdout(`  s3         ${sb.s3.endpoint}  bucket=${sb.s3.bucket}  accessKeyId=${sb.s3.accessKeyId}  secretAccessKey=${sb.s3.secretAccessKey}\n`);
      io.stdout(`  hypercard cards: ${SANDBOX_HYPERCARD_CARD_IDS.join(', ')}\n`);
      io.stdout(`  ledger: ${sb.url}/_sandbox/ledger\n`);
      if (files.length > 0) io.stdout(`\nConnection files (SANDBOX credentials):\n${files.map((f) => `  ${f}\n`).join('')}`);
      else io.stdout('\nWrite connection files with --connection-dir <dir>.\n');
      io.stdout('\nCredentials above are the sandbox\'s own, published on purpose; never use them with a real provider. Ctrl+C stops it.\n');
    }
    await io.flush?.();
    const sig = await stopped;
    if (!args.json) io.stdout(`Sandbox stopped (${sig}).\n`);
    return 0;
  } finally {
    await sb.close();
  }
}
