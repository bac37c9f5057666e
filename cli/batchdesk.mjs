#!/usr/bin/env node
// Launcher for the Batchdesk CLI. Plain JS so it runs on any Node >= 20 (npx may pick the machine's
// Node): registers tsx's ESM loader, then imports the TypeScript entry point.
import { register } from 'tsx/esm/api';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 6)) {
  process.stderr.write(`batchdesk: Node ${process.versions.node} is too old; Node 20.6 or newer is required.\n`);
  process.exit(2);
}

register();
await import(new URL('./main.ts', import.meta.url).href);
