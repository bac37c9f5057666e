/**
 * A crash in the middle of an import loses nothing and leaves nothing half-true: a child process
 * imports a 60,000-row file with card numbers and is SIGKILLed right after a chunk of rows was
 * committed. The store it leaves holds no card number in clear (file and WAL), and on the next
 * open the batch says it was interrupted: its rows are removed, history tells the clerk to import
 * the file again, and the batch can be filled again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT } from '../cliHarness';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER } from './helpers';

afterEach(() => cleanupTempDirs());

const CHILD = join(ROOT, 'test', 'integration', 'rows', 'import-kill-child.ts');

/** A Luhn-valid 16-digit card number from a seed. */
function pan(i: number): string {
  const body = `4${String(i).padStart(14, '0')}`;
  let sum = 0;
  for (let k = 0; k < body.length; k++) {
    let d = body.charCodeAt(body.length - 1 - k) - 48;
    if (k % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

function importAndKill(dataDir: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let buf = '';
    let err = '';
    let saved = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const m = /SAVED (\d+)/.exec(buf);
      if (m && saved === 0) {
        saved = Number(m[1]);
        child.kill('SIGKILL');
      }
      if (buf.includes('FINISHED') && saved === 0) reject(new Error('the import finished before it could be killed'));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed (${code}): ${err}`));
      else resolve(saved);
    });
  });
}

describe('an import killed mid-way', () => {
  it('leaves no cleartext card data and a batch that says it was interrupted, emptied on the next open', async () => {
    const dir = tempDir();
    const N = 60_000;
    const lines = Array.from({ length: N }, (_, i) => `payment,K-${i},,,${(i % 90) + 1}.00,,${pan(i)},12,30,${String(100 + (i % 900))},r`);
    const file = writeFile(dir, 'cards.csv', [WONDER_HEADER, ...lines].join('\n'));
    const saved = await importAndKill(dir, file);
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(N);

    // as the kill left it: some rows committed, the batch marked as being imported, no PAN in clear
    const db = new Database(join(dir, 'batchdesk.sqlite'), { readonly: true });
    const batch = db.prepare("SELECT id, importing_from FROM batches WHERE name = 'Killed import'").get() as { id: string; importing_from: number | null };
    const stored = (db.prepare('SELECT count(*) AS n FROM batch_rows WHERE batch_id = ?').get(batch.id) as { n: number }).n;
    db.close();
    expect(batch.importing_from).not.toBeNull();
    expect(stored).toBeGreaterThanOrEqual(saved);
    for (const f of ['batchdesk.sqlite', 'batchdesk.sqlite-wal'].map((n) => join(dir, n)).filter((p) => existsSync(p))) {
      const bytes = readFileSync(f);
      for (const i of [0, 1, 777, saved - 1]) expect(bytes.includes(Buffer.from(pan(i), 'utf8')), `${pan(i)} in ${f}`).toBe(false);
    }

    // the next open: the interrupted rows are removed and history says so in words
    const h = harness(dir);
    const w = await h.call('rows.window', { batchId: batch.id, offset: 0, limit: 10 });
    expect(w.total).toBe(0);
    const last = (await h.call('history.list', { limit: 1 }))[0]!;
    expect(last.action).toBe('import.interrupted');
    expect(JSON.stringify(last)).toMatch(/interrupted.*Import the file again/);
    const again = await importFile(h, writeFile(dir, 'small.csv', [WONDER_HEADER, ...lines.slice(0, 5)].join('\n')), { name: 'After the crash' });
    expect((await h.call('rows.window', { batchId: again.batchId, offset: 0, limit: 10 })).total).toBe(5);
    h.close();
  });
});
