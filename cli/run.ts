/**
 * The Batchdesk CLI. The contract (commands, flags, JSON shape, exit codes) is relied upon by other
 * tools: see USAGE in ./args. Exit codes: 0 ok, 1 the batch has errors, 2 unreadable input or usage.
 */
import { isFormatError } from '../shared/formats/errors';
import { getProfile } from '../shared/formats/profiles';
import { summarize } from '../shared/formats';
import { PROFILE_IDS, type Issue, type ProfileId } from '../shared/formats/types';
import { parseCli, UsageError, USAGE, type ExportArgs, type ValidateArgs } from './args';
import { AppError } from '../electron/main/services/errors';
import { firstErrors, issueTable, maskPans, summaryLine, toJsonIssue } from './report';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_UNUSABLE = 2;

function profileId(p: string): ProfileId {
  const id = p.toLowerCase();
  if (!(PROFILE_IDS as readonly string[]).includes(id)) {
    throw new UsageError(`unknown profile "${p}" (expected one of: ${PROFILE_IDS.join(', ')})`);
  }
  return id as ProfileId;
}

async function buildContext(args: ValidateArgs | ExportArgs) {
  const { defaultContext } = await import('../shared/formats');
  const ctx = defaultContext();
  if (args.currency !== undefined) ctx.currency = args.currency;
  if (args.amountUnit !== undefined) ctx.amountUnit = args.amountUnit;
  return ctx;
}

async function load(args: ValidateArgs | ExportArgs) {
  const profile = profileId(args.profile);
  const ctx = await buildContext(args);
  const { importFile } = await import('../electron/main/services/files/importFile');
  const result = await importFile(args.file, { profile, ctx, ...(args.sheet !== undefined ? { sheet: args.sheet } : {}) });
  return { profile, ctx, ...result };
}

async function validate(args: ValidateArgs, io: Io): Promise<number> {
  const { profile, rows, issues } = await load(args);
  const { errors, warnings } = summarize(issues);
  if (args.json) {
    io.stdout(
      JSON.stringify({ profile, file: args.file, rows: rows.length, errors, warnings, issues: issues.map(toJsonIssue) }) + '\n',
    );
  } else {
    io.stdout(issueTable(issues));
    io.stdout(summaryLine(args.file, profile, rows.length, issues) + '\n');
  }
  return errors > 0 ? EXIT_ERRORS : EXIT_OK;
}

async function exportCmd(args: ExportArgs, io: Io): Promise<number> {
  const { profile, ctx, rows, issues } = await load(args);
  const { errors, warnings } = summarize(issues);
  if (errors > 0) {
    io.stderr(`Export refused: ${args.file} has ${errors} error${errors === 1 ? '' : 's'} (${profile}). Nothing was written. First errors:\n`);
    io.stderr(firstErrors(issues).join('\n') + '\n');
    if (errors > 5) io.stderr(`  ... and ${errors - 5} more; run "batchdesk validate ${args.file} --profile ${profile}" for the full list.\n`);
    return EXIT_ERRORS;
  }
  const { exportFile } = await import('../electron/main/services/files/exportFile');
  try {
    const res = await exportFile(rows, { profile, out: args.out, ctx, includeFullCardNumbers: args.includeFullCardNumbers,
      ...(args.terminalId !== undefined ? { jsonLines: { terminalId: args.terminalId } } : {}),
    });
    if (args.json) {
      io.stdout(JSON.stringify({ profile, file: args.file, out: res.out, rows: res.rows, warnings, files: res.files, bytes: res.bytes, fullCardNumbers: res.fullCardNumbers }) + '\n');
    } else {
      io.stdout(`Exported ${res.rows} row${res.rows === 1 ? '' : 's'} (${profile}) to ${res.out}:\n`);
      for (const f of res.files) io.stdout(`  ${f}\n`);
      if (res.replaced.length > 0) io.stdout(`  (replaced ${res.replaced.length} file${res.replaced.length === 1 ? '' : 's'} from a previous export)\n`);
      const hasPan = getProfile(profile).columns.some((c) => c.sensitive === 'pan');
      const panNote = hasPan ? `; card numbers ${res.fullCardNumbers ? 'IN FULL (--include-full-card-numbers)' : 'masked'}` : '';
      io.stdout(`${res.bytes} bytes written${panNote}` + (warnings ? `; ${warnings} warning${warnings === 1 ? '' : 's'} (see validate)` : '') + '\n');
    }
    return EXIT_OK;
  } catch (e) {
    // exportFile re-validates; a refusal there is still "the batch has errors".
    const issuesOf = (e as { issues?: Issue[] }).issues;
    if (isFormatError(e) && Array.isArray(issuesOf)) {
      io.stderr(`Export refused: ${maskPans((e as Error).message)}\n${firstErrors(issuesOf).join('\n')}\n`);
      return EXIT_ERRORS;
    }
    throw e;
  }
}

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const args = parseCli(argv);
    switch (args.command) {
      case 'help':
        io.stdout(USAGE);
        return EXIT_OK;
      case 'version': {
        const { createRequire } = await import('node:module');
        const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
        io.stdout(`batchdesk ${pkg.version}\n`);
        return EXIT_OK;
      }
      case 'validate':
        return await validate(args, io);
      case 'export':
        return await exportCmd(args, io);
      case 'import': {
        const { importCmd } = await import('./batchCommands');
        return await importCmd(args, profileId(args.profile), io);
      }
      case 'export-batch': {
        const { exportBatchCmd } = await import('./batchCommands');
        return await exportBatchCmd(args, io);
      }
    }
  } catch (e) {
    if (e instanceof AppError) {
      // the services' own refusals (not found, has errors, disk full...): a clear message, exit 1 for a batch with errors
      io.stderr(`batchdesk: ${maskPans(e.message)}\n`);
      return e.code === 'export.has_errors' ? EXIT_ERRORS : EXIT_UNUSABLE;
    }
    if (e instanceof UsageError) {
      io.stderr(`batchdesk: ${e.message}\n\n${USAGE}`);
      return EXIT_UNUSABLE;
    }
    if (isFormatError(e)) {
      const hint = e.code === 'export.setting_missing' && /terminalId/.test(e.message) ? ' On the command line: --terminal-id <id>.' : '';
      io.stderr(`batchdesk: ${maskPans(e.message)}${hint} [${e.code}]\n`);
      return EXIT_UNUSABLE;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
      io.stderr(`batchdesk: ${maskPans(err.message)}\n`);
      return EXIT_UNUSABLE;
    }
    io.stderr(`batchdesk: internal error: ${maskPans(err?.stack ?? String(e))}\n`);
    return EXIT_UNUSABLE;
  }
}
