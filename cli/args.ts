import { parseArgs } from 'node:util';
import { isCurrencyCode } from '../shared/formats/money';
import { parseSandboxArgs, SANDBOX_USAGE, type SandboxArgs } from './sandbox';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ValidateArgs {
  command: 'validate';
  file: string;
  profile: string;
  json: boolean;
  sheet?: string;
  currency?: string;
  amountUnit?: 'major' | 'minor';
}

export interface ExportArgs {
  command: 'export';
  file: string;
  profile: string;
  out: string;
  sheet?: string;
  currency?: string;
  amountUnit?: 'major' | 'minor';
  includeFullCardNumbers: boolean;
  json: boolean;
  terminalId?: string;
}

export interface ImportArgs {
  command: 'import';
  file: string;
  profile: string;
  name?: string;
  sheet?: string;
  currency?: string;
  amountUnit?: 'major' | 'minor';
  json: boolean;
}

export interface ExportBatchArgs {
  command: 'export-batch';
  batch: string;
  out?: string;
  includeFullCardNumbers: boolean;
  json: boolean;
}

export interface BackupArgs {
  command: 'backup';
  out: string;
}


export interface SubmitArgs {
  command: 'submit';
  /** A file to import into a new batch, or undefined with `batch`. */
  file?: string;
  profile?: string;
  batch?: string;
  /** connection.json; undefined = the built-in sandbox. */
  connection?: string;
  json: boolean;
  wait: boolean;
}

export interface StatusArgs {
  command: 'status';
  batchId: string;
  json: boolean;
}

export type CliArgs = ValidateArgs | ExportArgs | ImportArgs | ExportBatchArgs | BackupArgs | SandboxArgs | SubmitArgs | StatusArgs | { command: 'help'; topic?: string } | { command: 'version' };

export const USAGE = `Usage:
  batchdesk validate <file> --profile <id> [--json] [--sheet <name>]
  batchdesk export <file> --profile <id> --out <path> [--sheet <name>] [--include-full-card-numbers]
  batchdesk import <file> --profile <id> [--amount-unit major|minor] [--name <text>] [--json]
  batchdesk export --batch <id> [--out <path>] [--include-full-card-numbers] [--json]
  batchdesk backup --out <file>
${SANDBOX_USAGE}
  batchdesk submit <file> --profile <id> [--connection <connection.json>] [--json] [--wait]
  batchdesk submit --batch <id> [--connection <connection.json>] [--json] [--wait]
  batchdesk status <batch-id> [--json]

Profiles: wonder, epay, sibs, jpmmps
Input: CSV (any common encoding/delimiter) or XLSX, detected from the file's content.

validate   Checks every row against the provider profile.
           --json     print exactly one JSON object on stdout
           --sheet    XLSX sheet to read, hidden ones too (default: the sheet Excel
                      opens on, else the first visible one; the output says which)
export     Writes the provider file(s). Refused when the batch has errors.
           --out      wonder: a .csv or .xlsx file; epay, sibs, jpmmps: a folder
           --include-full-card-numbers   write full card numbers (masked otherwise)
           --terminal-id <id>            sibs: the terminalId from your SIBS onboarding
import     Stores the file as a new batch under BATCHDESK_HOME and prints its id.
           --amount-unit  the unit the file's amounts are in (default: major if any
                          amount has decimals); decided once for the whole file
           --name         the batch's name (default: the file's name)
           --json         print {"batch": id, "rows": N, "errors": N, "warnings": N}
           Exit codes: 0 stored without errors, 1 stored with errors, 2 not stored.
export --batch <id>
           Writes a stored batch with the same writers (settings give SIBS/JPMMPS values).
           --out      default: the exports folder in the data folder
backup     Copies the database (BATCHDESK_HOME or the app's data folder) to a new file, safely
           while the app is running (SQLite online backup), and checks the copy.

submit     Imports the file into a new batch (refused if it has errors), submits it and prints
           each row's result. Without --wait it returns once every row is accepted or rejected;
           with --wait once every row is final. --connection omitted = the built-in sandbox
           (nothing is charged). Exit: 0 all accepted (succeeded with --wait), 1 some rejected,
           failed or needing review, 2 could not run.
status     Where a submitted batch stands: counts, amounts, each row.

Common options:
  --currency <ISO>          default currency when the file has no currency column
  --amount-unit major|minor how amounts are expressed in the file (default: major, e.g. 129.90)
  --help, -h                this help

Exit codes: 0 ok, 1 the batch has errors (nothing exported), 2 unreadable file or bad usage.
`;

const OPTIONS = {
  profile: { type: 'string', short: 'p' },
  json: { type: 'boolean' },
  sheet: { type: 'string' },
  out: { type: 'string', short: 'o' },
  currency: { type: 'string' },
  'amount-unit': { type: 'string' },
  'include-full-card-numbers': { type: 'boolean' },
  'terminal-id': { type: 'string' },
  batch: { type: 'string' },
  name: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  connection: { type: 'string' },
  wait: { type: 'boolean' },
} as const;

export function parseCli(argv: string[]): CliArgs {
  if (argv[0] === 'sandbox' && !argv.includes('--help') && !argv.includes('-h')) return parseSandboxArgs(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) return { command: 'version' };
  if (values.help || command === 'help') return { command: 'help', topic: command === 'help' ? rest[0] : command };
  if (command === undefined) throw new UsageError('missing command (validate, export, import, submit, status, backup or sandbox)');
  if (command === 'submit') return submitArgs(values, rest);
  if (command === 'status') {
    if (rest.length !== 1) throw new UsageError('status: expected one <batch-id>');
    for (const k of ['profile', 'out', 'connection', 'batch', 'wait', 'sheet', 'currency'] as const) if (values[k] !== undefined) throw new UsageError(`status: --${k} is not an option of status`);
    return { command: 'status', batchId: rest[0]!, json: values.json ?? false };
  }
  if (command === 'backup') {
    if (rest.length > 0) throw new UsageError(`backup: takes no file argument, got ${rest.join(' ')} (use --out <file>)`);
    if (values.out === undefined || values.out === '') throw new UsageError('backup: --out <file> is required');
    for (const flag of ['profile', 'json', 'sheet', 'currency', 'amount-unit', 'include-full-card-numbers', 'terminal-id'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`backup: --${flag} is not an option of backup`);
    }
    return { command, out: values.out };
  }
  if (command !== 'validate' && command !== 'export' && command !== 'import') throw new UsageError(`unknown command "${command}" (expected validate, export, import, submit, status, backup or sandbox)`);
  if (command === 'export' && values.batch !== undefined) {
    if (rest.length > 0) throw new UsageError('export --batch <id> takes no <file>');
    if (values.batch === '') throw new UsageError('--batch needs a batch id');
    for (const k of ['profile', 'sheet', 'currency', 'amount-unit', 'terminal-id', 'name'] as const) {
      if (values[k] !== undefined) throw new UsageError(`export --batch: --${k} does not apply (the batch and the settings decide it)`);
    }
    return {
      command: 'export-batch',
      batch: values.batch,
      ...(values.out !== undefined && values.out !== '' ? { out: values.out } : {}),
      includeFullCardNumbers: values['include-full-card-numbers'] ?? false,
      json: values.json ?? false,
    };
  }
  if (values.batch !== undefined) throw new UsageError(`${command}: --batch is only for export --batch <id> and submit --batch <id>`);
  if (command !== 'import' && values.name !== undefined) throw new UsageError(`${command}: --name is only for import`);
  for (const k of ['connection', 'wait'] as const) if (values[k] !== undefined) throw new UsageError(`${command}: --${k} is only for submit`);
  if (rest.length === 0) throw new UsageError(`${command}: missing <file>`);
  if (rest.length > 1) throw new UsageError(`${command}: expected one <file>, got ${rest.length}: ${rest.join(' ')}`);
  const file = rest[0]!;
  if (values.profile === undefined || values.profile === '') throw new UsageError(`${command}: --profile <id> is required`);
  const unitRaw = values['amount-unit'];
  if (unitRaw !== undefined && unitRaw !== 'major' && unitRaw !== 'minor') {
    throw new UsageError(`--amount-unit must be "major" or "minor", got "${unitRaw}"`);
  }
  const amountUnit: 'major' | 'minor' | undefined = unitRaw;
  if (values.currency !== undefined && !isCurrencyCode(values.currency.toUpperCase())) {
    throw new UsageError(`--currency must be an ISO 4217 currency code (e.g. HKD, EUR, USD), got "${values.currency}"`);
  }
  if (values.sheet !== undefined && values.sheet === '') throw new UsageError('--sheet needs a sheet name');
  const common = {
    file,
    profile: values.profile,
    ...(values.sheet !== undefined ? { sheet: values.sheet } : {}),
    ...(values.currency !== undefined ? { currency: values.currency.toUpperCase() } : {}),
    ...(amountUnit !== undefined ? { amountUnit } : {}),
  };
  if (command === 'import') {
    for (const k of ['out', 'terminal-id'] as const) if (values[k] !== undefined) throw new UsageError(`import: --${k} is only for export`);
    if (values['include-full-card-numbers']) throw new UsageError('import: --include-full-card-numbers is only for export');
    if (values.name !== undefined && values.name.trim() === '') throw new UsageError('--name needs a text');
    return { command, json: values.json ?? false, ...common, ...(values.name !== undefined ? { name: values.name.trim() } : {}) };
  }
  if (command === 'validate') {
    if (values.out !== undefined) throw new UsageError('validate: --out is only for export');
    if (values['include-full-card-numbers']) throw new UsageError('validate: --include-full-card-numbers is only for export');
    if (values['terminal-id'] !== undefined) throw new UsageError('validate: --terminal-id is only for export');
    return { command, json: values.json ?? false, ...common };
  }
  if (values.out === undefined || values.out === '') throw new UsageError('export: --out <path> is required');
  return {
    command,
    out: values.out,
    includeFullCardNumbers: values['include-full-card-numbers'] ?? false,
    json: values.json ?? false,
    ...(values['terminal-id'] !== undefined ? { terminalId: values['terminal-id'] } : {}),
    ...common,
  };
}

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

function submitArgs(values: Values, rest: string[]): SubmitArgs {
  if (values.out !== undefined || values['include-full-card-numbers'] || values['terminal-id'] !== undefined) throw new UsageError('submit: --out, --include-full-card-numbers and --terminal-id are export options');
  if (values.connection === '') throw new UsageError('submit: --connection needs a file (omit it for the built-in sandbox)');
  const common = { command: 'submit' as const, json: values.json ?? false, wait: values.wait ?? false, ...(values.connection !== undefined ? { connection: values.connection } : {}) };
  if (values.batch !== undefined) {
    if (rest.length > 0) throw new UsageError('submit: give either <file> or --batch <id>, not both');
    if (values.profile !== undefined) throw new UsageError('submit --batch: the stored batch has its profile; drop --profile');
    if (values.batch === '') throw new UsageError('submit: --batch needs a batch id');
    return { ...common, batch: values.batch };
  }
  if (rest.length === 0) throw new UsageError('submit: missing <file> (or --batch <id>)');
  if (rest.length > 1) throw new UsageError(`submit: expected one <file>, got ${rest.length}: ${rest.join(' ')}`);
  if (values.profile === undefined || values.profile === '') throw new UsageError('submit: --profile <id> is required');
  return { ...common, file: rest[0]!, profile: values.profile };
}
