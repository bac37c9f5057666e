/**
 * `npm run mutate [area...] [-- stryker options]`: StrykerJS over the areas in mutate-areas.mjs,
 * one area after another (two cores are not enough to run them side by side), each with its own
 * score and report in reports/mutation/<area>.html and .json. No area named: all of them.
 * Options after the areas go to `stryker run` as they are, e.g. `--mutate shared/formats/money.ts:120-160`
 * to try one function, or `--concurrency 1`; `--baseline <git ref>` (ours, not Stryker's) also prints
 * the score the test files that existed at that commit reach on the same mutants (then every covering
 * test runs on every mutant, so the report names all the tests that kill each one; slower).
 * `--score-only` reads the last reports without running Stryker.
 * Ends with one line per area: `area: score % (detected/valid …)`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AREAS } from './mutate-areas.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('-'));
const named = firstOption < 0 ? args : args.slice(0, firstOption);
let passThrough = firstOption < 0 ? [] : args.slice(firstOption);
let baseline = null;
const b = passThrough.indexOf('--baseline');
if (b >= 0) {
  baseline = passThrough[b + 1];
  if (!baseline) {
    process.stderr.write('--baseline needs a git ref\n');
    process.exit(2);
  }
  passThrough = passThrough.filter((_, i) => i !== b && i !== b + 1);
}
// `--score-only`: read the last reports again (e.g. with another --baseline) without running Stryker.
const scoreOnly = passThrough.includes('--score-only');
passThrough = passThrough.filter((a) => a !== '--score-only');
for (const a of named) {
  if (!(a in AREAS)) {
    process.stderr.write(`unknown area "${a}"; choose from: ${Object.keys(AREAS).join(', ')}\n`);
    process.exit(2);
  }
}
const areas = named.length > 0 ? named : Object.keys(AREAS);

/** Test files present at `ref` (paths relative to the repo). */
function testFilesAt(ref) {
  const r = spawnSync('git', ['ls-tree', '-r', '--name-only', ref, '--', 'test'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ls-tree ${ref} failed: ${r.stderr}`);
  return new Set(r.stdout.split('\n').filter(Boolean));
}

/**
 * Score as Stryker computes it: (killed + timeout) / (all valid mutants), from the JSON report.
 * With `onlyFiles`, a killed mutant counts only when one of those test files killed it (timeouts
 * cannot be attributed and count as detected).
 */
function score(area, onlyFiles = null, codeOnly = false) {
  const file = join(root, 'reports', 'mutation', `${area}.json`);
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const testFile = new Map();
  for (const [path, tf] of Object.entries(report.testFiles ?? {})) for (const t of tf.tests) testFile.set(t.id, relative(root, resolve(root, path)));
  const counts = {};
  for (const f of Object.values(report.files)) {
    for (const m of f.mutants) {
      if (codeOnly && m.static) continue;
      let status = m.status;
      if (onlyFiles && status === 'Killed' && !(m.killedBy ?? []).some((id) => onlyFiles.has(testFile.get(id)))) status = 'Survived';
      counts[status] = (counts[status] ?? 0) + 1;
    }
  }
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return { detected, valid, counts, pct: valid === 0 ? 100 : (100 * detected) / valid };
}

const lines = [];
let status = 0;
for (const area of areas) {
  const started = Date.now();
  process.stdout.write(`\n[mutate] ${area}: ${AREAS[area].join(', ')}\n`);
  const r = scoreOnly
    ? { status: 0 }
    : spawnSync('stryker', ['run', 'stryker.config.mjs', ...passThrough], {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, BATCHDESK_MUTATE_AREA: area, ...(baseline ? { BATCHDESK_MUTATE_ALL_KILLERS: '1' } : {}) },
      });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (r.status !== 0) status = r.status ?? 1;
  const s = r.status === 0 ? score(area) : null;
  lines.push(s ? `${area}: ${s.pct.toFixed(2)} % (${s.detected}/${s.valid} detected, ${s.counts.Survived ?? 0} survived, ${s.counts.NoCoverage ?? 0} no coverage) in ${seconds} s` : `${area}: FAILED (exit ${r.status}) after ${seconds} s`);
  // Mutants Stryker marks static that still ran (hybrids: code run at load and by a test; pure static
  // ones are Ignored) had their load-time effect unmeasured (vitest.mutate.config.ts): this score leaves them out.
  const code = s ? score(area, null, true) : null;
  if (code && code.valid !== s.valid) lines.push(`${area} without module-level data: ${code.pct.toFixed(2)} % (${code.detected}/${code.valid} detected, ${code.counts.Survived ?? 0} survived, ${code.counts.NoCoverage ?? 0} no coverage)`);
  if (s && baseline) {
    const before = score(area, testFilesAt(baseline));
    lines.push(`${area} with the tests of ${baseline}: ${before.pct.toFixed(2)} % (${before.detected}/${before.valid} detected)`);
  }
}
process.stdout.write(`\n${lines.join('\n')}\n`);
process.exit(status);
