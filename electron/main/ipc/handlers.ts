import type { Emit, Services } from '../services';
import type { Handlers } from './wrap';

/** The handler map: the same object serves Electron IPC and the browser harness. */
export function createHandlers(s: Services, emit: Emit): Handlers {
  return {
    'app.info': () => ({ name: 'Batchdesk', version: s.version, mode: s.mode, dataDir: s.dataDir, schemaVersion: s.schemaVersion }),
    'batches.list': (input) => s.batches.list(input),
    'batches.create': (input) => {
      const b = s.batches.create(input);
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
    'settings.get': () => s.settings.get(),
    'settings.set': (input) => {
      const next = s.settings.set(input);
      emit('settings.changed', next);
      return next;
    },
  };
}
