/**
 * Provider connections as the Settings → Connections screen sees them: the fields of each
 * provider's connection.json (issue 8, SPEC), which of them are secrets, and a pure check that
 * gives one message per field. Secrets only ever travel renderer → main ("set" / "replace");
 * main answers which secrets are set, never their values.
 */
import { z } from 'zod';

export const CONNECTION_PROVIDERS = ['epay', 'sibs', 'jpmmps', 'wonder', 'hypercard'] as const;
export type ConnectionProvider = (typeof CONNECTION_PROVIDERS)[number];

export const PROVIDER_NAMES: Readonly<Record<ConnectionProvider, string>> = {
  epay: 'ePay',
  sibs: 'SIBS Gateway',
  jpmmps: 'J.P. Morgan Mobility Payments',
  wonder: 'Wonder',
  hypercard: 'HyperCard',
};

/** What the built-in sandbox is called wherever it can be chosen. */
export const SANDBOX_LABEL = 'Sandbox — nothing is charged';

/** Wonder's batch file goes to an S3-compatible bucket, or to a URL the clerk supplies. */
export const UploadKindSchema = z.enum(['s3', 'fileUrl']);
export type UploadKind = z.infer<typeof UploadKindSchema>;

/** J.P. Morgan Mobility Payments: the API the merchant contract names (SPEC §4A / §4B). */
export const JpmmpsContractSchema = z.enum(['kontocloud', 'smartpay']);
export type JpmmpsContract = z.infer<typeof JpmmpsContractSchema>;

export interface ConnectionField {
  /** Dotted path inside `credentials` (e.g. `upload.s3.bucket`). */
  key: string;
  label: string;
  /** Write-only: never sent back, never exported. */
  secret: boolean;
  /** `origin`: an Origin header value, https://host[:port] with no path. */
  kind: 'text' | 'url' | 'pem' | 'origin';
  /** At most this many characters (default 2,048; PEM 20,000). */
  max?: number;
  optional?: boolean;
  /** Wonder: shown only for this upload choice. */
  upload?: UploadKind;
  /** J.P. Morgan Mobility Payments: shown only for this contract. */
  contract?: JpmmpsContract;
  hint?: string;
}

/** Exactly the credentials of connection.json per provider (issue 8), in form order. */
export const CONNECTION_FIELDS: Readonly<Record<ConnectionProvider, readonly ConnectionField[]>> = {
  epay: [{ key: 'apiKey', label: 'API key', secret: true, kind: 'text' }],
  sibs: [
    { key: 'bearerToken', label: 'Bearer token', secret: true, kind: 'text' },
    { key: 'clientId', label: 'Client ID (X-IBM-Client-Id)', secret: false, kind: 'text' },
    { key: 'terminalId', label: 'Terminal ID', secret: false, kind: 'text' },
  ],
  jpmmps: [
    { key: 'userId', label: 'User ID', secret: false, kind: 'text', contract: 'kontocloud' },
    { key: 'password', label: 'Password', secret: true, kind: 'text', contract: 'kontocloud' },
    { key: 'programAccno', label: 'Program account number', secret: false, kind: 'text', contract: 'kontocloud' },
    { key: 'accno', label: 'Merchant account number', secret: false, kind: 'text', contract: 'kontocloud' },
    { key: 'accnoType', label: 'Account type', secret: false, kind: 'text', contract: 'kontocloud' },
    { key: 'merchantKey', label: 'Merchant key', secret: true, kind: 'text', max: 36, contract: 'smartpay', hint: 'The SmartPay merchant key (a uuid, 36 characters).' },
    { key: 'origin', label: 'Origin', secret: false, kind: 'origin', contract: 'smartpay', hint: 'The https:// address whitelisted for your merchant key, e.g. https://shop.example.com (no path).' },
  ],
  wonder: [
    { key: 'appId', label: 'App ID', secret: false, kind: 'text' },
    { key: 'privateKeyPem', label: 'Private key (PEM)', secret: true, kind: 'pem', hint: 'The RSA key Wonder has your public key for; starts with -----BEGIN PRIVATE KEY-----.' },
    { key: 'upload.s3.endpoint', label: 'S3 endpoint', secret: false, kind: 'url', optional: true, upload: 's3', hint: 'Leave empty for AWS S3; the address of an S3-compatible store otherwise.' },
    { key: 'upload.s3.region', label: 'S3 region', secret: false, kind: 'text', upload: 's3' },
    { key: 'upload.s3.bucket', label: 'S3 bucket', secret: false, kind: 'text', upload: 's3' },
    { key: 'upload.s3.accessKeyId', label: 'S3 access key ID', secret: false, kind: 'text', upload: 's3' },
    { key: 'upload.s3.secretAccessKey', label: 'S3 secret access key', secret: true, kind: 'text', upload: 's3' },
    { key: 'upload.fileUrl', label: 'File URL', secret: false, kind: 'url', upload: 'fileUrl', hint: 'Where Wonder fetches the batch file from; you put the file there.' },
  ],
  hypercard: [
    { key: 'apiKey', label: 'API key', secret: true, kind: 'text' },
    { key: 'privateKeyPem', label: 'Private key (PEM)', secret: true, kind: 'pem' },
  ],
};

/** The fields shown for a provider (Wonder: those of the chosen upload; JPMMPS: of the contract). */
export function fieldsFor(provider: ConnectionProvider, upload: UploadKind | null, contract: JpmmpsContract | null = null): ConnectionField[] {
  return CONNECTION_FIELDS[provider].filter((f) => (f.upload === undefined || f.upload === (upload ?? 's3')) && (f.contract === undefined || f.contract === (contract ?? 'kontocloud')));
}

export const MAX_NAME = 100;
const MAX_VALUE = 2048;
const MAX_PEM = 20_000;

// No URL global in shared/ (no DOM, no Node types): a strict shape check; main parses with URL again.
const HTTP_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s]*)?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](?::\d{1,5})?(?:[/?#][^\s]*)?$/;

export function isHttpUrl(v: string): boolean {
  return HTTP_URL.test(v.trim());
}

const HTTPS_ORIGIN = /^https:\/\/(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?\/?$/;

/** An Origin header value: https://host[:port], nothing after it. */
export function isHttpsOrigin(v: string): boolean {
  return HTTPS_ORIGIN.test(v.trim());
}

export interface FieldProblem {
  /** `name`, `baseUrl`, or a credential key. */
  field: string;
  message: string;
}

export interface ConnectionDraft {
  name: string;
  provider: ConnectionProvider;
  baseUrl: string;
  upload: UploadKind | null;
  /** J.P. Morgan Mobility Payments only (null/absent = KontoCloud technical account). */
  contract?: JpmmpsContract | null;
  /** Non-secret values, and secret values typed now (empty = keep the stored one). */
  values: Readonly<Record<string, string>>;
}

/** One message per field that needs fixing, in the clerk's words; never quotes a value. */
export function checkConnection(d: ConnectionDraft, secretsSet: readonly string[] = []): FieldProblem[] {
  const out: FieldProblem[] = [];
  const name = d.name.trim();
  if (name === '') out.push({ field: 'name', message: 'Give the connection a name, e.g. "ePay live".' });
  else if (name.length > MAX_NAME) out.push({ field: 'name', message: `The name can be at most ${MAX_NAME} characters.` });
  const base = d.baseUrl.trim();
  if (base === '') out.push({ field: 'baseUrl', message: `Enter the base URL ${PROVIDER_NAMES[d.provider]} gave you, starting with https://.` });
  else if (!isHttpUrl(base)) out.push({ field: 'baseUrl', message: 'The base URL must be an address starting with https:// (or http:// for a local test server).' });
  for (const f of fieldsFor(d.provider, d.upload, d.contract ?? null)) {
    const v = (d.values[f.key] ?? '').trim();
    const max = f.max ?? (f.kind === 'pem' ? MAX_PEM : MAX_VALUE);
    if (v === '') {
      if (f.optional || (f.secret && secretsSet.includes(f.key))) continue;
      out.push({ field: f.key, message: f.secret ? `Enter the ${f.label.replace(/ \(.*\)$/, '')}.` : `${f.label} is required.` });
    } else if (v.length > max) {
      out.push({ field: f.key, message: `${f.label} can be at most ${max.toLocaleString('en-US')} characters.` });
    } else if (f.kind === 'url' && !isHttpUrl(v)) {
      out.push({ field: f.key, message: `${f.label} must be an address starting with https://.` });
    } else if (f.kind === 'origin' && !isHttpsOrigin(v)) {
      out.push({ field: f.key, message: `${f.label} must be https:// and the host only, e.g. https://shop.example.com (no path, no http://).` });
    } else if (f.kind === 'pem' && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)) {
      out.push({ field: f.key, message: `${f.label} must be a PEM private key (the text starting with -----BEGIN PRIVATE KEY-----).` });
    }
  }
  return out;
}

const ProviderSchema = z.enum(CONNECTION_PROVIDERS, { error: 'Choose a provider: ePay, SIBS, J.P. Morgan Mobility Payments, Wonder or HyperCard.' });

/** A stored connection as the renderer sees it: no secret value, only which secrets are set. */
export const ConnectionViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: ProviderSchema,
  baseUrl: z.string(),
  upload: UploadKindSchema.nullable(),
  /** J.P. Morgan Mobility Payments: which API; null for the other providers. */
  contract: JpmmpsContractSchema.nullable(),
  values: z.record(z.string(), z.string()),
  secretsSet: z.array(z.string()),
  /** The stored secrets could not be opened (other key, damaged file): enter them again. */
  secretsUnreadable: z.boolean(),
  updatedAt: z.string(),
});
export type ConnectionView = z.infer<typeof ConnectionViewSchema>;

export const ConnectionsListSchema = z.object({
  connections: z.array(ConnectionViewSchema),
  /** Whether secrets can be stored here, where, and why not. */
  secretStore: z.object({ available: z.boolean(), description: z.string(), problem: z.string().nullable() }),
});
export type ConnectionsList = z.infer<typeof ConnectionsListSchema>;

export const ConnectionSaveInput = z.object({
  /** Absent: a new connection. */
  id: z.string().min(1).max(100).optional(),
  name: z.string({ error: 'Give the connection a name.' }).max(MAX_NAME, `The name can be at most ${MAX_NAME} characters.`),
  provider: ProviderSchema,
  baseUrl: z.string({ error: 'Enter the base URL.' }).max(MAX_VALUE, 'The base URL is too long.'),
  upload: UploadKindSchema.nullable().default(null),
  contract: JpmmpsContractSchema.nullable().default(null),
  values: z.record(z.string().max(64), z.string().max(MAX_PEM, 'A value is too long.')).refine((v) => Object.keys(v).length <= 32, 'Too many values.'),
});

export const ConnectionRefInput = z.object({ id: z.string().min(1, 'Choose a connection.').max(100) });

/**
 * `id` null = the built-in sandbox for `provider`. With `draft`: the form's values before saving
 * (secrets typed; an empty one of connection `id` uses the stored value); nothing is stored.
 */
export const ConnectionTestInput = z.object({ id: z.string().min(1).max(100).nullable(), provider: ProviderSchema, draft: ConnectionSaveInput.omit({ id: true, provider: true }).optional() });
export const ConnectionTestSchema = z.object({ ok: z.boolean(), message: z.string() });

export const ConnectionsExportInput = z.object({ ids: z.array(z.string().max(100)).max(1000).optional() });
export const ConnectionsExportSchema = z.object({ json: z.string(), fileName: z.string(), count: z.number().int().nonnegative() });

export const ConnectionsImportInput = z.object({ json: z.string().max(1_048_576, 'The file is larger than 1 MiB; a connections file is a few kilobytes. Choose the file exported from Batchdesk.') });
export const ConnectionsImportSchema = z.object({
  imported: z.array(ConnectionViewSchema),
  /** Secret values found in the file and left out: they are entered on this machine. */
  secretsIgnored: z.number().int().nonnegative(),
});
