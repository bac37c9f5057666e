/** A real SQLite file, a real sandbox on 127.0.0.1 and an Outbox over them, for outbox tests. */
import { join } from 'node:path';
import { openDatabase, type Db } from '../../electron/main/services/db/database';
import { Outbox, type OutboxOptions } from '../../electron/main/services/outbox';
import { parseConnection, type Connection } from '../../electron/main/services/providers/connection';
import { sandboxConnection, startSandbox, type Sandbox, type SandboxOptions } from '../../electron/main/services/providers/sandbox';
import type { ProviderId } from '../../electron/main/services/providers/types';
import { tempDir } from './tmp';

export interface OutboxEnv {
  dir: string;
  file: string;
  db: Db;
  sandbox: Sandbox;
  outbox: Outbox;
  connection(provider: ProviderId): Connection;
  close(): Promise<void>;
}

export async function outboxEnv(opts: { sandbox?: SandboxOptions; outbox?: OutboxOptions } = {}): Promise<OutboxEnv> {
  const dir = tempDir('batchdesk-outbox-');
  const file = join(dir, 'batchdesk.sqlite');
  const db = openDatabase(file);
  const sandbox = await startSandbox({ seed: 7, ...opts.sandbox });
  const outbox = new Outbox(db, opts.outbox);
  return {
    dir,
    file,
    db,
    sandbox,
    outbox,
    connection: (p) => parseConnection(sandboxConnection(p, sandbox)),
    close: async () => {
      await sandbox.close();
      db.close();
    },
  };
}
