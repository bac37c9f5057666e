import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { dispatch } from '../../electron/main/ipc/wrap';
import { writeXlsx } from '../../electron/main/services/files/xlsx';
import type { CheckFileResult, EventPayload } from '../../shared/contract';
import { SOURCE_CHECK_WORKER } from '../helpers/checkWorker';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';
import { buildZip, sheetXml, workbookItems } from '../fixtures/xlsx/zipkit';

const fixture = (name: string) => resolve(import.meta.dirname, '../fixtures/cli', name);
let services: Services[] = [];
afterEach(() => {
  for (const s of services) s.close();
  services = [];
  cleanupTempDirs();
});

function setup(withWorker = true) {
  const s = createServices({ dataDir: tempDir(), mode: 'web', version: 't', ...(withWorker ? { checkWorker: SOURCE_CHECK_WORKER } : {}) });
  services.push(s);
  const progress: EventPayload<'task.progress'>[] = [];
  const handlers = createHandlers(s, (name, payload) => {
    if (name === 'task.progress') progress.push(payload as EventPayload<'task.progress'>);
  });
  const call = (name: string, input: unknown) => dispatch(handlers, name, input, { via: 'http' });
  return { s, call, progress };
}

const WONDER_HEADER = 'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark';

describe('files.check (worker thread)', () => {
  it('reads and validates a file in a worker, reporting progress and auditing the check', async () => {
    const { s, call, progress } = setup();
    const r = await call('files.check', { path: fixture('wonder-errors.csv'), profile: 'wonder' });
    expect(r.ok).toBe(true);
    const v = (r as { value: CheckFileResult }).value;
    expect(v).toMatchObject({ rows: 6, errors: 5, warnings: 0, moreIssues: 0, source: { kind: 'csv', delimiter: ',' } });
    expect(v.issues.map((i) => [i.row, i.column, i.code])).toContainEqual([2, 'Card Number', 'wonder.card_number.luhn']);
    expect(JSON.stringify(v.issues)).not.toMatch(/\d{13,19}/); // no full card number leaves the worker
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toMatchObject({ taskId: v.taskId, label: 'Checked 6 rows', done: 6, total: 6 });
    expect(s.audit.list()[0]).toMatchObject({ action: 'file.check', detail: { rows: 6, errors: 5, profile: 'wonder' } });
  });

  it('a file with more findings than the worker keeps: the panel gets the first 500, the totals stay exact', async () => {
    const { call } = setup();
    const file = join(tempDir(), 'many.csv');
    const n = 3000; // two findings a row: 3,000 of each code, beyond the 1,000 kept per code
    writeFileSync(file, `${WONDER_HEADER}\n` + Array.from({ length: n }, (_, i) => `pay,R${i},,,-1,tok_1,,,,,`).join('\n') + '\n');
    const r = (await call('files.check', { path: file, profile: 'wonder' })) as { ok: boolean; value: CheckFileResult };
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({ rows: n, errors: 2 * n, warnings: 0 });
    expect(r.value.issues).toHaveLength(500);
    expect(r.value.moreIssues).toBe(2 * n - 500);
    expect(r.value.issues[0]!.row).toBe(1);
    // per rule, exact beyond the cap, each with an example message
    expect(r.value.byRule.map((b) => [b.code, b.count, b.severity])).toEqual([
      ['wonder.action.invalid', n, 'error'],
      ['wonder.amount.not_positive', n, 'error'],
    ]);
    expect(r.value.byRule.every((b) => b.example.length > 0)).toBe(true);
  });

  it('uses the Wonder currency and amount unit from settings', async () => {
    const { call } = setup();
    const dir = tempDir();
    const file = join(dir, 'jpy.csv');
    writeFileSync(file, `${WONDER_HEADER}\r\npayment,R1,,,1050.5,tok_1,,,,,\r\n`);
    const hkd = (await call('files.check', { path: file, profile: 'wonder' })) as { value: CheckFileResult };
    expect(hkd.value.errors).toBe(0);
    expect(await call('settings.set', { wonderCurrency: 'JPY' })).toMatchObject({ ok: true });
    const jpy = (await call('files.check', { path: file, profile: 'wonder' })) as { value: CheckFileResult };
    expect(jpy.value.issues.map((i) => i.code)).toEqual(['wonder.amount.decimals']);
  });

  it("the Check panel's result says which sheet was read; its sheet input reads a hidden sheet only when named", async () => {
    const { call } = setup();
    const file = join(tempDir(), 'hidden-first.xlsx');
    const row = (r: number, cells: string[]) => `<row r="${r}">${cells.map((v) => `<c t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;
    const H = ['Action', 'Reference Number', 'Amount', 'Token ID'];
    writeFileSync(
      file,
      buildZip(
        workbookItems(
          [
            { name: 'Old', state: 'hidden', xml: sheetXml(row(1, H) + row(2, ['payment', 'OLD-1', '999', 'tok_old'])) },
            { name: 'Batch', xml: sheetXml(row(1, H) + row(2, ['payment', 'NEW-1', '10.00', 'tok_new']) + row(3, ['payment', 'NEW-2', '11.00', 'tok_new2'])) },
          ],
          undefined,
          { activeTab: 1 },
        ),
      ),
    );
    const seen = ((await call('files.check', { path: file, profile: 'wonder' })) as { value: CheckFileResult }).value;
    expect(seen).toMatchObject({ rows: 2, errors: 0, warnings: 1, source: { kind: 'xlsx', sheet: 'Batch', sheets: ['Old', 'Batch'] } });
    expect(seen.issues).toEqual([{ row: null, column: null, severity: 'warning', code: 'xlsx.sheet_read', message: 'Read sheet "Batch" (2 of 2 sheets; "Old" is hidden). To check another sheet, name it as the sheet to read.' }]);
    const named = ((await call('files.check', { path: file, profile: 'wonder', sheet: 'Old' })) as { value: CheckFileResult }).value;
    expect(named).toMatchObject({ rows: 1, source: { sheet: 'Old' } });
    expect(named.issues[0]!.message).toBe('Read the hidden sheet "Old", as named (1 of 2 sheets).');
  });

  it('reads XLSX sheets by name and names the sheets when one is missing', async () => {
    const { call } = setup();
    const file = join(tempDir(), 'batch.xlsx');
    await writeXlsx(file, { name: 'Renewals', header: WONDER_HEADER.split(','), rows: [['payment', 'R1', '', '', '12.50', 'tok_1', '', '', '', '', '']] });
    const ok = (await call('files.check', { path: file, profile: 'wonder', sheet: 'renewals' })) as { value: CheckFileResult };
    expect(ok.value).toMatchObject({ rows: 1, errors: 0, source: { kind: 'xlsx', sheet: 'Renewals', sheets: ['Renewals'] } });
    const missing = await call('files.check', { path: file, profile: 'wonder', sheet: 'December' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'xlsx.sheet_not_found', message: expect.stringContaining('Renewals') } });
  });

  it('answers unreadable input with clear errors', async () => {
    const { call } = setup();
    expect(await call('files.check', { path: 'batch.csv', profile: 'wonder' })).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/full path/) } });
    expect(await call('files.check', { path: '', profile: 'wonder' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await call('files.check', { path: '/no/such/file.csv', profile: 'wonder' })).toEqual({
      ok: false,
      error: { code: 'file.not_found', message: 'File not found: "/no/such/file.csv".' },
    });
    const folder = join(tempDir(), 'looks-like.csv');
    mkdirSync(folder);
    expect(await call('files.check', { path: folder, profile: 'wonder' })).toMatchObject({ ok: false, error: { code: 'file.is_directory' } });
    // read by content whatever the name, and a path in quotes (Windows "Copy as path") is accepted
    const dat = join(tempDir(), 'wonder.dat');
    writeFileSync(dat, `${WONDER_HEADER}\npayment,R1,,,12.50,tok_1,,,,,\n`);
    expect(await call('files.check', { path: `"${dat}"`, profile: 'wonder' })).toMatchObject({ ok: true, value: { rows: 1, errors: 0 } });
    const unavailable = setup(false);
    expect(await unavailable.call('files.check', { path: fixture('wonder-valid.csv'), profile: 'wonder' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await unavailable.call('files.choose', {})).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/full path/) } });
  });

  it('keeps the main thread free: other calls are answered while a large file is being checked', async () => {
    const { call } = setup();
    const file = join(tempDir(), 'big.csv');
    const lines = [WONDER_HEADER];
    for (let i = 0; i < 150_000; i++) lines.push(`payment,REF-${i},,,${(i % 500) + 1}.00,tok_${i},,,,,renewal`);
    writeFileSync(file, lines.join('\r\n'));
    const order: string[] = [];
    const check = call('files.check', { path: file, profile: 'wonder' }).then((r) => {
      order.push('check');
      return r;
    });
    const create = call('batches.create', { name: 'While checking', profile: 'wonder' }).then((r) => {
      order.push('create');
      return r;
    });
    const second = await call('files.check', { path: fixture('wonder-valid.csv'), profile: 'wonder' });
    expect(second).toEqual({ ok: false, error: { code: 'conflict', message: 'Another file is being checked; wait for it to finish.' } });
    const [checked, created] = await Promise.all([check, create]);
    expect(created).toMatchObject({ ok: true });
    expect(checked).toMatchObject({ ok: true, value: { rows: 150_000, errors: 0 } });
    expect(order).toEqual(['create', 'check']);
    // the slot is free again once the first check has finished
    expect(await call('files.check', { path: fixture('wonder-valid.csv'), profile: 'wonder' })).toMatchObject({ ok: true, value: { errors: 0 } });
  });
});
