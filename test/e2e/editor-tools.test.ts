/**
 * The editor's tools that editor.test.ts does not walk through, in real Chromium through the web
 * harness against the real main services: revealing a card number (dialog, audit, focus back),
 * insert/delete rows and their undo, sort and filter keeping the history, column resize, the
 * findings panel (jump, "Fix all" as one undo step), pasting into an empty batch and past the end.
 * Needs `npx electron-vite build` first.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import { launchChromium } from '../helpers/chromium';
import { announcer, backToBatches, focusInGrid, goToCell, importByContract, openBatch, poll, rpc, shownLines, stored, total, typeInCell, WONDER_HEADER } from '../helpers/editorPage';
import { openApp, problems, type OpenedApp } from '../helpers/page';
import { makeTempHome, removeTempHome, ROOT, startWebHost, type WebHost } from '../helpers/webHost';

let home: string | undefined;
let host: WebHost | undefined;
let browser: Browser | undefined;
let app: OpenedApp | undefined;
let page: Page;

const tok = (i: number) => `tok_${String(i).padStart(24, '0')}`;
/** Six rows (lines 2..7): three uppercase actions (one fix for all), a card number on line 6. */
const ROWS = [
  `payment,REF-1,,,129.90,${tok(1)},,,,,first`,
  `Payment,REF-2,,,49.00,${tok(2)},,,,,second`,
  `Payment,REF-3,,,10.50,${tok(3)},,,,,third`,
  `Payment,REF-4,,,5.00,${tok(4)},,,,,fourth`,
  `payment,REF-5,,,20.00,,5555555555554444,12,29,,card row`,
  `payment,REF-6,,,1234.56,${tok(6)},,,,,sixth`,
];

let n = 0;
async function freshBatch(name: string): Promise<string> {
  // each test starts from the Batches view, whatever the one before left on screen
  await page.reload();
  await page.getByRole('heading', { name: 'Batches' }).waitFor();
  const file = join(home!, `${name}-${n++}.csv`);
  await writeFile(file, [WONDER_HEADER, ...ROWS].join('\r\n'), 'utf8');
  const batchId = await importByContract(page, file, name, ROWS.length);
  await poll(() => page.getByRole('button', { name: `Open ${name}`, exact: true }).count()).toBe(1);
  await openBatch(page, name);
  return batchId;
}

async function history(): Promise<{ action: string; detail: { text?: string; reason?: string } }[]> {
  return rpc(page, 'history.list', { limit: 20 });
}

beforeAll(async () => {
  home = await makeTempHome();
  host = await startWebHost(home);
  browser = await launchChromium();
  app = await openApp(browser, host);
  page = app.page;
  await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
});
afterAll(async () => {
  if (app) expect(problems(app.log)).toEqual([]);
  await app?.context.close().catch(() => {});
  await browser?.close().catch(() => {});
  await host?.stop();
  await removeTempHome(home);
});

describe('editor tools', () => {
  it('reveals a card number through a dialog that asks why, is audited, and gives focus back to the grid', { timeout: 120_000 }, async () => {
    const batchId = await freshBatch('reveal');
    await goToCell(page, 4, 7);
    await poll(() => announcer(page).textContent()).toMatch(/^Card Number, line 6: 555555\*+4444/);
    // A row without a card number offers no reveal.
    await page.keyboard.press('ArrowUp');
    await expect(page.getByRole('button', { name: /Reveal this row/ }).count()).resolves.toBe(0);
    await page.keyboard.press('ArrowDown');
    await page.getByRole('button', { name: "Reveal this row's card number…" }).click();
    const dialog = page.getByRole('dialog', { name: 'Reveal the card number on line 6?' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toMatch(/555555\*+4444.*kept in the batch's history/);
    // Focus is in the reason box; the page behind is inert (modal); axe finds nothing.
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement).name)).resolves.toBe('reveal-reason');
    await expect(axeViolations(page)).resolves.toEqual([]);
    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'reveal-dialog.png') });

    // No reason: refused in the dialog, in words, the field marked invalid, nothing revealed or audited.
    await page.keyboard.press('Enter');
    await poll(() => dialog.getByRole('alert').textContent()).toMatch(/Say why you need to see the full card number/);
    await expect(page.locator('input[name="reveal-reason"]').getAttribute('aria-invalid')).resolves.toBe('true');
    expect((await history()).filter((h) => h.action === 'card.reveal')).toHaveLength(0);

    // Escape cancels: focus back in the grid, nothing audited.
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    await poll(() => focusInGrid(page)).toBe(true);
    expect((await history()).filter((h) => h.action === 'card.reveal')).toHaveLength(0);

    // With a reason: shown in the side panel, audited with the reason, focus back in the grid.
    await page.getByRole('button', { name: "Reveal this row's card number…" }).click();
    await dialog.waitFor();
    await page.keyboard.type('customer asked on the phone');
    await page.keyboard.press('Enter');
    await poll(() => dialog.count()).toBe(0);
    await poll(() => page.locator('.cell-detail code').first().textContent()).toBe('5555555555554444');
    await poll(() => focusInGrid(page)).toBe(true);
    const reveals = (await history()).filter((h) => h.action === 'card.reveal');
    expect(reveals).toHaveLength(1);
    expect(reveals[0]!.detail.text).toBe('Revealed card number 555555…4444 on line 6 of "reveal" — customer asked on the phone');
    // the grid itself still shows the masked number
    await expect(announcer(page).textContent()).resolves.toMatch(/555555\*+4444/);
    expect((await stored(page, batchId))[4]!.cells.cardNumber).toMatch(/^555555\*+4444$/);
    await backToBatches(page);
  });

  it('inserts and deletes rows by keyboard, each one undo step', { timeout: 120_000 }, async () => {
    const batchId = await freshBatch('rows');
    const before = await stored(page, batchId);
    await goToCell(page, 1, 2);
    await page.keyboard.press('Control+='); // Ctrl++ : insert a row above
    await poll(() => total(page, batchId)).toBe(7);
    const inserted = await stored(page, batchId);
    expect(inserted[1]!.line).toBeNull();
    expect(inserted.filter((r) => r.line !== null).map((r) => r.id)).toEqual(before.map((r) => r.id));
    await poll(() => shownLines(page)).toEqual(['2', 'new', '3', '4', '5', '6', '7']);
    await page.keyboard.press('Control+z');
    await poll(() => total(page, batchId)).toBe(6);
    await page.keyboard.press('Control+y');
    await poll(() => total(page, batchId)).toBe(7);
    await poll(() => shownLines(page)).toEqual(['2', 'new', '3', '4', '5', '6', '7']);

    // Delete two rows (the new one and line 3): Shift+Down, Ctrl+-
    await goToCell(page, 1, 2);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Control+-');
    await poll(async () => (await stored(page, batchId)).map((r) => r.line)).toEqual([2, 4, 5, 6, 7]);
    await page.keyboard.press('Control+z');
    await poll(async () => (await stored(page, batchId)).map((r) => r.id)).toEqual(inserted.map((r) => r.id));
    await backToBatches(page);
  });

  it('sorts and filters without touching the history: an edit made before is undone after', { timeout: 120_000 }, async () => {
    const batchId = await freshBatch('sorting');
    await goToCell(page, 0, 11);
    await typeInCell(page, 'edited');
    await poll(async () => (await stored(page, batchId))[0]!.cells.remark).toBe('edited');

    // Sort by amount, largest first, from the toolbar (the keyboard way to what a header click does).
    await page.locator('select[name="sort"]').selectOption('amount:desc');
    await poll(() => shownLines(page)).toEqual(['7', '2', '3', '6', '4', '5']);
    await page.locator('select[name="sort"]').selectOption('');
    await poll(() => shownLines(page)).toEqual(['2', '3', '4', '5', '6', '7']);

    // Filter a column: rows whose Remark contains "th".
    await page.locator('select[name="filter-column"]').selectOption('remark');
    await page.locator('input[name="filter-text"]').fill('th');
    await poll(() => shownLines(page)).toEqual(['4', '5', '7']);
    // Undo from the filtered view: the edit (on a row not shown) is undone.
    await page.locator('.batch-grid canvas').first().focus();
    await page.keyboard.press('Control+z');
    await poll(async () => (await stored(page, batchId))[0]!.cells.remark).toBe('first');
    await page.locator('input[name="filter-text"]').fill('');
    await poll(() => shownLines(page)).toEqual(['2', '3', '4', '5', '6', '7']);
    await page.locator('.batch-grid canvas').first().focus();
    await page.keyboard.press('Control+y');
    await poll(async () => (await stored(page, batchId))[0]!.cells.remark).toBe('edited');
    await backToBatches(page);
  });

  it('sorts by a header click and resizes a column by dragging its edge', { timeout: 120_000 }, async () => {
    const batchId = await freshBatch('resize');
    const canvas = page.locator('.batch-grid canvas[data-testid="data-grid-canvas"]');
    const box = (await canvas.boundingBox())!;
    // Line column 64 px, Action 110 px: a point 40 px into Reference Number, on the first row.
    const probe = { x: box.x + 64 + 110 + 40, y: box.y + 34 + 15 };
    await page.mouse.click(probe.x, probe.y);
    await poll(() => announcer(page).textContent()).toMatch(/^Reference Number, line 2:/);

    // Header clicks on Reference Number: ascending, descending, file order again.
    await page.mouse.click(box.x + 64 + 110 + 10, box.y + 17);
    await poll(() => shownLines(page)).toEqual(['2', '3', '4', '5', '6', '7']); // REF-1..6 are in order already
    await page.mouse.click(box.x + 64 + 110 + 10, box.y + 17);
    await poll(() => shownLines(page)).toEqual(['7', '6', '5', '4', '3', '2']);
    await page.mouse.click(box.x + 64 + 110 + 10, box.y + 17); // third click: file order again
    await poll(() => shownLines(page)).toEqual(['2', '3', '4', '5', '6', '7']);

    // Drag Action's right edge 150 px to the right: the probe point is now inside Action. (Not
    // within a double-click's time of the last header click: a double click on an edge auto-sizes.)
    await new Promise((r) => setTimeout(r, 800));
    const edge = box.x + 64 + 110 - 1;
    await page.mouse.move(edge, box.y + 17);
    await page.mouse.down();
    await page.mouse.move(edge + 75, box.y + 17, { steps: 5 });
    await page.mouse.move(edge + 150, box.y + 17, { steps: 5 });
    await page.mouse.up();
    await page.mouse.click(probe.x, probe.y);
    await poll(() => announcer(page).textContent()).toMatch(/^Action, line 2:/);
    // Typing right after a resize keeps every key (the first ones reopened Glide's editor and were lost).
    await goToCell(page, 0, 2);
    await page.keyboard.type('onscreen');
    await page.keyboard.press('Enter');
    await poll(async () => (await stored(page, batchId))[0]!.cells.referenceNumber).toBe('onscreen');
    await backToBatches(page);
  });

  it('findings panel: jumps to a finding, and "Fix all" fixes every cell with that problem in one undo step', { timeout: 120_000 }, async () => {
    const batchId = await freshBatch('findings');
    const panel = page.getByRole('complementary', { name: 'Findings' });
    const group = panel.getByRole('button', { name: /^Action: .* 3$/ });
    await group.click();
    await poll(() => group.getAttribute('aria-expanded')).toBe('true');
    await panel.getByRole('button', { name: /^Line 4: / }).click();
    await poll(() => announcer(page).textContent()).toMatch(/^Action, line 4: Payment\. Error: Action must be lowercase/);
    await expect(axeViolations(page)).resolves.toEqual([]);

    await panel.getByRole('button', { name: 'Fix all 3' }).click();
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.action)).toEqual(Array(6).fill('payment'));
    await poll(() => page.locator('.summary-bar').textContent()).toMatch(/0 errors/);
    await poll(() => panel.getByRole('button', { name: /^Action:/ }).count()).toBe(0);
    const fixAll = (await history()).find((h) => /Fixed|fix/i.test(h.detail.text ?? ''));
    expect(fixAll, JSON.stringify(await history())).toBeDefined();
    // one step back undoes all three
    await page.locator('.batch-grid canvas').first().focus();
    await page.keyboard.press('Control+z');
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.action)).toEqual(['payment', 'Payment', 'Payment', 'Payment', 'payment', 'payment']);
    await backToBatches(page);
  });

  it('pastes rows copied from a spreadsheet into an empty batch, and past the end of the grid adds rows', { timeout: 120_000 }, async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Batches' }).waitFor();
    await page.locator('input[name="batch-name"]').fill('pasted');
    await page.getByRole('button', { name: /Create batch/ }).click();
    await poll(() => page.getByRole('button', { name: 'Open pasted', exact: true }).count()).toBe(1);
    const batchId = (await rpc<{ id: string; name: string }[]>(page, 'batches.list', {})).find((b) => b.name === 'pasted')!.id;
    await page.getByRole('button', { name: 'Open pasted', exact: true }).click();
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor();
    await expect(page.locator('.notice').textContent()).resolves.toMatch(/This batch is empty\. Paste rows/);
    // As Excel puts it on the clipboard: a header row, tab-separated cells, CRLF
    const tsv = ['Action\tReference Number\tAmount\tToken ID', `payment\tP-1\t10.00\t${tok(1)}`, `payment\tP-2\t11.00\t${tok(2)}`].join('\r\n') + '\r\n';
    await page.evaluate((t) => navigator.clipboard.writeText(t), tsv);
    await page.locator('.batch-grid canvas').first().focus();
    await page.keyboard.press('Control+v');
    await poll(async () => (await stored(page, batchId)).map((r) => [r.cells.referenceNumber, r.cells.amount, r.cells.tokenId])).toEqual([
      ['P-1', '10.00', tok(1)],
      ['P-2', '11.00', tok(2)],
    ]);
    await poll(() => announcer(page).textContent()).toMatch(/line|new/);
    // Three references pasted on the last row: two rows are added below it.
    await page.evaluate((t) => navigator.clipboard.writeText(t), 'P-2b\r\nP-3\r\nP-4');
    await page.locator('.batch-grid canvas').first().focus();
    await goToCell(page, 1, 2);
    await page.keyboard.press('Control+v');
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.referenceNumber)).toEqual(['P-1', 'P-2b', 'P-3', 'P-4']);
    // and it is one undo step
    await page.keyboard.press('Control+z');
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.referenceNumber)).toEqual(['P-1', 'P-2']);
    // "Add a row" sits in the sticky last line, under Action (the Line column is too narrow for it): a click adds one.
    const box = (await page.locator('.batch-grid canvas').first().boundingBox())!;
    await page.mouse.click(box.x + 64 + 30, box.y + box.height - 12);
    await poll(async () => (await stored(page, batchId)).map((r) => r.cells.referenceNumber)).toEqual(['P-1', 'P-2', '']);
    await backToBatches(page);
  });
});
