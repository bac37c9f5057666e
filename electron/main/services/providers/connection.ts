/**
 * Connection settings: `{"provider": id, "baseUrl": url, "credentials": {...}}` (issue 8's
 * connection.json). Secret fields are listed per provider so exports and messages can leave them out.
 */
import { z } from 'zod';
import type { ProviderId } from './types';

const url = z.string().trim().refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an http(s) address such as https://payments.epay.eu');

const text = z.string().trim().min(1, 'is required');

/** An Origin header value: https://host[:port], nothing after it (SmartPay whitelists it per merchant key). */
const httpsOrigin = z.string().trim().refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' && u.origin === v.replace(/\/$/, '');
  } catch {
    return false;
  }
}, 'must be an https:// origin such as https://shop.example.com (no path)');

const S3Upload = z.object({
  s3: z.object({
    endpoint: url.optional(),
    region: text,
    bucket: text,
    accessKeyId: text,
    secretAccessKey: text,
    /** Path-style addressing (needed by most S3-compatible servers); default true when an endpoint is given. */
    forcePathStyle: z.boolean().optional(),
  }),
});
const FileUrlUpload = z.object({ fileUrl: url });

export const CredentialSchemas = {
  epay: z.object({ apiKey: text }),
  sibs: z.object({ bearerToken: text, clientId: text, terminalId: text, channel: z.enum(['web', 'mobile']).optional() }),
  // SPEC §4: the contract names the API. `kontocloud` (technical account, token issue) is the default.
  jpmmps: z.discriminatedUnion(
    'contract',
    [
      z.object({
        contract: z.literal('kontocloud').optional(),
        userId: text,
        password: text,
        programAccno: text,
        accno: text,
        accnoType: text,
        merchantKey: z.string().optional(),
        origin: z.string().optional(),
      }),
      // §4B: merchantKey (uuid, ≤36) in the body, and an Origin whitelisted for it (HTTPS only).
      z.object({
        contract: z.literal('smartpay'),
        merchantKey: text.max(36, 'can be at most 36 characters (a uuid)'),
        origin: httpsOrigin,
        userId: z.string().optional(),
        password: z.string().optional(),
        programAccno: z.string().optional(),
        accno: z.string().optional(),
        accnoType: z.string().optional(),
      }),
    ],
    { error: 'must be "kontocloud" (technical account) or "smartpay"' },
  ),
  wonder: z.object({ appId: text, privateKeyPem: text, upload: z.union([S3Upload, FileUrlUpload]) }),
  hypercard: z.object({ apiKey: text, privateKeyPem: text, cardIds: z.array(z.string()).optional() }),
} as const;

export type Credentials = { [K in ProviderId]: z.infer<(typeof CredentialSchemas)[K]> };

export type Connection = {
  [K in ProviderId]: { provider: K; baseUrl: string; credentials: Credentials[K]; name?: string; sandbox?: boolean };
}[ProviderId];

export type ConnectionOf<K extends ProviderId> = Extract<Connection, { provider: K }>;

/** Secret credential paths per provider (dotted). Never exported, logged or shown. */
export const SECRET_FIELDS: { [K in ProviderId]: readonly string[] } = {
  epay: ['apiKey'],
  sibs: ['bearerToken'],
  jpmmps: ['password', 'merchantKey'],
  wonder: ['privateKeyPem', 'upload.s3.secretAccessKey'],
  hypercard: ['privateKeyPem'],
};

const FIELD_LABELS: Record<string, string> = {
  apiKey: 'API key',
  bearerToken: 'bearer token',
  clientId: 'client id (X-IBM-Client-Id)',
  terminalId: 'terminal id',
  userId: 'user id',
  password: 'password',
  programAccno: 'program account number',
  accno: 'merchant account number',
  accnoType: 'account type',
  contract: 'contract',
  merchantKey: 'merchant key',
  origin: 'origin',
  appId: 'App ID',
  privateKeyPem: 'private key (PEM)',
  upload: 'file upload (S3 bucket or file URL)',
  region: 'S3 region',
  bucket: 'S3 bucket',
  accessKeyId: 'S3 access key id',
  secretAccessKey: 'S3 secret access key',
  endpoint: 'S3 endpoint',
  fileUrl: 'file URL',
  baseUrl: 'base URL',
  provider: 'provider',
};

export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** Parses a connection object; errors name the setting in words, never a secret value. */
export function parseConnection(input: unknown, where = 'The connection'): Connection {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConnectionError(`${where} must be a JSON object like {"provider": "epay", "baseUrl": "https://…", "credentials": {…}}.`);
  }
  const o = input as Record<string, unknown>;
  const provider = o.provider;
  if (typeof provider !== 'string' || !(provider in CredentialSchemas)) {
    throw new ConnectionError(`${where}: "provider" must be one of ${Object.keys(CredentialSchemas).join(', ')}.`);
  }
  const base = url.safeParse(o.baseUrl);
  if (!base.success) throw new ConnectionError(`${where}: the base URL ${base.error.issues[0]?.message ?? 'is invalid'}.`);
  const schema = CredentialSchemas[provider as ProviderId];
  const creds = schema.safeParse(o.credentials ?? {});
  if (!creds.success) {
    const problems = creds.error.issues.slice(0, 4).map((i) => {
      const path = i.path.map(String);
      const label = FIELD_LABELS[path[path.length - 1] ?? ''] ?? path.join('.');
      return `${provider} ${label} ${i.code === 'invalid_type' ? 'is missing' : i.message}`;
    });
    throw new ConnectionError(`${where}: ${problems.join('; ')}.`);
  }
  const conn = { provider, baseUrl: base.data.replace(/\/+$/, ''), credentials: creds.data } as Connection;
  if (typeof o.name === 'string') conn.name = o.name;
  if (o.sandbox === true) conn.sandbox = true;
  return conn;
}

/** The value at a dotted path (`upload.s3.bucket`), undefined where the path does not exist. */
export function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (next === null || typeof next !== 'object') return;
    cur = next as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

/** A deep copy with every secret removed: what is exported, stored in SQLite and shown. */
export function withoutSecrets(conn: Connection): { connection: Record<string, unknown>; secrets: Record<string, string> } {
  const copy = JSON.parse(JSON.stringify(conn)) as Record<string, unknown>;
  const secrets: Record<string, string> = {};
  for (const path of SECRET_FIELDS[conn.provider]) {
    const v = getPath(copy.credentials, path);
    if (typeof v === 'string' && v !== '') secrets[path] = v;
    setPath(copy.credentials as Record<string, unknown>, path, undefined);
  }
  return { connection: copy, secrets };
}

/** Puts secrets back into a connection read without them. */
export function withSecrets(conn: Record<string, unknown>, secrets: Record<string, string>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(conn)) as Record<string, unknown>;
  if (copy.credentials === null || typeof copy.credentials !== 'object') copy.credentials = {};
  for (const [path, v] of Object.entries(secrets)) {
    const parts = path.split('.');
    let cur = copy.credentials as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) {
      if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = {};
      cur = cur[p] as Record<string, unknown>;
    }
    cur[parts[parts.length - 1]!] = v;
  }
  return copy;
}

/** Replaces every secret value found in `text` (error bodies, messages) with a placeholder. */
export function redactSecrets(text: string, conn: Connection): string {
  let out = text;
  const { secrets } = withoutSecrets(conn);
  for (const v of Object.values(secrets)) {
    if (v.length >= 4) out = out.split(v).join('[secret]');
  }
  return out;
}
