/**
 * One benchmark measurement, run in a fresh child process by bench/run.ts so that peak RSS
 * (process.resourceUsage().maxRSS) belongs to this measurement alone.
 *   node --import tsx bench/task.ts <task> <arg>
 * Prints one JSON line: {"task", "ms", "maxRssMB", "rows", "bytes"?}.
 */
import { readFile, writeFile, rm, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { generateRows, wonderHeader, writeWonderCsv } from './wonderData';

type Result = { rows: number; bytes?: number; extra?: Record<string, unknown> };

async function timed(task: string, prepare: () => Promise<() => Promise<Result>>): Promise<void> {
  const run = await prepare();
  const t0 = performance.now();
  const r = await run();
  const ms = performance.now() - t0;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ task, ms, maxRssMB, ...r }) + '\n');
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
