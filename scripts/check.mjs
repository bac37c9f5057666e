/**
 * The project's checks, run by `npm test` (through scripts/bootstrap.mjs, with Node 22 on PATH):
 * type-check the three layers, lint (including the import boundaries), build, then every vitest
 * project (unit, integration, component, end-to-end in Chromium), with the Electron hardening
 * check (electronegativity) after the build. Ends with one plain line `N passed, N failed`, where N
 * counts the vitest tests plus each of the four checks above.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root }).status ?? 1;

function typecheck() {
  let status = 0;
  for (const project of ['tsconfig.shared.json', 'tsconfig.web.json', 'tsconfig.json']) {
    process.stdout.write(`tsc -p ${project}\n`);
    status ||= run('tsc', ['-p', project]);
  }
  return status;
}
const lint = () => run('eslint', ['--max-warnings=0', '.']);
const build = () => run('electron-vite', ['build', '--logLevel', 'warn']);
// Electron hardening (electronegativity, offline): no unannotated HIGH/MEDIUM finding.
const hardening = () => run(process.execPath, [join(root, 'scripts', 'hardening.mjs')]);

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'typecheck') process.exit(typecheck());
if (mode === 'lint') process.exit(lint());
if (mode === 'hardening') process.exit(hardening());

let passed = 0;
let failed = 0;
for (const [name, fn] of [
  ['typecheck', typecheck],
  ['lint', lint],
  ['build', build],
  ['hardening', hardening],
]) {
  const ok = fn() === 0;
  process.stdout.write(`check ${name}: ${ok ? 'ok' : 'FAILED'}\n`);
  if (ok) passed++;
  else failed++;
}

const dir = mkdtempSync(join(tmpdir(), 'batchdesk-vitest-'));
// The end-to-end tests run after the others, not beside them: on two cores the unit and
// integration workers starved Chromium and the web host, and typing-to-paint steps timed out.
for (const [group, projects] of [
  ['unit', ['unit', 'component']],
  ['e2e', ['e2e']],
]) {
  const report = join(dir, `${group}.json`);
  const status = run('vitest', ['run', '--passWithNoTests', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...rest]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    // A file that fails to load has no tests to count: count it as one failure.
    const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
    failed += brokenFiles;
    if (status !== 0 && r.numFailedTests === 0 && brokenFiles === 0) failed++;
  } else {
    failed++;
  }
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
