/**
 * Files that will be refused are refused as early as their bytes allow, before they cost memory:
 * binary content from the first MiB, the row limit while the file is read. The big files here are
 * sparse (a few MB on disk), and the child's peak RSS shows that it did not read them whole.
 */
import { describe, expect, it } from 'vitest';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCliMeasured, withTempDir } from './cliHarness';
import { importFile } from '../../electron/main/services/files/importFile';
import { CSV_DEFAULT_LIMITS } from '../../shared/formats/csv/parse';
import { isFormatError } from '../../shared/formats/errors';
import { defaultContext } from '../../shared/formats';

const MB = 1024 * 1024;
const HEADER = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark\n';
const TOKEN = 'tok_8f3a2c1d9e7b6a5f4c3d2e1f';

/** A file of `size` bytes that starts with `head`; the rest is a hole (zeros, no disk space). */
async function sparse(path: string, head: string | Buffer, size: number): Promise<void> {
  await writeFile(path, head);
  await truncate(path, size);
}

function rows(n: number, from = 1): string {
  let s = '';
  for (let i = from; i < from + n; i++) s += `payment,INV-${i},,,${i}.00,${TOKEN},,,,,"note\nline 2"\n`;
  return s;
}

async function refusal(path: string, maxRows: number): Promise<string | null> {
  try {
    await importFile(path, { profile: 'wonder', ctx: defaultContext(), csvLimits: { maxRows } });
    return null;
  } catch (e) {
    if (isFormatError(e)) return e.code;
    throw e;
  }
}

describe('early refusal', () => {
  it('a 400 MB binary file is refused from its first bytes, in little memory', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'image.csv');
      await sparse(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 400 * MB);
      const r = await runCliMeasured(['validate', file, '--profile', 'wonder'], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^batchdesk: The file does not contain readable text\..*\[csv\.binary\]\n$/);
      expect(r.peakRssMB).toBeLessThan(300); // reading it whole took more than 400 MB
    });
  }, 60_000);

  it(`over the default row limit (${CSV_DEFAULT_LIMITS.maxRows.toLocaleString('en-US')}): refused while reading, before the 400 MB rest`, async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'long.csv');
      // one more record than the limit (header included), in 2 MB; then a 400 MB hole
      await sparse(file, HEADER + 'x\n'.repeat(CSV_DEFAULT_LIMITS.maxRows), 400 * MB);
      const r = await runCliMeasured(['validate', file, '--profile', 'wonder', '--json'], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('batchdesk: The file has more than 1,048,576 rows (header included). Split it into smaller files. [csv.too_many_rows]\n');
      expect(r.peakRssMB).toBeLessThan(300);
    });
  }, 60_000);

  it('row limit both ways while reading: N records accepted at maxRows = N, refused at N - 1 (quoted line breaks, blank lines)', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'n.csv');
      // header + 999 rows = 1,000 records over 2,999 lines (each Remark spans two lines), blank lines between
      await writeFile(file, HEADER + rows(500) + '\n\n' + rows(499, 501));
      expect(await refusal(file, 1000)).toBeNull();
      expect(await refusal(file, 999)).toBe('csv.too_many_rows');
    });
  });

  it('row limit both ways past the first MiB (counted across read chunks), and in UTF-16 (counted by the parser)', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'big.csv');
      const body = rows(40_000); // ~3.6 MB: the count goes on after the head
      await writeFile(file, HEADER + body);
      expect(await refusal(file, 40_001)).toBeNull();
      expect(await refusal(file, 40_000)).toBe('csv.too_many_rows');

      const u16 = join(dir, 'u16.csv');
      await writeFile(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER + rows(99), 'utf16le')]));
      expect(await refusal(u16, 100)).toBeNull();
      expect(await refusal(u16, 99)).toBe('csv.too_many_rows');
    });
  }, 60_000);
});
