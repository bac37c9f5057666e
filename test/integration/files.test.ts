/**
 * importFile / exportFile on real files: sniffing, file-level refusals, atomic output, folder
 * rules, masking. (The CLI on top of them is covered by cli.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importFile, sniffKind } from '../../electron/main/services/files/importFile';
import { exportFile, maskRows, writeFolderAtomically } from '../../electron/main/services/files/exportFile';
import { isFormatError } from '../../shared/formats/errors';
import { getProfile } from '../../shared/formats/profiles';
import { PROFILE_IDS } from '../../shared/formats/types';
import { fixture, runCli, withTempDir } from './cliHarness';

async function formatErrorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(isFormatError(e), `expected a FormatError, got ${String(e)}`).toBe(true);
    return (e as { code: string }).code;
  }
  throw new Error('expected a FormatError, got success');
}

describe('sniffKind', () => {
  it('recognises zip (xlsx), OLE2 (xls/encrypted) and treats the rest as CSV', () => {
    expect(sniffKind(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toBe('xlsx');
    expect(sniffKind(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe('ole2');
    expect(sniffKind(new TextEncoder().encode('Card Number,Amount\r\n'))).toBe('csv');
    expect(sniffKind(Uint8Array.from([0x50, 0x4b]))).toBe('csv');
  });
});

describe('importFile: file-level refusals', () => {
  it('missing file, folder, empty file', async () => {
    await withTempDir(async (dir) => {
      expect(await formatErrorCode(importFile(join(dir, 'nope.csv'), { profile: 'wonder' }))).toBe('file.not_found');
      expect(await formatErrorCode(importFile(dir, { profile: 'wonder' }))).toBe('file.is_directory');
      await writeFile(join(dir, 'empty.csv'), '');
      expect(await formatErrorCode(importFile(join(dir, 'empty.csv'), { profile: 'wonder' }))).toBe('file.empty');
    });
  });

  it('refuses a file over the size limit before reading it', async () => {
    await withTempDir(async (dir) => {
      const p = join(dir, 'big.csv');
      await writeFile(p, 'x'.repeat(2048));
      expect(await formatErrorCode(importFile(p, { profile: 'wonder', maxBytes: 1024 }))).toBe('file.too_large');
    });
  });

  it('an OLE2 file named .xlsx is reported as password-protected or old .xls', async () => {
    await withTempDir(async (dir) => {
      const p = join(dir, 'batch.xlsx');
      await writeFile(p, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]));
      let message = '';
      const code = await formatErrorCode(
        importFile(p, { profile: 'wonder' }).catch((e: Error) => {
          message = e.message;
          throw e;
        }),
      );
      expect(code).toBe('file.xls_or_encrypted');
      expect(message).toMatch(/password-protected/);
      expect(message).toMatch(/\.xls\b/);
    });
  });

  it('--sheet on a CSV file is refused', async () => {
    expect(await formatErrorCode(importFile(fixture('wonder-valid.csv'), { profile: 'wonder', sheet: 'Batch' }))).toBe('file.sheet_not_xlsx');
  });

  it('sniffs content, not the extension: a CSV named .xlsx is read as CSV', async () => {
    await withTempDir(async (dir) => {
      const p = join(dir, 'really-a-csv.xlsx');
      await writeFile(p, await readFile(fixture('wonder-valid.csv')));
      const r = await importFile(p, { profile: 'wonder' });
      expect(r.source.kind).toBe('csv');
      expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    });
  });
});

describe('maskRows', () => {
  it('masks card numbers (first 6 / last 4) and empties CVCs, input untouched', () => {
    const row = ['payment', 'INV-1', '', '', '1.00', '', '4111111111111111', '05', '29', '123', ''];
    const tokenRow = ['payment', 'INV-2', '', '', '1.00', 'tok_1', '', '', '', '', ''];
    const [masked, token] = maskRows('wonder', [row, tokenRow]);
    expect(masked![6]).toBe('411111******1111');
    expect(masked![9]).toBe('');
    expect(row[6]).toBe('4111111111111111'); // input untouched
    expect(token).toEqual(tokenRow);
  });
});

describe('writeFolderAtomically', () => {
  const isOwn = (n: string) => /^own-\d\.txt$/.test(n);

  it('refuses a folder with foreign files and leaves it untouched', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'out');
      await mkdir(out);
      await writeFile(join(out, 'notes.txt'), 'mine');
      await expect(writeFolderAtomically(out, isOwn, async (d) => writeFile(join(d, 'own-1.txt'), 'x'))).rejects.toThrow(/already contains other files/);
      expect(await readdir(out)).toEqual(['notes.txt']);
      expect((await readdir(dir)).sort()).toEqual(['out']);
    });
  });

  it('replaces our own previous files and removes stale ones', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'out');
      await mkdir(out);
      await writeFile(join(out, 'own-1.txt'), 'old');
      await writeFile(join(out, 'own-2.txt'), 'old');
      const r = await writeFolderAtomically(out, isOwn, async (d) => writeFile(join(d, 'own-1.txt'), 'new'));
      expect(r.files).toEqual(['own-1.txt']);
      expect(await readdir(out)).toEqual(['own-1.txt']);
      expect(await readFile(join(out, 'own-1.txt'), 'utf8')).toBe('new');
      expect(await readdir(dir)).toEqual(['out']);
    });
  });

  it('a failure leaves nothing behind', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'out');
      await expect(
        writeFolderAtomically(out, isOwn, async (d) => {
          await writeFile(join(d, 'own-1.txt'), 'partial');
          throw new Error('disk full');
        }),
      ).rejects.toThrow('disk full');
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

describe('exportFile: an empty batch', () => {
  it('a header-only file is refused for every profile (export.empty) and nothing is written', async () => {
    await withTempDir(async (dir) => {
      for (const id of PROFILE_IDS) {
        const src = join(dir, `${id}-header-only.csv`);
        await writeFile(src, getProfile(id).columns.map((c) => c.label).join(',') + '\r\n');
        const imported = await importFile(src, { profile: id });
        expect(imported.rows).toEqual([]);
        const out = join(dir, id === 'wonder' ? 'out-wonder.csv' : `out-${id}`);
        let message = '';
        const code = await formatErrorCode(
          exportFile(imported.rows, { profile: id, out, jsonLines: { terminalId: '1234' } }).catch((e: Error) => {
            message = e.message;
            throw e;
          }),
        );
        expect(code).toBe('export.empty');
        expect(message).toMatch(/^The batch has no rows/);
      }
      // no output file or folder, and no temp leftovers
      expect((await readdir(dir)).filter((n) => !n.endsWith('-header-only.csv'))).toEqual([]);
    });
  });

  it('the CLI reports it as a file-level refusal (exit 2) and writes nothing', async () => {
    await withTempDir(async (dir) => {
      const src = join(dir, 'epay.csv');
      await writeFile(src, 'subscriptionId,amount,currency,notificationUrl\n');
      const out = join(dir, 'requests');
      const r = await runCli(['export', src, '--profile', 'epay', '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('The batch has no rows');
      expect(r.stderr).toContain('[export.empty]');
      expect(await readdir(dir)).toEqual(['epay.csv']);
    });
  });
});

describe('exportFile: ePay attributes', () => {
  it('writes the attributes JSON text as the clerk wrote it (big integers and duplicate keys kept)', async () => {
    await withTempDir(async (dir) => {
      const src = join(dir, 'epay.csv');
      const attributes = '{"orderId":12345678901234567890,"tag":"a","tag":"b"}';
      await writeFile(
        src,
        'subscriptionId,amount,currency,notificationUrl,attributes\r\n' +
          `01929a94-5fce-7ccc-a7e4-7e9249133b39,1095,DKK,https://example.com/epay/notification,"${attributes.replace(/"/g, '""')}"\r\n`,
      );
      const imported = await importFile(src, { profile: 'epay' });
      const out = join(dir, 'requests');
      const res = await exportFile(imported.rows, { profile: 'epay', out });
      expect(res.files).toHaveLength(1);
      const text = await readFile(res.files[0]!, 'utf8');
      expect(text).toContain(`"attributes": ${attributes}`);
      const body = JSON.parse(text) as { transactions: { amount: number; attributes: object }[] };
      expect(body.transactions).toHaveLength(1);
      expect(body.transactions[0]!.amount).toBe(1095);
    });
  });
});
