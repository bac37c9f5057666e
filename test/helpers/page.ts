/**
 * Opens the app in a fresh browser context through the host's one-time URL, and records what the
 * page does: console errors/warnings, uncaught exceptions, every request URL and failed request.
 */
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { WebHost } from './webHost';

export interface PageLog {
  console: { type: string; text: string }[];
  pageErrors: string[];
  requests: string[];
  failed: string[];
  /** Responses with status >= 400: `STATUS URL`. */
  httpErrors: string[];
}

export interface OpenedApp {
  context: BrowserContext;
  page: Page;
  log: PageLog;
  /** The response of the document after the token redirect. */
  response: Response | null;
}

export function recordPage(page: Page): PageLog {
  const log: PageLog = { console: [], pageErrors: [], requests: [], failed: [], httpErrors: [] };
  page.on('console', (m) => {
    const where = m.location()?.url;
    log.console.push({ type: m.type(), text: where ? `${m.text()} [${where}]` : m.text() });
  });
  page.on('response', (r) => {
    if (r.status() >= 400) log.httpErrors.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  // A request still in flight when the test reloads or leaves the page is aborted by the browser:
  // not a failure of the app. Each request remembers the navigation it started under.
  let navigations = 0;
  const startedUnder = new WeakMap<object, number>();
  page.on('request', (r) => {
    // a navigation's own request comes first, before the browser aborts what the old page had in flight
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) navigations++;
    startedUnder.set(r, navigations);
    log.requests.push(r.url());
  });
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText ?? '';
    const cutByNavigation = error === 'net::ERR_ABORTED' && startedUnder.get(r) !== navigations;
    // The event stream is cut when the page goes away or the host stops: not a failure of the app.
    if (!r.url().endsWith('/events') && !cutByNavigation) log.failed.push(`${r.url()} ${error}`);
  });
  return log;
}

/** New context + page, then navigates to the host's `/?t=TOKEN` URL and waits for the Batches view. */
export async function openApp(browser: Browser, host: WebHost, viewport = { width: 1280, height: 800 }): Promise<OpenedApp> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const log = recordPage(page);
  const response = await page.goto(host.openUrl, { waitUntil: 'load' });
  await waitForBatches(page);
  return { context, page, log, response };
}

/** The Batches view has finished its first load (table or empty state shown). */
export async function waitForBatches(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Batches' }).waitFor();
  await page.locator('table.grid, p.empty').first().waitFor();
}

/**
 * Console errors and warnings, uncaught page errors, failed requests and 4xx/5xx responses.
 * `known` lists console messages (text, then ` [url]` when Chromium gives one) that are known app
 * issues reported elsewhere; they are left out. Keep it as narrow as possible.
 */
export function problems(log: PageLog, known: RegExp[] = []): string[] {
  return [
    ...log.console
      .filter((m) => (m.type === 'error' || m.type === 'warning') && !known.some((re) => re.test(m.text)))
      .map((m) => `console.${m.type}: ${m.text}`),
    ...log.pageErrors.map((e) => `pageerror: ${e}`),
    ...log.failed.map((f) => `requestfailed: ${f}`),
    ...log.httpErrors.map((h) => `http: ${h}`),
  ];
}
