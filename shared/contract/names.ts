/**
 * Channel and event names only, without zod, for the preload (which must stay tiny). A test checks
 * these lists equal the contract's keys.
 */
export const CHANNEL_NAME_LIST = [
  'app.info',
  'batches.list',
  'batches.create',
  'batches.rename',
  'batches.delete',
  'batches.restore',
  'history.list',
  'files.check',
  'files.choose',
  'settings.get',
  'settings.set',
  'policy.get',
  'import.preview',
  'import.start',
  'import.cancel',
  'rows.window',
  'rows.edit',
  'rows.insert',
  'rows.delete',
  'rows.paste',
  'rows.undo',
  'rows.redo',
  'rows.findings',
  'rows.nextError',
  'rows.applyFix',
  'rows.find',
  'rows.replace',
  'rows.reveal',
  'batches.summary',
  'batches.export',
  'submit.connections',
  'submit.preview',
  'submit.start',
  'submit.status',
  'submit.pause',
  'submit.resume',
  'submit.cancel',
] as const;
export const EVENT_NAME_LIST = ['batches.changed', 'task.progress', 'settings.changed', 'rows.changed', 'import.finished', 'submit.finished'] as const;
export const IPC_PREFIX = 'batchdesk:';
export const EVENT_PREFIX = 'batchdesk-event:';
