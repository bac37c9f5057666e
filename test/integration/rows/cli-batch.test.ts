/**
 * `batchdesk import` / `batchdesk export --batch` through the real CLI (child processes) on a real
 * BATCHDESK_HOME: the stated output contract and exit codes, canonical amounts both ways.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, fixture } from '../cliHarness';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { writeFile, WONDER_HEADER } from './helpers';

afterEach(() => cleanupTempDirs());

function cli(home: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BATCHDESK_HOME: home, NO_COLOR: '1', NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('batchdesk import', () => {
  it('stores a valid file, prints its id (exit 0) and the JSON contract with --json', async () => {
    const home = tempDir();
    const plain = await cli(home, ['import', fixture('wonder-valid.csv'), '--profile', 'wonder']);
    expect(plain.code).toBe(0);
    expect(plain.stdout.trim()).toMatch(UUID);
    const json = await cli(home, ['import', fixture('wonder-valid.csv'), '--profile', 'wonder', '--name', 'March renewals', '--json']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['batch', 'rows', 'errors', 'warnings']);
    expect(out).toMatchObject({ rows: 5, errors: 0 });
    expect(String(out.batch)).toMatch(UUID);
  });

  it('exit 1 when stored with errors, 2 when not stored (unreadable, missing column, bad usage)', async () => {
    const home = tempDir();
    const withErrors = await cli(home, ['import', fixture('wonder-errors.csv'), '--profile', 'wonder', '--json']);
    expect(withErrors.code).toBe(1);
    expect(JSON.parse(withErrors.stdout)).toMatchObject({ rows: 6, errors: expect.any(Number) });
    expect((JSON.parse(withErrors.stdout) as { errors: number }).errors).toBeGreaterThan(0);
    const missing = await cli(home, ['import', join(home, 'nope.csv'), '--profile', 'wonder']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/File not found/);
    const noAmount = writeFile(home, 'no-amount.csv', 'Action,Reference Number,Token ID\npayment,R1,tok_x\n');
    const na = await cli(home, ['import', noAmount, '--profile', 'wonder']);
    expect(na.code).toBe(2);
    expect(na.stderr).toMatch(/not stored.*Amount/);
    expect((await cli(home, ['import', fixture('wonder-valid.csv')])).code).toBe(2);
    expect((await cli(home, ['import', fixture('wonder-valid.csv'), '--profile', 'wonder', '--amount-unit', 'cents'])).code).toBe(2);
    // nothing but the first batch was stored
    const listed = await cli(home, ['export', '--batch', (JSON.parse(withErrors.stdout) as { batch: string }).batch]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toMatch(/errors; fix them before exporting/);
  });

  it('decides the amount unit once: minor-unit files are restated, and export writes canonical amounts', async () => {
    const home = tempDir();
    const file = writeFile(home, 'minor.csv', [WONDER_HEADER, 'payment,M-1,,,550,tok_aaaaaaaaaaaaaaaaaaaaaaaa,,,,,', 'payment,M-2,,,1000,tok_bbbbbbbbbbbbbbbbbbbbbbbb,,,,,'].join('\n'));
    const r = await cli(home, ['import', file, '--profile', 'wonder', '--amount-unit', 'minor', '--json']);
    expect(r.code).toBe(0);
    const { batch } = JSON.parse(r.stdout) as { batch: string };
    const out = join(home, 'out.csv');
    const ex = await cli(home, ['export', '--batch', batch, '--out', out, '--include-full-card-numbers']);
    expect(ex.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('payment,M-1,,,5.50,');
    expect(text).toContain('payment,M-2,,,10.00,');

    // the same file read as major units: 550 → 550.00 (the clerk's decision, not a guess per cell)
    const major = await cli(home, ['import', file, '--profile', 'wonder', '--amount-unit', 'major', '--json']);
    const out2 = join(home, 'out2.csv');
    await cli(home, ['export', '--batch', (JSON.parse(major.stdout) as { batch: string }).batch, '--out', out2, '--include-full-card-numbers']);
    expect(readFileSync(out2, 'utf8')).toContain('payment,M-1,,,550.00,');

    // a decimal comma file (semicolons) → 5.50 / 10.00
    const comma = writeFile(home, 'comma.csv', [WONDER_HEADER.replace(/,/g, ';'), 'payment;C-1;;;5,5;tok_cccccccccccccccccccccccc;;;;;', 'payment;C-2;;;10;tok_dddddddddddddddddddddddd;;;;;'].join('\r\n'));
    const c = await cli(home, ['import', comma, '--profile', 'wonder', '--json']);
    expect(c.code).toBe(0);
    const ex3 = await cli(home, ['export', '--batch', (JSON.parse(c.stdout) as { batch: string }).batch]);
    expect(ex3.code).toBe(0);
    const written = readdirSync(join(home, 'exports')).find((f) => f.startsWith('comma'))!;
    expect(written).toMatch(/REVIEW-ONLY-masked\.csv$/);
    const body = readFileSync(join(home, 'exports', written), 'utf8');
    expect(body.split('\r\n')[0]).toMatch(/^FOR REVIEW ONLY/);
    expect(body).toContain('payment,C-1,,,5.50,');
    expect(body).toContain('payment,C-2,,,10.00,');
  });

  it('the file export (`export <file>`) writes canonical amounts too', async () => {
    const home = tempDir();
    const file = writeFile(home, 'f.csv', [WONDER_HEADER, 'payment,F-1,,,5.5,tok_aaaaaaaaaaaaaaaaaaaaaaaa,,,,,', 'payment,F-2,,,10,tok_bbbbbbbbbbbbbbbbbbbbbbbb,,,,,'].join('\n'));
    const out = join(home, 'f-out.csv');
    const r = await cli(home, ['export', file, '--profile', 'wonder', '--out', out]);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('payment,F-1,,,5.50,');
    expect(text).toContain('payment,F-2,,,10.00,');
  });
});
