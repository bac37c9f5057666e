/**
 * Logs: card numbers, CVCs, secrets and tokens are fed through every path that writes the log
 * (direct calls, the contract dispatch's internal-error path over the real web host and over IPC,
 * the web host's own failures, uncaught errors, the updater's refusals), then the files are read
 * back and searched. Also: structured JSON lines, rotation by size with a bounded number of files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLog } from '../../electron/main/log/logger';
import { redactText } from '../../electron/main/log/redact';
import { createServices } from '../../electron/main/services';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { registerIpc } from '../../electron/main/ipc/electron';
import { startHost } from '../../electron/main/web/host';
import { IPC_PREFIX } from '../../shared/contract';
import { cleanupTempDirs, tempDir } from '../helpers/tmp';
import { rawRequest } from '../helpers/http';

afterAll(cleanupTempDirs);

const PAN = '4111111111111111';
const PAN_SPACED = '4111 1111 1111 1111';
const PAN_AMEX = '378282246310005';
const CVC = '862';
const API_KEY = 'sk_live_51HqLyjWDarjtT1zdp7dc0aBcD';
const TOKEN = 'Qm9vbGVhbi1Ub2tlbi1Gb3ItVGVzdGluZy0xMjM0NTY3ODkw';
const PASSWORD = 'hunter2-Correct-Horse';
const SECRETS = [PAN, PAN_SPACED, PAN_AMEX, API_KEY, TOKEN, PASSWORD, '1111 1111 1111'];

/** The files' lines without the fields a 3-digit CVC could appear in by chance (time, pid). */
function logText(dir: string): { lines: Record<string, unknown>[]; text: string } {
  const logs = join(dir, 'logs');
  const lines: Record<string, unknown>[] = [];
  for (const f of readdirSync(logs)) {
    for (const l of readFileSync(join(logs, f), 'utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
  }
  const text = lines.map(({ time: _t, pid: _p, ...rest }) => JSON.stringify(rest)).join('\n');
  return { lines, text };
}

function expectClean(text: string): void {
  for (const s of SECRETS) expect(text, `leaked ${s}`).not.toContain(s);
  expect(text).not.toContain(CVC);
}

describe('log redaction', () => {
  it('no PAN, CVC, secret or token reaches a log line, through any path', async () => {
    const dataDir = tempDir();
    const log = createLog({ dataDir, console: false });

    // 1. direct calls: text, objects, errors with causes, numbers
    log.info(`charging card ${PAN} cvc ${CVC} for the renewal`);
    log.warn('provider answered', { cardNumber: PAN, cvc: CVC, nested: { apiKey: API_KEY, headers: { Authorization: `Bearer ${TOKEN}` } }, note: `pan ${PAN_SPACED}` });
    log.error('export failed', new Error(`Card Number ${PAN_AMEX} is not valid; CVV=${CVC}`, { cause: new Error(`password=${PASSWORD}`) }));
    log.info('numeric card', { value: Number(PAN) });
    log.info(`config dump {"password": "${PASSWORD}", "security_code": "${CVC}", "token": "${TOKEN}"} key ${API_KEY}`);
    log.info(`Open: http://127.0.0.1:4000/?t=${TOKEN}`);

    // 2. the contract's internal-error path, over the real web host and over IPC
    const services = createServices({ dataDir, mode: 'web', version: 'test' });
    const handlers = createHandlers(services, () => {});
    handlers['batches.list'] = () => {
      throw new Error(`database said: card ${PAN} cvc=${CVC} token=${TOKEN}`);
    };
    const host = await startHost({ handlers, rendererDir: dataDir, log: log.logger, token: TOKEN.slice(0, 40) });
    try {
      const r = await rawRequest(host.url, '/rpc/batches.list', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
        body: '{}',
      });
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error in batches.list. Details are in the log.' } });
    } finally {
      await host.close();
    }
    const ipc = new Map<string, (e: unknown, input: unknown) => Promise<unknown>>();
    registerIpc({ handle: (n: string, fn: (e: unknown, input: unknown) => Promise<unknown>) => ipc.set(n, fn) } as never, handlers, { log: log.logger });
    await ipc.get(`${IPC_PREFIX}batches.list`)!({ senderFrame: { url: 'app://batchdesk/' } }, {});
    await ipc.get(`${IPC_PREFIX}batches.list`)!({ senderFrame: { url: `https://evil.example/?t=${TOKEN}&card=${PAN}` } }, {});
    services.close();

    // 3. uncaught errors (our listeners called directly: emitting would fail the test runner)
    const undo = log.catchProcessErrors();
    const uncaught = process.listeners('uncaughtException').at(-1) as (e: Error) => void;
    const rejected = process.listeners('unhandledRejection').at(-1) as (e: unknown) => void;
    uncaught(new TypeError(`cannot read ${PAN} (api_key: ${API_KEY})`));
    rejected({ reason: 'provider', secret: PASSWORD, pan: PAN });
    undo();

    const { lines, text } = logText(dataDir);
    expect(lines.length).toBeGreaterThanOrEqual(11);
    expectClean(text);
    // What stays is still useful: masked numbers, messages, error names and stacks.
    expect(text).toContain('411111…1111');
    expect(text).toContain('378282…0005');
    expect(text).toContain('Handler batches.list failed');
    expect(text).toContain('Refused IPC batches.list from an untrusted frame');
    expect(text).toContain('Uncaught error');
    expect(lines.find((l) => l.message === 'export failed')).toMatchObject({ level: 'error', detail: { error: 'Error', stack: expect.stringContaining('logging.test.ts') } });
  });

  it('redactText leaves ordinary text, ids and amounts alone', () => {
    const plain = 'Batch 3f2b8c1e-9a4d-4c6e-8b7a-1d2e3f4a5b6c: 1,234 rows, amount 129.90 HKD, file C:\\Users\\clerk\\renewals-2026-12.csv';
    expect(redactText(plain)).toBe(plain);
    const path = '/tmp/batchdesk-test-a1B2c3/batchdesk-2026-12-01T22-41/batchdesk.sqlite';
    expect(redactText(path)).toBe(path);
    expect(redactText(`cvc ${CVC}`)).toBe('cvc [redacted]');
    expect(redactText('MerchantRef 123456789012')).toBe('MerchantRef 123456…9012');
  });
});

describe('log files', () => {
  it('are JSON lines in <data folder>/logs', () => {
    const dataDir = tempDir();
    const log = createLog({ dataDir, console: false });
    log.info('started', { version: '1.2.3' });
    expect(log.file).toBe(join(dataDir, 'logs', 'main.log'));
    const [line] = logText(dataDir).lines;
    expect(line).toMatchObject({ level: 'info', message: 'started', detail: { version: '1.2.3' } });
    expect(new Date(line!.time as string).toString()).not.toBe('Invalid Date');
  });

  it('rotate by size and keep a bounded number of old files', () => {
    const dataDir = tempDir();
    const log = createLog({ dataDir, console: false, maxSize: 2000, keep: 3 });
    for (let i = 0; i < 400; i++) log.info(`line ${i} ${'x'.repeat(40)}`);
    const files = readdirSync(join(dataDir, 'logs')).sort();
    expect(files).toEqual(['main.1.log', 'main.2.log', 'main.3.log', 'main.log']);
    for (const f of files) expect(statSync(join(dataDir, 'logs', f)).size).toBeLessThan(2000 + 200);
    // The newest lines are in main.log, the ones before them in main.1.log.
    const last = readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8');
    expect(last).toContain('line 399 ');
    const n1 = Number(/line (\d+) /.exec(readFileSync(join(dataDir, 'logs', 'main.1.log'), 'utf8').trim().split('\n').at(-1)!)![1]);
    const n0 = Number(/line (\d+) /.exec(last.split('\n')[0]!)![1]);
    expect(n0).toBe(n1 + 1);
  });
});
