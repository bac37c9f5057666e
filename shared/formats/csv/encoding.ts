/**
 * Text encoding detection and decoding for CSV bytes: UTF-8 (with/without BOM), UTF-16 LE/BE
 * (with BOM, or without one by the NUL pattern of mostly-ASCII text) and Windows-1252 when the bytes
 * are not valid UTF-8. Decodes in chunks; never copies the byte buffer.
 */
import type { TableSource } from '../types';
import { FormatError } from '../errors';

export type TextEncodingName = NonNullable<TableSource['encoding']>;

/** Windows-1252 0x80–0x9F (WHATWG mapping; the five undefined bytes map to the C1 control of the same value). */
const CP1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

const CHUNK = 8192;

function codesToString(codes: Uint16Array, length: number): string {
  return String.fromCharCode.apply(null, codes.subarray(0, length) as unknown as number[]);
}

/** Decodes Windows-1252 bytes (implemented here: TextDecoder support for it varies by runtime build). */
export function decodeWindows1252(bytes: Uint8Array, start = 0): string {
  const parts: string[] = [];
  const codes = new Uint16Array(CHUNK);
  let n = 0;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i]!;
    codes[n++] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b;
    if (n === CHUNK) {
      parts.push(codesToString(codes, n));
      n = 0;
    }
  }
  if (n > 0) parts.push(codesToString(codes, n));
  return parts.join('');
}

/** Decodes UTF-16 code units in the given byte order (an odd trailing byte is dropped). */
export function decodeUtf16(bytes: Uint8Array, littleEndian: boolean, start = 0): string {
  const parts: string[] = [];
  const codes = new Uint16Array(CHUNK);
  let n = 0;
  const end = start + ((bytes.length - start) & ~1);
  for (let i = start; i < end; i += 2) {
    codes[n++] = littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
    if (n === CHUNK) {
      parts.push(codesToString(codes, n));
      n = 0;
    }
  }
  if (n > 0) parts.push(codesToString(codes, n));
  return parts.join('');
}

export interface Decoded {
  text: string;
  encoding: TextEncodingName;
  /** How sure we are: `bom` (marked), `valid` (UTF-8 without a BOM, by its bytes), `guess` (heuristic). */
  basis: 'bom' | 'valid' | 'guess';
  /**
   * UTF-8 only: byte sequences that are not valid UTF-8, each decoded as U+FFFD (0 when the text
   * decoded cleanly). The cells holding them are reported by the importer.
   */
  invalidSequences: number;
}

/**
 * Valid multi-byte UTF-8 sequences and invalid bytes (each lead or stray byte that starts no valid
 * sequence). Decides whether text that fails a strict UTF-8 decode is UTF-8 with some damage (it has
 * valid multi-byte sequences too) or another encoding (Windows-1252 text almost never forms one).
 */
export function utf8Census(bytes: Uint8Array, start = 0): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  const n = bytes.length;
  let i = start;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let len = 0;
    let min = 0;
    if (b >= 0xc2 && b <= 0xdf) {
      len = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      min = 0x10000;
    }
    let cp = len === 2 ? b & 0x1f : len === 3 ? b & 0x0f : b & 0x07;
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      valid++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

/** Invalid sequences as TextDecoder counts them: the U+FFFD it produced that the bytes did not spell. */
function replacementCount(text: string, bytes: Uint8Array, start: number): number {
  let inText = 0;
  for (let at = text.indexOf('\ufffd'); at >= 0; at = text.indexOf('\ufffd', at + 1)) inText++;
  // U+FFFD written in the file itself (EF BF BD) is text, not damage
  let spelled = 0;
  for (let i = start; i + 2 < bytes.length; i++) if (bytes[i] === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) spelled++;
  return Math.max(0, inText - spelled);
}

/** UTF-8 with replacement characters for the invalid sequences. */
function decodeDamagedUtf8(bytes: Uint8Array, start: number, encoding: 'utf-8' | 'utf-8-bom', basis: Decoded['basis'], maxUnits: number): Decoded {
  checkTextFits(bytes.length - start, maxUnits);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start));
  return { text, encoding, basis, invalidSequences: Math.max(1, replacementCount(text, bytes, start)) };
}

/** UTF-16 without BOM: mostly-ASCII text has a NUL in every other byte. */
function sniffUtf16(bytes: Uint8Array): 'le' | 'be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'be';
  return null;
}

/** V8's longest string (64-bit: 2^29 - 24 UTF-16 units); a file's text must fit in one. */
export const MAX_TEXT_UNITS = 2 ** 29 - 24;

/** UTF-16 units that valid UTF-8 `bytes` decode to: one per lead byte, two for 4-byte forms. */
function utf8Units(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

/**
 * Throws csv.too_large when text of `units` UTF-16 units cannot be one string (only a file near the
 * 512 MiB limit, in a single-byte encoding or almost all ASCII, can get there).
 */
function checkTextFits(units: number, max: number): void {
  if (units > max) {
    throw new FormatError('csv.too_large', `The file holds ${units.toLocaleString('en-US')} characters of text; at most ${max.toLocaleString('en-US')} can be read at once. Split it into smaller files.`);
  }
}

/** `maxUnits`: the longest text accepted (default: V8's limit; smaller in tests). */
export function decodeText(bytes: Uint8Array, maxUnits: number = MAX_TEXT_UNITS): Decoded {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) {
    // A BOM says UTF-8; invalid sequences become U+FFFD (and are reported) rather than a wrong guess.
    if (bytes.length - 3 > maxUnits) checkTextFits(utf8Units(bytes.subarray(3)), maxUnits);
    try {
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3)), encoding: 'utf-8-bom', basis: 'bom', invalidSequences: 0 };
    } catch {
      return decodeDamagedUtf8(bytes, 3, 'utf-8-bom', 'bom', maxUnits);
    }
  }
  if (b0 === 0xff && b1 === 0xfe) return { text: decodeUtf16(bytes, true, 2), encoding: 'utf-16le', basis: 'bom', invalidSequences: 0 };
  if (b0 === 0xfe && b1 === 0xff) return { text: decodeUtf16(bytes, false, 2), encoding: 'utf-16be', basis: 'bom', invalidSequences: 0 };
  const utf16 = sniffUtf16(bytes);
  if (utf16 === 'le') return { text: decodeUtf16(bytes, true), encoding: 'utf-16le', basis: 'guess', invalidSequences: 0 };
  if (utf16 === 'be') return { text: decodeUtf16(bytes, false), encoding: 'utf-16be', basis: 'guess', invalidSequences: 0 };
  if (bytes.length > maxUnits) checkTextFits(utf8Units(bytes), maxUnits);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8', basis: 'valid', invalidSequences: 0 };
  } catch {
    // not valid UTF-8: every byte may become a character (Windows-1252, or U+FFFD for each bad byte)
    checkTextFits(bytes.length, maxUnits);
    // Per file: mostly-valid UTF-8 (its accented letters decode) with some damage is UTF-8 whose bad
    // bytes are reported; otherwise it is Western European Excel's "CSV" (Windows-1252).
    const census = utf8Census(bytes);
    if (census.valid > 0 && census.valid >= census.invalid) return decodeDamagedUtf8(bytes, 0, 'utf-8', 'valid', maxUnits);
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252', basis: 'guess', invalidSequences: 0 };
  }
}
