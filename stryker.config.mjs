// @ts-check
/**
 * StrykerJS mutation testing (`npm run mutate`, see scripts/mutate.mjs): one area at a time, chosen
 * by BATCHDESK_MUTATE_AREA; each area writes its own report to reports/mutation/<area>.html/.json.
 * Not part of CI: on two cores a full run takes tens of minutes.
 */
import { AREAS } from './scripts/mutate-areas.mjs';

const area = process.env.BATCHDESK_MUTATE_AREA ?? 'all';
const mutate = area === 'all' ? Object.values(AREAS).flat() : AREAS[area];
if (!mutate) throw new Error(`unknown mutation area ${area}; one of: ${Object.keys(AREAS).join(', ')}, all`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // By default a mutant stops at the first test that kills it (the profiles' run took ~1.5 h on two
  // cores without). With --baseline (BATCHDESK_MUTATE_ALL_KILLERS=1) every covering test runs on every
  // mutant, so the JSON report's killedBy names all the tests that catch it.
  disableBail: process.env.BATCHDESK_MUTATE_ALL_KILLERS === '1',
  // Module-level mutants (the profiles' column and rule tables, notes, the ISO 4217 table) have no
  // per-test coverage, so each would run every test: minutes apiece on two cores. They are data,
  // checked as data by the catalogue tests (every rule has a case, columns match the published ones).
  // Stryker still runs "hybrid" mutants (code run at load and by a test, e.g. reporter(rules)) with
  // the covering tests only, switched on once a test starts: their effect at load is not measured.
  ignoreStatic: true,
  mutate,
  concurrency: Number(process.env.BATCHDESK_MUTATE_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${area}.html` },
  jsonReporter: { fileName: `reports/mutation/${area}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  // renderer/index.html (the CSP test) and resources/samples (the sample-file tests) are read by
  // mutated-area tests, so the sandbox keeps them; the renderer's sources are not needed there.
  ignorePatterns: ['/out', '/dist', '/reports', '/coverage', '/bench/.data', '/.batchdesk-home', '/.tools', '/test/e2e', '/test/component', '/renderer/src', '/resources/build', '/resources/update'],
  tempDirName: `.stryker-tmp/${area}`,
  cleanTempDir: true,
  incremental: false,
};
