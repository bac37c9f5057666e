/**
 * SQLite refusing a write, in the clerk's words. The change was not saved and nothing already
 * saved is lost; editing works again once the cause is gone (space freed, the other program closed).
 */
import { AppError } from '../errors';

export function storageError(e: unknown): Error {
  if (e instanceof AppError) return e;
  const code = String((e as { code?: unknown }).code ?? '');
  const message = String((e as { message?: unknown }).message ?? e);
  if (code === 'SQLITE_FULL' || /database or disk is full/i.test(message)) {
    return new AppError('db.full', 'The disk is full, so this change was not saved (everything saved before is safe). Free some disk space, then make the change again.');
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || /database is locked|busy/i.test(message)) {
    return new AppError('db.locked', 'Another program is using the Batchdesk data file, so this change was not saved (everything saved before is safe). Close the other program (or wait for it to finish), then make the change again.');
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return new AppError('db.unwritable', `The Batchdesk data file cannot be written (${code}), so this change was not saved. Check the disk and the folder's permissions, then try again.`);
  }
  return e instanceof Error ? e : new Error(message);
}
