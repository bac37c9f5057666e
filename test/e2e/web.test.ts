/**
 * End-to-end: the built renderer in real Chromium (system binary, headless) against the real web
 * harness process (`node out/main/web.js --no-open`) with its own temp BATCHDESK_HOME.
 * Needs `npx electron-vite build` first.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CreateBatchInput } from '../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security';
import { launchChromium } from '../helpers/chromium';
import { rawRequest, rpc } from '../helpers/http';
import { openApp, problems, waitForBatches, type OpenedApp } from '../helpers/page';
import { makeTempHome, removeTempHome, ROOT, startWebHost, type WebHost } from '../helpers/webHost';

/** What the contract says about an empty batch name (the UI and HTTP must show exactly this). */
const EMPTY_NAME_MESSAGE = (() => {
  const r = CreateBatchInput.safeParse({ name: '', profile: 'wonder' });
  if (r.success) throw new Error('the contract accepts an empty name');
  return r.error.issues[0]!.message;
})();

let home: string | undefined;
let host: WebHost | undefined;
let browser: Browser | undefined;
const opened: OpenedApp[] = [];

async function open(): Promise<OpenedApp> {
  const app = await openApp(browser!, host!);
  opened.push(app);
  return app;
}

function exact(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
function rows(page: Page) {
  return page.locator('tbody tr');
}
function nameCell(page: Page, name: string) {
  return page.locator('tbody .batch-name', { hasText: exact(name) });
}
function rowOf(page: Page, name: string) {
  return rows(page).filter({ has: page.locator('.batch-name', { hasText: exact(name) }) });
}

/**
 * Console messages the app is known to cause (none at present; add a pattern here only with the
 * reason). Anything else, any console error or warning, fails the test.
 */
const KNOWN_CONSOLE: RegExp[] = [];
const clean = (app: OpenedApp) => problems(app.log, KNOWN_CONSOLE);

async function createBatch(page: Page, name: string, profile?: string): Promise<void> {
  await page.locator('input[name="batch-name"]').fill(name);
  if (profile) await page.locator('select[name="batch-profile"]').selectOption(profile);
  await page.getByRole('button', { name: 'Create batch' }).click();
  await nameCell(page, name).waitFor();
}

function expectOnlyHarnessRequests(app: OpenedApp): void {
  expect(app.log.requests.length).toBeGreaterThan(0);
  const outside = app.log.requests.filter((u) => !u.startsWith(host!.origin + '/'));
  expect(outside).toEqual([]);
}

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

describe('web harness in Chromium', () => {
  it('(a) a created batch is still there after a reload', async () => {
    const app = await open();
    const { page } = app;
    await createBatch(page, 'Reload survivor', 'epay');
    await expect(page.locator('input[name="batch-name"]').inputValue()).resolves.toBe('');

    await page.reload({ waitUntil: 'load' });
    await waitForBatches(page);
    const row = rowOf(page, 'Reload survivor');
    await row.waitFor();
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('ePay');
    expect(clean(app)).toEqual([]);
    expectOnlyHarnessRequests(app);
  });

  it('(b) a batch survives stopping the host (SIGTERM) and starting a new one on the same data folder', async () => {
    let app = await open();
    await createBatch(app.page, 'Restart survivor', 'sibs');
    expect(clean(app)).toEqual([]);
    await app.context.close();

    const old = host!;
    const code = await old.stop();
    expect(code).toBe(0);
    host = await startWebHost(home!);
    expect(host.token).not.toBe(old.token);

    // The old token means nothing to the new host.
    const stale = await rpc(host.origin, 'batches.list', {}, { Authorization: `Bearer ${old.token}` });
    expect(stale.status).toBe(401);

    app = await open();
    await nameCell(app.page, 'Restart survivor').waitFor();
    const row = rowOf(app.page, 'Restart survivor');
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('SIBS');
    expect(clean(app)).toEqual([]);
    expectOnlyHarnessRequests(app);
  });

  it('(c) bad input gets a clear error in the UI and at the HTTP level', async () => {
    const app = await open();
    const { page } = app;
    const before = await rows(page).count();

    // UI: an empty name shows the contract's message; the typed text (spaces) stays.
    await page.locator('input[name="batch-name"]').fill('   ');
    await page.getByRole('button', { name: 'Create batch' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(EMPTY_NAME_MESSAGE).toBe('Give the batch a name.'); // clerk words, no internal field name
    await expect(alert.locator('span').textContent()).resolves.toBe(EMPTY_NAME_MESSAGE);
    await expect(page.locator('input[name="batch-name"]').inputValue()).resolves.toBe('   ');
    expect(await rows(page).count()).toBe(before);

    // HTTP from the page itself (same origin, cookie): a Result with bad_input, not a crash.
    const fromPage = await page.evaluate(async () => {
      const post = async (channel: string, body: string) => {
        const r = await fetch(`/rpc/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
        return { status: r.status, json: (await r.json()) as unknown };
      };
      return {
        empty: await post('batches.create', JSON.stringify({ name: '', profile: 'wonder' })),
        profile: await post('batches.create', JSON.stringify({ name: 'x', profile: 'visa' })),
        extra: await post('batches.create', JSON.stringify({ name: 'x', profile: 'wonder', admin: true })),
        unknown: await post('batches.explode', '{}'),
        badId: await post('batches.delete', JSON.stringify({ id: 'nope' })),
      };
    });
    expect(fromPage.empty).toEqual({ status: 200, json: { ok: false, error: { code: 'bad_input', message: EMPTY_NAME_MESSAGE } } });
    for (const r of [fromPage.profile, fromPage.extra, fromPage.badId]) {
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'bad_input' } });
      expect((r.json as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
    }
    // clerk words with the field's label, never its internal name
    expect((fromPage.profile.json as { error: { message: string } }).error.message).toBe('Provider must be one of: wonder, epay, sibs, jpmmps.');
    expect((fromPage.badId.json as { error: { message: string } }).error.message).toBe('A batch id is a UUID.');
    expect(fromPage.unknown).toEqual({
      status: 200,
      json: { ok: false, error: { code: 'unknown_channel', message: 'There is no channel named "batches.explode".' } },
    });

    // From Node: a foreign Origin is refused even with the right token; no token is refused.
    // (Bodies that are not JSON are done from Node: Chromium logs every 4xx fetch as a console error.)
    const notJson = await rawRequest(host!.origin, '/rpc/batches.create', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host!.token}` },
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toEqual({ ok: false, error: { code: 'bad_input', message: 'The request body is not valid JSON.' } });
    const foreign = await rpc(host!.origin, 'batches.list', {}, { Authorization: `Bearer ${host!.token}`, Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const crossSite = await rpc(host!.origin, 'batches.list', {}, { Authorization: `Bearer ${host!.token}`, 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const rebinding = await rpc(host!.origin, 'batches.list', {}, { Authorization: `Bearer ${host!.token}`, Host: 'evil.example' });
    expect(rebinding.status).toBe(403);
    const noToken = await rpc(host!.origin, 'batches.list', {});
    expect(noToken.status).toBe(401);
    expect(noToken.body).toContain('open the URL');
    const wrongToken = await rawRequest(host!.origin, '/?t=not-the-token');
    expect(wrongToken.status).toBe(401);
    const noTokenPage = await rawRequest(host!.origin, '/');
    expect(noTokenPage.status).toBe(401);
    // Control: the same call with the token and no foreign headers works, and nothing bad was stored.
    const good = await rpc(host!.origin, 'batches.list', {}, { Authorization: `Bearer ${host!.token}` });
    expect(good.status).toBe(200);
    const list = JSON.parse(good.body) as { ok: true; value: { name: string }[] };
    expect(list.ok).toBe(true);
    expect(list.value.map((b) => b.name)).not.toContain('x');
    expect(list.value).toHaveLength(before);

    expect(clean(app)).toEqual([]);
  });

  it('(d) delete, then Ctrl+Z brings the batch back', async () => {
    const app = await open();
    const { page } = app;
    await createBatch(page, 'Undo target', 'jpmmps');
    await page.getByRole('button', { name: 'Delete Undo target' }).click();
    await nameCell(page, 'Undo target').waitFor({ state: 'detached' });
    await expect(page.getByRole('status').textContent()).resolves.toContain('Deleted batch "Undo target"');

    await page.keyboard.press('Control+z');
    await nameCell(page, 'Undo target').waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Undone: Deleted batch "Undo target"');

    // Restored in main, not only on screen: a reload still shows it.
    await page.reload({ waitUntil: 'load' });
    await waitForBatches(page);
    await nameCell(page, 'Undo target').waitFor();

    // The Delete key on the selected row, then the toast's Undo button.
    await nameCell(page, 'Undo target').click();
    await page.locator('tbody').press('Delete');
    await nameCell(page, 'Undo target').waitFor({ state: 'detached' });
    await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await nameCell(page, 'Undo target').waitFor();
    expect(clean(app)).toEqual([]);
  });

  it('(e) CSP and security headers are sent, no console errors, no request leaves the harness origin', async () => {
    const app = await open();
    const { page, response } = app;
    expect(response).not.toBeNull();
    expect(response!.url()).toBe(host!.origin + '/');
    expect(response!.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['content-security-policy']).toContain("connect-src 'self'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');

    // Exercise every view so all of their code and requests run.
    await createBatch(page, 'Header check');
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByRole('list', { name: 'Audit log' }).waitFor();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByText('Browser (web mode)').waitFor();
    await page.getByRole('button', { name: 'Batches' }).click();
    await waitForBatches(page);
    // The script and stylesheet came from the harness too, with the same CSP.
    const asset = app.log.requests.find((u) => /\/assets\/.*\.js$/.test(u));
    expect(asset).toBeDefined();
    const assetRes = await page.request.get(asset!);
    expect(assetRes.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);

    expect(clean(app)).toEqual([]);
    expectOnlyHarnessRequests(app);
    // The page did talk to the harness over /rpc and /events.
    expect(app.log.requests.some((u) => u.startsWith(`${host!.origin}/rpc/batches.create`))).toBe(true);
    expect(app.log.requests.some((u) => u === `${host!.origin}/events`)).toBe(true);
  });

  it('(f) Ctrl+2 shows History with the created and renamed batch; Ctrl+1 goes back', async () => {
    const app = await open();
    const { page } = app;
    await createBatch(page, 'History before', 'wonder');
    await nameCell(page, 'History before').click();
    await page.locator('tbody').press('F2');
    const editor = page.getByRole('textbox', { name: 'New name' });
    await editor.fill('History after');
    await editor.press('Enter');
    await nameCell(page, 'History after').waitFor();

    // Focus outside any text field, then the shortcut.
    await page.locator('tbody').focus();
    await page.keyboard.press('Control+2');
    await page.getByRole('heading', { name: 'History' }).waitFor();
    const log = page.getByRole('list', { name: 'Audit log' });
    await log.waitFor();
    const items = await log.locator('li span').allTextContents();
    expect(items.slice(0, 2)).toEqual(['Renamed batch "History before" to "History after"', 'Created batch "History before" (wonder)']);
    await expect(page.getByRole('button', { name: 'History' }).getAttribute('aria-current')).resolves.toBe('page');

    await page.keyboard.press('Control+1');
    await waitForBatches(page);
    await nameCell(page, 'History after').waitFor();
    expect(clean(app)).toEqual([]);
  });

  it('(g) checks a real CSV file in a worker: progress, then the findings; a missing file gets a clear error', async () => {
    const app = await open();
    const { page } = app;
    const file = join(ROOT, 'test', 'fixtures', 'cli', 'wonder-errors.csv');
    await page.locator('input[name="check-path"]').fill(file);
    await page.locator('select[name="check-profile"]').selectOption('wonder');
    await page.getByRole('button', { name: 'Check file' }).click();
    const summary = page.locator('.check-result .summary');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toMatch(/^6 rows · 5 errors · 0 warnings — fix the errors before exporting/);
    const findings = page.getByRole('table', { name: 'Findings' });
    await expect(findings.locator('tbody tr').count()).resolves.toBe(5);
    await expect(findings.locator('tbody tr').first().textContent()).resolves.toContain('Card Number');
    // the findings table lays out as a table and fits its panel (an error row once took the alert banner's flex style)
    const fit = await findings.evaluate((t) => ({ table: t.getBoundingClientRect().width, panel: t.parentElement!.getBoundingClientRect().width, rowDisplay: getComputedStyle(t.querySelector('tbody tr')!).display }));
    expect(fit.rowDisplay).toBe('table-row');
    expect(fit.table).toBeLessThanOrEqual(fit.panel);
    await expect(page.content()).resolves.not.toMatch(/4111111111111112/);
    // exact counts per rule, most frequent first, adding up to the errors
    const byRule = page.getByRole('table', { name: 'Counts by rule' });
    const counts = (await byRule.locator('tbody tr td:first-child').allTextContents()).map(Number);
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);

    await page.locator('input[name="check-path"]').fill(join(ROOT, 'no-such-file.csv'));
    await page.getByRole('button', { name: 'Check file' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('File not found');
    expect(clean(app)).toEqual([]);
    expectOnlyHarnessRequests(app);
  });

  it('(h) a long check shows its progress in percent, and its result survives switching views', async () => {
    const app = await open();
    const { page } = app;
    const file = join(home!, 'big-batch.csv');
    const lines = ['Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark'];
    for (let i = 0; i < 400_000; i++) lines.push(`payment,REF-${i},,,${(i % 500) + 1}.00,tok_${i},,,,,renewal`);
    await writeFile(file, lines.join('\r\n'));
    await page.locator('input[name="check-path"]').fill(file);
    await page.locator('select[name="check-profile"]').selectOption('wonder');
    await page.getByRole('button', { name: 'Check file' }).click();
    const bar = page.getByRole('progressbar', { name: 'Checking the file' });
    // some step reports a percentage while the worker reads and checks the rows
    const seen: string[] = [];
    for (let t = 0; t < 400 && !seen.some((v) => /: \d+%$/.test(v)); t++) {
      const v = await bar.getAttribute('aria-valuetext', { timeout: 20_000 }).catch(() => null);
      if (v !== null && !seen.includes(v)) seen.push(v);
      await page.waitForTimeout(10);
    }
    expect(seen.find((v) => /^(Reading the file|Checking 400,000 rows): \d+%$/.test(v)), seen.join(' | ')).toBeDefined();
    // leave for Settings and come back: the check went on, and its result is shown
    await page.keyboard.press('Control+3');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.keyboard.press('Control+1');
    const summary = page.locator('.check-result .summary');
    await summary.waitFor({ timeout: 60_000 });
    await expect(summary.textContent()).resolves.toMatch(/^400,000 rows · 0 errors · 0 warnings — ready to export/);
    await expect(page.locator('input[name="check-path"]').inputValue()).resolves.toBe(file);
    expect(clean(app)).toEqual([]);
  });

  it('screenshot of the Batches view (test-results/shell.png)', async () => {
    const app = await open();
    const { page } = app;
    await createBatch(page, 'November retries', 'sibs');
    await createBatch(page, 'December renewals', 'wonder');
    await nameCell(page, 'November retries').click();
    const out = join(ROOT, 'test-results');
    await mkdir(out, { recursive: true });
    const buf = await page.screenshot({ path: join(out, 'shell.png'), fullPage: false });
    expect(buf.length).toBeGreaterThan(1000);
    await expect(page.locator('nav[aria-label="Main"] .brand').textContent()).resolves.toBe('Batchdesk');
    expect(clean(app)).toEqual([]);
  });
});
