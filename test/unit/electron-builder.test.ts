import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

// electron-builder's own validation path (its scheme.json through its validateConfiguration).
const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const config = () => load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('matches electron-builder\'s schema', async () => {
    await expect(validateConfiguration(config(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is really checked: an unknown or mistyped option is refused', async () => {
    await expect(validateConfiguration({ ...config(), nsis: { oneClick: 'sometimes' } }, new DebugLogger(false))).rejects.toThrow(/oneClick/);
    await expect(validateConfiguration({ ...config(), notAnOption: true }, new DebugLogger(false))).rejects.toThrow(/notAnOption/);
  });

  it('packages the built app, unpacks the native SQLite module and does not rebuild it', () => {
    const c = config();
    expect(c.files).toContain('out/**');
    expect(c.npmRebuild).toBe(false);
    expect(c.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect((c.nsis as Record<string, unknown>).perMachine).toBe(true);
  });
});
