import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { manualClock, sandboxConnection, SANDBOX_PROVIDERS, startSandbox, type Sandbox } from '../../../electron/main/services/providers/sandbox';
import { call, epayEntry, networkFailure } from './helpers';

const clock = manualClock();
let sb: Sandbox;
let epayAuth: Record<string, string>;

beforeAll(async () => {
  sb = await startSandbox({ seed: 9, clock, s3: false });
  epayAuth = { Authorization: `Bearer ${sandboxConnection('epay', sb).credentials['apiKey'] as string}` };
});
afterAll(() => sb.close());

/** A raw request with a chosen Host header (fetch does not let a test set it). */
function rawGet(port: number, path: string, host: string): Promise<number> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host } }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', rej);
    req.end();
  });
}

const read = (id: string) => call(`${sb.providers.epay}/public/api/v1/transactions/${id}`, { headers: epayAuth });

describe('sandbox server', () => {
  it('listens on 127.0.0.1 only and refuses other Host names', async () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await rawGet(sb.port, '/_sandbox', `127.0.0.1:${sb.port}`)).toBe(200);
    expect(await rawGet(sb.port, '/_sandbox', `localhost:${sb.port}`)).toBe(200);
    expect(await rawGet(sb.port, '/_sandbox', `evil.example:${sb.port}`)).toBe(421);
  });

  it('serves one prefix per provider; an unknown prefix or path is a 404 in the provider\'s shape', async () => {
    expect(Object.keys(sb.providers).sort()).toEqual([...SANDBOX_PROVIDERS].sort());
    expect((await call(`${sb.url}/paypal/x`)).status).toBe(404);
    const e = await call(`${sb.providers.epay}/public/api/v1/nothing`, { headers: epayAuth });
    expect(e.status).toBe(404);
    expect(e.json).toMatchObject({ success: false, errorCode: 'NOT_FOUND' });
  });

  it('injected 429/500 carry each provider\'s own error body', async () => {
    const expectations: [keyof Sandbox['providers'], string, (j: Record<string, unknown>) => void][] = [
      ['epay', '/public/api/v1/transactions/X', (j) => expect(j).toMatchObject({ errorCode: expect.any(String) })],
      ['sibs', '/api/v2/payments/X/status', (j) => expect(j).toMatchObject({ returnStatus: { statusCode: expect.stringMatching(/^E0(429|500)$/) } })],
      ['jpmmps', '/payment/X/status', (j) => expect(j).toMatchObject({ responseCode: expect.stringMatching(/^(4290|5000)$/) })],
      ['wonder', '/svc/payment/api/v1/echo', (j) => expect(j).toMatchObject({ code: expect.stringMatching(/^E000(429|500)$/) })],
      ['hypercard', '/v2/openapi/card/transaction/record', (j) => expect(j).toMatchObject({ code: expect.any(String), msg: expect.any(String) })],
    ];
    for (const kind of ['429', '500'] as const) {
      for (const [p, path, check] of expectations) {
        sb.setFaults({ [p]: { rate: 1, kinds: [kind], count: 1, retryAfterSeconds: 7 } });
        const r = await call(`${sb.providers[p]}${path}`);
        expect(r.status, `${p} ${kind}`).toBe(Number(kind));
        check(r.json);
        if (kind === '429') expect(r.headers.get('retry-after')).toBe('7');
      }
    }
    sb.setFaults({});
  });

  it('latency delays the answer and still processes the request', async () => {
    sb.setFaults({ epay: { rate: 1, kinds: ['latency'], latencyMs: [150, 150], count: 1 } });
    clock.advance(1000);
    const t0 = performance.now();
    const r = await call(`${sb.providers.epay}/public/api/v1/mit/batch`, { headers: epayAuth, body: { transactions: [epayEntry({ reference: 'slow-1' })] } });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(r.status).toBe(200);
    expect(sb.ledger.requests('epay').faults['latency']).toBe(1);
    sb.setFaults({});
  });

  it('the fault plan can be set over HTTP; count and match limit it', async () => {
    const put = await fetch(`${sb.url}/_sandbox/faults`, { method: 'PUT', body: JSON.stringify({ epay: { rate: 1, kinds: ['drop'], match: '^POST /public/api/v1/mit', count: 2 } }) });
    expect(put.status).toBe(204);
    expect((await read('NOT-MATCHED')).status).toBe(404); // a GET is not matched: answered
    for (const ref of ['http-plan-1', 'http-plan-2']) {
      clock.advance(1000);
      await networkFailure(call(`${sb.providers.epay}/public/api/v1/mit/batch`, { headers: { ...epayAuth, 'Idempotency-Key': randomUUID() }, body: { transactions: [epayEntry({ reference: ref })] } }));
    }
    clock.advance(1000);
    const third = await call(`${sb.providers.epay}/public/api/v1/mit/batch`, { headers: epayAuth, body: { transactions: [epayEntry({ reference: 'http-plan-3' })] } });
    expect(third.status).toBe(200);
    expect(sb.ledger.charges('epay').filter((c) => c.merchantRef.startsWith('http-plan-'))).toHaveLength(3); // dropped ones were processed
    const ledger = await call(`${sb.url}/_sandbox/ledger`);
    expect(ledger.json.requests.epay.faults.drop).toBe(2);
    const bad = await fetch(`${sb.url}/_sandbox/faults`, { method: 'PUT', body: JSON.stringify({ epay: { rate: 2 } }) });
    expect(bad.status).toBe(400);
    sb.setFaults({});
  });

  it('fault decisions repeat for the same seed and differ for another; the rate is honoured', async () => {
    const pattern = async (seed: number) => {
      const s = await startSandbox({ seed, s3: false, faults: { epay: { rate: 0.3, kinds: ['500'] } } });
      try {
        const out: boolean[] = [];
        for (let i = 0; i < 120; i++) out.push((await call(`${s.providers.epay}/public/api/v1/transactions/T${i}`, { headers: epayAuth })).status === 500);
        return out;
      } finally {
        await s.close();
      }
    };
    const a = await pattern(21);
    expect(await pattern(21)).toEqual(a);
    expect(await pattern(22)).not.toEqual(a);
    const share = a.filter(Boolean).length / a.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.45);
  });

  it('connection.json shapes carry the fields issue 8 names, labelled sandbox', async () => {
    const withS3 = { ...sb, s3: { endpoint: 'http://127.0.0.1:1', region: 'us-east-1', bucket: 'b', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true as const } };
    const fields: Record<string, string[]> = {
      epay: ['apiKey'],
      sibs: ['bearerToken', 'clientId', 'terminalId'],
      jpmmps: ['userId', 'password', 'programAccno', 'accno', 'accnoType'],
      wonder: ['appId', 'privateKeyPem', 'upload'],
      hypercard: ['apiKey', 'privateKeyPem'],
    };
    for (const p of SANDBOX_PROVIDERS) {
      const c = sandboxConnection(p, withS3);
      expect(c).toMatchObject({ provider: p, baseUrl: sb.providers[p], sandbox: true });
      for (const f of fields[p]!) expect(c.credentials, `${p}.${f}`).toHaveProperty(f);
    }
    expect(sandboxConnection('wonder', withS3).credentials['upload']).toEqual({ s3: { endpoint: 'http://127.0.0.1:1', region: 'us-east-1', bucket: 'b', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true } });
    expect(() => sandboxConnection('wonder', sb)).toThrow(/s3/);
  });
});
