// Preloaded into a spawned CLI (`node --import ./test/helpers/peakRss.mjs cli/batchdesk.mjs …`):
// at exit, writes the process's peak RSS in KiB to the file named by BATCHDESK_TEST_PEAK_RSS.
import { writeFileSync } from 'node:fs';

const out = process.env.BATCHDESK_TEST_PEAK_RSS;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
