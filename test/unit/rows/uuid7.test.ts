/** Row ids and idempotency keys: RFC 9562 version 7, increasing in the order they are minted. */
import { describe, expect, it } from 'vitest';
import { uuid7 } from '../../../electron/main/services/rows/uuid7';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid7', () => {
  it('has the v7 layout, the current time in its first 48 bits, and grows strictly', () => {
    const before = Date.now();
    const ids = Array.from({ length: 20_000 }, () => uuid7());
    const after = Date.now();
    for (const id of ids) expect(id).toMatch(V7);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    const ms = parseInt(ids[0]!.slice(0, 8) + ids[0]!.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 5); // > 4,096 ids in a millisecond borrow the next one
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps order when more than 4,096 ids are minted in one millisecond', () => {
    const now = Date.now() + 60_000;
    const ids = Array.from({ length: 5_000 }, () => uuid7(now));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(ids[4_999]!.slice(0, 13)).not.toBe(ids[0]!.slice(0, 13));
  });
});
