/** CLI entry point (loaded by cli/batchdesk.mjs through tsx). */
import { run } from './run';

// A closed pipe (`batchdesk validate x --json | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

// Written as produced (validate --json comes in chunks): never one string of the whole output.
// Node flushes what is queued before the process exits (exitCode, not exit()).
const code = await run(process.argv.slice(2), {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
});
process.exitCode = code;
