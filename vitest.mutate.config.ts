/**
 * The tests StrykerJS runs against each mutant (`npm run mutate`): the unit and integration tests
 * that exercise money, the profiles, the export writers, the web host and the IPC wrapper. Left out:
 * e2e and component tests (Chromium/jsdom), the CLI and file tests (they spawn processes, whose
 * coverage Stryker cannot see), the repo-wide checks (eslint, tsc, electron-builder), the CSV reader
 * (not a mutated area) and the million-row scale tests: instrumented, each takes tens of seconds
 * per mutant, and the rules they cross are pinned by the boundary tests row by row.
 */
import { defineConfig } from 'vitest/config';

/**
 * The profiles' rules are pinned row by row by their unit tests; the integration tests that also
 * pass through them (services, IPC, the editor) cost seconds per mutant and made that area's run
 * 2.5 h on two cores. Other areas need the integration tests (the web host, the IPC wrapper).
 */
const profilesOnly = process.env.BATCHDESK_MUTATE_AREA === 'profiles';

export default defineConfig({
  test: {
    include: profilesOnly ? ['test/unit/formats/**/*.test.ts'] : [
      'test/unit/formats/**/*.test.ts',
      'test/unit/electron-glue.test.ts',
      'test/unit/*.access.test.ts',
      'test/unit/*.contract.test.ts',
      'test/integration/webhost.test.ts',
      'test/integration/web-host*.test.ts',
      'test/integration/services.test.ts',
      'test/integration/ipc*.test.ts',
      'test/integration/filecheck.test.ts',
      // the editor's, connections' and submission's channels (electron/main/ipc/*Handlers.ts)
      'test/integration/rows/editor.test.ts',
      'test/integration/rows/export-audit.test.ts',
      'test/integration/rows/import-tasks.test.ts',
      'test/integration/rows/upload.test.ts',
      'test/integration/connections*.test.ts',
      'test/integration/outbox/app-submit.test.ts',
      'test/integration/outbox/status-of.test.ts',
    ],
    exclude: ['test/unit/formats/validate.test.ts', 'test/unit/formats/import-and-validate.test.ts', 'test/unit/formats/csv.test.ts'],
    environment: 'node',
    // One module graph for all files: re-importing every test file's modules per mutant cost
    // seconds each. Mutants in code that runs per call are switched at run time; the price is that
    // what module-level code computed at load (tables built by reporter(), amountCodes()) is not
    // re-run per mutant: read survivors there as not measured.
    isolate: false,
    testTimeout: 60_000,
  },
});
