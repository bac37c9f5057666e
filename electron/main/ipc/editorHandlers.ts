/**
 * The batch editor's channels (import, rows, summary, export). Kept apart from handlers.ts so the
 * editor's wiring reads as one piece; every change to rows goes through the batch's journal
 * (RowsService → BatchSession), every import through ImportService.
 */
import type { Emit, Services } from '../services';
import { exportBatch } from '../services/rows/export';
import type { Handlers } from './wrap';

type EditorChannel =
  | 'import.preview'
  | 'import.start'
  | 'import.cancel'
  | 'rows.window'
  | 'rows.edit'
  | 'rows.insert'
  | 'rows.delete'
  | 'rows.paste'
  | 'rows.undo'
  | 'rows.redo'
  | 'rows.findings'
  | 'rows.nextError'
  | 'rows.applyFix'
  | 'rows.find'
  | 'rows.replace'
  | 'rows.reveal'
  | 'batches.summary'
  | 'batches.export';

export function editorHandlers(s: Services, emit: Emit): Pick<Handlers, EditorChannel> {
  // services push rows.changed / task.progress / import.finished through the same transport
  s.events.emit = emit;
  return {
    'import.preview': (input) => s.imports.preview(input),
    'import.start': (input) => s.imports.start(input),
    'import.cancel': (input) => s.imports.cancel(input.taskId),
    'rows.window': (input) => s.rows.window(input),
    'rows.edit': (input) => s.rows.edit(input),
    'rows.insert': (input) => s.rows.insert(input),
    'rows.delete': (input) => s.rows.delete(input),
    'rows.paste': (input) => s.rows.paste(input),
    'rows.undo': (input) => s.rows.undo(input.batchId),
    'rows.redo': (input) => s.rows.redo(input.batchId),
    'rows.findings': (input) => s.rows.findings(input),
    'rows.nextError': (input) => s.rows.nextError(input),
    'rows.applyFix': (input) => s.rows.applyFix(input),
    'rows.find': (input) => s.rows.find(input),
    'rows.replace': (input) => s.rows.replace(input),
    'rows.reveal': (input) => s.rows.reveal(input),
    'batches.summary': (input) => s.rows.summary(input.batchId, s.batches.get(input.batchId, s.rows.liveRowCount(input.batchId))),
    'batches.export': async (input) => {
      const session = s.rows.open(input.batchId);
      const r = await exportBatch(session, { out: input.out, format: input.format, includeFullCardNumbers: input.includeFullCardNumbers, dataDir: s.dataDir, settings: s.settings.get() });
      s.audit.record('batch.export', 'batch', session.id, {
        files: r.files.length,
        rows: r.rows,
        masked: r.masked,
        text: `Exported "${session.name}" — ${r.rows.toLocaleString('en-US')} rows${r.masked ? ', card numbers masked (for review)' : session.sensitiveCols.length > 0 ? ', full card numbers (for upload)' : ' for upload'} to ${r.files[0] ?? ''}${r.files.length > 1 ? ` and ${r.files.length - 1} more file${r.files.length === 2 ? '' : 's'}` : ''}`,
      });
      return r;
    },
  };
}
