/** Raw HTTP from Node (node:http, so Host/Origin headers are exactly what the test says). */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(
  origin: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(path, origin);
  return new Promise((res, rej) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: opts.method ?? 'GET', headers: opts.headers ?? {} },
      (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (d: string) => (body += d));
        r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body }));
        r.on('error', rej);
      },
    );
    req.on('error', rej);
    req.end(opts.body);
  });
}

/** POST /rpc/<channel> with a JSON body. */
export function rpc(origin: string, channel: string, input: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(origin, `/rpc/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
}
