import type { ErrorCode } from '../../../shared/contract';

/** An error a service raises on purpose: its code and message reach the user as they are. */
export class AppError extends Error {
  readonly code: ErrorCode | (string & {});
  constructor(code: ErrorCode | (string & {}), message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}
