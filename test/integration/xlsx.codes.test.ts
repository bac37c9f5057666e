import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const XLSX_DIR = join(__dirname, '../../electron/main/services/files/xlsx');

describe('XLSX error and issue codes', () => {
  it('use the project style: dot-separated, lower-case words joined by underscores (no hyphens)', async () => {
    const codes = new Set<string>();
    for (const name of await readdir(XLSX_DIR)) {
      if (!name.endsWith('.ts')) continue;
      const src = await readFile(join(XLSX_DIR, name), 'utf8');
      for (const m of src.matchAll(/['"`](xlsx\.[A-Za-z0-9._-]+)['"`]/g)) codes.add(m[1]!);
    }
    // The reader and writer each throw a dozen or more distinct codes; make sure the scan sees them.
    expect(codes.size).toBeGreaterThan(20);
    expect(codes).toContain('xlsx.sheet_not_found');
    expect(codes).toContain('xlsx.write.bad_sheet_name');
    const bad = [...codes].filter((c) => !/^xlsx(\.[a-z][a-z0-9]*(_[a-z0-9]+)*)+$/.test(c));
    expect(bad).toEqual([]);
  });
});
