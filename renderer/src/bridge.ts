/**
 * The renderer's only way to main: `window.batchdesk` from the Electron preload, or, in a plain
 * browser (`npm run web`, the end-to-end tests), the same contract over loopback HTTP.
 */
import type { Bridge, ChannelInput, ChannelName, ChannelOutput, EventName, EventPayload, Result, UploadResult } from '../../shared/contract';

declare global {
  interface Window {
    batchdesk?: Bridge;
  }
}

export function httpBridge(): Bridge {
  let source: EventSource | null = null;
  const eventSource = () => (source ??= new EventSource('/events'));
  return {
    async invoke<K extends ChannelName>(name: K, input: ChannelInput<K>): Promise<Result<ChannelOutput<K>>> {
      let res: Response;
      try {
        res = await fetch(`/rpc/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'Cannot reach the Batchdesk host. Is `npm run web` still running?' } };
      }
      if (res.status === 401 || res.status === 403) {
        return { ok: false, error: { code: 'forbidden', message: 'This page is not authorised: open the URL that `npm run web` printed.' } };
      }
      try {
        return (await res.json()) as Result<ChannelOutput<K>>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `The host answered ${res.status} without a valid result.` } };
      }
    },
    on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
      const es = eventSource();
      const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data) as EventPayload<K>);
      es.addEventListener(name, handler as EventListener);
      return () => es.removeEventListener(name, handler as EventListener);
    },
  };
}

let current: Bridge | null = null;

export function bridge(): Bridge {
  return (current ??= window.batchdesk ?? httpBridge());
}

/** For component tests: run the UI against an in-memory bridge. */
export function setBridge(b: Bridge | null): void {
  current = b;
}

export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** Call a channel; a failed Result becomes a CallError carrying the contract's code and message. */
export async function call<K extends ChannelName>(name: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
  const r = await bridge().invoke(name, input);
  if (!r.ok) throw new CallError(r.error.code, r.error.message);
  return r.value;
}

/**
 * Web mode only: send a file chosen with <input type=file> (or dropped) to the host's
 * `POST /upload`, which keeps it in a temp file and answers a file ref for import.preview. The
 * desktop app reads files by path instead (files.choose).
 */
export async function uploadFile(file: File): Promise<UploadResult> {
  let res: Response;
  try {
    res = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', credentials: 'same-origin', body: file });
  } catch {
    throw new CallError('unavailable', 'Cannot reach the Batchdesk host to upload the file. Is `npm run web` still running?');
  }
  let r: Result<UploadResult>;
  try {
    r = (await res.json()) as Result<UploadResult>;
  } catch {
    throw new CallError('internal', `The host answered ${res.status} to the upload without a valid result.`);
  }
  if (!r.ok) throw new CallError(r.error.code, r.error.message);
  return r.value;
}
