/**
 * Invalid UTF-8 and NUL bytes in a CSV file: reported by row and column (an error in ID and amount
 * columns, a warning in free text), and never a NUL in an export (CSV, XLSX, JSON, JSON lines).
 */
import { describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { runCli, withTempDir } from './cliHarness';
import { epayRequestBodies, epayRequestJson, jsonLinesChunks, wonderCsvChunks } from '../../shared/formats/export';
import { epay, jpmmps, sibs, wonder } from '../../shared/formats/profiles';
import { escapeText } from '../../electron/main/services/files/xlsx/xml';
import { ctx, rowOf } from '../unit/formats/helpers';
import { OK as EPAY_OK } from '../unit/formats/cases/epay';

const HEADER = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark\n';
const TOKEN = 'tok_8f3a2c1d9e7b6a5f4c3d2e1f';
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

interface Report {
  errors: number;
  warnings: number;
  issues: { row: number | null; column: string | null; severity: string; code: string; message: string }[];
}

async function validate(dir: string, content: Buffer): Promise<{ code: number | null; rep: Report; stderr: string }> {
  const file = join(dir, 'batch.csv');
  await writeFile(file, content);
  const r = await runCli(['validate', file, '--profile', 'wonder', '--json']);
  return { code: r.code, rep: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const ofCode = (rep: Report, code: string) => rep.issues.filter((i) => i.code === code).map((i) => ({ row: i.row, column: i.column, severity: i.severity }));

describe('invalid UTF-8', () => {
  it('UTF-8 with a stray byte: a warning in Remark, an error in Reference Number, each by row; a file-level note', async () => {
    await withTempDir(async (dir) => {
      // "crème brûlée" is valid UTF-8 (three sequences); 0xe9 alone ("café" in Windows-1252) and 0xff are not
      const { code, rep, stderr } = await validate(
        dir,
        bytes(HEADER, `payment,INV-1,,,9.99,${TOKEN},,,,,cr`, [0xc3, 0xa8], 'me br', [0xc3, 0xbb], 'l', [0xc3, 0xa9], 'e caf', [0xe9], '\n', 'payment,INV-', [0xff], `2,,,9.98,${TOKEN},,,,,ok\n`),
      );
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(ofCode(rep, 'import.invalid_utf8')).toEqual([
        { row: 1, column: 'Remark', severity: 'warning' },
        { row: 2, column: 'Reference Number', severity: 'error' },
      ]);
      expect(ofCode(rep, 'csv.encoding.invalid_utf8')).toEqual([{ row: null, column: null, severity: 'warning' }]);
      expect(rep.issues.find((i) => i.code === 'csv.encoding.invalid_utf8')!.message).toContain('2 byte sequences are not valid UTF-8');
    });
  });

  it('with a BOM as well: the damage is reported, not silently exported', async () => {
    await withTempDir(async (dir) => {
      const { code, rep } = await validate(dir, bytes([0xef, 0xbb, 0xbf], HEADER, `payment,INV-1,,,9.99,${TOKEN},,,,,caf`, [0xe9], '\n'));
      expect(code).toBe(0); // a warning only: free text
      expect(ofCode(rep, 'import.invalid_utf8')).toEqual([{ row: 1, column: 'Remark', severity: 'warning' }]);
    });
  });

  it('Windows-1252 text (fewer valid UTF-8 sequences than invalid bytes) is still read as such, with no invalid-UTF-8 finding', async () => {
    await withTempDir(async (dir) => {
      // one accidental valid pair ("Ã©" is c3 a9) against two stray bytes: Windows-1252
      const { code, rep } = await validate(dir, bytes(HEADER, `payment,INV-1,,,9.99,${TOKEN},,,,,caf`, [0xe9], ' ', [0xc3, 0xa9], ' na', [0xef], 've\n'));
      expect(code).toBe(0);
      expect(rep.issues.map((i) => i.code)).toEqual(['csv.encoding.windows_1252']);
    });
  });

  it('a valid UTF-8 file that spells U+FFFD itself is not damaged', async () => {
    await withTempDir(async (dir) => {
      const { code, rep } = await validate(dir, bytes(HEADER, `payment,INV-1,,,9.99,${TOKEN},,,,,a`, [0xef, 0xbf, 0xbd], '\n'));
      expect(code).toBe(0);
      expect(rep.issues).toEqual([]);
    });
  });
});

describe('NUL bytes', () => {
  it('in Remark: a warning by row and column, and the CSV and XLSX exports hold no NUL', async () => {
    await withTempDir(async (dir) => {
      const content = bytes(HEADER, `payment,INV-1,,,9.99,${TOKEN},,,,,a`, [0], 'b\n', `payment,INV-2,,,9.98,${TOKEN},,,,,clean\n`);
      const { code, rep } = await validate(dir, content);
      expect(code).toBe(0);
      expect(ofCode(rep, 'import.nul_character')).toEqual([{ row: 1, column: 'Remark', severity: 'warning' }]);

      const file = join(dir, 'batch.csv');
      const csvOut = join(dir, 'out.csv');
      const e = await runCli(['export', file, '--profile', 'wonder', '--out', csvOut]);
      expect(e.stderr).toBe('');
      expect(e.code).toBe(0);
      const written = await readFile(csvOut);
      expect(written.includes(0)).toBe(false);
      expect(written.toString('utf8')).toContain(',ab\r\n');

      const xlsxOut = join(dir, 'out.xlsx');
      expect((await runCli(['export', file, '--profile', 'wonder', '--out', xlsxOut])).code).toBe(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(xlsxOut);
      const remark = wb.worksheets[0]!.getRow(2).getCell(11).value;
      expect(remark).toBe('ab');
    });
  });

  it('in Reference Number or Amount: an error by row and column, and export is refused', async () => {
    await withTempDir(async (dir) => {
      const content = bytes(HEADER, 'payment,INV-', [0], `1,,,9.99,${TOKEN},,,,,x\n`, `payment,INV-2,,,9`, [0], `.98,${TOKEN},,,,,y\n`);
      const { code, rep } = await validate(dir, content);
      expect(code).toBe(1);
      expect(ofCode(rep, 'import.nul_character')).toEqual([
        { row: 1, column: 'Reference Number', severity: 'error' },
        { row: 2, column: 'Amount', severity: 'error' },
      ]);
      const e = await runCli(['export', join(dir, 'batch.csv'), '--profile', 'wonder', '--out', join(dir, 'o.csv')]);
      expect(e.code).toBe(1);
      expect(await readdir(dir)).toEqual(['batch.csv']);
    });
  });

  it('the writers drop a NUL that reaches them by another way (CSV, XLSX text, ePay JSON, SIBS/JPMMPS JSON lines)', () => {
    const w = rowOf(wonder, { Action: 'payment', 'Reference Number': 'INV-1', Amount: '10.00', 'Token ID': 'tok_abc', Remark: 'a\u0000b' });
    const csv = [...wonderCsvChunks([w])].join('');
    expect(csv).not.toContain('\u0000');
    expect(csv).toContain(',ab\r\n');
    expect(escapeText('a\u0000b')).toBe('ab');

    const e = rowOf(epay, { ...EPAY_OK, textOnStatement: 'Wine\u0000Box' });
    const json = epayRequestJson(epayRequestBodies([e], ctx())[0]!);
    expect(json).not.toContain('\u0000');
    expect(json).not.toContain('\\u0000');
    expect(json).toContain('"textOnStatement": "WineBox"');

    const s = rowOf(sibs, {
      merchantTransactionId: 'MIT-1', amount: '29.90', currency: 'EUR', description: 'Dec\u0000ember', originalTransactionId: 'txCIT123456789',
      originalTransactionDatetime: '2026-04-16T10:15:30.000Z', mitType: 'RCRR', amountQualifier: 'ACTUAL', validityDate: '2027-12-31T23:59:59.000Z',
    });
    const sl = [...jsonLinesChunks('sibs', [s], ctx(), { terminalId: '12345' })].join('');
    expect(sl).not.toContain('\u0000');
    expect(sl).not.toContain('\\u0000');
    expect(sl).toContain('"description":"December"');

    const j = rowOf(jpmmps, { partnerReference: 'P\u00001', storedPaymentOptionReference: 'spo-1', presentationAmount: '3.99', presentationCurrCode: 'EUR' });
    const jl = [...jsonLinesChunks('jpmmps', [j], ctx())].join('');
    expect(jl).not.toContain('\u0000');
    expect(jl).not.toContain('\\u0000');
    expect(jl).toContain('"partnerReference":"P1"');
  });
});
