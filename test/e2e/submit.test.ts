/**
 * Submitting from the app, end to end in real Chromium through the web harness: import a small file,
 * confirm what will be charged (rows, totals per currency, provider, connection) against the
 * built-in sandbox (the default connection, started in-process by `npm run web`), and follow the
 * batch in its status view to final — for each submitting provider. Keyboard for the submit path,
 * the sandbox label wherever money is shown, axe-core clean on the confirmation and the status.
 * Needs `npx electron-vite build` first.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import { launchChromium } from '../helpers/chromium';
import { openApp, waitForBatches, type OpenedApp } from '../helpers/page';
import { makeTempHome, removeTempHome, ROOT, startWebHost, type WebHost } from '../helpers/webHost';

let home: string | undefined;
let host: WebHost | undefined;
let browser: Browser | undefined;
let app: OpenedApp | undefined;

const FILES = {
  wonder: [
    'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark',
    'payment,E2E-W-1,,,129.90,tok_e2e_w1,,,,,first',
    'payment,E2E-W-2,,,49.00,tok_e2e_w2,,,,,second',
  ],
  epay: [
    'subscriptionId|amount|currency|reference|instantCapture|textOnStatement|notificationUrl|attributes',
    '01929a94-5fce-7ccc-a7e4-7e92491e2e01|1095|DKK|e2e-sub-1|OFF|WineBox|https://example.com/epay/notification|',
    '01929a94-5fce-7ccc-a7e4-7e92491e2e02|2500|DKK|e2e-sub-2|||https://example.com/epay/notification|',
  ],
  sibs: [
    'merchant.merchantTransactionId;transaction.amount.value;transaction.amount.currency;transaction.description;originalTransaction.id;originalTransaction.datetime;merchantInitiatedTransaction.type',
    'E2E-S-1;29,90;EUR;Monthly;txCITe2e1;2026-04-16T10:15:30.000Z;UCOF',
    'E2E-S-2;15,00;EUR;Monthly;txCITe2e2;2026-04-16T10:15:30.000Z;UCOF',
  ],
  jpmmps: [
    'partnerReference,storedPaymentOptionReference,presentationAmount,presentationCurrCode,presentationUsage',
    'E2E-J-1,SPO-E2E-0001,129.90,EUR,Subscription',
    'E2E-J-2,SPO-E2E-0002,49.00,EUR,Renewal',
  ],
} as const;

const TOTALS: Record<keyof typeof FILES, RegExp> = {
  wonder: /178\.90 HKD/,
  epay: /35\.95 DKK/,
  sibs: /44\.90 EUR/,
  jpmmps: /178\.90 EUR/,
};

beforeAll(async () => {
  home = await makeTempHome();
  host = await startWebHost(home, { timeoutMs: 60_000 });
  browser = await launchChromium();
  app = await openApp(browser, host);
  await mkdir(join(ROOT, 'test-results'), { recursive: true });
});
afterAll(async () => {
  await app?.context.close().catch(() => {});
  await browser?.close().catch(() => {});
  await host?.stop();
  await removeTempHome(home);
});

async function expectNoAxe(page: Page, where: string) {
  const v = await axeViolations(page);
  expect(v, `${where}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

const focusedText = (page: Page) => page.evaluate(() => (document.activeElement === document.body ? '<body>' : `${document.activeElement?.tagName}:${(document.activeElement?.textContent ?? '').trim()}`));

async function importFile(page: Page, provider: keyof typeof FILES): Promise<void> {
  const file = join(home!, `e2e-${provider}.csv`);
  await writeFile(file, FILES[provider].join('\r\n'), 'utf8');
  await page.getByRole('button', { name: 'Import a file…' }).click();
  await page.locator('select[name="import-profile"]').selectOption(provider);
  await page.locator('input[name="import-file"]').setInputFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).waitFor({ timeout: 90_000 });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 90_000 });
  await expect.poll(() => page.locator('.summary-bar').textContent(), { timeout: 60_000 }).toMatch(/^2 rows/);
  await expect.poll(() => page.locator('.summary-bar .good').textContent(), { timeout: 60_000 }).toBe('0 errors');
}

describe('submit from the app to the built-in sandbox', () => {
  for (const provider of ['wonder', 'epay', 'sibs', 'jpmmps'] as const) {
    it(`${provider}: import → confirm (sandbox) → status view reaches final`, { timeout: 240_000 }, async () => {
      const page = app!.page;
      // each provider starts from the Batches view (also after an earlier test failed half-way)
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Batches' }).click();
      await waitForBatches(page);
      await importFile(page, provider);

      // Keyboard: focus the Submit button and press Enter; focus lands on the confirmation's heading.
      await page.getByRole('button', { name: 'Submit…' }).focus();
      await page.keyboard.press('Enter');
      const confirmTitle = page.getByRole('heading', { name: 'Confirm what will be charged' });
      await confirmTitle.waitFor();
      await expect.poll(() => focusedText(page)).toBe('H2:Confirm what will be charged');
      const summary = page.locator('.confirm-summary');
      await summary.waitFor({ timeout: 30_000 });
      await expect(summary.locator('.sandbox-label').textContent()).resolves.toBe('Sandbox — nothing is charged');
      await expect(summary.locator('table caption').textContent()).resolves.toMatch(/sandbox, nothing is charged/);
      const text = (await summary.textContent()) ?? '';
      expect(text).toMatch(/Built-in sandbox/);
      expect(text).toMatch(/Rows\s*2/);
      expect(text).toMatch(TOTALS[provider]);
      await expect(page.locator('select[name="submit-connection"]').inputValue()).resolves.toBe('');
      await page.screenshot({ path: join(ROOT, 'test-results', `submit-confirm-${provider}.png`) });
      await expectNoAxe(page, `${provider} confirmation`);

      // Tab from the heading to the connection, then the Submit button; Enter submits once.
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name)).toBe('submit-connection');
      await page.keyboard.press('Tab');
      await expect.poll(() => focusedText(page)).toBe('BUTTON:Submit 2 rows to the sandbox');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter'); // the double press: never a second submission, never an error

      const status = page.locator('.submit-status');
      await status.waitFor({ timeout: 30_000 });
      await expect.poll(() => focusedText(page)).toMatch(/^H1:Submission: e2e-/);
      await expect(status.locator('.sandbox-label').first().textContent()).resolves.toBe('Sandbox — nothing is charged');
      await expect(page.locator('[role="alert"]').count()).resolves.toBe(0);
      await expect.poll(() => status.locator('.batch-state').textContent(), { timeout: 180_000, interval: 500 }).toMatch(/^Final/);
      await expect.poll(() => status.locator('progress').getAttribute('value')).toBe('2');
      await expect(status.locator('table.outcomes tbody tr').count()).resolves.toBe(2);
      const outcomes = await status.locator('table.outcomes tbody tr td:nth-child(2)').allTextContents();
      for (const o of outcomes) expect(['Succeeded', 'Failed', 'Needs review']).toContain(o);
      await expect(status.locator('.status-counts caption').textContent()).resolves.toMatch(/sandbox, nothing is charged/);
      // the in-app notice (live region) for this batch
      await expect.poll(() => page.locator('.submit-notice').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`Sandbox — nothing is charged\\. "e2e-${provider}" (is final|needs review)`));
      await page.screenshot({ path: join(ROOT, 'test-results', `submit-status-${provider}.png`) });
      await expectNoAxe(page, `${provider} status`);

      // Needs-review filter: only those rows (none or some), chosen by keyboard.
      await page.locator('select[name="status-filter"]').selectOption('needs_review');
      await expect.poll(async () => (await status.locator('table.outcomes tbody tr td:nth-child(2)').allTextContents()).every((t) => t === 'Needs review')).toBe(true);

      // Back in the editor the batch is read-only and says why.
      await page.getByRole('button', { name: 'Close submission notice' }).click();
      await page.getByRole('button', { name: '← Back to the batch' }).click();
      await expect.poll(() => page.locator('p.notice').first().textContent(), { timeout: 20_000 }).toMatch(/submitted and is complete: its rows can no longer be changed/);
      await expect(page.getByRole('button', { name: 'Submission status' }).count()).resolves.toBe(1);
      // the editor's totals now belong to a sandbox run: labelled too
      await expect.poll(() => page.locator('.summary-bar .sandbox-label').textContent()).toBe('Sandbox — nothing is charged');
      await expectNoAxe(page, `${provider} editor after submit`);
      await page.getByRole('button', { name: '← Batches' }).click();
      await waitForBatches(page);
    });
  }

  it('two windows confirm the same batch: the first submits, the second is refused in clerk words', { timeout: 240_000 }, async () => {
    const page = app!.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Batches' }).click();
    await waitForBatches(page);
    await writeFile(join(home!, 'e2e-two-windows.csv'), FILES.sibs.join('\r\n').replace(/E2E-S-/g, 'E2E-T-'), 'utf8');
    await page.getByRole('button', { name: 'Import a file…' }).click();
    await page.locator('select[name="import-profile"]').selectOption('sibs');
    await page.locator('input[name="import-file"]').setInputFiles(join(home!, 'e2e-two-windows.csv'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.summary-bar .good').textContent(), { timeout: 20_000 }).toBe('0 errors');

    const second = await openApp(browser!, host!);
    try {
      const p2 = second.page;
      await p2.getByRole('button', { name: 'Open e2e-two-windows' }).click();
      await p2.getByRole('button', { name: 'Submit…' }).click();
      await p2.locator('.confirm-summary').waitFor({ timeout: 30_000 });

      await page.getByRole('button', { name: 'Submit…' }).click();
      await page.getByRole('button', { name: 'Submit 2 rows to the sandbox' }).click();
      await page.locator('.submit-status').waitFor({ timeout: 30_000 });

      await p2.getByRole('button', { name: 'Submit 2 rows to the sandbox' }).click();
      const alert = p2.locator('[role="alert"]');
      await alert.waitFor({ timeout: 30_000 });
      await expect(alert.textContent()).resolves.toMatch(/"e2e-two-windows" was already submitted and is (being processed|complete); a batch is never sent twice/);
      await expect.poll(() => focusedText(p2)).toMatch(/^P:"e2e-two-windows" was already submitted/);
      await expectNoAxe(p2, 'second window refused');
      await expect.poll(() => page.locator('.submit-status .batch-state').textContent(), { timeout: 180_000, interval: 500 }).toMatch(/^Final/);
      await expect(page.locator('.submit-status table.outcomes tbody tr').count()).resolves.toBe(2);
    } finally {
      await second.context.close().catch(() => {});
    }
  });

  it('the status view pages through every row outcome, by keyboard (1,001 rows, pages of 500)', { timeout: 240_000 }, async () => {
    const page = app!.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Batches' }).click();
    await waitForBatches(page);
    const rows = Array.from({ length: 1001 }, (_, i) => `01929a94-5fce-7ccc-a7e4-${String(i).padStart(12, '0')}|${100 + i}|DKK|e2e-page-${i}|||https://example.com/epay/notification|`);
    const file = join(home!, 'e2e-pages.csv');
    await writeFile(file, [FILES.epay[0], ...rows].join('\r\n'), 'utf8');
    await page.getByRole('button', { name: 'Import a file…' }).click();
    await page.locator('select[name="import-profile"]').selectOption('epay');
    await page.locator('input[name="import-file"]').setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 90_000 });
    await expect.poll(() => page.locator('.summary-bar .good').textContent(), { timeout: 60_000 }).toBe('0 errors');
    await page.getByRole('button', { name: 'Submit…' }).click();
    await page.getByRole('button', { name: 'Submit 1,001 rows to the sandbox' }).click();
    const status = page.locator('.submit-status');
    await status.waitFor({ timeout: 30_000 });

    const firstRow = () => status.locator('table.outcomes tbody tr td:first-child').first().textContent();
    const shown = () => status.locator('table.outcomes tbody tr').count();
    const pager = status.getByRole('toolbar', { name: 'Row outcome pages' });
    await expect.poll(shown, { timeout: 30_000 }).toBe(500);
    await expect(pager.textContent()).resolves.toMatch(/Rows 1–500 of 1,001/);
    await expect(pager.getByRole('button', { name: '← Previous 500' }).getAttribute('aria-disabled')).resolves.toBe('true');

    await pager.getByRole('button', { name: 'Next 500 →' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(firstRow).toBe('501');
    await expect.poll(() => pager.textContent()).toMatch(/Rows 501–1,000 of 1,001/);
    await page.keyboard.press('Enter');
    await expect.poll(shown).toBe(1);
    await expect.poll(firstRow).toBe('1001');
    await expect(pager.getByRole('button', { name: 'Next 500 →' }).getAttribute('aria-disabled')).resolves.toBe('true');
    // On the last page Next keeps the focus and does nothing.
    await expect.poll(() => focusedText(page)).toBe('BUTTON:Next 500 →');
    await page.keyboard.press('Enter');
    await expect.poll(firstRow).toBe('1001');
    await pager.getByRole('button', { name: '← Previous 500' }).click();
    await expect.poll(firstRow).toBe('501');
    // Another filter starts again at its first page (from rows 501– to row 1).
    await page.locator('select[name="status-filter"]').selectOption('failed');
    await page.locator('select[name="status-filter"]').selectOption('');
    await expect.poll(firstRow).toBe('1');
    await expectNoAxe(page, 'status view with pages');
  });
});
