/**
 * `npm run web`: the real renderer in a browser against the real main-process services, without
 * Electron. Listens on 127.0.0.1 only, on a random port unless --port is given, with a fresh
 * secret token per run. Data lives in BATCHDESK_HOME or the same folder the desktop app uses.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServices, type Emit } from './services';
import { defaultDataDir } from './services/paths';
import { acquireInstanceLock } from './services/instanceLock';
import { createHandlers } from './ipc/handlers';
import { startHost, type Host } from './web/host';
import { createLog } from './log/logger';
import { loadPolicy } from './policy/load';
import pkg from '../../package.json';

function parseArgs(argv: string[]): { port: number; open: boolean } {
  let port = 0;
  let open = !process.env.CI && !process.env.BATCHDESK_NO_OPEN;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error('--port takes a number from 0 to 65535 (0 = any free port).');
      port = v;
    } else if (a === '--no-open') open = false;
    else if (a === '--open') open = true;
    else throw new Error(`Unknown option ${a}. Options: --port N, --no-open.`);
  }
  return { port, open };
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser opener on this machine: the URL is printed instead.
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataDir = defaultDataDir();
  // one app per data folder (a second one is refused before it opens anything)
  const lock = acquireInstanceLock(dataDir, 'web');
  const appLog = createLog({ dataDir });
  appLog.catchProcessErrors();
  const policy = await loadPolicy();
  for (const p of policy.view.problems) appLog.warn(`Policy problem in ${p.source}: ${p.message}`);
  const services = createServices({
    dataDir,
    mode: 'web',
    version: pkg.version,
    checkWorker: { file: fileURLToPath(new URL('./checkWorker.js', import.meta.url)) },
    policy,
  });
  const hostRef: { current?: Host } = {};
  const emit: Emit = (name, payload) => hostRef.current?.emit(name, payload);
  const host = (hostRef.current = await startHost({
    handlers: createHandlers(services, emit),
    uploads: services.uploads,
    rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    port: args.port,
    log: appLog.logger,
  }));
  // The built-in sandbox (the default connection) starts in-process; unfinished batches are followed again.
  const subs = await services.submissions.start();
  if (subs.error) appLog.warn(subs.error);
  appLog.info(`Batchdesk ${pkg.version} (web mode) started`, { dataDir, port: host.port, managed: policy.view.managed.length });
  console.log(`Batchdesk ${pkg.version} (web mode) is running.`);
  console.log(`Open: ${host.openUrl}`);
  console.log(`Data: ${dataDir}`);
  console.log(subs.sandboxUrl ? `Built-in sandbox (the default connection, nothing is charged): ${subs.sandboxUrl}` : (subs.error ?? ''));
  console.log('Press Ctrl+C to stop.');
  if (args.open) openBrowser(host.openUrl);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    // closeAsync waits for the submission runs (and the sandbox's last state) before the database closes
    await services.closeAsync();
    lock.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  console.error(`Batchdesk could not start: ${err.message ?? String(e)}`);
  process.exit(err.code?.startsWith('db.') ? 3 : 1);
});
