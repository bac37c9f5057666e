/** CLI entry point (loaded by cli/batchdesk.mjs through tsx). */
import { run } from './run';

// A closed pipe (`batchdesk validate x --json | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const out: string[] = [];
const err: string[] = [];
function flush(stream: NodeJS.WriteStream, parts: string[]): Promise<void> {
  if (parts.length === 0) return Promise.resolve();
  return new Promise((res) => stream.write(parts.splice(0).join(''), () => res()));
}

const code = await run(process.argv.slice(2), {
  stdout: (s) => out.push(s),
  stderr: (s) => err.push(s),
  flush: async () => {
    await flush(process.stdout, out);
    await flush(process.stderr, err);
  },
});
await flush(process.stdout, out);
await flush(process.stderr, err);
process.exitCode = code;
