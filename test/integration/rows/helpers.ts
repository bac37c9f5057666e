/** Services on a real SQLite file in a temp folder, the handler map, and the events it pushed. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServices, type Services } from '../../../electron/main/services';
import { createHandlers } from '../../../electron/main/ipc/handlers';
import { dispatch } from '../../../electron/main/ipc/wrap';
import type { ChannelInput, ChannelName, ChannelOutput, EventName } from '../../../shared/contract';
import { tempDir } from '../../helpers/tmp';

export interface Harness {
  services: Services;
  dataDir: string;
  events: { name: EventName; payload: unknown }[];
  call<K extends ChannelName>(name: K, input: ChannelInput<K>): Promise<ChannelOutput<K>>;
  fail<K extends ChannelName>(name: K, input: ChannelInput<K>): Promise<{ code: string; message: string }>;
  /** Resolves when import.finished arrives for the task. */
  finished(taskId: string): Promise<{ outcome: string; rows: number; errors: number; warnings: number; message?: string }>;
  close(): void;
}

export function harness(dataDir = tempDir()): Harness {
  const services = createServices({ dataDir, mode: 'web', version: '9.9.9' });
  const events: Harness['events'] = [];
  const waiters: ((e: { name: EventName; payload: unknown }) => void)[] = [];
  const handlers = createHandlers(services, (name, payload) => {
    const e = { name, payload };
    events.push(e);
    for (const w of waiters.slice()) w(e);
  });
  return {
    services,
    dataDir,
    events,
    async call(name, input) {
      const r = await dispatch(handlers, name, input, { via: 'http' });
      if (!r.ok) throw new Error(`${name} failed: ${r.error.code}: ${r.error.message}`);
      return r.value as never;
    },
    async fail(name, input) {
      const r = await dispatch(handlers, name, input, { via: 'http' });
      if (r.ok) throw new Error(`${name} succeeded but was expected to fail`);
      return r.error;
    },
    finished(taskId) {
      const done = events.find((e) => e.name === 'import.finished' && (e.payload as { taskId: string }).taskId === taskId);
      if (done) return Promise.resolve(done.payload as never);
      return new Promise((resolve) => {
        const w = (e: { name: EventName; payload: unknown }) => {
          if (e.name === 'import.finished' && (e.payload as { taskId: string }).taskId === taskId) {
            waiters.splice(waiters.indexOf(w), 1);
            resolve(e.payload as never);
          }
        };
        waiters.push(w);
      });
    },
    close: () => services.close(),
  };
}

export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

export const WONDER_HEADER = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark';

/** Imports a file into a new batch through the contract and waits for it. */
export async function importFile(h: Harness, path: string, opts: { profile?: 'wonder' | 'epay' | 'sibs' | 'jpmmps'; name?: string; unit?: 'major' | 'minor' } = {}) {
  const profile = opts.profile ?? 'wonder';
  const preview = await h.call('import.preview', { file: { kind: 'path', path }, profile });
  const started = await h.call('import.start', {
    file: { kind: 'path', path },
    profile,
    mapping: preview.mapping,
    amountUnit: opts.unit ?? preview.amount.suggested,
    target: { kind: 'new', name: opts.name ?? 'Test batch' },
  });
  const fin = await h.finished(started.taskId);
  return { preview, batchId: started.batchId, taskId: started.taskId, finished: fin };
}
