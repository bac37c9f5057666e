/**
 * Dates and times as the provider files write them (JPMMPS localDate/localTime, SIBS ISO date-times):
 * every field at its first and last valid value and one beyond, each separator, each digit slot.
 */
import { describe, expect, it } from 'vitest';
import { parseCompactTime, parseIsoDate, parseIsoDateTime } from '../../../shared/formats/profiles/common';

const INVALID = { ms: NaN, hasZone: false, dateOnly: false };

describe('parseIsoDate', () => {
  it.each([
    ['2026-01-01', 2026, 0, 1],
    ['2026-12-31', 2026, 11, 31],
    ['1999-09-09', 1999, 8, 9],
    ['2000-01-01', 2000, 0, 1],
    ['2024-02-29', 2024, 1, 29],
    ['9999-12-31', 9999, 11, 31],
  ])('%s is a real date', (s, y, m, d) => {
    expect(parseIsoDate(s)).toBe(Date.UTC(y, m, d));
  });

  it('years below 100 stay those years (not 1900 + year)', () => {
    const t = parseIsoDate('0024-03-01');
    expect(new Date(t).toISOString()).toBe('0024-03-01T00:00:00.000Z');
    expect(new Date(parseIsoDate('0000-02-29')).toISOString()).toBe('0000-02-29T00:00:00.000Z');
    expect(parseIsoDate('0001-02-29')).toBeNaN();
    expect(new Date(parseIsoDate('0099-12-31')).toISOString()).toBe('0099-12-31T00:00:00.000Z');
    expect(new Date(parseIsoDate('0100-01-01')).toISOString()).toBe('0100-01-01T00:00:00.000Z');
  });

  it.each(['2024/01-01', '2024-01/01', '2024x01-01', '2024-01x01', '20/1-01-01', '/024-01-01', '2:24-01-01', '202:-01-01', '2024-1/-01', '2024-/1-01', '2024-01-1/', '2024-01-/1', '2024-02-30', '2026-04-31', '2026-06-31', '2026-09-31', '2026-11-31', '2026-01-32', '2026-00-10', '2026-13-10', '2026-10-00'])(
    '%s is refused',
    (s) => {
      expect(parseIsoDate(s)).toBeNaN();
    },
  );
});

describe('parseCompactTime', () => {
  it.each([
    ['000000', 0],
    ['235959', 86399],
    ['095909', 9 * 3600 + 59 * 60 + 9],
    ['190000', 19 * 3600],
  ])('%s is %i s after midnight', (s, sec) => {
    expect(parseCompactTime(s)).toBe(sec);
  });

  it.each(['240000', '236000', '235960', '01000a', '0100a0', '01a000', '/00000', '0/0000', '00/000', '000/00', '0000/0', '00000/', '00:000', '0000:0', '00000:', 'a00000', '00a000', '0000a0', '00000a'])('%s is refused', (s) => {
    expect(parseCompactTime(s)).toBe(-1);
  });
});

describe('parseIsoDateTime', () => {
  it.each([
    ['2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1)],
    ['2026-12-31T23:59:59Z', Date.UTC(2026, 11, 31, 23, 59, 59)],
    ['2024-02-29 12:00z', Date.UTC(2024, 1, 29, 12)],
    ['2026-04-30T10:15:30,25Z', Date.UTC(2026, 3, 30, 10, 15, 30, 250)],
    ['0024-03-01T00:00Z', new Date('0024-03-01T00:00:00Z').getTime()],
  ])('%s is a real instant', (s, ms) => {
    expect(parseIsoDateTime(s)).toEqual({ ms, hasZone: true, dateOnly: false });
  });

  it.each([
    '2026-00-01T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:60Z',
    '2026-01-01T00:00:00+24:00',
    '2026-01-01T00:00:00+00:60',
    '2026-01-01T00:00:00+01:',
    '2026-01-01T00:00:00+1',
    '2026-01-01T00:00:00.Z',
    '2026-01-01T00:00:00.1234567890Z',
    '2026-01-01',
    '2026-01-01T',
    '2026-01-01T00',
    '2026-01-01t00:00Z',
    ' 2026-01-01T00:00Z',
  ])('%s is refused', (s) => {
    expect(parseIsoDateTime(s)).toEqual(INVALID);
  });

  it('offsets: sign, hours, minutes with or without a colon; no zone is local-less', () => {
    const base = Date.UTC(2026, 3, 16, 10, 15, 30);
    expect(parseIsoDateTime('2026-04-16T10:15:30+00:00')).toEqual({ ms: base, hasZone: true, dateOnly: false });
    expect(parseIsoDateTime('2026-04-16T10:15:30-00:00').ms).toBe(base);
    expect(parseIsoDateTime('2026-04-16T10:15:30+05').ms).toBe(base - 5 * 3600000);
    expect(parseIsoDateTime('2026-04-16T10:15:30-05').ms).toBe(base + 5 * 3600000);
    expect(parseIsoDateTime('2026-04-16T10:15:30+0045').ms).toBe(base - 45 * 60000);
    expect(parseIsoDateTime('2026-04-16T10:15:30-23:59').ms).toBe(base + (23 * 60 + 59) * 60000);
    expect(parseIsoDateTime('2026-04-16T10:15:30Z')).toEqual({ ms: base, hasZone: true, dateOnly: false });
    expect(parseIsoDateTime('2026-04-16T10:15:30')).toEqual({ ms: base, hasZone: false, dateOnly: false });
  });

  it('a date alone only when allowed; a date-time is still read as one then', () => {
    expect(parseIsoDateTime('2026-04-16', true)).toEqual({ ms: Date.UTC(2026, 3, 16), hasZone: false, dateOnly: true });
    expect(parseIsoDateTime('2026-04-16T10:15:30Z', true)).toEqual({ ms: Date.UTC(2026, 3, 16, 10, 15, 30), hasZone: true, dateOnly: false });
    expect(parseIsoDateTime('2026-04-16T10:15', true)).toEqual({ ms: Date.UTC(2026, 3, 16, 10, 15), hasZone: false, dateOnly: false });
    expect(parseIsoDateTime('2026-04-31', true)).toEqual({ ms: NaN, hasZone: false, dateOnly: true });
    expect(parseIsoDateTime('2026-4-16', true)).toEqual(INVALID);
  });
});
