/**
 * The "done when", in real Chromium through the web harness: a messy 10,000-row file
 * (generated here: a title line, semicolons, decimal commas, CRLF, quoted multi-line remarks,
 * uppercase actions, impossible expiry months, a repeated reference (a warning), card numbers with CVCs) goes
 * from import to a clean export using only the keyboard; the export is checked again with the
 * same rules; and no card number or CVC is in clear anywhere in the data folder but the export
 * the clerk asked for (the SQLite file, its WAL, the logs: their bytes are searched).
 * Needs `npx electron-vite build` first.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import { launchChromium } from '../helpers/chromium';
import { announcer, poll, rpc, stored } from '../helpers/editorPage';
import { openApp, problems, type OpenedApp } from '../helpers/page';
import { makeTempHome, removeTempHome, ROOT, startWebHost, type WebHost } from '../helpers/webHost';

let home: string | undefined;
let inbox: string | undefined;
let host: WebHost | undefined;
let browser: Browser | undefined;
let app: OpenedApp | undefined;

const ROWS = 10_000;

function luhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

interface Messy {
  text: string;
  pans: string[];
  cvcs: string[];
  uppercase: number;
  badMonths: number;
}

/** A European-Excel export of 10,000 renewals, with the mistakes clerks' files have. */
function messyFile(): Messy {
  const lines = ['Renewals March (exported 2026-03-01);;;;;;;;;;', 'Action;Reference Number;Original Transaction ID;Customer UUID;Amount;Token ID;Card Number;Expiry Month;Expiry Year;CVC;Remark'];
  const pans: string[] = [];
  const cvcs: string[] = [];
  let uppercase = 0;
  let badMonths = 0;
  for (let i = 0; i < ROWS; i++) {
    const action = i % 9 === 0 ? 'Payment' : 'payment';
    if (action === 'Payment') uppercase++;
    const euros = 5 + (i % 400);
    const amount = `${euros},${String(i % 100).padStart(2, '0')}`;
    // the reference of row 5,000 repeats row 4,999's: a cross-row warning (Wonder allows it), left as is
    const ref = `MAR-${String(i === 5000 ? 4999 : i).padStart(5, '0')}`;
    const remark = i % 997 === 0 ? `"renewal\r\nsecond line ${i}"` : `r${i}`;
    if (i % 25 === 3) {
      const pan = luhn(`4${String(100000000000000 + i * 7919).slice(-14)}`);
      const cvc = String(100 + (i % 899));
      pans.push(pan);
      cvcs.push(cvc);
      const month = i === 28 || i === 4003 || i === 9978 ? '13' : String(1 + (i % 12)).padStart(2, '0');
      if (month === '13') badMonths++;
      lines.push([action, ref, '', '', amount, '', pan, month, '29', cvc, remark].join(';'));
    } else {
      lines.push([action, ref, '', '', amount, `tok_${String(i).padStart(24, '0')}`, '', '', '', '', remark].join(';'));
    }
  }
  return { text: lines.join('\r\n') + '\r\n', pans, cvcs, uppercase, badMonths };
}

beforeAll(async () => {
  home = await makeTempHome();
  inbox = await mkdtemp(join(tmpdir(), 'batchdesk-inbox-'));
  host = await startWebHost(home);
  browser = await launchChromium();
});
afterAll(async () => {
  await app?.context.close().catch(() => {});
  await browser?.close().catch(() => {});
  await host?.stop();
  await removeTempHome(home);
  await removeTempHome(inbox);
});

/** Presses Tab until the focused element matches (a keyboard user looking for a control). */
async function tabTo(page: Page, what: string, match: (el: { tag: string; text: string; name: string; label: string }) => boolean, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { tag: a?.tagName.toLowerCase() ?? '', text: (a?.textContent ?? '').trim(), name: a?.getAttribute('name') ?? '', label: a?.getAttribute('aria-label') ?? '' };
    });
    if (match(el)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

const containsText = (buf: Buffer, text: string) => buf.includes(Buffer.from(text, 'utf8')) || buf.includes(Buffer.from(text, 'utf16le'));

describe('a messy 10,000-row file to a clean export, keyboard only', () => {
  it('imports, fixes every error, exports, re-checks the export; no PAN or CVC in clear in the data folder', { timeout: 600_000 }, async () => {
    const messy = messyFile();
    expect(messy.pans.length).toBe(400);
    const file = join(inbox!, 'renewals-march.csv');
    await writeFile(file, messy.text, 'utf8');
    app = await openApp(browser!, host!);
    const { page } = app;
    const summary = () => page.locator('.summary-bar').textContent();
    const errors = () => page.locator('.summary-bar > span.bad, .summary-bar > span.good').textContent();
    const errorsText = (n: number) => `${n.toLocaleString('en-US')} error${n === 1 ? '' : 's'}`;

    // Batches view → Import a file… (Tab to it, Enter) → the file picker from the keyboard.
    // Playwright turns on file-chooser interception without waiting for it; listening this early
    // means it is on before Space, else a loaded machine let Space open an unintercepted picker.
    const chooser = page.waitForEvent('filechooser', { timeout: 120_000 });
    await tabTo(page, 'Import a file…', (el) => el.tag === 'button' && el.text === 'Import a file…');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Import a file into a new batch' }).waitFor();
    await tabTo(page, 'the file input', (el) => el.name === 'import-file');
    await page.keyboard.press('Space');
    await (await chooser).setFiles(file);

    // The preview: semicolons, decimal commas and the title line found; amounts read as major units.
    await page.getByRole('heading', { name: /renewals-march\.csv: 10,000 rows/ }).waitFor({ timeout: 60_000 });
    await expect(page.locator('input[name="amount-unit"][value="major"]').isChecked()).resolves.toBe(true);
    await expect(page.locator('select[name="import-delimiter"] option').first().textContent()).resolves.toBe('Detected (Semicolon)');
    await expect(page.locator('table.preview tbody tr td').first().textContent()).resolves.toBe('3'); // the file's line, under the title and the header
    await tabTo(page, 'the batch name', (el) => el.name === 'import-name');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('March renewals');
    await page.keyboard.press('Enter');

    // The grid opens with focus on its first cell.
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 60_000 });
    await poll(() => announcer(page).textContent(), 60_000).toMatch(/^Action, line 3: Payment\. Error: Action must be lowercase/);
    const errorsAtStart = messy.uppercase + messy.badMonths;
    await poll(() => summary(), 60_000).toMatch(/^10,000 rows/);
    await poll(() => errors(), 60_000).toBe(errorsText(errorsAtStart));
    const batchId = (await rpc<{ id: string; name: string }[]>(page, 'batches.list', {})).find((b) => b.name === 'March renewals')!.id;

    // Every uppercase action at once: Ctrl+Shift+. applies the focused cell's fix to every cell with that problem.
    await poll(() => page.locator('.cell-detail').textContent()).toMatch(/Action · line 3.*Suggested: payment/);
    await page.keyboard.press('Control+Shift+Period');
    await poll(() => errors(), 60_000).toBe(errorsText(messy.badMonths));

    // The rest by F8 and typing: three impossible months.
    for (let n = 0; n < messy.badMonths; n++) {
      const before = await announcer(page).textContent();
      await page.keyboard.press('F8');
      await poll(() => announcer(page).textContent()).not.toBe(before);
      await expect(announcer(page).textContent()).resolves.toMatch(/^Expiry Month, line \d+: 13\. Error: Expiry Month "13" must be between 01 and 12/);
      await page.keyboard.type('12');
      await page.keyboard.press('Enter');
      if (process.env.BATCHDESK_E2E_DEBUG) await page.screenshot({ path: `/tmp/editor-10k-month-${n}.png` });
      await poll(() => errors()).toBe(errorsText(messy.badMonths - n - 1));
    }
    await poll(() => summary()).toMatch(/1 warning$/); // the repeated reference, allowed by Wonder
    await page.keyboard.press('F8');
    await poll(() => page.locator('.editor-status').textContent()).toContain('No errors left in this view.');
    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'keyboard-10k-clean.png') });
    await expect(axeViolations(page)).resolves.toEqual([]);

    // Export with full card numbers (for upload), by keyboard: Tab to Export…, the checkbox, Export.
    await tabTo(page, 'Export…', (el) => el.tag === 'button' && el.text === 'Export…', 200);
    await page.keyboard.press('Enter');
    await tabTo(page, 'full card numbers', (el) => el.name === 'export-full');
    await page.keyboard.press('Space');
    await tabTo(page, 'the Export button', (el) => el.tag === 'button' && el.text === 'Export');
    await page.keyboard.press('Enter');
    const result = page.locator('.export-result');
    await result.waitFor({ timeout: 120_000 });
    const exported = (await result.locator('code').first().textContent())!;

    // The export checked again with the same rules: 10,000 rows, no errors.
    const check = await rpc<{ rows: number; errors: number }>(page, 'files.check', { path: exported, profile: 'wonder' });
    expect(check).toMatchObject({ rows: ROWS, errors: 0 });
    const out = await readFile(exported);
    expect(containsText(out, messy.pans[0]!)).toBe(true); // asked for: the upload file has them
    const rows = await stored(page, batchId, 10);
    expect(rows[0]!.cells.action).toBe('payment');
    expect(problems(app.log)).toEqual([]);

    // Nothing else in the data folder holds a card number or a CVC in clear: the SQLite file, its
    // WAL (still open, not checkpointed), the logs. CVCs are searched as the cell text in context
    // (";123;" would match any number): every sealed form and JSON form of them.
    const files = (await filesUnder(home!)).filter((f) => f !== exported);
    expect(files.some((f) => f.endsWith('batchdesk.sqlite'))).toBe(true);
    expect(files.some((f) => f.endsWith('batchdesk.sqlite-wal'))).toBe(true);
    expect(files.some((f) => f.includes(`${join('logs', '')}`))).toBe(true);
    const scan = async () => {
      for (const f of files) {
        if (!(await stat(f).catch(() => null))) continue;
        const buf = await readFile(f);
        for (const pan of messy.pans) expect(containsText(buf, pan), `${pan} in ${f}`).toBe(false);
        for (const cvc of messy.cvcs) for (const form of [`"${cvc}"`, `;${cvc};`, `,${cvc},`]) expect(containsText(buf, form), `CVC ${form} in ${f}`).toBe(false);
      }
    };
    await scan();
    await app.context.close();
    app = undefined;
    await host!.stop(); // checkpoint the WAL into the file, flush the logs: searched again
    await scan();
    await rm(exported);
  });
});

