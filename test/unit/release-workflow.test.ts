/**
 * The release workflow cannot run here (no Windows or macOS runner, no secrets). It is parsed and
 * validated with GitHub's own workflow parser and schema (@actions/workflow-parser, the one behind
 * the Actions language service), then checked for what a release must do.
 */
import { readFileSync } from 'node:fs';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const FILE = '.github/workflows/release.yml';
const text = readFileSync(FILE, 'utf8');

async function schemaErrors(content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: FILE, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...(template.errors ?? []).map((e) => e.Message));
  }
  return [...new Set(errors)];
}

type Step = { name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, unknown> };
type Job = { 'runs-on': string; needs?: string | string[]; steps: Step[]; env?: Record<string, string>; strategy?: { matrix: { include: { os: string; platform: string }[] } }; permissions?: Record<string, string>; environment?: string };
const wf = load(text) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };

describe('release workflow', () => {
  it("passes GitHub's workflow schema", async () => {
    expect(await schemaErrors(text)).toEqual([]);
  });

  it('is really checked: a misspelt key or a broken expression is refused', async () => {
    expect((await schemaErrors(text.replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest'))).join('\n')).toMatch(/runs-onn/);
    expect((await schemaErrors(text.replace('${{ secrets.UPDATE_SIGNING_KEY }}', '${{ secrets. }}'))).length).toBeGreaterThan(0);
    expect((await schemaErrors(text.replace('timeout-minutes: 90', 'timeout-minutes: soon'))).length).toBeGreaterThan(0);
  });

  it('runs on version tags, tests first, then builds on Windows, macOS and Linux runners', () => {
    expect(Object.keys(wf.on)).toContain('push');
    expect((wf.on.push as { tags: string[] }).tags).toEqual(['v*.*.*']);
    expect(wf.jobs.test!.steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
    expect(wf.jobs.build!.needs).toBe('test');
    const oses = wf.jobs.build!.strategy!.matrix.include.map((m) => m.os);
    expect(oses.some((o) => o.startsWith('windows-'))).toBe(true);
    expect(oses.some((o) => o.startsWith('macos-'))).toBe(true);
    expect(wf.jobs.publish!.needs).toBe('build');
  });

  it('builds as a release: unsigned output is refused by the hooks and by electron-builder', () => {
    const build = wf.jobs.build!;
    expect(build.env!.BATCHDESK_RELEASE).toBe('1');
    const builder = build.steps.filter((s) => s.run?.includes('electron-builder'));
    const byPlatform = Object.fromEntries(builder.map((s) => [s.if, s.run]));
    expect(byPlatform["matrix.platform == 'win'"]).toMatch(/--win .*--config\.forceCodeSigning=true/);
    expect(byPlatform["matrix.platform == 'mac'"]).toMatch(/--mac --arm64 --x64 .*--config\.forceCodeSigning=true/);
    expect(byPlatform["matrix.platform == 'linux'"]).toMatch(/--linux/);
    // Notarization credentials are there for the macOS build (electron-builder's notarize: true reads them).
    const mac = builder.find((s) => s.if === "matrix.platform == 'mac'")!;
    expect(Object.keys(mac.env!).sort()).toEqual(['APPLE_API_ISSUER', 'APPLE_API_KEY_ID', 'CSC_KEY_PASSWORD', 'CSC_LINK']);
  });

  it('takes every credential from secrets, never from the file', () => {
    const envs: Record<string, string>[] = [];
    for (const job of Object.values(wf.jobs)) {
      if (job.env) envs.push(job.env);
      for (const s of job.steps) if (s.env) envs.push(s.env);
    }
    const sensitive = /(KEY|PASSWORD|CSC_LINK|TOKEN|SECRET|ISSUER)/;
    for (const env of envs) {
      for (const [name, value] of Object.entries(env)) {
        if (sensitive.test(name) && name !== 'UPDATE_PUBLIC_KEY') expect(value, name).toMatch(/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
      }
    }
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
  });

  it('keeps permissions minimal: read by default, write only where it publishes', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.build!.permissions).toBeUndefined();
    expect(wf.jobs.publish!.permissions).toEqual({ contents: 'write' });
    for (const job of Object.values(wf.jobs)) for (const s of job.steps) if (s.uses) expect(s.uses).toMatch(/^actions\/[a-z-]+@v\d+$/);
  });

  it('publishes the installers with their update files and signatures', () => {
    const upload = wf.jobs.build!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    const paths = String(upload.with!.path).trim().split('\n');
    for (const p of ['dist/*.exe', 'dist/*.msi', 'dist/*.dmg', 'dist/*.zip', 'dist/*.AppImage', 'dist/*.deb', 'dist/*.yml', 'dist/*.sig']) expect(paths).toContain(p);
  });
});
