/**
 * `npm run mutate [area...] [-- stryker options]`: StrykerJS over the areas in mutate-areas.mjs,
 * one area after another (two cores are not enough to run them side by side), each with its own
 * score and report in reports/mutation/<area>.html and .json. No area named: all of them.
 * Options after the areas go to `stryker run` as they are, e.g. `--mutate shared/formats/money.ts:120-160`
 * to try one function, or `--concurrency 1`. Ends with one line per area: `area: score % (killed/total)`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AREAS } from './mutate-areas.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('-'));
const named = firstOption < 0 ? args : args.slice(0, firstOption);
const passThrough = firstOption < 0 ? [] : args.slice(firstOption);
for (const a of named) {
  if (!(a in AREAS)) {
    process.stderr.write(`unknown area "${a}"; choose from: ${Object.keys(AREAS).join(', ')}\n`);
    process.exit(2);
  }
}
const areas = named.length > 0 ? named : Object.keys(AREAS);

/** Score as Stryker computes it: (killed + timeout) / (all valid mutants), from the JSON report. */
function score(area) {
  const file = join(root, 'reports', 'mutation', `${area}.json`);
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const counts = {};
  for (const f of Object.values(report.files)) for (const m of f.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return { detected, valid, counts, pct: valid === 0 ? 100 : (100 * detected) / valid };
}

const lines = [];
let status = 0;
for (const area of areas) {
  const started = Date.now();
  process.stdout.write(`\n[mutate] ${area}: ${AREAS[area].join(', ')}\n`);
  const r = spawnSync('stryker', ['run', 'stryker.config.mjs', ...passThrough], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BATCHDESK_MUTATE_AREA: area },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (r.status !== 0) status = r.status ?? 1;
  const s = r.status === 0 ? score(area) : null;
  lines.push(s ? `${area}: ${s.pct.toFixed(2)} % (${s.detected}/${s.valid} detected, ${s.counts.Survived ?? 0} survived, ${s.counts.NoCoverage ?? 0} no coverage) in ${seconds} s` : `${area}: FAILED (exit ${r.status}) after ${seconds} s`);
}
process.stdout.write(`\n${lines.join('\n')}\n`);
process.exit(status);
