/** The profile registry: ids from files and settings resolve to a profile or a clear error. */
import { describe, expect, it } from 'vitest';
import { columnIndex, epay, getProfile, jpmmps, PROFILES, sibs, wonder } from '../../../shared/formats/profiles';
import { formatError } from './helpers';

describe('profile registry', () => {
  it('resolves each id to its profile, and nothing else', () => {
    expect(Object.keys(PROFILES)).toEqual(['wonder', 'epay', 'sibs', 'jpmmps']);
    expect([getProfile('wonder'), getProfile('epay'), getProfile('sibs'), getProfile('jpmmps')]).toEqual([wonder, epay, sibs, jpmmps]);
    expect(Object.isFrozen(PROFILES)).toBe(true);
    for (const id of ['Wonder', 'visa', '', 'toString', '__proto__', 'constructor']) {
      const e = formatError(() => getProfile(id));
      expect(e.code).toBe('profile.unknown');
      expect(e.message).toBe(`Unknown provider profile "${id}". Choose one of: wonder, epay, sibs, jpmmps.`);
    }
  });

  it('finds a column by key or label, -1 when absent', () => {
    expect(columnIndex(wonder, 'cardNumber')).toBe(6);
    expect(columnIndex(wonder, 'Card Number')).toBe(6);
    expect(columnIndex(wonder, 'Action')).toBe(0);
    expect(columnIndex(wonder, 'card number')).toBe(-1);
    expect(columnIndex(epay, 'attributes')).toBe(7);
    expect(columnIndex(sibs, 'nope')).toBe(-1);
  });
});
