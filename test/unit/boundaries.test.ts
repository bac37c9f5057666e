import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function lintAs(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

/** Type-check one extra file with tsconfig.shared.json's options (no DOM, no Node types). */
function typecheckShared(code: string): string[] {
  const configPath = resolve(root, 'tsconfig.shared.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, (p) => ts.sys.readFile(p)).config, ts.sys, root);
  const probe = resolve(root, 'shared/__boundary_probe__.ts');
  const host = ts.createCompilerHost(parsed.options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (resolve(f) === probe ? code : read(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => resolve(f) === probe || exists(f);
  const program = ts.createProgram([probe, resolve(root, 'shared/globals.d.ts')], parsed.options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('layer boundaries', () => {
  it('shared/ may not import node:fs (ESLint)', async () => {
    const messages = await lintAs('shared/formats/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports: 'node:fs' import is restricted.*shared\/ is pure TypeScript/);
  });

  it('shared/ may not import node:fs (tsc with the shared config)', () => {
    const errors = typecheckShared("import { readFileSync } from 'node:fs';\nexport const x = readFileSync('a');\n");
    expect(errors.join('\n')).toMatch(/Cannot find module 'node:fs'/);
  });

  it('shared/ may not use DOM globals (tsc) nor import Electron, React or the other layers (ESLint)', async () => {
    expect(typecheckShared('export const t = document.title;\n').join('\n')).toMatch(/Cannot find name 'document'/);
    expect(typecheckShared('export const d = new TextDecoder().decode(new Uint8Array(1));\n')).toEqual([]);
    const m = (await lintAs('shared/x.ts', "import { app } from 'electron';\nimport { useState } from 'react';\nimport { startHost } from '../electron/main/web/host';\nexport const y = [app, useState, startHost, window];\n")).join('\n');
    expect(m).toMatch(/'electron' import is restricted/);
    expect(m).toMatch(/'react' import is restricted/);
    expect(m).toMatch(/'\.\.\/electron\/main\/web\/host' import is restricted/);
    expect(m).toMatch(/no-restricted-globals: Unexpected use of 'window'/);
  });

  it('the renderer may not import Node, Electron or main-process code', async () => {
    const m = (
      await lintAs(
        'renderer/src/probe.ts',
        "import fs from 'fs';\nimport { ipcRenderer } from 'electron';\nimport Database from 'better-sqlite3';\nimport { createServices } from '../../electron/main/services';\nexport const z = [fs, ipcRenderer, Database, createServices, process.env];\n",
      )
    ).join('\n');
    expect(m).toMatch(/'fs' import is restricted/);
    expect(m).toMatch(/'electron' import is restricted/);
    expect(m).toMatch(/'better-sqlite3' import is restricted/);
    expect(m).toMatch(/'\.\.\/\.\.\/electron\/main\/services' import is restricted/);
    expect(m).toMatch(/Unexpected use of 'process'/);
  });

  it('the real shared/ and renderer/ pass these rules', async () => {
    const results = await eslint.lintFiles(['shared/**/*.ts', 'renderer/src/**/*.{ts,tsx}']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}`));
    expect(problems).toEqual([]);
  });
});
