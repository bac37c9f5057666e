/**
 * `batchdesk submit <file>` reads files with the app's ImportService: the same batch as
 * `batchdesk import` (which is the Import wizard's path) for a Windows-1252 file with a `;`
 * delimiter and decimal commas, submitted over the real sandbox on 127.0.0.1; a file with errors
 * is refused with exit 1 and nothing is kept.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../cliHarness';
import { tempDir, cleanupTempDirs } from '../../helpers/tmp';
import { sandboxConnection, startSandbox, type Sandbox } from '../../../electron/main/services/providers/sandbox';
import { openDatabase } from '../../../electron/main/services/db/database';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 21, outcomes: { settleMs: [100, 400] } });
});
afterAll(async () => {
  await sb.close();
  cleanupTempDirs();
});

function cli(home: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, BATCHDESK_HOME: home, NO_COLOR: '1', NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function cellsOf(home: string, batchId: string): string[] {
  const db = openDatabase(join(home, 'batchdesk.sqlite'));
  try {
    return (db.prepare('SELECT cells FROM batch_rows WHERE batch_id = ? ORDER BY position').all(batchId) as { cells: string }[]).map((r) => r.cells);
  } finally {
    db.close();
  }
}

const EUROPEAN_SIBS = [
  'merchantTransactionId;amount;currency;description;originalTransactionId;originalTransactionDatetime;mitType;amountQualifier;validityDate',
  'MIT-IMP-0001;29,9;EUR;December subscription;txCIT123456789;2026-04-16T10:15:30.000Z;RCRR;ACTUAL;2027-12-31T23:59:59.000Z',
  'MIT-IMP-0002;1.234,5;EUR;Nutzungsgebühr;txCIT987654321;2026-05-02T08:00:00.000Z;UCOF;ESTIMATED;2027-12-31T23:59:59.000Z',
].join('\r\n');

describe('submit reads files with the app\'s import', () => {
  it('stores the same rows as `batchdesk import`, then submits them to the sandbox with the amounts read the same way', { timeout: 180_000 }, async () => {
    const home = tempDir();
    const file = join(home, 'december.csv');
    writeFileSync(file, EUROPEAN_SIBS, 'latin1');
    const conn = join(home, 'sibs.json');
    writeFileSync(conn, JSON.stringify({ ...sandboxConnection('sibs', sb), sandbox: undefined }));

    const imported = await cli(home, ['import', file, '--profile', 'sibs', '--json']);
    expect(imported.code).toBe(0);
    const app = JSON.parse(imported.stdout) as { batch: string; rows: number };
    expect(app.rows).toBe(2);

    const r = await cli(home, ['submit', file, '--profile', 'sibs', '--connection', conn, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { batchId: string; items: { row: number; status: string; amountMinor: number; currency: string }[] };
    expect(out.items.map((i) => [i.amountMinor, i.currency])).toEqual([
      [2990, 'EUR'],
      [123450, 'EUR'],
    ]);
    expect(r.stderr).toMatch(/Submitting 2 rows \(1,?264\.40 EUR\) to sibs/);
    // Identical stored rows: the CLI's submit and the app's import read the file the same way.
    expect(cellsOf(home, out.batchId)).toEqual(cellsOf(home, app.batch));
    expect(JSON.parse(cellsOf(home, out.batchId)[1]!)).toEqual(expect.arrayContaining(['1234.50', 'Nutzungsgebühr']));
    const charged = sb.ledger.charges('sibs').filter((c) => c.merchantRef.startsWith('MIT-IMP-'));
    expect(charged.map((c) => [c.merchantRef, c.amountMinor]).sort()).toEqual([
      ['MIT-IMP-0001', 2990],
      ['MIT-IMP-0002', 123450],
    ]);
  });

  it('a file with errors: exit 1, the first errors named by row and column, nothing submitted or kept', { timeout: 120_000 }, async () => {
    const home = tempDir();
    const file = join(home, 'bad.csv');
    writeFileSync(file, EUROPEAN_SIBS.replace('29,9', '29,999').replace('RCRR', 'XXXX'));
    const before = sb.ledger.charges('sibs').length;
    const r = await cli(home, ['submit', file, '--profile', 'sibs', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Submit refused: .* has 2 errors \(sibs\); nothing was submitted or kept/);
    // the file line (the header is line 1), as the editor shows it
    expect(r.stderr).toMatch(/line 2, [^:]*Amount[^:]*: /i);
    expect(sb.ledger.charges('sibs').length).toBe(before);
    const db = openDatabase(join(home, 'batchdesk.sqlite'));
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM batches').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM batch_rows').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('a required column missing: exit 2, nothing stored', { timeout: 60_000 }, async () => {
    const home = tempDir();
    const file = join(home, 'nocol.csv');
    writeFileSync(file, 'merchantTransactionId,currency\nMIT-1,EUR\n');
    const r = await cli(home, ['submit', file, '--profile', 'sibs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be submitted/);
    expect(r.stdout).toBe('');
  });
});
