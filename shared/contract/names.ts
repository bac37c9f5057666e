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
] as const;
export const EVENT_NAME_LIST = ['batches.changed', 'task.progress', 'settings.changed'] as const;
export const IPC_PREFIX = 'batchdesk:';
export const EVENT_PREFIX = 'batchdesk-event:';
