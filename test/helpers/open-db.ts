// Child process for the concurrency test: open (and migrate) the database named on the command line.
import { openDatabase, schemaVersion } from '../../electron/main/services/db/database';

try {
  const db = openDatabase(process.argv[2]!);
  process.stdout.write(`${schemaVersion(db)}\n`);
  db.close();
} catch (e) {
  process.stdout.write(`FAIL ${(e as Error).name} ${(e as Error).message}\n`);
  process.exit(1);
}
