/**
 * The import wizard in real Chromium through the web harness: locale and mapping changes with a
 * live preview (and the mapping remembered), cancelling a running import (nothing kept), adding
 * rows from another file to a batch as one undo step, and a file dropped onto the window (a
 * DataTransfer dispatched as the browser does) from the Batches view and from the editor.
 * Needs `npx electron-vite build` first.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import { launchChromium } from '../helpers/chromium';
import { announcer, poll, rpc, stored, total, WONDER_HEADER } from '../helpers/editorPage';
import { openApp, problems, type OpenedApp } from '../helpers/page';
import { makeTempHome, removeTempHome, startWebHost, type WebHost } from '../helpers/webHost';

let home: string | undefined;
let host: WebHost | undefined;
let browser: Browser | undefined;
let app: OpenedApp | undefined;
let page: Page;

const tok = (i: number) => `tok_${String(i).padStart(24, '0')}`;
const SEMI_HEADER = WONDER_HEADER.replaceAll(',', ';');
/** A European-Excel file: semicolons and decimal commas. */
const EURO = [SEMI_HEADER, `payment;E-1;;;129,90;${tok(1)};;;;;one`, `payment;E-2;;;49,00;${tok(2)};;;;;two`, `payment;E-3;;;5,50;${tok(3)};;;;;three`].join('\r\n');

beforeAll(async () => {
  home = await makeTempHome();
  host = await startWebHost(home);
  browser = await launchChromium();
  app = await openApp(browser, host);
  page = app.page;
});
afterAll(async () => {
  if (app) expect(problems(app.log)).toEqual([]);
  await app?.context.close().catch(() => {});
  await browser?.close().catch(() => {});
  await host?.stop();
  await removeTempHome(home);
});

async function toBatches() {
  await page.reload();
  await page.getByRole('heading', { name: 'Batches' }).waitFor();
}

async function batchNamed(name: string): Promise<string | undefined> {
  return (await rpc<{ id: string; name: string }[]>(page, 'batches.list', {})).find((b) => b.name === name)?.id;
}

/** Dispatches a file drop on `selector` as Chromium does for a file dragged in from the desktop. */
async function dropFile(selector: string, name: string, text: string) {
  const dt = await page.evaluateHandle(
    ([n, t]) => {
      const d = new DataTransfer();
      d.items.add(new File([t], n, { type: 'text/csv' }));
      return d;
    },
    [name, text] as const,
  );
  for (const type of ['dragenter', 'dragover']) await page.dispatchEvent(selector, type, { dataTransfer: dt });
  await expect(page.locator('.window-drop, .drop-zone.active').count()).resolves.toBeGreaterThan(0);
  await page.dispatchEvent(selector, 'drop', { dataTransfer: dt });
}

const previewHeaders = () => page.locator('table.preview thead th').allTextContents();
const amountQuestion = () => page.getByRole('group', { name: /major units \(129\.90\) or minor units \(12990\)/ });

describe('import wizard', () => {
  it('changes locale and mapping with a live preview, imports, and remembers the mapping', { timeout: 120_000 }, async () => {
    await toBatches();
    const file = join(home!, 'euro.csv');
    await writeFile(file, EURO, 'utf8');
    await page.getByRole('button', { name: 'Import a file…' }).click();
    await page.locator('input[name="import-file"]').setInputFiles(file);
    await page.getByRole('heading', { name: /euro\.csv: 3 rows/ }).waitFor();
    await expect(page.getByRole('heading', { name: /euro\.csv/ }).textContent()).resolves.toMatch(/columns matched by name/);
    await expect(previewHeaders()).resolves.toEqual(['Line', ...WONDER_HEADER.split(',')]);
    await expect(page.locator('table.preview tbody tr').first().locator('td').first().textContent()).resolves.toBe('2');
    await poll(() => amountQuestion().textContent()).toContain('HKD 184.40');

    // Comma as delimiter: the whole line is one column, and the preview says what is missing.
    await page.locator('select[name="import-delimiter"]').selectOption(',');
    await poll(() => previewHeaders().then((h) => h.length)).toBe(2); // the line column and one header holding every name
    await poll(() => page.locator('.file-issues').textContent()).toMatch(/Action|Amount/);
    await page.locator('select[name="import-delimiter"]').selectOption('');
    await poll(() => previewHeaders()).toEqual(['Line', ...WONDER_HEADER.split(',')]);

    // Decimal point instead of the detected comma: "129,90" no longer reads as 129.90.
    await page.locator('select[name="import-decimal"]').selectOption('.');
    await poll(() => amountQuestion().textContent()).not.toContain('HKD 184.40');
    await page.locator('select[name="import-decimal"]').selectOption('');
    await poll(() => amountQuestion().textContent()).toContain('HKD 184.40');

    // Mapping: Remark not imported.
    await page.locator('select[name="map-remark"]').selectOption('');
    await poll(() => page.locator('.import-wizard').textContent()).toMatch(/Not imported: Remark/);
    await expect(page.getByRole('heading', { name: /euro\.csv/ }).textContent()).resolves.toMatch(/your mapping/);
    await expect(axeViolations(page)).resolves.toEqual([]);
    await page.locator('input[name="import-name"]').fill('euro one');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 30_000 });
    const batchId = (await batchNamed('euro one'))!;
    await poll(async () => (await stored(page, batchId)).map((r) => [r.cells.amount, r.cells.remark])).toEqual([
      ['129.90', ''],
      ['49.00', ''],
      ['5.50', ''],
    ]);

    // The same headers next time: the mapping maps itself (Remark still left out).
    await toBatches();
    await page.getByRole('button', { name: 'Import a file…' }).click();
    await page.locator('input[name="import-file"]').setInputFiles(file);
    await page.getByRole('heading', { name: /euro\.csv: 3 rows/ }).waitFor();
    await expect(page.getByRole('heading', { name: /euro\.csv/ }).textContent()).resolves.toMatch(/mapping remembered from last time/);
    await expect(page.locator('select[name="map-remark"]').inputValue()).resolves.toBe('');
  });

  it('cancels a running import: nothing is kept and the wizard says so', { timeout: 180_000 }, async () => {
    await toBatches();
    const file = join(home!, 'big.csv');
    const lines = [WONDER_HEADER];
    for (let i = 0; i < 300_000; i++) lines.push(`payment,BIG-${i},,,${(i % 90) + 1}.00,${tok(i)},,,,,r`);
    await writeFile(file, lines.join('\n'), 'utf8');
    await page.getByRole('button', { name: 'Import a file…' }).click();
    await page.locator('input[name="import-file"]').setInputFiles(file);
    await page.getByRole('heading', { name: /big\.csv: 300,000 rows/ }).waitFor({ timeout: 60_000 });
    await page.locator('input[name="import-name"]').fill('cancel me');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const progress = page.getByRole('progressbar', { name: 'Importing' });
    await progress.waitFor();
    await page.getByRole('button', { name: 'Cancel import' }).click();
    await poll(() => page.locator('.import-wizard [role="alert"]').textContent(), 60_000).toMatch(/The import was cancelled; no rows were added\./);
    await expect(progress.count()).resolves.toBe(0);
    await poll(() => batchNamed('cancel me')).toBeUndefined();
    await expect(axeViolations(page)).resolves.toEqual([]);
  });

  it('adds rows from another file to a batch; one Ctrl+Z takes them away again', { timeout: 120_000 }, async () => {
    await toBatches();
    const base = join(home!, 'base.csv');
    await writeFile(base, [WONDER_HEADER, `payment,B-1,,,1.00,${tok(1)},,,,,`, `payment,B-2,,,2.00,${tok(2)},,,,,`].join('\n'));
    const more = join(home!, 'more.csv');
    await writeFile(more, [WONDER_HEADER, `payment,M-1,,,3.00,${tok(3)},,,,,`, `payment,M-2,,,4.00,${tok(4)},,,,,`, `payment,M-3,,,5.00,${tok(5)},,,,,`].join('\n'));
    await page.getByRole('button', { name: 'Import a file…' }).click();
    await page.locator('input[name="import-file"]').setInputFiles(base);
    await page.locator('input[name="import-name"]').fill('appended');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 30_000 });
    const batchId = (await batchNamed('appended'))!;
    await poll(() => total(page, batchId)).toBe(2);

    await page.getByRole('button', { name: 'Add rows from a file…' }).click();
    await page.getByRole('heading', { name: 'Add rows from a file to "appended"' }).waitFor();
    await page.locator('input[name="import-file"]').setInputFiles(more);
    await page.getByRole('button', { name: 'Add the rows' }).click();
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 30_000 });
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.referenceNumber)).toEqual(['B-1', 'B-2', 'M-1', 'M-2', 'M-3']);
    const h = await rpc<{ detail: { text?: string } }[]>(page, 'history.list', { limit: 1 });
    expect(h[0]!.detail.text).toBe('Added more.csv to "appended" — 3 rows, 0 errors');
    await poll(() => announcer(page).textContent()).toMatch(/^Action, line /);

    await page.keyboard.press('Control+z');
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.referenceNumber)).toEqual(['B-1', 'B-2']);
    await page.keyboard.press('Control+y');
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.referenceNumber)).toEqual(['B-1', 'B-2', 'M-1', 'M-2', 'M-3']);
  });

  it('a file dropped onto the window is imported (Batches view) or added to the open batch (editor)', { timeout: 120_000 }, async () => {
    await toBatches();
    const text = [WONDER_HEADER, `payment,D-1,,,7.00,${tok(7)},,,,,dropped`].join('\r\n');
    await dropFile('main', 'dropped.csv', text);
    await page.getByRole('heading', { name: 'Import a file into a new batch' }).waitFor();
    await page.getByRole('heading', { name: /dropped\.csv: 1 rows/ }).waitFor();
    await expect(page.locator('.window-drop').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 30_000 });
    const batchId = (await batchNamed('dropped'))!;
    // (Remark is left out: the first test's mapping for these headers is remembered)
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.referenceNumber)).toEqual(['D-1']);

    // Dropped onto the editor: its rows go to this batch.
    await dropFile('.batch-grid', 'second.csv', [WONDER_HEADER, `payment,D-2,,,8.00,${tok(8)},,,,,second`].join('\r\n'));
    await page.getByRole('heading', { name: 'Add rows from a file to "dropped"' }).waitFor();
    await page.getByRole('heading', { name: /second\.csv: 1 rows/ }).waitFor();
    // ...and onto the wizard's own drop zone, another file replaces it
    await dropFile('.drop-zone', 'third.csv', [WONDER_HEADER, `payment,D-3,,,9.00,${tok(9)},,,,,third`, `payment,D-4,,,9.50,${tok(10)},,,,,fourth`].join('\r\n'));
    await page.getByRole('heading', { name: /third\.csv: 2 rows/ }).waitFor();
    await page.getByRole('button', { name: 'Add the rows' }).click();
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 30_000 });
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.referenceNumber)).toEqual(['D-1', 'D-3', 'D-4']);
    expect(app!.log.pageErrors).toEqual([]);
  });
});

