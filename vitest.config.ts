import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/** Loads @actions/workflow-parser without its source maps (it ships maps to sources it leaves out). */
const workflowParserWithoutMaps: Plugin = {
  name: 'workflow-parser-without-maps',
  enforce: 'pre',
  load(id) {
    if (!id.includes('/@actions/workflow-parser/dist/') || !id.endsWith('.js')) return null;
    return { code: readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, ''), map: null };
  },
};

export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // Its ES module imports its schema JSON without an import attribute: let vite load it.
          server: { deps: { inline: ['@actions/workflow-parser'] } },
        },
        plugins: [workflowParserWithoutMaps],
      },
      {
        extends: true,
        test: {
          name: 'component',
          include: ['test/component/**/*.test.tsx'],
          environment: 'jsdom',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
