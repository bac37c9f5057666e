/**
 * A clean first run: npm prints no engine warning for Batchdesk itself on the Node the launchers
 * accept, and no install script of the locked dependencies is left unreviewed.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cliHarness';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; allowScripts: Record<string, boolean> };

describe('first run', () => {
  it("package.json's engines is the launchers' own minimum (they bring Node 22 where it is missing)", () => {
    const m = /^>=(\d+)\.(\d+)\.0$/.exec(pkg.engines.node);
    expect(m).not.toBeNull();
    const launcher = readFileSync(join(ROOT, 'cli', 'batchdesk.mjs'), 'utf8');
    // the launcher refuses exactly what engines does not admit
    expect(launcher).toContain(`major < ${m![1]} || (major === ${m![1]} && minor < ${m![2]})`);
    expect(launcher).toContain(`Node ${m![1]}.${m![2]} or newer is required`);
  });

  it('the launcher, told not to hand over, runs on the Node it was started with', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'cli', 'batchdesk.mjs'), '--version'], { encoding: 'utf8', env: { ...process.env, BATCHDESK_NO_REEXEC: '1', NODE_OPTIONS: '' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^batchdesk \d+\.\d+\.\d+\n$/);
  });

  const npmVersion = (() => {
    try {
      return execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      return '0.0.0';
    }
  })();
  const [maj = 0, min = 0] = npmVersion.split('.').map(Number);
  // npm learnt allowScripts in 11.16; an older npm neither reads nor warns about it
  it.skipIf(maj < 11 || (maj === 11 && min < 16))('every install script of the installed dependencies is approved or denied in allowScripts', () => {
    const out = execFileSync('npm', ['install-scripts', 'ls'], { cwd: ROOT, encoding: 'utf8' });
    expect(out.trim()).toBe('No packages with unreviewed install scripts.');
    expect(pkg.allowScripts).toMatchObject({ 'better-sqlite3': true, esbuild: true, 'electron-winstaller': true, 'es5-ext': false });
  });
});
