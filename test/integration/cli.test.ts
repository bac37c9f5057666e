/**
 * The CLI contract, end to end: the real launcher (`node cli/batchdesk.mjs`) on real files.
 * Other tools parse this output, so shapes, exit codes and row/column conventions are exact.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { fixture, runCli, withTempDir } from './cliHarness';

const WONDER_HEADER = ['Action', 'Reference Number', 'Original Transaction ID', 'Customer UUID', 'Amount', 'Token ID', 'Card Number', 'Expiry Month', 'Expiry Year', 'CVC', 'Remark'];
const FULL_PANS = ['4111111111111111', '5555555555554444', '4012888888881881'];

interface JsonReport {
  profile: string;
  file: string;
  rows: number;
  errors: number;
  warnings: number;
  issues: { row: number | null; column: string | null; severity: 'error' | 'warning'; code: string; message: string }[];
}

function parseReport(stdout: string): JsonReport {
  // Exactly one JSON object on stdout.
  expect(stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(stdout) as JsonReport;
}

async function wonderWorkbook(path: string, opts: { firstSheet?: string } = {}): Promise<void> {
  const wb = new ExcelJS.Workbook();
  if (opts.firstSheet) wb.addWorksheet(opts.firstSheet).addRow(['Notes for the clerk', 'not a batch']);
  const ws = wb.addWorksheet('Batch');
  ws.addRow(WONDER_HEADER);
  ws.addRow(['payment', 'INV-X-1', '', '', 129.9, '', '4111111111111111', '05', '29', '', 'from xlsx']);
  ws.addRow(['payment', 'INV-X-2', '', '', 49, 'tok_abcdef0123456789abcdef01', '', '', '', '', '']);
  await wb.xlsx.writeFile(path);
}

describe('batchdesk validate', () => {
  it('valid Wonder CSV: exit 0 and the exact JSON shape', async () => {
    const file = fixture('wonder-valid.csv');
    const r = await runCli(['validate', file, '--profile', 'wonder', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(parseReport(r.stdout)).toEqual({ profile: 'wonder', file, rows: 5, errors: 0, warnings: 0, issues: [] });
  });

  it('a file with errors: exit 1, rows counted from 1 under the header, column labels, codes, no full card number', async () => {
    const file = fixture('wonder-errors.csv');
    const r = await runCli(['validate', file, '--profile', 'wonder', '--json']);
    expect(r.code).toBe(1);
    const rep = parseReport(r.stdout);
    expect(Object.keys(rep)).toEqual(['profile', 'file', 'rows', 'errors', 'warnings', 'issues']);
    expect(rep.rows).toBe(6);
    expect(rep.errors).toBe(rep.issues.filter((i) => i.severity === 'error').length);
    expect(rep.warnings).toBe(rep.issues.filter((i) => i.severity === 'warning').length);
    for (const i of rep.issues) {
      expect(Object.keys(i)).toEqual(['row', 'column', 'severity', 'code', 'message']);
      expect(i.message.length).toBeGreaterThan(0);
    }
    const pick = (i: JsonReport['issues'][number]) => ({ row: i.row, column: i.column, severity: i.severity, code: i.code });
    const errors = rep.issues.filter((i) => i.severity === 'error').map(pick);
    expect(errors).toEqual([
      { row: 2, column: 'Card Number', severity: 'error', code: 'wonder.card_number.luhn' },
      { row: 3, column: 'Amount', severity: 'error', code: 'wonder.amount.required' },
      { row: 4, column: 'Action', severity: 'error', code: 'wonder.action.case' },
      { row: 5, column: 'Original Transaction ID', severity: 'error', code: 'wonder.original_transaction_id.required' },
      { row: 6, column: 'Expiry Month', severity: 'error', code: 'wonder.expiry_month.range' },
    ]);
    expect(rep.issues.some((i) => i.row === 1)).toBe(false);
    expect(r.stdout).not.toContain('4111111111111112');
    expect(r.stdout).not.toContain('5555555555554444');
  });

  it('without --json: an aligned table and a summary line', async () => {
    const r = await runCli(['validate', fixture('wonder-errors.csv'), '--profile', 'wonder']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s*ROW\s+COLUMN\s+SEVERITY\s+CODE\s+MESSAGE$/);
    const luhn = lines.find((l) => l.includes('wonder.card_number.luhn'))!;
    expect(luhn).toMatch(/^\s*2\s+Card Number\s+error\s+wonder\.card_number\.luhn\s+\S/);
    // Aligned: the CODE column starts at the same offset on every issue line.
    const codeAt = lines[0]!.indexOf('CODE');
    for (const l of lines.slice(1, -1)) expect(l.slice(codeAt)).toMatch(/^wonder\./);
    expect(lines.at(-1)).toMatch(/6 rows, 5 errors, \d+ warnings? - NOT exportable/);
    expect(r.stdout).not.toContain('4111111111111112');
  });

  it('missing file: exit 2, message on stderr, nothing on stdout', async () => {
    const r = await runCli(['validate', '/nonexistent/batch.csv', '--profile', 'wonder', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not found/i);
  });

  it('unreadable workbook (old .xls / encrypted): exit 2', async () => {
    await withTempDir(async (dir) => {
      const p = join(dir, 'batch.xlsx');
      await writeFile(p, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1024)]));
      const r = await runCli(['validate', p, '--profile', 'wonder', '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/password-protected|\.xls/);
    });
  });

  it('bad usage: exit 2 with usage on stderr, nothing on stdout', async () => {
    for (const args of [
      ['validate', fixture('wonder-valid.csv'), '--json'],
      ['validate', fixture('wonder-valid.csv'), '--profile', 'visa', '--json'],
      ['validate', '--profile', 'wonder'],
      ['frobnicate', 'x.csv', '--profile', 'wonder'],
      ['validate', fixture('wonder-valid.csv'), '--profile', 'wonder', '--no-such-flag'],
      [],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/batchdesk: .+\n[\s\S]*Usage:/);
    }
  });

  it('--help prints usage and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('batchdesk validate <file> --profile <id> [--json] [--sheet <name>]');
  });

  it('--sheet picks the sheet of an XLSX workbook; an unknown sheet is exit 2', async () => {
    await withTempDir(async (dir) => {
      const p = join(dir, 'batch.xlsx');
      await wonderWorkbook(p, { firstSheet: 'Notes' });
      const ok = await runCli(['validate', p, '--profile', 'wonder', '--json', '--sheet', 'Batch']);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(parseReport(ok.stdout)).toMatchObject({ profile: 'wonder', file: p, rows: 2, errors: 0 });

      const first = await runCli(['validate', p, '--profile', 'wonder', '--json']);
      expect(first.code).toBe(1); // the "Notes" sheet is not a Wonder batch

      const missing = await runCli(['validate', p, '--profile', 'wonder', '--json', '--sheet', 'Nope']);
      expect(missing.code).toBe(2);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toMatch(/Nope/);
    });
  });
});

describe('batchdesk export', () => {
  it('wonder .csv: exit 0, header and rows read back, card numbers masked', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'out', 'batch.csv');
      const r = await runCli(['export', fixture('wonder-valid.csv'), '--profile', 'wonder', '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(out);
      const text = await readFile(out, 'utf8');
      const data = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
      expect(data[0]).toEqual(WONDER_HEADER);
      expect(data).toHaveLength(6);
      expect(data[1]![6]).toBe('411111******1111');
      expect(data[3]![10]).toBe('Invoice 3 - "Gold" membership');
      for (const pan of FULL_PANS) expect(text).not.toContain(pan);
      expect(await readdir(join(dir, 'out'))).toEqual(['batch.csv']); // no temp file left behind
    });
  });

  it('--include-full-card-numbers writes the card numbers in full', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'batch.csv');
      const r = await runCli(['export', fixture('wonder-valid.csv'), '--profile', 'wonder', '--out', out, '--include-full-card-numbers']);
      expect(r.code).toBe(0);
      const text = await readFile(out, 'utf8');
      for (const pan of FULL_PANS) expect(text).toContain(pan);
      expect(r.stdout).not.toContain('4111111111111111');
    });
  });

  it('wonder .xlsx: card and ID cells are strings', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'batch.xlsx');
      const r = await runCli(['export', fixture('wonder-valid.csv'), '--profile', 'wonder', '--out', out, '--include-full-card-numbers']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      const ws = wb.worksheets[0]!;
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(WONDER_HEADER);
      expect(ws.rowCount).toBe(6);
      const card = ws.getRow(2).getCell(7).value;
      expect(card).toBe('4111111111111111');
      expect(typeof ws.getRow(2).getCell(2).value).toBe('string'); // Reference Number
      expect(ws.getRow(2).getCell(8).value).toBe('05'); // Expiry Month keeps its leading zero
      expect(typeof ws.getRow(3).getCell(6).value).toBe('string'); // Token ID
    });
  });

  it('wonder .xlsx without the flag: masked card numbers', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'batch.xlsx');
      const r = await runCli(['export', fixture('wonder-valid.csv'), '--profile', 'wonder', '--out', out]);
      expect(r.code).toBe(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      expect(wb.worksheets[0]!.getRow(2).getCell(7).value).toBe('411111******1111');
    });
  });

  it('refused when the batch has errors: exit 1, rows/columns named, nothing written', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'batch.csv');
      const r = await runCli(['export', fixture('wonder-errors.csv'), '--profile', 'wonder', '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/refused/i);
      expect(r.stderr).toMatch(/row 2, Card Number/);
      expect(r.stderr).toContain('wonder.card_number.luhn');
      expect(r.stderr).not.toContain('4111111111111112');
      expect(existsSync(out)).toBe(false);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('epay: a folder of request files with at most 500 entries each', async () => {
    await withTempDir(async (dir) => {
      const src = join(dir, 'epay.csv');
      const lines = ['subscriptionId,amount,currency,reference,notificationUrl'];
      for (let i = 1; i <= 1001; i++) {
        const id = `3f2b8c1e-9a4d-4e6f-8b2a-${String(i).padStart(12, '0')}`;
        lines.push(`${id},${1000 + i},DKK,REF-${i},https://merchant.example/notify`);
      }
      await writeFile(src, lines.join('\r\n') + '\r\n');
      const out = join(dir, 'epay-out');
      const r = await runCli(['export', src, '--profile', 'epay', '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const files = (await readdir(out)).sort();
      expect(files).toEqual(['epay-request-0001.json', 'epay-request-0002.json', 'epay-request-0003.json']);
      const sizes: number[] = [];
      const refs: string[] = [];
      for (const f of files) {
        const body = JSON.parse(await readFile(join(out, f), 'utf8')) as unknown;
        const entries = findArray(body);
        sizes.push(entries.length);
        for (const e of entries) refs.push(JSON.stringify(e));
      }
      expect(sizes).toEqual([500, 500, 1]);
      expect(refs.join('\n')).toContain('REF-1001');

      // Exporting again into our own folder replaces our files; a folder with other content is refused.
      const again = await runCli(['export', src, '--profile', 'epay', '--out', out]);
      expect(again.code).toBe(0);
      expect((await readdir(out)).sort()).toEqual(files);
      await writeFile(join(out, 'notes.txt'), 'keep me');
      const refused = await runCli(['export', src, '--profile', 'epay', '--out', out]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/already contains other files/);
      expect(await readFile(join(out, 'notes.txt'), 'utf8')).toBe('keep me');
    });
  });

  it('jpmmps: a folder with jpmmps-requests.jsonl, one request per row', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'jp');
      const r = await runCli(['export', fixture('jpmmps-valid.csv'), '--profile', 'jpmmps', '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await readdir(out)).toEqual(['jpmmps-requests.jsonl']);
      const lines = (await readFile(join(out, 'jpmmps-requests.jsonl'), 'utf8')).trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      const parsed = lines.map((l) => JSON.parse(l) as unknown);
      expect(JSON.stringify(parsed[0])).toContain('PR-0001');
      expect(JSON.stringify(parsed[2])).toContain('PR-0003');
    });
  });

  it('wonder to a path without .csv/.xlsx is bad usage (exit 2), nothing written', async () => {
    await withTempDir(async (dir) => {
      const r = await runCli(['export', fixture('wonder-valid.csv'), '--profile', 'wonder', '--out', join(dir, 'batch.txt')]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

/** The entries of an ePay batch body: the largest array found in it. */
function findArray(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  let best: unknown[] = [];
  if (body && typeof body === 'object') {
    for (const v of Object.values(body)) {
      const a = findArray(v);
      if (a.length > best.length) best = a;
    }
  }
  return best;
}
