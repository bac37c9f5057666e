/**
 * Batchdesk benchmarks: ours vs a plain baseline, side by side, each measurement in a fresh child
 * process (honest peak RSS), best of N. Run: `tsx bench/run.ts [--quick] [--sizes 100k,1m] [--runs N] [--cpu-prof]`.
 * Then the grid figures in Chromium (bench/grid.ts, at the largest size; `--only grid` for those alone).
 * Never a timed test: this prints a table and exits 0 (1 only if a measurement crashed).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { wonderHeader } from './wonderData';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'bench', '.data');
const TASK = join(ROOT, 'bench', 'task.ts');
/** Bump when the generator changes so cached data files are rebuilt. */
const GENERATOR_VERSION = 1;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    sizes: { type: 'string' },
    runs: { type: 'string' },
    'cpu-prof': { type: 'boolean' },
    only: { type: 'string' },
  },
});

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size ${s}`);
  return Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'm' ? 1e6 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1));
}
const sizes = values.sizes ? values.sizes.split(',').map(parseSize) : values.quick ? [100_000] : [100_000, 1_000_000];
const runsFor = (n: number) => (values.runs ? Number(values.runs) : n >= 1_000_000 ? 2 : 3);
const only = values.only ? new Set(values.only.split(',')) : null;

interface Measure {
  task: string;
  ms: number;
  /** CPU time of the measurement (user + system, all threads). */
  cpuMs?: number;
  maxRssMB: number;
  /** Peak V8 heap used while measuring (sampled every 10 ms and after each GC). */
  heapPeakMB?: number;
  /** V8 heap used after a full GC at the end (for an import: the batch open in main). */
  heapRetainedMB?: number;
  rows: number;
  bytes?: number;
  extra?: Record<string, unknown>;
}

function runChild(task: string, arg: string, out = '', prof = false): Promise<Measure> {
  const args = ['--expose-gc', '--import', 'tsx'];
  if (prof) args.push('--cpu-prof', '--cpu-prof-dir', join(DATA, 'prof'), '--cpu-prof-name', `${task}-${arg.replace(/\W+/g, '_')}-${Date.now()}.cpuprofile`);
  args.push(TASK, task, arg, out);
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        rej(new Error(`${task} exited ${code}: ${(stderr.trim().split('\n').find((l) => /Error|error/.test(l)) ?? stderr.trim()).slice(0, 300)}`));
        return;
      }
      res(JSON.parse(line) as Measure);
    });
  });
}

interface Row {
  name: string;
  size: number;
  baseline: string;
  base?: Measure;
  ours?: Measure;
  error?: string;
  goal: string;
  pass?: boolean;
  note?: string;
}

const results: Row[] = [];

async function compare(
  name: string,
  size: number,
  baseline: { label: string; task: string; arg: string; out?: string },
  oursTask: { task: string; arg: string; out?: string },
  goal: { label: string; check: ((b: Measure, o: Measure) => boolean) | null },
): Promise<void> {
  if (only && !only.has(name)) return;
  const row: Row = { name, size, baseline: baseline.label, goal: goal.label };
  results.push(row);
  const n = runsFor(size);
  process.stderr.write(`  ${name} @ ${fmtN(size)} (best of ${n}) `);
  try {
    for (let i = 0; i < n; i++) {
      const b = await runChild(baseline.task, baseline.arg, baseline.out);
      process.stderr.write('.');
      const o = await runChild(oursTask.task, oursTask.arg, oursTask.out, values['cpu-prof'] === true && i === 0);
      process.stderr.write('.');
      if (!row.base || b.ms < row.base.ms) row.base = { ...b, maxRssMB: Math.max(b.maxRssMB, row.base?.maxRssMB ?? 0) };
      else row.base.maxRssMB = Math.max(row.base.maxRssMB, b.maxRssMB);
      if (!row.ours || o.ms < row.ours.ms) row.ours = { ...o, maxRssMB: Math.max(o.maxRssMB, row.ours?.maxRssMB ?? 0) };
      else row.ours.maxRssMB = Math.max(row.ours.maxRssMB, o.maxRssMB);
    }
    row.pass = goal.check ? goal.check(row.base!, row.ours!) : undefined;
    if (row.base!.rows !== row.ours!.rows) row.note = `row counts differ: baseline ${row.base!.rows}, ours ${row.ours!.rows}`;
    process.stderr.write(` ${row.pass === undefined ? 'measured' : row.pass ? 'PASS' : 'FAIL'}\n`);
  } catch (e) {
    row.error = (e as Error).message;
    process.stderr.write(` ERROR\n`);
  }
}

function fmtN(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
}
function fmtMs(ms?: number): string {
  return ms === undefined ? '-' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
function fmtMB(mb?: number): string {
  return mb === undefined ? '-' : `${Math.round(mb)} MB`;
}

const editNotes: string[] = [];

/** The batch import side by side with the peer: times after the file is read, memory as a multiple of the file. */
function importTable(r: Row): void {
  const o = r.ours!;
  const b = r.base!;
  const ox = o.extra as Record<string, number>;
  const bx = b.extra as Record<string, number>;
  const file = ox.fileMB!;
  const x = (mb: number | undefined) => (mb === undefined ? '-' : `${Math.round(mb)} MB = ${(mb / file).toFixed(1)}x file`);
  const at = r.size >= 1_000_000 ? '' : ' (goal at 1M)';
  const rows: [string, string, string, string][] = [
    ['read + parse the file', fmtMs(bx.readMs), fmtMs(ox.readMs), ''],
    ['first screen after read', fmtMs(bx.firstScreenAfterReadMs), `${fmtMs(ox.firstScreenAfterReadMs)} (${ox.firstRows} rows)`, `<= 2 s${at}`],
    ['durable store after read', fmtMs(bx.durableAfterReadMs), fmtMs(ox.durableAfterReadMs), `<= 8 s${at}`],
    ['  CPU time of it (user + system)', fmtMs(bx.durableCpuMs), fmtMs(ox.durableCpuMs), ''],
    ['main heap peak', x(b.heapPeakMB), x(o.heapPeakMB), ''],
    ['main heap, batch open (after GC)', x(b.heapRetainedMB), x(o.heapRetainedMB), `with renderer <= 4x${at}`],
    ['main peak RSS', x(b.maxRssMB), x(o.maxRssMB), ''],
  ];
  const head: [string, string, string, string] = [`${r.name} @ ${fmtN(r.size)} (${file.toFixed(1)} MB file)`, 'peer', 'ours', 'goal'];
  const w = [0, 1, 2, 3].map((i) => Math.max(head[i]!.length, ...rows.map((l) => l[i]!.length)));
  const line = (l: string[]) => l.map((v, i) => v.padEnd(w[i]!)).join(' | ').trimEnd();
  console.log('');
  console.log(line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('-|-'));
  for (const l of rows) console.log(line(l));
  console.log(`(peer: ${r.baseline}; it shows nothing until all is stored, keeps card numbers in clear and no findings; ours: ${ox.errors} errors found. Renderer heap: measured in Chromium by the grid bench.)`);
}

async function ensureData(kind: 'csv' | 'xlsx', n: number): Promise<string> {
  const path = join(DATA, `wonder-${n}.${kind}`);
  const stamp = `${path}.meta.json`;
  const header = await wonderHeader();
  const meta = JSON.stringify({ v: GENERATOR_VERSION, header: createHash('sha1').update(header.join('\u0000')).digest('hex'), n });
  if (existsSync(path) && existsSync(stamp) && (await readFile(stamp, 'utf8')) === meta) return path;
  process.stderr.write(`  generating ${path} ... `);
  await rm(path, { force: true });
  const m = await runChild(kind === 'csv' ? 'gen-csv' : 'gen-xlsx', String(n), path);
  await writeFile(stamp, meta);
  process.stderr.write(`${fmtMs(m.ms)}, ${((m.bytes ?? 0) / 1024 / 1024).toFixed(1)} MB\n`);
  return path;
}

async function main(): Promise<void> {
  await mkdir(DATA, { recursive: true });
  const cpus = os.cpus();
  const info = [
    `Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${os.platform()} ${os.release()}`,
    `Node ${process.version} (${process.execPath}), V8 ${process.versions.v8}`,
    `Sizes: ${sizes.map(fmtN).join(', ')}; best of ${sizes.map((s) => `${runsFor(s)} @ ${fmtN(s)}`).join(', ')}; each measurement in a fresh child process`,
  ];
  console.log(info.join('\n'));
  const started = Date.now();
  const tmpOut = join(DATA, 'out');
  await mkdir(tmpOut, { recursive: true });

  for (const n of sizes) {
    process.stderr.write(`size ${fmtN(n)}\n`);
    const csv = await ensureData('csv', n);
    await compare(
      'CSV import+validate',
      n,
      { label: 'read + UTF-8 decode + Papa.parse', task: 'papa', arg: csv },
      { task: 'ours-import', arg: csv },
      // The issue sets this goal at 1M rows; smaller sizes are printed for information.
      n >= 1_000_000 ? { label: '<= 1.5x', check: (b, o) => o.ms <= 1.5 * b.ms } : { label: '(goal at 1M)', check: null },
    );
    await compare(
      'validate (CLI) memory',
      n,
      { label: 'read + UTF-8 decode + Papa.parse', task: 'papa', arg: csv },
      { task: 'ours-cli-validate', arg: csv },
      // the issue's memory goal: `batchdesk validate` of 1M Wonder rows in at most 1 GB peak RSS
      n >= 1_000_000 ? { label: 'RSS <= 1 GB', check: (_b, o) => o.maxRssMB <= 1024 } : { label: '(goal at 1M)', check: null },
    );
    await compare(
      'Batch import (durable)',
      n,
      { label: 'papaparse + hand rules + better-sqlite3 insert', task: 'peer-batch-import', arg: csv },
      { task: 'ours-batch-import', arg: csv },
      n >= 1_000_000 ? { label: '<= 8 s', check: (_b, o) => o.ms <= 8000 } : { label: '(goal at 1M)', check: null },
    );
    if (!only || only.has('Batch edit')) {
      try {
        const m = await runChild('ours-batch-edit', csv);
        const x = m.extra as Record<string, number>;
        editNotes.push(`NOTE Batch edit @ ${fmtN(n)} (main side, no baseline): edit → validated (incl. duplicates) + journaled + durable + window p50 ${x.editP50Ms!.toFixed(1)} ms, p95 ${x.editP95Ms!.toFixed(1)} ms (goal 16 ms, the renderer's paint not included); sort by amount ${fmtMs(x.sortMs)} (goal 1.5 s); paste 10,000 x 11 validated + journaled ${fmtMs(x.paste10kx11Ms)} (goal 1 s); main heap ${x.heapMB} MB`);
      } catch (e) {
        editNotes.push(`ERROR Batch edit @ ${fmtN(n)}: ${(e as Error).message}`);
      }
    }
    await compare(
      'CSV export',
      n,
      { label: "rows.map(join(',')).join(CRLF) + writeFile", task: 'join-write', arg: String(n), out: join(tmpOut, 'join.csv') },
      { task: 'ours-csv-write', arg: String(n), out: join(tmpOut, 'ours.csv') },
      n >= 1_000_000 ? { label: '<= 1.2x', check: (b, o) => o.ms <= 1.2 * b.ms } : { label: '(goal at 1M)', check: null },
    );
    await compare(
      'XLSX export',
      n,
      { label: 'exceljs WorkbookWriter (no shared strings)', task: 'exceljs-write', arg: String(n), out: join(tmpOut, 'exceljs.xlsx') },
      { task: 'ours-xlsx-write', arg: String(n), out: join(tmpOut, 'ours.xlsx') },
      n >= 1_000_000
        ? { label: '< 1.0x, RSS <= 1.2 GB', check: (b, o) => o.ms < b.ms && o.maxRssMB <= 1.2 * 1024 }
        : { label: '< 1.0x', check: (b, o) => o.ms < b.ms },
    );
    if (n <= 100_000) {
      const xlsx = await ensureData('xlsx', n);
      await compare(
        'XLSX import',
        n,
        { label: 'exceljs WorkbookReader (collect values)', task: 'exceljs-read', arg: xlsx },
        { task: 'ours-xlsx-read', arg: xlsx },
        { label: '<= 1.0x', check: (b, o) => o.ms <= b.ms },
      );
    }
  }
  await rm(tmpOut, { recursive: true, force: true });

  const head = ['Measurement', 'Rows', 'Baseline', 'Base time', 'Ours time', 'Ratio', 'Base RSS', 'Ours RSS', 'Goal', 'Result'];
  const table = results.map((r) => [
    r.name,
    fmtN(r.size),
    r.baseline,
    fmtMs(r.base?.ms),
    fmtMs(r.ours?.ms),
    r.base && r.ours ? `${(r.ours.ms / r.base.ms).toFixed(2)}x` : '-',
    fmtMB(r.base?.maxRssMB),
    fmtMB(r.ours?.maxRssMB),
    r.goal,
    r.error ? 'ERROR' : r.pass === undefined ? 'info' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd();
  console.log('');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of table) console.log(line(r));
  for (const r of results) {
    if (r.error) console.log(`ERROR ${r.name} @ ${fmtN(r.size)}: ${r.error}`);
    if (r.note) console.log(`NOTE ${r.name} @ ${fmtN(r.size)}: ${r.note}`);
    if (r.ours?.extra && r.base?.extra && r.name.startsWith('Batch import')) importTable(r);
  }
  for (const l of editNotes) console.log(l);
  const goals = results.filter((r) => r.error || r.pass !== undefined);
  const failed = goals.filter((r) => !r.error && r.pass === false).length;
  const errored = goals.filter((r) => r.error).length;
  console.log(`\n${goals.length - failed - errored}/${goals.length} goals met${failed ? `, ${failed} FAILED` : ''}${errored ? `, ${errored} could not be measured` : ''}. Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  if (values['cpu-prof']) console.log(`CPU profiles of our side (first run of each): ${join(DATA, 'prof')}`);
  const gridOk = !only || only.has('grid') ? await runGrid(Math.max(...sizes)) : true;
  process.exitCode = errored || !gridOk ? 1 : 0;
}

/** The grid figures (bench/grid.ts) in their own process: a browser, the harness and main. */
function runGrid(rows: number): Promise<boolean> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'grid.ts'), '--rows', String(rows)], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', () => res(false));
    child.on('close', (code) => res(code === 0));
  });
}

await main();
