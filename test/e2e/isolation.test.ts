/**
 * End-to-end, in real Chromium against the real web harness: the renderer cannot reach any
 * outside URL. A second HTTP server on 127.0.0.1 (another port = another origin) stands for "the
 * outside"; every kind of request a page can make is tried from inside the app's page, and the
 * outside server must see none of them. Then every view and control is used and the app must
 * neither open a window nor navigate away.
 * In web mode the browser is the user's: it can always be navigated by its own address bar, and
 * window.open is the browser's to allow. In the desktop app, new windows and navigation are denied
 * by the main process (setWindowOpenHandler / will-navigate; test/unit/electron-glue.test.ts).
 */
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { openApp, waitForBatches } from '../helpers/page';
import { makeTempHome, removeTempHome, startWebHost, type WebHost } from '../helpers/webHost';

let home: string | undefined;
let host: WebHost | undefined;
let browser: Browser | undefined;
let outside: Server | undefined;
let outsideOrigin = '';
const outsideHits: string[] = [];

beforeAll(async () => {
  outside = createServer((req, res) => {
    outsideHits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' }).end('outside');
  });
  await new Promise<void>((r) => outside!.listen(0, '127.0.0.1', r));
  outsideOrigin = `http://127.0.0.1:${(outside.address() as { port: number }).port}`;
  home = await makeTempHome();
  host = await startWebHost(home);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await host?.stop();
  await removeTempHome(home);
  await new Promise((r) => outside?.close(r));
});

describe('renderer isolation in Chromium', () => {
  it('no request of any kind reaches an outside origin', async () => {
    const app = await openApp(browser!, host!);
    const { page } = app;
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (d: string) => violations.push(d));
    await page.evaluate(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(d: string): void }).reportViolation(e.effectiveDirective));
    });
    const results = await page.evaluate(async (o) => {
      const out: Record<string, string> = {};
      const attempt = async (name: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
          out[name] = 'reached';
        } catch (e) {
          out[name] = `blocked: ${(e as Error).name}`;
        }
      };
      await attempt('fetch', () => fetch(`${o}/fetch`));
      await attempt('xhr', () => new Promise((res, rej) => {
        const x = new XMLHttpRequest();
        x.open('GET', `${o}/xhr`);
        x.onload = res;
        x.onerror = () => rej(new TypeError('xhr error'));
        x.send();
      }));
      await attempt('websocket', () => new Promise((res, rej) => {
        try {
          const ws = new WebSocket(`${o.replace('http', 'ws')}/ws`);
          ws.onopen = res;
          ws.onerror = () => rej(new TypeError('ws error'));
        } catch (e) {
          rej(e);
        }
      }));
      await attempt('eventsource', () => new Promise((res, rej) => {
        const es = new EventSource(`${o}/sse`);
        es.onopen = res;
        es.onerror = () => {
          es.close();
          rej(new TypeError('es error'));
        };
      }));
      const load = (el: HTMLElement & { onload: unknown; onerror: unknown }) =>
        new Promise((res, rej) => {
          el.onload = res;
          el.onerror = () => rej(new TypeError(`${el.tagName} error`));
          document.body.appendChild(el);
        });
      await attempt('img', () => load(Object.assign(document.createElement('img'), { src: `${o}/img.png` })));
      await attempt('script', () => load(Object.assign(document.createElement('script'), { src: `${o}/s.js` })));
      await attempt('stylesheet', () => load(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: `${o}/s.css` })));
      await attempt('font', () => new FontFace('x', `url(${o}/f.woff2)`).load());
      const frame = Object.assign(document.createElement('iframe'), { src: `${o}/frame` });
      document.body.appendChild(frame);
      out.beacon = navigator.sendBeacon(`${o}/beacon`, 'x') ? 'queued' : 'refused';
      const form = Object.assign(document.createElement('form'), { action: `${o}/form`, method: 'post' });
      document.body.appendChild(form);
      form.submit();
      await new Promise((r) => setTimeout(r, 1000));
      return out;
    }, outsideOrigin);
    expect(results).toMatchObject({
      fetch: 'blocked: TypeError',
      xhr: 'blocked: TypeError',
      websocket: expect.stringMatching(/^blocked/),
      eventsource: 'blocked: TypeError',
      img: 'blocked: TypeError',
      script: 'blocked: TypeError',
      stylesheet: 'blocked: TypeError',
      font: expect.stringMatching(/^blocked/),
    });
    expect(page.url()).toBe(`${host!.origin}/`); // the form did not navigate
    expect(outsideHits).toEqual([]);
    expect(new Set(violations)).toEqual(new Set(['connect-src', 'img-src', 'script-src-elem', 'style-src-elem', 'font-src', 'frame-src', 'form-action']));
    await app.context.close();
  });

  it('using every view and control opens no window and never leaves the app', async () => {
    const app = await openApp(browser!, host!);
    const { page, context } = app;
    const popups: string[] = [];
    context.on('page', (p) => popups.push(p.url()));
    const navigations: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });
    await page.locator('input[name="batch-name"]').fill('Isolation');
    await page.getByRole('button', { name: 'Create batch' }).click();
    await page.locator('tbody .batch-name', { hasText: 'Isolation' }).waitFor();
    for (const view of ['History', 'Settings', 'Batches']) {
      await page.getByRole('button', { name: view, exact: true }).click();
      await page.getByRole('heading', { name: view }).waitFor();
      // No link in the app leads anywhere else, nor opens a window.
      const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => ({ href: (a as HTMLAnchorElement).href, target: (a as HTMLAnchorElement).target })));
      for (const l of links) {
        expect(l.href.startsWith(`${host!.origin}/`), l.href).toBe(true);
        expect(l.target).not.toBe('_blank');
      }
      expect(await page.locator('form[action]:not([action=""])').count()).toBe(0);
    }
    await waitForBatches(page);
    expect(popups).toEqual([]);
    expect(navigations.every((u) => u.startsWith(`${host!.origin}/`))).toBe(true);
    expect(outsideHits).toEqual([]);
    await context.close();
  });
});
