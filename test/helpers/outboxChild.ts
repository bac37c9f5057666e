/**
 * A submitting process for the kill test and bench/outbox-kill: opens the SQLite file, submits the
 * batch if nobody has yet (the claim refuses a second submission), then drives it to final. The
 * parent SIGKILLs it at random moments and starts it again.
 * argv: <db file> <batch id>; env BATCHDESK_TEST_CONNECTION = the connection JSON (sandbox).
 */
import { openDatabase } from '../../electron/main/services/db/database';
import { Outbox } from '../../electron/main/services/outbox';
import { parseConnection } from '../../electron/main/services/providers/connection';

const [file, batchId] = process.argv.slice(2) as [string, string];
const conn = parseConnection(JSON.parse(process.env.BATCHDESK_TEST_CONNECTION ?? '{}'));
const db = openDatabase(file);
const outbox = new Outbox(db);
if (!outbox.store.batch(batchId)) {
  const c = outbox.confirmation(batchId, conn);
  try {
    outbox.submit(batchId, conn, { token: c.token });
    process.stdout.write('submitted\n');
  } catch (e) {
    process.stdout.write(`refused ${(e as Error).message}\n`);
  }
}
let end = await outbox.run(batchId, conn, { until: 'final', leaseMs: 3_000 });
// Another process held the lease (the previous one's lease had not run out): wait and retry.
for (let i = 0; end === 'lost_lease' && i < 50; i++) {
  await new Promise((r) => setTimeout(r, 200));
  end = await outbox.run(batchId, conn, { until: 'final', leaseMs: 3_000 });
}
process.stdout.write(`${end}\n`);
db.close();
process.exit(end === 'final' ? 0 : 3);
