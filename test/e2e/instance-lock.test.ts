/**
 * A second Batchdesk on the same data folder is refused before it opens anything, with a message
 * naming the process that has the folder; after that one is killed (SIGKILL, no clean-up) a new
 * one starts. The real web host processes (`out/main/web.js`); needs `npx electron-vite build`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempHome, removeTempHome, startWebHost, type WebHost } from '../helpers/webHost';

let home: string | undefined;
const hosts: WebHost[] = [];
afterAll(async () => {
  for (const h of hosts) await h.stop();
  await removeTempHome(home);
});

describe('one app per data folder', () => {
  it('refuses a second web host on the folder, in words; a killed one’s lock is taken over', { timeout: 120_000 }, async () => {
    home = await makeTempHome();
    const first = await startWebHost(home);
    hosts.push(first);
    const second = await startWebHost(home).then(
      (h) => (hosts.push(h), 'started'),
      (e: Error) => e.message,
    );
    expect(second).toContain('The web host exited early (code 1');
    expect(second).toContain(`Batchdesk could not start: This data folder (${home}) is already open in Batchdesk in web mode (npm run web), process ${first.proc.pid} since`);
    // the first is untouched
    const res = await fetch(`${first.origin}/`);
    expect(res.status).toBeLessThan(500);

    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    const third = await startWebHost(home);
    hosts.push(third);
    expect(third.output().stdout).toContain('is running');
  });
});
