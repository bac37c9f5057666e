/**
 * Keyboard alone, in real Chromium through the web harness: every screen is driven without a mouse,
 * focus is checked after each action (never <body>), and axe-core finds no WCAG 2.1 A/AA violation.
 * Needs `npx electron-vite build` first.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, contrastRatio } from '../helpers/axe';
import { launchChromium } from '../helpers/chromium';
import { openApp, problems, type OpenedApp } from '../helpers/page';
import { makeTempHome, removeTempHome, ROOT, startWebHost, type WebHost } from '../helpers/webHost';

let home: string | undefined;
let host: WebHost | undefined;
let browser: Browser | undefined;
const opened: OpenedApp[] = [];

beforeAll(async () => {
  home = await makeTempHome();
  host = await startWebHost(home);
  browser = await launchChromium();
});
afterEach(async () => {
  for (const app of opened.splice(0)) await app.context.close().catch(() => {});
});
afterAll(async () => {
  await browser?.close().catch(() => {});
  await host?.stop();
  await removeTempHome(home);
});

/** What has the focus: tag, then its accessible hint (aria-label, data-batch-id or text). */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', label: '', batch: null as string | null, text: '' };
    const row = el.closest<HTMLElement>('tr[data-batch-id]');
    return {
      tag: el.tagName.toLowerCase(),
      label: el.getAttribute('aria-label') ?? '',
      batch: row?.querySelector('.batch-name')?.textContent ?? null,
      text: (el.textContent ?? '').trim().slice(0, 80),
    };
  });
}

async function names(page: Page): Promise<string[]> {
  return page.locator('tbody .batch-name').allTextContents();
}

async function expectNoAxe(page: Page, where: string) {
  const v = await axeViolations(page);
  expect(v, `${where}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

async function createByKeyboard(page: Page, name: string) {
  await page.keyboard.press('Control+n');
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await page.locator('tbody .batch-name', { hasText: name }).waitFor();
}

describe('keyboard and screen readers', () => {
  it('Batches: create, select, Delete on the focused row, toast by F6/Escape, rename, field errors', async () => {
    const app = await openApp(browser!, host!);
    opened.push(app);
    const { page } = app;
    // The live region exists before any text arrives.
    const status = page.locator('[role="status"][aria-live="polite"]');
    await expect(status.count()).resolves.toBe(1);
    await expect(status.textContent()).resolves.toBe('');
    await expectNoAxe(page, 'empty Batches view');

    for (const n of ['Alpha', 'Beta', 'Gamma']) await createByKeyboard(page, n);
    await expect(status.textContent()).resolves.toContain('Created batch "Gamma"');

    // Field error: an empty name is refused, the field says so (aria-invalid + aria-describedby).
    await page.keyboard.press('Control+n');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    const nameField = page.locator('input[name="batch-name"]');
    await expect(nameField.getAttribute('aria-invalid')).resolves.toBe('true');
    const described = await nameField.getAttribute('aria-describedby');
    expect(described).toBeTruthy();
    await expect(page.locator(`#${described}`).textContent()).resolves.toBe('Give the batch a name.');
    await expectNoAxe(page, 'Batches with a field error');

    // Into the list by Tab: the list is one Tab stop (the selected row).
    for (let i = 0; i < 10 && (await focused(page)).tag !== 'tr'; i++) await page.keyboard.press('Tab');
    expect((await focused(page)).tag).toBe('tr');
    await page.keyboard.press('Home');
    expect((await focused(page)).batch).toBe((await names(page))[0]);
    const order = await names(page);
    expect(order).toHaveLength(3);

    // The selected row meets WCAG AA against its neighbours and its own text.
    const colours = await page.evaluate(() => {
      const sel = document.querySelector('tbody tr.selected')!;
      const other = document.querySelector('tbody tr:not(.selected)')!;
      const bg = (el: Element): string => {
        for (let e: Element | null = el; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
        }
        return 'rgb(255, 255, 255)';
      };
      return { selected: bg(sel), other: bg(other), text: getComputedStyle(sel.querySelector('td')!).color };
    });
    expect(contrastRatio(colours.selected, colours.other)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(colours.selected, colours.text)).toBeGreaterThanOrEqual(4.5);

    // Focus on the THIRD row's Delete button while the first row is selected: Delete acts on row 3.
    const third = order[2]!;
    for (let i = 0; i < 12 && (await focused(page)).label !== `Delete ${third}`; i++) await page.keyboard.press('Tab');
    expect((await focused(page)).label).toBe(`Delete ${third}`);
    await page.keyboard.press('Delete');
    await page.locator('tbody .batch-name', { hasText: third }).waitFor({ state: 'detached' });
    expect(await names(page)).toEqual(order.slice(0, 2));
    // focus went to the row that took its place (the previous one here), not <body>
    await expect.poll(async () => (await focused(page)).batch).toBe(order[1]);

    // F6 jumps to the toast's Undo; Enter undoes; Escape closes and focus goes back.
    await page.keyboard.press('F6');
    expect((await focused(page)).text).toBe('Undo');
    await page.keyboard.press('Enter');
    await page.locator('tbody .batch-name', { hasText: third }).waitFor();
    await expect(status.textContent()).resolves.toContain(`Undone: Deleted batch "${third}"`);
    expect((await focused(page)).tag).toBe('button'); // still inside the toast
    await page.keyboard.press('Escape');
    await expect.poll(() => status.textContent()).toBe('');
    expect((await focused(page)).batch).toBe(order[1]);

    // Rename by F2 + Enter: focus comes back to the renamed row.
    const target = (await focused(page)).batch!;
    await page.keyboard.press('F2');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(`${target} renamed`);
    await page.keyboard.press('Enter');
    await page.locator('tbody .batch-name', { hasText: `${target} renamed` }).waitFor();
    await expect.poll(async () => (await focused(page)).batch).toBe(`${target} renamed`);
    // Escape closes the toast while focus is in the list, and focus stays on the row.
    await expect(status.textContent()).resolves.toContain('Renamed');
    await page.keyboard.press('Escape');
    await expect.poll(() => status.textContent()).toBe('');
    expect((await focused(page)).batch).toBe(`${target} renamed`);
    // F2 + Escape: nothing changes, focus on the row.
    await page.keyboard.press('F2');
    await page.keyboard.type('x');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await focused(page)).batch).toBe(`${target} renamed`);
    await expectNoAxe(page, 'Batches with rows and a selection');
    expect(problems(app.log)).toEqual([]);
  });

  it('History, Settings and Check by keyboard: focus lands on each view heading, errors on their fields', async () => {
    const app = await openApp(browser!, host!);
    opened.push(app);
    const { page } = app;

    await page.keyboard.press('Control+2');
    await page.getByRole('list', { name: 'Audit log' }).waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'h1', text: 'History' });
    await page.keyboard.press('Tab');
    expect((await focused(page)).label).toBe('Search history');
    await page.keyboard.type('Alpha');
    await page.getByRole('list', { name: 'Audit log' }).getByText('Created batch "Alpha" (wonder)').waitFor();
    await expectNoAxe(page, 'History');

    await page.keyboard.press('Control+3');
    await page.getByText('Browser (web mode)').waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'h1', text: 'Settings' });
    const currency = page.locator('input[name="wonder-currency"]');
    for (let i = 0; i < 6 && !(await currency.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('HK');
    await expect(currency.getAttribute('aria-invalid')).resolves.toBe('true');
    const why = await currency.getAttribute('aria-describedby');
    await expect(page.locator(`#${why}`).textContent()).resolves.toBe('A currency is three capital letters (ISO 4217), e.g. HKD.');
    await expectNoAxe(page, 'Settings with a field error');
    await page.keyboard.press('Enter'); // refused: focus stays on the field
    await expect(currency.evaluate((e) => e === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('D');
    await expect(currency.getAttribute('aria-invalid')).resolves.toBe('false');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role="status"]').textContent()).toContain('Saved settings');

    await page.keyboard.press('Control+1');
    await page.getByRole('heading', { name: 'Batches' }).waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'h1', text: 'Batches' });
    const path = page.locator('input[name="check-path"]');
    for (let i = 0; i < 30 && !(await path.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.type(join(ROOT, 'test', 'fixtures', 'cli', 'wonder-errors.csv'));
    await page.keyboard.press('Enter');
    await page.locator('.check-result .summary').waitFor();
    await expect.poll(async () => (await focused(page)).text).toMatch(/^6 rows · 5 errors/);
    await expectNoAxe(page, 'Check result with findings');

    // A missing file: the alert gets focus, and the path field points at it.
    await path.focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(join(ROOT, 'no-such-file.csv'));
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    await expect.poll(async () => (await focused(page)).text).toContain('File not found');
    await expect(path.getAttribute('aria-invalid')).resolves.toBe('true');
    await expectNoAxe(page, 'Check with an error');
    expect(problems(app.log)).toEqual([]);
  });

  it('at 200% zoom of a 1,280 x 800 window the Batches view reflows without horizontal scrolling', async () => {
    // 200% zoom = a 640 x 400 CSS-pixel viewport at device scale 2.
    const context = await browser!.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    opened.push({ context, page, log: { console: [], pageErrors: [], requests: [], failed: [], httpErrors: [] }, response: null });
    await page.goto(host!.openUrl, { waitUntil: 'load' });
    await page.locator('tbody .batch-name').first().waitFor();
    await page.locator('input[name="check-path"]').fill(join(ROOT, 'test', 'fixtures', 'cli', 'wonder-errors.csv'));
    await page.locator('input[name="check-path"]').press('Enter');
    await page.locator('.check-result .summary').waitFor();
    const width = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(width.doc).toBeLessThanOrEqual(width.view);
    await page.screenshot({ path: join(ROOT, 'test-results', 'batches-200pct.png'), fullPage: true });
    await expectNoAxe(page, 'Batches at 200%');
  });
});
