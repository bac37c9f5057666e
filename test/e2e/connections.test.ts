/**
 * Settings → Connections in real Chromium through the web harness, by keyboard: a new ePay
 * connection to a provider sandbox started here on 127.0.0.1, its per-field errors, "Test
 * connection", export as JSON (no secret in it) and import of that JSON, with axe-core at each
 * step. Needs `npx electron-vite build` first.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import { launchChromium } from '../helpers/chromium';
import { openApp, problems, type OpenedApp } from '../helpers/page';
import { makeTempHome, removeTempHome, startWebHost, type WebHost } from '../helpers/webHost';
import { startSandbox, type Sandbox } from '../../electron/main/services/providers/sandbox';
import { SANDBOX_CREDENTIALS } from '../../electron/main/services/providers/sandbox/credentials';

let home: string | undefined;
let host: WebHost | undefined;
let browser: Browser | undefined;
let sb: Sandbox | undefined;
const opened: OpenedApp[] = [];

beforeAll(async () => {
  home = await makeTempHome();
  sb = await startSandbox({ seed: 3 });
  host = await startWebHost(home);
  browser = await launchChromium();
});
afterEach(async () => {
  for (const app of opened.splice(0)) await app.context.close().catch(() => {});
});
afterAll(async () => {
  await browser?.close().catch(() => {});
  await host?.stop();
  await sb?.close();
  await removeTempHome(home);
});

async function expectNoAxe(page: Page, where: string) {
  const v = await axeViolations(page);
  expect(v, `${where}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName ?? '');

describe('Settings → Connections', () => {
  it('create by keyboard with per-field errors, test against the sandbox, export and import JSON without secrets', { timeout: 180_000 }, async () => {
    const app = await openApp(browser!, host!);
    opened.push(app);
    const { page } = app;
    await page.keyboard.press('Control+3');
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    // The built-in sandbox is there for every provider, said so.
    const sandboxRows = page.locator('tr[data-connection^="sandbox:"]');
    await sandboxRows.first().waitFor();
    await expect(sandboxRows.count()).resolves.toBe(5);
    await expect(sandboxRows.first().textContent()).resolves.toContain('Sandbox — nothing is charged');
    await expectNoAxe(page, 'connections list');

    await page.locator('#connection-add').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    expect(await focusedId(page)).toBe('conn-provider');
    // Save with nothing filled in: one message per field, focus on the first.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#conn-name-error').waitFor();
    expect(await focusedId(page)).toBe('conn-name');
    for (const [id, text] of [
      ['conn-name', 'Give the connection a name'],
      ['conn-baseUrl', 'Enter the base URL ePay gave you'],
      ['conn-apiKey', 'Enter the API key'],
    ] as const) {
      const input = page.locator(`#${id}`);
      await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
      const described = (await input.getAttribute('aria-describedby')) ?? '';
      await expect(page.locator(`#${described.split(' ')[0]}`).textContent()).resolves.toContain(text);
    }
    await expectNoAxe(page, 'form with errors');

    await page.keyboard.type('ePay e2e');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not a url');
    await page.keyboard.press('Tab');
    await expect(page.locator('#conn-baseUrl-error').textContent()).resolves.toContain('must be an address starting with https://');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(sb!.providers.epay!);
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('conn-apiKey');
    await expect(page.locator('#conn-apiKey').getAttribute('type')).resolves.toBe('password');
    // "Test connection" before saving tries what is typed: a wrong key fails in words, the right one works; nothing is saved.
    await page.keyboard.type('not-the-epay-key');
    const formTest = page.getByTestId('connection-form-test');
    await expect(formTest.getAttribute('aria-live')).resolves.toBe('polite');
    await page.getByRole('button', { name: 'Test connection', exact: true }).focus();
    await page.keyboard.press('Enter');
    await formTest.getByText(/^Failed: .*Nothing was saved\.$/).waitFor({ timeout: 30_000 });
    expect(await formTest.textContent()).not.toContain('not-the-epay-key');
    await page.locator('#conn-apiKey').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(SANDBOX_CREDENTIALS.epay.apiKey);
    await page.getByRole('button', { name: 'Test connection', exact: true }).focus();
    await page.keyboard.press('Enter');
    await formTest.getByText(/^Works: ePay answered.*Nothing was saved yet\.$/).waitFor({ timeout: 30_000 });
    await expectNoAxe(page, 'form after Test connection');
    await expect(page.locator('tr[data-connection]', { has: page.locator('.connection-name', { hasText: 'ePay e2e' }) }).count()).resolves.toBe(0);
    await page.locator('#conn-apiKey').focus();
    await page.keyboard.press('Enter');
    const row = page.locator('tr[data-connection]', { has: page.locator('.connection-name', { hasText: 'ePay e2e' }) });
    await row.waitFor();
    // Focus lands on the saved connection's Edit button.
    await page.waitForFunction(() => document.activeElement?.id.startsWith('connection-edit-') ?? false);
    await expect(row.textContent()).resolves.toContain('Set');
    expect(await page.content()).not.toContain(SANDBOX_CREDENTIALS.epay.apiKey);

    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await row.getByText(/Works: ePay answered/).waitFor({ timeout: 30_000 });

    // Edit: the key shows as "Set" with Replace, never its value.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Edit "ePay e2e"' }).waitFor();
    await page.getByRole('button', { name: 'Replace API key' }).waitFor();
    await expect(page.locator('form.connection-form').textContent()).resolves.not.toContain(SANDBOX_CREDENTIALS.epay.apiKey);
    await expectNoAxe(page, 'edit form');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.id.startsWith('connection-edit-') ?? false);

    // Export (keyboard) → a download without the key.
    await page.locator('#connection-export').focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const json = await readFile((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^batchdesk-connections-\d{4}-\d\d-\d\d\.json$/);
    expect(json).not.toContain(SANDBOX_CREDENTIALS.epay.apiKey);
    const parsed = JSON.parse(json) as { connections: { name: string; provider: string; baseUrl: string }[] };
    expect(parsed.connections).toEqual([{ name: 'ePay e2e', provider: 'epay', baseUrl: sb!.providers.epay, credentials: {} }]);

    // Import it back under another name, with a key in the file: the key is left out.
    const file = join(home!, 'to-import.json');
    await writeFile(file, JSON.stringify({ ...parsed, connections: [{ ...parsed.connections[0], name: 'ePay imported', credentials: { apiKey: 'key-in-file-123' } }] }));
    // A native file input (keyboard: Tab to it, Space opens the system dialog, which a test cannot drive).
    await page.locator('#connection-import').setInputFiles(file);
    const imported = page.locator('tr[data-connection]', { has: page.locator('.connection-name', { hasText: 'ePay imported' }) });
    await imported.waitFor();
    await expect(imported.textContent()).resolves.toContain('Not set');
    await page.getByText(/Imported 1 connection from to-import\.json\. 1 secret value in the file was left out/).first().waitFor();
    expect(await page.content()).not.toContain('key-in-file-123');
    await imported.getByRole('button', { name: 'Test connection "ePay imported"' }).click();
    await imported.getByText(/Failed: .*API key is missing/).waitFor();
    await expectNoAxe(page, 'after import');

    // Delete with an inline confirmation, by keyboard.
    await imported.getByRole('button', { name: 'Delete "ePay imported"' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id.startsWith('connection-confirm-') ?? false);
    await page.keyboard.press('Enter');
    await imported.waitFor({ state: 'detached' });
    // Undo from the toast, by keyboard: F6 jumps to its Undo button.
    await page.getByRole('status').filter({ hasText: 'Deleted the connection "ePay imported"' }).waitFor();
    await page.keyboard.press('F6');
    await page.keyboard.press('Enter');
    await imported.waitFor();
    await page.getByRole('status').filter({ hasText: 'Undone: Deleted the connection "ePay imported"' }).waitFor();
    await imported.getByRole('button', { name: 'Delete "ePay imported"' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id.startsWith('connection-confirm-') ?? false);
    await page.keyboard.press('Enter');
    await imported.waitFor({ state: 'detached' });

    // Main's refusal (the name is taken) is shown in the form and takes the focus; Escape cancels.
    await page.locator('#connection-add').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('ePay e2e');
    await page.keyboard.press('Tab');
    await page.keyboard.type(sb!.providers.epay!);
    await page.keyboard.press('Tab');
    await page.keyboard.type('another-key-456');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Another ePay connection is already named "ePay e2e": choose another name.' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('form-error'))).toBe(true);
    await expectNoAxe(page, 'form with a refusal from main');
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'New connection' }).waitFor({ state: 'detached' });
    expect(await focusedId(page)).toBe('connection-add');
    expect(problems(app.log)).toEqual([]);

    // Neither key is in the web host's SQLite file, its WAL or its logs.
    const files = [...(await readdir(home!)).filter((f) => f.startsWith('batchdesk.sqlite')).map((f) => join(home!, f)), ...(await readdir(join(home!, 'logs')).catch(() => [])).map((f) => join(home!, 'logs', f))];
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    for (const f of files) {
      const bytes = await readFile(f);
      for (const secret of [SANDBOX_CREDENTIALS.epay.apiKey, 'key-in-file-123']) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${f}`).toBe(false);
    }
  });

  it('each provider\'s form shows exactly the fields of its connection.json; Wonder switches between S3 and a file URL', { timeout: 120_000 }, async () => {
    const app = await openApp(browser!, host!);
    opened.push(app);
    const { page } = app;
    await page.keyboard.press('Control+3');
    await page.locator('#connection-add').click();
    const labels = () => page.locator('form.connection-form label > span:first-child, form.connection-form .secret-label').allTextContents();
    const expected: Record<string, string[]> = {
      epay: ['API key'],
      sibs: ['Bearer token', 'Client ID (X-IBM-Client-Id)', 'Terminal ID'],
      jpmmps: ['User ID', 'Password', 'Program account number', 'Merchant account number', 'Account type'],
      wonder: ['App ID', 'Private key (PEM)', 'S3 endpoint (optional)', 'S3 region', 'S3 bucket', 'S3 access key ID', 'S3 secret access key'],
      hypercard: ['API key', 'Private key (PEM)'],
    };
    for (const [provider, fields] of Object.entries(expected)) {
      await page.locator('#conn-provider').selectOption(provider);
      expect(await labels(), provider).toEqual(['Provider', 'Name', 'Base URL', ...fields]);
    }
    await page.locator('#conn-provider').selectOption('wonder');
    await page.getByLabel('A file URL I supply').check();
    expect(await labels()).toEqual(['Provider', 'Name', 'Base URL', 'App ID', 'Private key (PEM)', 'File URL']);
    await page.getByRole('button', { name: 'Add connection', exact: true }).click();
    await expect(page.locator('#conn-upload-fileUrl-error').textContent()).resolves.toBe('File URL is required.');
    await expect(page.locator('#conn-privateKeyPem').evaluate((el) => el.tagName)).resolves.toBe('TEXTAREA');
    await expectNoAxe(page, 'Wonder form with a file URL');
    await page.keyboard.press('Escape');
    expect(problems(app.log)).toEqual([]);
  });

  it('J.P. Morgan Mobility Payments SmartPay: merchant key and origin, refused without the key, tested on the form and saved against the sandbox', { timeout: 120_000 }, async () => {
    const app = await openApp(browser!, host!);
    opened.push(app);
    const { page } = app;
    const sp = SANDBOX_CREDENTIALS.jpmmps;
    await page.keyboard.press('Control+3');
    await page.locator('#connection-add').click();
    await page.locator('#conn-provider').selectOption('jpmmps');
    await page.getByLabel('SmartPay (merchant key and origin)').check();
    const labels = () => page.locator('form.connection-form label > span:first-child, form.connection-form .secret-label').allTextContents();
    expect(await labels()).toEqual(['Provider', 'Name', 'Base URL', 'Merchant key', 'Origin']);
    await expect(page.locator('#conn-merchantKey').getAttribute('type')).resolves.toBe('password');
    await page.locator('#conn-name').fill('SmartPay e2e');
    await page.locator('#conn-baseUrl').fill(sb!.providers.jpmmps!);
    await page.locator('#conn-origin').fill(sp.origin);
    await page.getByRole('button', { name: 'Add connection', exact: true }).click();
    await expect(page.locator('#conn-merchantKey-error').textContent()).resolves.toBe('Enter the Merchant key.');
    expect(await focusedId(page)).toBe('conn-merchantKey');
    await page.getByRole('button', { name: 'Test connection', exact: true }).click();
    await page.getByTestId('connection-form-test').getByText('Not tested: fix the field marked first.').waitFor();
    await page.keyboard.type(sp.merchantKey);
    await page.getByRole('button', { name: 'Test connection', exact: true }).click();
    await page.getByTestId('connection-form-test').getByText('Works: JPMMPS SmartPay accepted the merchant key and origin. Nothing was saved yet.').waitFor({ timeout: 30_000 });
    await expectNoAxe(page, 'SmartPay form after Test connection');
    await page.getByRole('button', { name: 'Add connection', exact: true }).click();
    const row = page.locator('tr[data-connection]', { has: page.locator('.connection-name', { hasText: 'SmartPay e2e' }) });
    await row.waitFor();
    expect(await page.content()).not.toContain(sp.merchantKey);
    await row.getByRole('button', { name: 'Test connection "SmartPay e2e"' }).click();
    await row.getByText('Works: JPMMPS SmartPay accepted the merchant key and origin.').waitFor({ timeout: 30_000 });
    // Editing keeps the contract and shows the key as set, never its value.
    await row.getByRole('button', { name: /^Edit/ }).click();
    await expect(page.getByLabel('SmartPay (merchant key and origin)').isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Replace Merchant key' }).waitFor();
    await expect(page.locator('#conn-origin').inputValue()).resolves.toBe(sp.origin);
    await page.keyboard.press('Escape');
    expect(problems(app.log)).toEqual([]);
  });
});
