/**
 * The tests StrykerJS runs against each mutant (`npm run mutate`): the unit and integration tests
 * that exercise money, the profiles, the export writers, the web host and the IPC wrapper. Left out:
 * e2e and component tests (Chromium/jsdom, minutes per run), the CLI tests (they spawn processes,
 * whose coverage Stryker cannot see) and the repo-wide checks (eslint, tsc, electron-builder).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/formats/**/*.test.ts',
      'test/unit/electron-glue.test.ts',
      'test/unit/*.access.test.ts',
      'test/unit/*.contract.test.ts',
      'test/integration/webhost.test.ts',
      'test/integration/services.test.ts',
      'test/integration/files.test.ts',
      'test/integration/rules-from-files.test.ts',
      'test/integration/export-*.test.ts',
      'test/integration/web-host*.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
  },
});
