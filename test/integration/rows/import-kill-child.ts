/**
 * Child process for the import kill test: imports a file into a new batch and prints
 * `SAVED <rows>` each time a chunk of rows has been committed. The parent SIGKILLs it then.
 * argv: <dataDir> <file>
 */
import { createServices } from '../../../electron/main/services';

const [dataDir, file] = process.argv.slice(2) as [string, string];
const s = createServices({ dataDir, mode: 'web', version: 'import-kill-test' });
s.events.emit = (name, payload) => {
  const p = payload as { label?: string; done?: number };
  if (name === 'task.progress' && p.label === 'Saving rows' && (p.done ?? 0) > 0) process.stdout.write(`SAVED ${p.done}\n`);
  if (name === 'import.finished') process.stdout.write('FINISHED\n');
};
const preview = await s.imports.preview({ file: { kind: 'path', path: file }, profile: 'wonder' });
s.imports.start({ file: { kind: 'path', path: file }, profile: 'wonder', mapping: preview.mapping, amountUnit: 'major', target: { kind: 'new', name: 'Killed import' } });
