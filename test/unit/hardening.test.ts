/**
 * The CI hardening check (scripts/hardening.mjs, electronegativity offline) really finds what it
 * is there for: a window with Node integration and no context isolation fails it; the same line
 * annotated with eng-disable does not; the project itself passes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blockingFindings, parseFindings, scan } from '../../scripts/hardening.mjs';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';

afterAll(cleanupTempDirs);

describe('electronegativity check', () => {
  it('fails an insecure window, accepts an annotated finding, ignores build output', () => {
    const dir = tempDir('batchdesk-eng-app-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', devDependencies: { electron: '45.4.1' } }));
    writeFileSync(
      join(dir, 'main.js'),
      [
        "const { BrowserWindow } = require('electron');",
        'const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });',
        "w.loadURL('https://example.com/');",
      ].join('\n'),
    );
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'bundle.js'), "const { BrowserWindow } = require('electron'); new BrowserWindow({ webPreferences: { nodeIntegration: true } });");
    const { csv } = scan(dir);
    expect(csv).not.toBeNull();
    const blocking = blockingFindings(csv!);
    const ids = blocking.map((f) => f.issue);
    expect(ids).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(ids).toContain('SANDBOX_JS_CHECK');
    // Project-wide checks fire too: no navigation limits, no permission handler, no CSP.
    expect(ids).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
    expect(blocking.some((f) => (f.filename ?? '').startsWith('out'))).toBe(false);
    expect(parseFindings(csv!).some((f) => (f.filename ?? '').startsWith('out'))).toBe(true);

    // Annotated (with a reason), the same finding no longer blocks.
    writeFileSync(
      join(dir, 'main.js'),
      [
        "const { BrowserWindow } = require('electron');",
        '// A test fixture only.',
        'const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } }); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK',
      ].join('\n'),
    );
    const after = blockingFindings(scan(dir).csv!).map((f) => f.issue);
    expect(after).not.toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(after).not.toContain('SANDBOX_JS_CHECK');
    expect(after).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
  });
});
