/**
 * The batch editor's channels (import, rows, summary, export). Kept apart from handlers.ts so the
 * editor's wiring reads as one piece; every change to rows goes through the batch's journal.
 */
import type { Emit, Services } from '../services';
import { AppError } from '../services/errors';
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

const notYet = (): never => {
  throw new AppError('unavailable', 'The batch editor is not available in this build yet.');
};

export function editorHandlers(_s: Services, _emit: Emit): Pick<Handlers, EditorChannel> {
  return {
    'import.preview': notYet,
    'import.start': notYet,
    'import.cancel': notYet,
    'rows.window': notYet,
    'rows.edit': notYet,
    'rows.insert': notYet,
    'rows.delete': notYet,
    'rows.paste': notYet,
    'rows.undo': notYet,
    'rows.redo': notYet,
    'rows.findings': notYet,
    'rows.nextError': notYet,
    'rows.applyFix': notYet,
    'rows.find': notYet,
    'rows.replace': notYet,
    'rows.reveal': notYet,
    'batches.summary': notYet,
    'batches.export': notYet,
  };
}
