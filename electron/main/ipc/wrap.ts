/**
 * One wrapper for every channel, whatever the transport (Electron IPC or the loopback HTTP
 * harness): parse the input with the contract's schema, call the handler, check the output, and
 * turn every outcome into `{ok:true,value}` or `{ok:false,error:{code,message}}`.
 */
import { z } from 'zod';
import { channels, clerkError, formatZodError, type ChannelArgs, type ChannelName, type ChannelOutput, type Result } from '../../../shared/contract';
import { AppError } from '../services/errors';

export interface CallContext {
  /** Which transport delivered the call ('ipc' or 'http'); for audit and logs. */
  via: 'ipc' | 'http';
}

export type Handler<K extends ChannelName> = (input: ChannelArgs<K>, ctx: CallContext) => ChannelOutput<K> | Promise<ChannelOutput<K>>;

/** Every channel must have a handler: leaving one out fails tsc. */
export type Handlers = { [K in ChannelName]: Handler<K> };

export type Logger = (level: 'error' | 'warn' | 'info', message: string, detail?: unknown) => void;

export { formatZodError };

/** For the log only (never shown): each issue with its field path, as a developer needs it. */
function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

export async function dispatch(
  handlers: Handlers,
  name: string,
  rawInput: unknown,
  ctx: CallContext,
  log: Logger = () => {},
): Promise<Result<unknown>> {
  if (!isChannelName(name)) {
    return { ok: false, error: { code: 'unknown_channel', message: `There is no channel named "${name}".` } };
  }
  const spec = channels[name];
  // clerk words with field labels for every refusal (the schemas' own messages first)
  const parsed = spec.input.safeParse(rawInput ?? {}, { error: clerkError });
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad_input', message: formatZodError(parsed.error) } };
  }
  try {
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
    const value = await handler(parsed.data, ctx);
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      log('error', `Handler ${name} returned a value that breaks the contract`, describeZodError(checked.error));
      return { ok: false, error: { code: 'internal', message: `Internal error in ${name}: the result did not match the contract.` } };
    }
    return { ok: true, value: checked.data };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message } };
    if (e instanceof z.ZodError) return { ok: false, error: { code: 'bad_input', message: formatZodError(e) } };
    const err = e as { code?: unknown; message?: unknown; name?: unknown };
    if (err && (err.name === 'DatabaseError' || err.name === 'FormatError') && typeof err.code === 'string') {
      return { ok: false, error: { code: err.code, message: String(err.message) } };
    }
    log('error', `Handler ${name} failed`, e);
    return { ok: false, error: { code: 'internal', message: `Internal error in ${name}. Details are in the log.` } };
  }
}
