/**
 * Electron hardening check: @doyensec/electronegativity over the project, offline. Fails on any
 * HIGH or MEDIUM finding that is not annotated in the source with `// eng-disable CHECK_ID` (and a
 * reason next to it). Findings in build output (out/, dist/) are left out: those files are the
 * bundled copies of the sources scanned here, with the annotation comments stripped.
 * Offline flags: AvailableSecurityFixesGlobalCheck would fetch Electron's release list, and the
 * Electron version is given rather than looked up.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const Papa = require('papaparse');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');

/**
 * Runs electronegativity over `input` and returns its CSV report (null when it wrote none).
 * @param {string} input
 * @returns {{ csv: string | null, status: number | null, output: string }}
 */
export function scan(input) {
  const dir = mkdtempSync(join(tmpdir(), 'batchdesk-eng-'));
  const out = join(dir, 'findings.csv');
  try {
    const r = spawnSync(process.execPath, [cli, '-i', input, '-r', '-v', 'false', '-x', 'AvailableSecurityFixesGlobalCheck', '-e', electronVersion, '-o', out], {
      cwd: input,
      encoding: 'utf8',
      timeout: 300_000,
    });
    let csv = null;
    try {
      csv = readFileSync(out, 'utf8');
    } catch {
      csv = null;
    }
    return { csv, status: r.status, output: `${r.stdout}\n${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {string} csv */
export function parseFindings(csv) {
  return /** @type {Record<string, string>[]} */ (Papa.parse(csv.trim(), { header: true, skipEmptyLines: true, transformHeader: (/** @type {string} */ h) => h.trim() }).data);
}

/** @param {string} csv */
export function blockingFindings(csv) {
  return parseFindings(csv).filter((r) => ['HIGH', 'MEDIUM'].includes(String(r.severity).trim()) && !/^(out|dist)[/\\]/.test(String(r.filename)));
}

function main() {
  const { csv, status, output } = scan(root);
  if (csv === null) {
    process.stderr.write(`electronegativity produced no report (exit ${status}).\n${output}\n`);
    return 1;
  }
  const blocking = blockingFindings(csv);
  if (blocking.length) {
    process.stderr.write(`electronegativity: ${blocking.length} unannotated HIGH/MEDIUM finding(s):\n`);
    for (const f of blocking) process.stderr.write(`  ${f.severity} ${f.issue} ${f.filename}:${f.location} ${f.description}\n    ${f.sample}\n`);
    process.stderr.write('Fix them, or annotate the line with `// eng-disable CHECK_ID` and the reason.\n');
    return 1;
  }
  process.stdout.write(`electronegativity (Electron ${electronVersion}): no unannotated HIGH/MEDIUM findings (${parseFindings(csv).length} lower or informational)\n`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(main());
