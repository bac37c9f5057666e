/**
 * What may reach a log line. Card numbers are masked (first 6 / last 4, as everywhere), and CVCs,
 * secrets, tokens, passwords and cookies are replaced by [redacted], whether they come as an
 * object's key, inside an error's message or stack, or in free text.
 */
import { maskPans } from '../../../shared/formats/mask';

export const REDACTED = '[redacted]';

/** Keys whose values never reach a log, at any depth. */
const SECRET_KEY = /(pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|authorization|cookie|session|^cvc2?$|^cvv2?$|^csc$|security[-_ ]?code|^pin$|credential$|signature$)/i;

const TEXT_RULES: [RegExp, string][] = [
  // CVC written next to its name: "CVC 123", "cvv=1234", "\"cvc\":\"123\"", "security code: 123"
  [/\b(cvc2?|cvv2?|csc|security[ _-]?code)("?\s*[:=]?\s*"?)\d{3,4}\b/gi, `$1$2${REDACTED}`],
  // Authorization headers and bearer tokens
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/g, `$1 ${REDACTED}`],
  // name=value / name: value pairs for secrets (query strings, cookies, config dumps)
  [/\b(token|access_token|refresh_token|secret|client_secret|password|passwd|api[-_]?key|apikey|session|batchdesk_token_\d+)(["']?\s*[=:]\s*["']?)[^\s&;,"']+/gi, `$1$2${REDACTED}`],
  // The web harness's one-time URL token (?t=...)
  [/([?&]t=)[A-Za-z0-9_-]+/g, `$1${REDACTED}`],
  // PEM blocks
  [/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, REDACTED],
  // Long random-looking runs (API keys, tokens) with letters and digits; UUIDs and paths stay.
  [/(?<![A-Za-z0-9_+-])(?=[A-Za-z0-9_+-]*\d)(?=[A-Za-z0-9_+-]*[A-Za-z])(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9_+-]))[A-Za-z0-9_+-]{32,}={0,2}/g, REDACTED],
];

export function redactText(text: string): string {
  let out = maskPans(text);
  for (const [re, to] of TEXT_RULES) out = out.replace(re, to);
  return out;
}

export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const s = String(value);
    return /^\d{12,}$/.test(s) ? maskPans(s) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; cause?: unknown };
    return {
      error: e.name,
      message: redactText(e.message),
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(e.stack ? { stack: redactText(e.stack) } : {}),
      ...(e.cause !== undefined ? { cause: redact(e.cause, depth + 1, seen) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1, seen);
  return out;
}
