/**
 * A renderer `Bridge` backed by the REAL main-process services and handler map (real SQLite in a
 * temp folder), dispatched exactly like the web harness does (`via: 'http'`). No fake logic: only
 * the transport (HTTP/SSE or Electron IPC) is replaced by a direct call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bridge, ChannelName, EventName, EventPayload, Result } from '../../shared/contract';
import { createServices, type Emit, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { dispatch } from '../../electron/main/ipc/wrap';
import { SOURCE_CHECK_WORKER } from './checkWorker';
import type { EffectivePolicy } from '../../electron/main/policy/load';

export interface RealBridge {
  bridge: Bridge;
  services: Services;
  dataDir: string;
  /** Every call made through the bridge, in order (name, input, result). */
  calls: { name: string; input: unknown; result: Result<unknown> }[];
  /** Closes the database and removes the temp folder. */
  dispose(): void;
}

export function createRealBridge(opts: { policy?: EffectivePolicy } = {}): RealBridge {
  const dataDir = mkdtempSync(join(tmpdir(), 'batchdesk-component-'));
  const services = createServices({ dataDir, mode: 'web', version: 'test', checkWorker: SOURCE_CHECK_WORKER, ...(opts.policy ? { policy: opts.policy } : {}) });
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const emit: Emit = (name, payload) => {
    for (const l of [...(listeners.get(name) ?? [])]) l(payload);
  };
  const handlers = createHandlers(services, emit);
  const calls: RealBridge['calls'] = [];
  const bridge: Bridge = {
    async invoke(name, input) {
      // JSON round trip, as over HTTP: no shared object identity between UI and main.
      const wire = JSON.parse(JSON.stringify(input ?? {})) as unknown;
      const result = await dispatch(handlers, name as ChannelName, wire, { via: 'http' });
      calls.push({ name, input: wire, result });
      return JSON.parse(JSON.stringify(result)) as never;
    },
    on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
  return {
    bridge,
    services,
    dataDir,
    calls,
    dispose() {
      services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
