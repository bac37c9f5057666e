import { parseArgs } from 'node:util';

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

export type CliArgs = ValidateArgs | ExportArgs | ImportArgs | ExportBatchArgs | { command: 'help'; topic?: string } | { command: 'version' };

export const USAGE = `Usage:
  batchdesk validate <file> --profile <id> [--json] [--sheet <name>]
  batchdesk export <file> --profile <id> --out <path> [--sheet <name>] [--include-full-card-numbers]
  batchdesk import <file> --profile <id> [--amount-unit major|minor] [--name <text>] [--json]
  batchdesk export --batch <id> [--out <path>] [--include-full-card-numbers] [--json]

Profiles: wonder, epay, sibs, jpmmps
Input: CSV (any common encoding/delimiter) or XLSX, detected from the file's content.

validate   Checks every row against the provider profile.
           --json     print exactly one JSON object on stdout
           --sheet    XLSX sheet to read (default: the first sheet)
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
} as const;

export function parseCli(argv: string[]): CliArgs {
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
  if (command === undefined) throw new UsageError('missing command (validate, export or import)');
  if (command !== 'validate' && command !== 'export' && command !== 'import') throw new UsageError(`unknown command "${command}" (expected validate, export or import)`);
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
  if (values.batch !== undefined) throw new UsageError(`${command}: --batch is only for export --batch <id>`);
  if (command !== 'import' && values.name !== undefined) throw new UsageError(`${command}: --name is only for import`);
  if (rest.length === 0) throw new UsageError(`${command}: missing <file>`);
  if (rest.length > 1) throw new UsageError(`${command}: expected one <file>, got ${rest.length}: ${rest.join(' ')}`);
  const file = rest[0]!;
  if (values.profile === undefined || values.profile === '') throw new UsageError(`${command}: --profile <id> is required`);
  const unitRaw = values['amount-unit'];
  if (unitRaw !== undefined && unitRaw !== 'major' && unitRaw !== 'minor') {
    throw new UsageError(`--amount-unit must be "major" or "minor", got "${unitRaw}"`);
  }
  const amountUnit: 'major' | 'minor' | undefined = unitRaw;
  if (values.currency !== undefined && !/^[A-Za-z]{3}$/.test(values.currency)) {
    throw new UsageError(`--currency must be a 3-letter ISO 4217 code, got "${values.currency}"`);
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
