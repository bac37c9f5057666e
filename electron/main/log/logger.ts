/**
 * Structured logs (one JSON object a line) in `<data folder>/logs/main.log`, through electron-log's
 * Node build (it needs no Electron, so the desktop app, web mode and tests log the same way).
 * Rotated by size, keeping `keep` old files (main.1.log is the newest). Every message goes through
 * redact() first, on every transport.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import electronLog from 'electron-log/node';
import type { Logger } from '../ipc/wrap';
import { redact } from './redact';

export interface LogOptions {
  dataDir: string;
  /** Rotate past this many bytes (default 5 MiB). */
  maxSize?: number;
  /** Old files kept (default 5). */
  keep?: number;
  /** Also print warnings and errors on stderr (default true). */
  console?: boolean;
  /** A name for this log instance (tests make several). */
  id?: string;
}

export interface AppLog {
  file: string;
  error(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  /** The signature the IPC/HTTP dispatch and the web host take. */
  logger: Logger;
  /** Routes uncaught exceptions and unhandled rejections here (returns the undo). */
  catchProcessErrors(): () => void;
}

let instances = 0;

export function createLog(opts: LogOptions): AppLog {
  const dir = join(opts.dataDir, 'logs');
  const file = join(dir, 'main.log');
  const keep = opts.keep ?? 5;
  const log = electronLog.create({ logId: opts.id ?? `batchdesk-${++instances}` });
  const t = log.transports;
  t.file.resolvePathFn = () => file;
  t.file.maxSize = opts.maxSize ?? 5 * 1024 * 1024;
  t.file.level = 'info';
  t.file.format = ({ message }) => {
    const [text, detail] = message.data as [unknown, unknown];
    const line: Record<string, unknown> = { time: message.date.toISOString(), level: message.level, pid: process.pid, message: text };
    if (detail !== undefined) line.detail = detail;
    return [JSON.stringify(line)];
  };
  t.file.archiveLogFn = (current) => {
    const path = current.toString();
    const old = (n: number) => join(dir, `main.${n}.log`);
    rmSync(old(keep), { force: true });
    for (let n = keep - 1; n >= 1; n--) if (existsSync(old(n))) renameSync(old(n), old(n + 1));
    renameSync(path, old(1));
  };
  t.console.level = opts.console === false ? false : 'warn';
  if (t.console.level) t.console.format = '[{level}] {text}';
  // Redaction is a hook, so it runs before every transport, whatever it prints.
  log.hooks.push((message) => ({ ...message, data: message.data.map((d) => redact(d)) }));

  const write = (level: 'error' | 'warn' | 'info', message: string, detail?: unknown) => {
    if (detail === undefined) log[level](message);
    else log[level](message, detail);
  };
  return {
    file,
    error: (m, d) => write('error', m, d),
    warn: (m, d) => write('warn', m, d),
    info: (m, d) => write('info', m, d),
    logger: (level, m, d) => write(level, m, d),
    catchProcessErrors() {
      const onError = (e: unknown) => write('error', 'Uncaught error', e);
      const onRejection = (e: unknown) => write('error', 'Unhandled promise rejection', e);
      process.on('uncaughtException', onError);
      process.on('unhandledRejection', onRejection);
      return () => {
        process.off('uncaughtException', onError);
        process.off('unhandledRejection', onRejection);
      };
    },
  };
}
