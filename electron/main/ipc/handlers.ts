import type { Emit, Services } from '../services';
import { defaultContext } from '../../../shared/formats';
import { AppError } from '../services/errors';
import type { Handlers } from './wrap';
import { editorHandlers } from './editorHandlers';
import { connectionHandlers } from './connectionHandlers';
import { submitHandlers } from './submitHandlers';
import { batchDefaults } from '../services/rows/imports';

/** What only the desktop shell can do; web mode leaves these out. */
export interface Platform {
  /** The native open dialog for CSV/XLSX files; null when the user cancels. */
  chooseFile?: () => Promise<string | null>;
}

/** The handler map: the same object serves Electron IPC and the browser harness. */
export function createHandlers(s: Services, emit: Emit, platform: Platform = {}): Handlers {
  return {
    'app.info': () => ({ name: 'Batchdesk', version: s.version, mode: s.mode, dataDir: s.dataDir, schemaVersion: s.schemaVersion }),
    'batches.list': (input) => s.batches.list(input),
    'batches.create': (input) => {
      // an empty batch; its amount unit and currency are decided now, once
      const b = s.batches.create({ ...input, ...batchDefaults(input.profile, s.settings.get()) });
      emit('batches.changed', { reason: 'created', id: b.id });
      return b;
    },
    'batches.rename': (input) => {
      const b = s.batches.rename(input);
      emit('batches.changed', { reason: 'renamed', id: b.id });
      return b;
    },
    'batches.delete': (input) => {
      const b = s.batches.delete(input);
      emit('batches.changed', { reason: 'deleted', id: b.id });
      return b;
    },
    'batches.restore': (input) => {
      const b = s.batches.restore(input);
      emit('batches.changed', { reason: 'restored', id: b.id });
      return b;
    },
    'history.list': (input) => s.audit.list(input),
    'files.check': async (input) => {
      const settings = s.settings.get();
      const ctx = { ...defaultContext(), currency: settings.wonderCurrency, amountUnit: settings.wonderAmountUnit };
      const result = await s.files.check(input, ctx, (p) => emit('task.progress', p));
      s.audit.record('file.check', 'file', null, {
        path: input.path,
        profile: input.profile,
        rows: result.rows,
        errors: result.errors,
        warnings: result.warnings,
      });
      return result;
    },
    'files.choose': async () => {
      if (!platform.chooseFile) {
        throw new AppError('unavailable', "The file dialog exists only in the desktop app: in the browser, type or paste the file's full path.");
      }
      return { path: await platform.chooseFile() };
    },
    'settings.get': () => s.settings.get(),
    'settings.set': (input) => {
      const next = s.settings.set(input);
      emit('settings.changed', next);
      return next;
    },
    'policy.get': () => s.policy.view,
    ...editorHandlers(s, emit),
    ...connectionHandlers(s),
    ...submitHandlers(s, emit),
  };
}
