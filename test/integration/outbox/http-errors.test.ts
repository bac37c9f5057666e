/**
 * What the HTTP layer says when a provider cannot be reached, over real sockets on 127.0.0.1:
 * never sent (refused, a port fetch will not use) vs maybe sent (the connection broke after the
 * request went out), in words with no "undefined" in them.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { request, TransportError } from '../../../electron/main/services/providers/http';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function failure(url: string): Promise<TransportError> {
  const e = await request({ method: 'GET', url, timeoutMs: 10_000 }).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(TransportError);
  return e as TransportError;
}

describe('HTTP failures in words', () => {
  it('a refused connection: not sent, with the reason', async () => {
    const port = await freePort();
    const e = await failure(`http://127.0.0.1:${port}/x`);
    expect(e.maybeSent).toBe(false);
    expect(e.message).toBe(`Cannot reach 127.0.0.1:${port}/x (ECONNREFUSED).`);
  });

  it('a port fetch refuses to use (port 1): not sent, and says to check the base URL', async () => {
    const e = await failure('http://127.0.0.1:1/x');
    expect(e.maybeSent).toBe(false);
    expect(e.message).toMatch(/^Cannot reach 127\.0\.0\.1:1\/x \(a port that network software refuses to use; check the base URL\)\.$/);
    expect(e.message).not.toMatch(/undefined/);
  });

  it('a connection closed after the request went out: maybe sent', async () => {
    const srv = createServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    try {
      const e = await failure(`http://127.0.0.1:${port}/charge`);
      expect(e.maybeSent).toBe(true);
      expect(e.message).toMatch(new RegExp(`^The connection to 127\\.0\\.0\\.1:${port}/charge broke before an answer arrived( \\([A-Z_]+\\))?\\.$`));
      expect(e.message).not.toMatch(/undefined/);
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});
