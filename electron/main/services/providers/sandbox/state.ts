/**
 * The sandbox's memory on disk (optional `stateFile`), so transactions outlive a restart of the
 * app or of `batchdesk sandbox`: a client that reconciles after a crash finds what it sent, as it
 * would at a real provider. Written as one JSON file through a temporary file and a rename (never
 * half-written), at most every SAVE_DELAY_MS after a change and on close. Holds no card numbers
 * (Wonder rows keep the masked number only). A file that cannot be read stops the start with a
 * message; it is never replaced silently.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Ledger, SandboxProviderId } from './ledger';
import type { IdMaker } from './random';
import type { ProviderSim } from './sim';

export const STATE_VERSION = 1;
export const SAVE_DELAY_MS = 200;

interface StateFile {
  version: number;
  savedAt: string;
  ids: number;
  ledger: unknown;
  sims: Partial<Record<SandboxProviderId, unknown>>;
}

export class SandboxStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxStateError';
  }
}

export async function loadState(path: string, parts: { ledger: Ledger; ids: IdMaker; sims: ReadonlyMap<SandboxProviderId, ProviderSim> }): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new SandboxStateError(`The sandbox state file ${path} cannot be read: ${(e as Error).message}`);
  }
  let s: StateFile;
  try {
    s = JSON.parse(text) as StateFile;
  } catch {
    throw new SandboxStateError(`The sandbox state file ${path} is damaged (not JSON). Move it away to start an empty sandbox.`);
  }
  if (typeof s !== 'object' || s === null || s.version !== STATE_VERSION) {
    throw new SandboxStateError(`The sandbox state file ${path} is from another version of Batchdesk (version ${String((s as { version?: unknown } | null)?.version)}). Move it away to start an empty sandbox.`);
  }
  parts.ids.counter = s.ids;
  parts.ledger.importState(s.ledger);
  for (const [id, sim] of parts.sims) if (s.sims[id] !== undefined) sim.importState(s.sims[id]);
  return true;
}

/** Debounced, serialised saves: one write at a time, the last state always lands. */
export class StateSaver {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => StateFile,
  ) {}

  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.save();
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }

  /** The last write error, if any (the sandbox keeps serving; tests and the CLI can report it). */
  get lastError(): Error | null {
    return this.failure;
  }

  save(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const tmp = `${this.path}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, JSON.stringify(this.snapshot()), { mode: 0o600 });
        await rename(tmp, this.path);
        this.failure = null;
      } catch (e) {
        this.failure = e as Error;
      }
    });
    return this.writing;
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.save();
  }
}

export function snapshotOf(parts: { ledger: Ledger; ids: IdMaker; sims: ReadonlyMap<SandboxProviderId, ProviderSim>; now: () => number }): StateFile {
  const sims: StateFile['sims'] = {};
  for (const [id, sim] of parts.sims) sims[id] = sim.exportState();
  return { version: STATE_VERSION, savedAt: new Date(parts.now()).toISOString(), ids: parts.ids.counter, ledger: parts.ledger.exportState(), sims };
}
