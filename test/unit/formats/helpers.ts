import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Issue } from '../../../shared/formats/types';
import { isFormatError, type FormatError } from '../../../shared/formats/errors';
import type { Profile, ValidationContext } from '../../../shared/formats/profile';

/** Fixed clock: 2026-05-01 12:00 UTC. */
export const NOW = Date.UTC(2026, 4, 1, 12, 0, 0);

export function ctx(over: Partial<ValidationContext> = {}): ValidationContext {
  return { today: '2026-05-01', now: NOW, currency: 'HKD', amountUnit: 'major', ...over };
}

/** A row in profile column order from `{label or key: value}`. Unknown names throw (typos in tests). */
export function rowOf(profile: Profile, values: Record<string, string | undefined>): string[] {
  const row = profile.columns.map(() => '');
  for (const [name, v] of Object.entries(values)) {
    const i = profile.columns.findIndex((c) => c.label === name || c.key === name);
    if (i < 0) throw new Error(`no column ${name} in ${profile.id}`);
    row[i] = v ?? '';
  }
  return row;
}

export function codes(issues: readonly Issue[]): string[] {
  return issues.map((i) => i.code);
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/formats/${name}`, import.meta.url))));
}

/** No 12+ digit run (a full card number) anywhere in the messages. */
export function assertNoPanInMessages(issues: readonly Issue[]): void {
  for (const i of issues) {
    if (/\d{12,}/.test(i.message)) throw new Error(`message leaks a card number: ${i.message}`);
  }
}

/** The FormatError `fn` throws; fails the test if it throws nothing or something else. */
export function formatError(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    if (isFormatError(e)) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}
