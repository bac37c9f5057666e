/** isUuid (Wonder's Customer UUID): 8-4-4-4-12 hex digits, any case; every position checked. */
import { describe, expect, it } from 'vitest';
import { isUuid } from '../../../shared/formats/profiles/common';

const UUID = 'c0ffee00-1234-5678-9abc-def012345678';

describe('isUuid', () => {
  it('accepts every hex digit in either case', () => {
    expect(isUuid(UUID)).toBe(true);
    expect(isUuid(UUID.toUpperCase())).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isUuid('ffffffff-FFFF-aaaa-AAAA-999999999999')).toBe(true);
  });

  it.each([...UUID].map((c, i) => [i, c] as const).filter(([, c]) => c !== '-'))('a non-hex character at position %i (%s) is refused', (i) => {
    for (const bad of ['g', 'G', '/', ':', '@', '`', '-', ' ']) expect(isUuid(UUID.slice(0, i) + bad + UUID.slice(i + 1)), bad).toBe(false);
  });

  it.each([8, 13, 18, 23])('the dash at position %i is required', (i) => {
    for (const bad of ['0', '_', '+', '\u2010']) expect(isUuid(UUID.slice(0, i) + bad + UUID.slice(i + 1)), bad).toBe(false);
  });

  it('exactly 36 characters', () => {
    expect(isUuid(UUID.slice(0, 35))).toBe(false);
    expect(isUuid(UUID + '0')).toBe(false);
    expect(isUuid('')).toBe(false);
    expect(isUuid(`{${UUID.slice(1, 35)}}`)).toBe(false);
  });
});
