/** Calendar dates and times as the provider files write them; real dates and times only. */

function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYY-MM-DD`, a real calendar date → epoch ms at 00:00 UTC; NaN otherwise. */
export function parseIsoDate(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y1 = two(s, 0);
  const y2 = two(s, 2);
  const m = two(s, 5);
  const d = two(s, 8);
  if (y1 < 0 || y2 < 0 || m < 1 || m > 12 || d < 1) return NaN;
  const y = y1 * 100 + y2;
  if (d > daysInMonth(y, m)) return NaN;
  return utc(y, m, d, 0, 0, 0);
}

/** Date.UTC, but years 0..99 stay those years (Date.UTC reads them as 1900..1999). */
function utc(y: number, mo: number, d: number, h: number, mi: number, sec: number): number {
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, sec);
  const t = new Date(Date.UTC(2000, mo - 1, d, h, mi, sec));
  return t.setUTCFullYear(y);
}

/** `HHmmss`, a real time of day → seconds since midnight; -1 otherwise. */
export function parseCompactTime(s: string): number {
  if (s.length !== 6) return -1;
  const h = two(s, 0);
  const m = two(s, 2);
  const sec = two(s, 4);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return -1;
  return h * 3600 + m * 60 + sec;
}

// groups: 1-3 date, 4-6 time, 7 fraction, 8 zone (9 offset sign, 10 hours, 11 minutes)
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const INVALID: IsoDateTime = Object.freeze({ ms: NaN, hasZone: false, dateOnly: false });

/** Result of parseIsoDateTime: epoch ms (NaN when invalid) and whether a zone (Z/offset) was given. */
export interface IsoDateTime {
  ms: number;
  hasZone: boolean;
  dateOnly: boolean;
}

/**
 * ISO 8601 calendar date-time (`2026-04-16T10:15:30.000Z`, offsets `+01:00`/`+0100`) or, with
 * `allowDateOnly`, a date (`2026-04-16`, taken as 00:00 UTC). Real dates and times only.
 */
export function parseIsoDateTime(s: string, allowDateOnly = false): IsoDateTime {
  if (allowDateOnly && s.length === 10) {
    return { ms: parseIsoDate(s), hasZone: false, dateOnly: true };
  }
  const m = ISO_DATETIME.exec(s);
  if (!m) return { ...INVALID };
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = m[6] ? Number(m[6]) : 0;
  const frac = m[7] ? Number(('0.' + m[7]).slice(0, 5)) * 1000 : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return { ...INVALID };
  let ms = utc(y, mo, d, h, mi, sec) + Math.round(frac);
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return { ...INVALID };
    ms -= (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60000;
  }
  return { ms, hasZone: m[8] !== undefined, dateOnly: false };
}
