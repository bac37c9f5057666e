/**
 * Clerk words for input the contract refuses. The schemas carry their own messages where a field
 * has a rule worth explaining; zod's defaults elsewhere would read `name: Too small: expected
 * string…`, so every refusal is worded here with the field's label, never its internal name.
 */
import type { z } from 'zod';

/** What the clerk calls each field of the contract's inputs (the labels of the forms). */
export const FIELD_LABELS: Readonly<Record<string, string>> = Object.freeze({
  name: 'Batch name',
  profile: 'Provider',
  id: 'Batch',
  includeDeleted: 'Show deleted batches',
  limit: 'Number of entries',
  query: 'Search text',
  path: 'File path',
  sheet: 'Sheet',
  defaultProfile: 'Default provider for new batches',
  wonderCurrency: 'Wonder currency',
  wonderAmountUnit: 'Wonder amount unit',
  theme: 'Theme',
});

/** The label of the field at `path`: its own label, else its name spelled as words (`terminalId` → "Terminal id"). */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const key = [...path].reverse().find((k): k is string => typeof k === 'string');
  if (key === undefined) return 'The input';
  const known = FIELD_LABELS[key];
  if (known !== undefined) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function plural(n: number | bigint, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${Number(n) === 1 ? '' : 's'}`;
}

const KIND_WORDS: Readonly<Record<string, string>> = { string: 'text', number: 'a number', boolean: 'yes or no', object: 'a set of values', array: 'a list' };

/**
 * A zod error map (pass it as `{ error: clerkError }` to parse): words for every kind of refusal,
 * with the field's label. Messages set on a schema take precedence, as zod applies them first.
 */
export function clerkError(iss: z.core.$ZodRawIssue): string {
  const label = fieldLabel(iss.path ?? []);
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? `${label} is missing.` : `${label} must be ${KIND_WORDS[iss.expected] ?? iss.expected}.`;
    case 'too_small':
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? `${label} cannot be empty.` : `${label} must be at least ${plural(iss.minimum, 'character')}.`;
      if (iss.origin === 'array') return `${label} needs at least ${plural(iss.minimum, 'entry')}.`;
      return `${label} must be at least ${iss.minimum.toLocaleString('en-US')}.`;
    case 'too_big':
      if (iss.origin === 'string') return `${label} can be at most ${plural(iss.maximum, 'character')}.`;
      if (iss.origin === 'array') return `${label} can have at most ${plural(iss.maximum, 'entry')}.`;
      return `${label} can be at most ${iss.maximum.toLocaleString('en-US')}.`;
    case 'invalid_value':
      return `${label} must be one of: ${iss.values.map((v) => String(v)).join(', ')}.`;
    case 'invalid_format':
      return `${label} is not in the expected form.`;
    case 'not_multiple_of':
      return `${label} must be a multiple of ${String(iss.divisor)}.`;
    case 'unrecognized_keys':
      return iss.keys.length === 1 ? 'The request has a field this version of Batchdesk does not know; update the app or reload the window.' : 'The request has fields this version of Batchdesk does not know; update the app or reload the window.';
    default:
      return `${label} is not valid.`;
  }
}

/** One sentence per refusal, without field names (they are in each message as labels). */
export function formatZodError(error: z.ZodError): string {
  return [...new Set(error.issues.map((i) => i.message))].join(' ');
}
