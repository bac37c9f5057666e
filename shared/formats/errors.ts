/**
 * A file or batch that cannot be processed at all (unreadable, hostile, over a limit). Row-level
 * problems are `Issue`s, not exceptions. `code` is stable; `message` says what to fix.
 */
export class FormatError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'FormatError';
    this.code = code;
  }
}

export function isFormatError(e: unknown): e is FormatError {
  return e instanceof FormatError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'FormatError');
}
