/**
 * Small steps the editor's end-to-end tests share: calls to the host's contract from the page,
 * importing a file into a batch through the contract, opening a batch, moving by keyboard.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { GridRow, RowsWindow } from '../../shared/contract';

export const WONDER_HEADER = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark';

// Two cores shared by many processes: a round trip through main can take longer than poll's default 1 s.
export const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });

export async function rpc<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([c, i]) => {
      const res = await fetch(`/rpc/${c}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(i) });
      return (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    },
    [channel, input] as const,
  );
  if (!r.ok) throw new Error(`${channel}: ${r.error?.message}`);
  return r.value as T;
}

export async function stored(page: Page, batchId: string, limit = 100): Promise<GridRow[]> {
  return (await rpc<RowsWindow>(page, 'rows.window', { batchId, offset: 0, limit })).rows;
}

export async function total(page: Page, batchId: string): Promise<number> {
  return (await rpc<RowsWindow>(page, 'rows.window', { batchId, offset: 0, limit: 1 })).total;
}

/** Imports a file on disk into a new batch through the contract (not the wizard) and waits until its `rows` rows are stored. */
export async function importByContract(page: Page, path: string, name: string, rows: number, unit: 'major' | 'minor' = 'major'): Promise<string> {
  const file = { kind: 'path', path };
  const preview = await rpc<{ mapping: Record<string, number | null> }>(page, 'import.preview', { file, profile: 'wonder' });
  const started = await rpc<{ batchId: string }>(page, 'import.start', { file, profile: 'wonder', mapping: preview.mapping, amountUnit: unit, target: { kind: 'new', name } });
  await poll(async () => {
    const w = await rpc<RowsWindow>(page, 'rows.window', { batchId: started.batchId, offset: 0, limit: 1 });
    return w.total === rows && !w.readOnly;
  }, 60_000).toBe(true);
  return started.batchId;
}

export const announcer = (page: Page) => page.getByTestId('cell-announcer');

/** From the Batches view: opens the batch and waits until the grid has focus on its first cell. */
export async function openBatch(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Open ${name}`, exact: true }).click();
  await page.getByRole('toolbar', { name: 'Batch tools' }).waitFor({ timeout: 30_000 });
  await poll(() => announcer(page).textContent()).toMatch(/^Action, line /);
  // The announcer follows the selection, not focus: keys pressed before the grid has focus go nowhere.
  await poll(() => focusInGrid(page)).toBe(true);
}

export async function backToBatches(page: Page): Promise<void> {
  await page.getByRole('button', { name: '← Batches' }).click();
  await page.getByRole('heading', { name: 'Batches' }).waitFor();
}

/** The grid's cursor as [column, row] (column 0 is the Line column), from the grid's data-current-cell. */
export async function currentCell(page: Page): Promise<[number, number] | null> {
  const v = await page.locator('.batch-grid').getAttribute('data-current-cell');
  if (!v) return null;
  const [c, r] = v.split(',').map(Number);
  return [c!, r!];
}

/**
 * Moves the grid's focus to a cell by keyboard: Ctrl+Home (the line column of row 0), then arrows,
 * checking where Ctrl+Home and then the arrows landed, and starting over (up to four tries) when not
 * there: on a loaded machine a key can reach the grid before it has focus again (a re-rendered
 * hidden cell), and every later step would then be off by one.
 */
export async function goToCell(page: Page, row: number, col: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (!(await focusInGrid(page))) await page.locator('.batch-grid canvas').first().focus();
    await page.keyboard.press('Control+Home');
    const home = await settled(page, [0, 0]);
    if (home) {
      for (let i = 0; i < col; i++) await page.keyboard.press('ArrowRight');
      for (let i = 0; i < row; i++) await page.keyboard.press('ArrowDown');
      if (await settled(page, [col, row])) return;
    }
    if (attempt === 3) {
      expect(await currentCell(page), `the grid's cursor after moving to column ${col}, row ${row}`).toEqual([col, row]);
      expect(await focusInGrid(page), 'the grid has focus after moving').toBe(true);
      return;
    }
  }
}

/** Waits (up to 3 s) until the grid's cursor is at `want` and the grid has focus. */
async function settled(page: Page, want: [number, number]): Promise<boolean> {
  const until = Date.now() + 3000;
  while (Date.now() < until) {
    const at = await currentCell(page);
    if (at && at[0] === want[0] && at[1] === want[1] && (await focusInGrid(page))) return true;
    await page.waitForTimeout(25);
  }
  return false;
}

/**
 * Types `text` into the focused cell (type to replace) and commits it with Enter once the cell's
 * editor shows it, so the test checks what it is about rather than how fast a busy page opens an editor.
 */
export async function typeInCell(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await poll(() => page.evaluate(() => document.querySelector<HTMLTextAreaElement>('#portal textarea')?.value ?? null)).toBe(text);
  await page.keyboard.press('Enter');
}

/** The line numbers the grid shows (Glide's hidden table mirrors the canvas's first column). */
export function shownLines(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('[id^="glide-cell-0-"]')].map((td) => td.textContent ?? '').filter((t) => t !== ''));
}

export function focusInGrid(page: Page): Promise<boolean> {
  return page.evaluate(() => !!document.activeElement?.closest('.batch-grid'));
}
