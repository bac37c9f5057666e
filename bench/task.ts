/**
 * One benchmark measurement, run in a fresh child process by bench/run.ts so that peak RSS
 * (process.resourceUsage().maxRSS) belongs to this measurement alone.
 *   node --import tsx bench/task.ts <task> <arg>
 * Prints one JSON line: {"task", "ms", "maxRssMB", "rows", "bytes"?}.
 */
import { readFile, writeFile, rm, stat } from 'node:fs/promises';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { generateRows, wonderHeader, writeWonderCsv } from './wonderData';

type Result = { rows: number; bytes?: number; extra?: Record<string, unknown> };

/**
 * Peak V8 heap (used) while a measurement runs: sampled every 10 ms and after every garbage
 * collection (a long synchronous step can hide a peak from the timer, not from the GC hook).
 */
function heapPeak(): { stop(): number } {
  let peak = process.memoryUsage().heapUsed;
  const sample = () => {
    const u = process.memoryUsage().heapUsed;
    if (u > peak) peak = u;
  };
  const timer = setInterval(sample, 10);
  const obs = new PerformanceObserver(() => sample());
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      sample();
      clearInterval(timer);
      obs.disconnect();
      return peak;
    },
  };
}

/** Heap still in use after a full GC (the batch open, garbage gone): needs node --expose-gc. */
function retainedHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

const MB = 1024 * 1024;

async function timed(task: string, prepare: () => Promise<() => Promise<Result>>): Promise<void> {
  const run = await prepare();
  const peak = heapPeak();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // CPU time (all threads, user + system): on a machine shared with other jobs it moves much less than wall time
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const heapPeakMB = peak.stop() / MB;
  const heapRetainedMB = retainedHeap() / MB;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ task, ms, cpuMs, maxRssMB, heapPeakMB, heapRetainedMB, ...r }) + '\n');
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path)).size;
}

const formats = () => import('../shared/formats');
const xlsx = () => import('../electron/main/services/files/xlsx');
const exportMod = () => import('../electron/main/services/files/exportFile');

const tasks: Record<string, (arg: string, out: string) => Promise<void>> = {
  // ---- data generation (not timed for comparison, but reported) ----
  async 'gen-csv'(n, out) {
    await timed('gen-csv', async () => async () => {
      const bytes = await writeWonderCsv(out, Number(n));
      return { rows: Number(n), bytes };
    });
  },
  async 'gen-xlsx'(n, out) {
    await timed('gen-xlsx', async () => async () => {
      const header = await wonderHeader();
      const rows = await generateRows(Number(n));
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useSharedStrings: false, useStyles: false });
      const ws = wb.addWorksheet('Batch');
      ws.addRow(header).commit();
      for (const r of rows) ws.addRow(r.map((v, i) => (header[i] === 'Amount' && v !== '' ? Number(v) : v))).commit();
      ws.commit();
      await wb.commit();
      return { rows: rows.length, bytes: await sizeOf(out) };
    });
  },

  // ---- CSV import ----
  async papa(file) {
    await timed('papa', async () => async () => {
      const bytes = await readFile(file);
      const text = new TextDecoder('utf-8').decode(bytes);
      const res = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
      return { rows: res.data.length - 1 };
    });
  },
  async 'ours-import'(file) {
    const f = await formats();
    await timed('ours-import', async () => async () => {
      const bytes = await readFile(file);
      const profile = f.getProfile('wonder');
      const ctx = f.defaultContext();
      // What importFile (CLI, app) does with a CSV file: each row converted and checked as soon as
      // it is parsed, then the cross-row rules.
      const imported = f.importCsvAndValidate(profile, bytes, ctx);
      return { rows: imported.rows.length, extra: { issues: imported.issues.length } };
    });
  },

  // The `batchdesk validate` command itself (read in chunks, import, validate, report), for its peak RSS.
  async 'ours-cli-validate'(file) {
    const { run } = await import('../cli/run');
    await timed('ours-cli-validate', async () => async () => {
      let out = '';
      const code = await run(['validate', file, '--profile', 'wonder', '--json'], { stdout: (s) => (out += s), stderr: (s) => process.stderr.write(s) });
      if (code === 2) throw new Error('validate could not read the file');
      const report = JSON.parse(out) as { rows: number; errors: number; warnings: number };
      return { rows: report.rows, extra: { errors: report.errors, warnings: report.warnings } };
    });
  },

  // ---- Import into a batch (durable in SQLite) ----
  // The peer the issue names: papaparse + hand-written rules + better-sqlite3 inserts with a
  // prepared statement in one transaction (WAL, synchronous=FULL like ours). It stores card numbers
  // in clear and keeps no journal, sealing or findings index: less work than ours.
  async 'peer-batch-import'(file) {
    const Database = (await import('better-sqlite3')).default;
    const { randomUUID } = await import('node:crypto');
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'bench-peer-'));
    await timed('peer-batch-import', async () => async () => {
      const t0 = performance.now();
      const text = new TextDecoder('utf-8').decode(await readFile(file));
      const res = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
      const rows = res.data.slice(1);
      const tRead = performance.now();
      const cpuRead = process.cpuUsage();
      const ACTIONS = new Set(['payment', 'authorize', 'refund', 'cancellation']);
      const luhn = (d: string) => {
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          let x = d.charCodeAt(d.length - 1 - i) - 48;
          if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
          sum += x;
        }
        return sum % 10 === 0;
      };
      let errors = 0;
      const seen = new Set<string>();
      for (const r of rows) {
        if (!ACTIONS.has(r[0] ?? '')) errors++;
        if (!/^\d+(\.\d{1,2})?$/.test(r[4] ?? '')) errors++;
        if ((r[6] ?? '') !== '' && !luhn(r[6]!)) errors++;
        if ((r[5] ?? '') === '' && (r[6] ?? '') === '') errors++;
        const key = `${r[0]}\u0001${r[1]}`;
        if (seen.has(key)) errors++;
        else seen.add(key);
      }
      const db = new Database(join(dir, 'peer.sqlite'));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec('CREATE TABLE rows (id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, position INTEGER NOT NULL, cells TEXT NOT NULL)');
      const ins = db.prepare('INSERT INTO rows (id, batch_id, position, cells) VALUES (?, ?, ?, ?)');
      const batch = randomUUID();
      db.transaction(() => {
        rows.forEach((r, i) => ins.run(randomUUID(), batch, i, JSON.stringify(r)));
      })();
      db.close();
      // the peer shows nothing before everything is stored: its first screen is its durable time
      const durable = Math.round(performance.now() - tRead);
      const c = process.cpuUsage(cpuRead);
      return { rows: rows.length, extra: { errors, readMs: Math.round(tRead - t0), firstScreenAfterReadMs: durable, durableAfterReadMs: durable, durableCpuMs: Math.round((c.user + c.system) / 1000), fileMB: (await sizeOf(file)) / MB } };
    });
    await rm(dir, { recursive: true, force: true });
  },
  async 'ours-batch-import'(file) {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createServices } = await import('../electron/main/services');
    const dir = await mkdtemp(join(tmpdir(), 'bench-ours-'));
    const s = createServices({ dataDir: dir, mode: 'web', version: 'bench' });
    await timed('ours-batch-import', async () => async () => {
      // The clerk's path: preview (reads the file once, kept for the import), then start; the grid
      // asks for its first window as soon as rows.changed says the batch can be shown.
      const t0 = performance.now();
      const preview = await s.imports.preview({ file: { kind: 'path', path: file }, profile: 'wonder' });
      const tRead = performance.now();
      const cpuRead = process.cpuUsage();
      let tFirst = 0;
      let firstRows = 0;
      const finished = new Promise<{ rows: number; errors: number }>((resolve) => {
        s.events.emit = (name, payload) => {
          if (name === 'rows.changed' && tFirst === 0) {
            const p = payload as { batchId: string };
            firstRows = s.rows.window({ batchId: p.batchId, offset: 0, limit: 50 }).rows.length;
            tFirst = performance.now();
          }
          if (name === 'import.finished') resolve(payload as { rows: number; errors: number });
        };
      });
      s.imports.start({ file: { kind: 'path', path: file }, profile: 'wonder', mapping: preview.mapping, amountUnit: preview.amount.suggested, target: { kind: 'new', name: 'bench' } });
      const done = await finished;
      const tDone = performance.now();
      const c = process.cpuUsage(cpuRead);
      return {
        rows: done.rows,
        extra: {
          readMs: Math.round(tRead - t0),
          firstScreenAfterReadMs: Math.round(tFirst - tRead),
          durableAfterReadMs: Math.round(tDone - tRead),
          durableCpuMs: Math.round((c.user + c.system) / 1000),
          firstRows,
          errors: done.errors,
          fileMB: (await sizeOf(file)) / MB,
        },
      };
    });
    s.close();
    await rm(dir, { recursive: true, force: true });
  },

  // Editing an open batch of the file's rows (main side: validate + journal + durable commit).
  async 'ours-batch-edit'(file) {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createServices } = await import('../electron/main/services');
    const dir = await mkdtemp(join(tmpdir(), 'bench-edit-'));
    const s = createServices({ dataDir: dir, mode: 'web', version: 'bench' });
    await timed('ours-batch-edit', async () => {
      const preview = await s.imports.preview({ file: { kind: 'path', path: file }, profile: 'wonder' });
      const out = await s.imports.importNow({ file: { kind: 'path', path: file }, profile: 'wonder', mapping: preview.mapping, amountUnit: preview.amount.suggested, target: { kind: 'new', name: 'bench' } });
      const batchId = out.batchId;
      const session = s.rows.open(batchId);
      return async () => {
        const times: number[] = [];
        for (let i = 0; i < 200; i++) {
          const slot = session.order[(i * 7919) % session.order.length]!;
          const t = performance.now();
          // a reference edit: row rules and the duplicate index both move
          s.rows.edit({ batchId, changes: [{ rowId: slot.id, column: 'referenceNumber', value: `EDIT-${i % 50}` }] });
          s.rows.window({ batchId, offset: slot.index, limit: 40 });
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        const tSort = performance.now();
        s.rows.window({ batchId, offset: 0, limit: 40, sort: { column: 'amount', dir: 'desc' } });
        const sortMs = performance.now() - tSort;
        const tPaste = performance.now();
        const block = Array.from({ length: 10_000 }, (_, i) => `payment\tPASTE-${i}\t\t\t12.50\ttok_${String(i).padStart(24, '0')}\t\t\t\t\tpasted`).join('\n');
        s.rows.paste({ batchId, text: block, anchor: { rowId: session.order[0]!.id, column: 'action' } });
        const pasteMs = performance.now() - tPaste;
        return { rows: session.order.length, extra: { editP50Ms: times[100], editP95Ms: times[190], sortMs: Math.round(sortMs), paste10kx11Ms: Math.round(pasteMs), heapMB: Math.round(process.memoryUsage().heapUsed / 1024 / 1024) } };
      };
    });
    s.close();
    await rm(dir, { recursive: true, force: true });
  },

  // ---- CSV export, from the same in-memory rows ----
  async 'join-write'(n, out) {
    await timed('join-write', async () => {
      const rows = await generateRows(Number(n));
      const header = await wonderHeader();
      return async () => {
        await writeFile(out, [header.join(','), ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n');
        return { rows: rows.length, bytes: await sizeOf(out) };
      };
    });
    await rm(out, { force: true });
  },
  async 'ours-csv-write'(n, out) {
    const f = await formats();
    const { writeChunks } = await exportMod();
    await timed('ours-csv-write', async () => {
      const rows = await generateRows(Number(n));
      return async () => {
        const bytes = await writeChunks(out, f.wonderCsvChunks(rows, { includeFullCardNumbers: true }), { sync: false });
        return { rows: rows.length, bytes };
      };
    });
    await rm(out, { force: true });
  },

  // ---- XLSX export ----
  async 'exceljs-write'(n, out) {
    await timed('exceljs-write', async () => {
      const rows = await generateRows(Number(n));
      const header = await wonderHeader();
      return async () => {
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useSharedStrings: false, useStyles: false });
        const ws = wb.addWorksheet('Batch');
        ws.addRow(header).commit();
        for (const r of rows) ws.addRow(r).commit();
        ws.commit();
        await wb.commit();
        return { rows: rows.length, bytes: await sizeOf(out) };
      };
    });
    await rm(out, { force: true });
  },
  async 'ours-xlsx-write'(n, out) {
    const x = await xlsx();
    await timed('ours-xlsx-write', async () => {
      const rows = await generateRows(Number(n));
      const header = await wonderHeader();
      const textColumns = await wonderTextColumns();
      return async () => {
        const r = await x.writeXlsx(out, { name: 'Batch', header, rows, textColumns });
        return { rows: rows.length, bytes: await sizeOf(out), extra: { reported: r.rows } };
      };
    });
    await rm(out, { force: true });
  },

  // ---- XLSX import ----
  async 'exceljs-read'(file) {
    await timed('exceljs-read', async () => async () => {
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit', styles: 'ignore', hyperlinks: 'ignore', entries: 'ignore' });
      const out: unknown[][] = [];
      for await (const ws of reader) {
        for await (const row of ws) {
          const vals = row.values as unknown[];
          out.push(Array.isArray(vals) ? vals.slice(1) : []);
        }
        break; // first sheet only, like readXlsx
      }
      return { rows: out.length - 1 };
    });
  },
  async 'ours-xlsx-read'(file) {
    const x = await xlsx();
    await timed('ours-xlsx-read', async () => async () => {
      const t = await x.readXlsx(file, {});
      return { rows: t.rows.length };
    });
  },
};

/** The same rule exportFile uses (exportTextColumns), from the profile's column metadata. */
async function wonderTextColumns(): Promise<string[]> {
  const { getProfile } = await import('../shared/formats/profiles');
  return getProfile('wonder')
    .columns.filter((c) => c.textInSpreadsheet === true || c.sensitive !== undefined)
    .map((c) => c.label);
}

const [task, arg = '', out = ''] = process.argv.slice(2);
const fn = task ? tasks[task] : undefined;
if (!fn) {
  process.stderr.write(`unknown task ${task}; one of ${Object.keys(tasks).join(', ')}\n`);
  process.exit(2);
}
await fn(arg, out);
