/**
 * The batch editor end to end, in real Chromium through the web harness against the real main
 * services (rows in SQLite, the journal): import a messy file with the amount unit chosen, fix one
 * error by typing and the rest with "Apply to all", paste a 3×3 block, fill down, undo/redo,
 * filter to errors, find/replace, export and check the exported file again.
 * Needs `npx electron-vite build` first.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowsWindow } from '../../shared/contract';
import { axeViolations } from '../helpers/axe';
import { launchChromium } from '../helpers/chromium';
import { openApp, problems, type OpenedApp } from '../helpers/page';
import { makeTempHome, removeTempHome, ROOT, startWebHost, type WebHost } from '../helpers/webHost';
import { announcer, goToCell, rpc, stored } from '../helpers/editorPage';

let home: string | undefined;
let host: WebHost | undefined;
let browser: Browser | undefined;
let app: OpenedApp | undefined;

const UUIDS = ['1b4e28ba-2fa1-41d2-883f-0016d3cca427', '6fa459ea-ee8a-4ca4-894e-db77e160355e', '9c5b94b1-35ad-49bb-b118-8e8fc24abf80'];

/** A European-Excel export: a title line above the header, semicolons, decimal commas, 3 uppercase actions and a month 13. */
const MESSY = [
  'Renewals December;;;;;;;;;;',
  'Action;Reference Number;Original Transaction ID;Customer UUID;Amount;Token ID;Card Number;Expiry Month;Expiry Year;CVC;Remark',
  'payment;REF-1;;;129,90;tok_a1;;;;;first',
  'Payment;REF-2;;;49,00;tok_b2;;;;;second',
  'Payment;REF-3;;;10,50;tok_c3;;;;;third',
  'Payment;REF-4;;;5,00;tok_d4;;;;;fourth',
  'payment;REF-5;;;20,00;;5555555555554444;13;29;;card row',
  'payment;REF-6;;;1234,56;tok_f6;;;;;sixth',
].join('\r\n');

// Two cores shared by many processes: a round trip through main can take longer than poll's default 1 s.
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

beforeAll(async () => {
  home = await makeTempHome();
  host = await startWebHost(home);
  browser = await launchChromium();
});
afterAll(async () => {
  await app?.context.close().catch(() => {});
  await browser?.close().catch(() => {});
  await host?.stop();
  await removeTempHome(home);
});


describe('batch editor', () => {
  it('imports a messy file, is fixed, pasted, filled, undone, filtered, searched and exported clean', { timeout: 180_000 }, async () => {
    app = await openApp(browser!, host!);
    const { page, context } = app;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host!.origin });
    const file = join(home!, 'renewals-december.csv');
    await writeFile(file, MESSY, 'utf8');

    // Import: upload in web mode, then the preview with the amount question.
    await page.getByRole('button', { name: 'Import a file…' }).click();
    await page.locator('input[name="import-file"]').setInputFiles(file);
    const question = page.getByRole('group', { name: /major units \(129\.90\) or minor units \(12990\)/ });
    await question.waitFor();
    await expect(page.locator('input[name="amount-unit"][value="major"]').isChecked()).resolves.toBe(true);
    // Totals per currency for both readings (the major reading is what the file means).
    await expect(question.textContent()).resolves.toContain('HKD 1448.96');
    await expect(axeViolations(page)).resolves.toEqual([]);
    await page.getByRole('button', { name: 'Import', exact: true }).click();

    // The grid opens with focus in it; the first keystroke after load reaches a cell.
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => announcer(page).textContent(), { timeout: 15_000 }).toMatch(/^Action, line \d+: payment\./);
    const batchId = await page.evaluate(async () => {
      const r = await fetch('/rpc/batches.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return ((await r.json()) as { value: { id: string; name: string }[] }).value.find((b) => b.name === 'renewals-december')!.id;
    });
    const rows = await stored(page, batchId);
    // The line column shows main's row.line (the contract says: the source file's line).
    await expect(announcer(page).textContent()).resolves.toBe(`Action, line ${rows[0]!.line}: payment.`);
    expect(rows.map((r) => r.cells.amount)).toEqual(['129.90', '49.00', '10.50', '5.00', '20.00', '1234.56']);
    await poll(() => page.locator('.summary-bar').textContent()).toMatch(/6 rows.*4 errors/);
    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'editor-errors.png') });
    await expect(axeViolations(page)).resolves.toEqual([]);

    // Glide's known risk: the first keystroke after load was lost. Here it opens the cell editor with it.
    // (Action is an enum column: the key opens its dropdown on the first option it starts.)
    await page.keyboard.type('r');
    await page.locator('#portal select.enum-editor').waitFor();
    await page.keyboard.press('Enter');
    await poll(async () => (await stored(page, batchId))[0]!.cells.action).toBe('refund');
    await page.keyboard.press('Control+z');
    await poll(async () => (await stored(page, batchId))[0]!.cells.action).toBe('payment');

    // Only rows with errors: 4 of 6.
    await page.locator('input[name="only-errors"]').check();
    await poll(async () => (await rpc<RowsWindow>(page, 'rows.window', { batchId, offset: 0, limit: 10, filter: { onlyErrors: true } })).total).toBe(4);
    // The grid shows those rows: their lines in the line column (Glide's hidden table mirrors the canvas).
    const shownLines = () => page.evaluate(() => [...document.querySelectorAll('[id^="glide-cell-0-"]')].map((td) => td.textContent ?? '').filter((t) => t !== ''));
    await poll(shownLines).toEqual(rows.slice(1, 5).map((r) => String(r.line)));
    await page.locator('input[name="only-errors"]').uncheck();

    // Fix the month by typing: F8 walks the errors; type to replace, Enter commits.
    await page.locator('.batch-grid canvas').first().focus();
    for (let i = 0; i < 6 && !/^Expiry Month/.test((await announcer(page).textContent()) ?? ''); i++) {
      const before = await announcer(page).textContent();
      await page.keyboard.press('F8');
      await poll(() => announcer(page).textContent()).not.toBe(before);
    }
    await expect(announcer(page).textContent()).resolves.toMatch(/^Expiry Month, line \d+: 13\. Error: Expiry Month "13" must be between 01 and 12\./);
    // A clerk who presses F8 and types at once: nothing waits for main's answer or the scroll;
    // the keys are meant for the error F8 goes to and must all reach it.
    const month = await announcer(page).textContent();
    await page.keyboard.press('Shift+F8');
    await poll(() => announcer(page).textContent()).not.toBe(month);
    await page.keyboard.press('F8');
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');
    await poll(async () => (await stored(page, batchId))[4]!.cells.expiryMonth).toBe('12');
    // ...and none reached the cell F8 left (the uppercase actions are still to fix).
    expect((await stored(page, batchId)).map((r) => r.cells.action)).toEqual(['payment', 'Payment', 'Payment', 'Payment', 'payment', 'payment']);

    // The rest with "Apply to all": the three uppercase actions.
    await page.keyboard.press('Shift+F8');
    await poll(() => announcer(page).textContent()).toMatch(/^Action, line \d: Payment\. Error: Action must be lowercase/);
    await page.getByRole('button', { name: 'Apply to all' }).click();
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.action)).toEqual(Array(6).fill('payment'));
    await poll(() => page.locator('.summary-bar').textContent()).toMatch(/0 errors/);

    // Paste a 3×3 block over Reference Number..Customer UUID of the first three rows.
    const block = UUIDS.map((u, i) => `NEW-${i + 1}\t\t${u}`).join('\r\n');
    await page.evaluate((t) => navigator.clipboard.writeText(t), block);
    await page.locator('.batch-grid canvas').first().focus();
    await goToCell(page, 0, 2);
    await page.keyboard.press('Control+v');
    await poll(async () => (await stored(page, batchId)).slice(0, 3).map((r) => [r.cells.referenceNumber, r.cells.originalTransactionId, r.cells.customerUuid])).toEqual(UUIDS.map((u, i) => [`NEW-${i + 1}`, '', u]));

    // Fill down the Remark of row 1 over rows 2 and 3 (Shift+Down twice, Ctrl+D).
    await goToCell(page, 0, 11);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Control+d');
    await poll(async () => (await stored(page, batchId)).slice(0, 3).map((r) => r.cells.remark)).toEqual(['first', 'first', 'first']);

    // Undo the fill, redo it: main's journal.
    await page.keyboard.press('Control+z');
    await poll(async () => (await stored(page, batchId)).slice(0, 3).map((r) => r.cells.remark)).toEqual(['first', 'second', 'third']);
    await page.keyboard.press('Control+y');
    await poll(async () => (await stored(page, batchId)).slice(0, 3).map((r) => r.cells.remark)).toEqual(['first', 'first', 'first']);
    await page.keyboard.press('Control+Shift+z'); // nothing left to redo: no change
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+Shift+z');
    await poll(async () => (await stored(page, batchId)).slice(0, 3).map((r) => r.cells.remark)).toEqual(['first', 'first', 'first']);

    // Find and replace in Reference Number: REF- → INV-.
    await page.keyboard.press('Control+h');
    await page.locator('input[name="find-text"]').fill('REF-');
    await page.locator('input[name="replace-text"]').fill('INV-');
    await page.locator('select[name="find-column"]').selectOption('referenceNumber');
    await page.getByRole('button', { name: 'Find next' }).click();
    await poll(() => page.getByRole('search').textContent()).toContain('1 of 3 matches');
    await page.getByRole('button', { name: 'Replace all' }).click();
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.referenceNumber)).toEqual(['NEW-1', 'NEW-2', 'NEW-3', 'INV-4', 'INV-5', 'INV-6']);
    await page.keyboard.press('Escape');

    const out = join(ROOT, 'test-results');
    await mkdir(out, { recursive: true });
    await page.screenshot({ path: join(out, 'editor.png') });
    await expect(axeViolations(page)).resolves.toEqual([]);

    // Export with full card numbers (for upload), then check the exported file again.
    await page.getByRole('button', { name: 'Export…' }).click();
    await page.locator('input[name="export-full"]').check();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const result = page.locator('.export-result');
    await result.waitFor();
    const exported = (await result.locator('code').first().textContent())!;
    expect(exported).toMatch(/\.csv$/);
    const check = await rpc<{ rows: number; errors: number }>(page, 'files.check', { path: exported, profile: 'wonder' });
    expect(check).toMatchObject({ rows: 6, errors: 0 });

    expect(problems(app.log)).toEqual([]);
  });
});
