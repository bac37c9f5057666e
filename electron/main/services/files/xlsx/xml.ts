/**
 * XML text helpers shared by the XLSX reader and writer: entity decoding, Excel's `_xHHHH_`
 * escapes, escaping for output, and the DOCTYPE refusal.
 */
import { FormatError } from '../../../../../shared/formats/errors';

const ENTITY_RE = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function fromCodePointSafe(cp: number): string {
  return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
}

/** Decodes the five predefined entities and numeric character references. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(ENTITY_RE, (_m, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
    if (hex !== undefined) return fromCodePointSafe(parseInt(hex, 16));
    if (dec !== undefined) return fromCodePointSafe(parseInt(dec, 10));
    return NAMED[named!]!;
  });
}

const X_ESCAPE_RE = /_x([0-9a-fA-F]{4})_/g;

/** Decodes Excel's `_xHHHH_` escapes (`_x000D_` = CR; `_x005F_` escapes a literal underscore). */
export function decodeXEscapes(s: string): string {
  if (s.indexOf('_x') === -1) return s;
  return s.replace(X_ESCAPE_RE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Decodes cell text as stored in a `<t>` element. */
export function decodeText(raw: string): string {
  return decodeXEscapes(decodeEntities(raw));
}

/* eslint-disable no-control-regex -- matching the control characters XML 1.0 forbids is the point */
// Characters that need work when written as element text: markup, CR (XML parsers turn it into LF),
// characters XML 1.0 forbids, surrogates (only lone ones are a problem), and literal `_xHHHH_`.
const NEEDS_ESCAPE = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]|_x[0-9a-fA-F]{4}_/;
const ESCAPE_ALL =
  /[&<>\r]|[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]|_(?=x[0-9a-fA-F]{4}_)/g;

/* eslint-enable no-control-regex */

function escapeChar(m: string): string {
  switch (m) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '\r':
      return '&#13;';
    case '_':
      return '_x005F_';
  }
  if (m.length === 2) return m; // a valid surrogate pair
  const c = m.charCodeAt(0);
  if (c >= 0xd800 && c <= 0xdfff) return '\uFFFD'; // lone surrogate: not encodable in UTF-8
  if (c === 0) return ''; // an export never holds a NUL, not even as Excel's _x0000_
  return '_x' + c.toString(16).toUpperCase().padStart(4, '0') + '_';
}

/** Escapes text for an XML element body, the way Excel does for characters XML cannot carry. */
export function escapeText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, escapeChar) : s;
}

/** Escapes an attribute value (double-quoted). */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

export function doctypeError(part: string): FormatError {
  return new FormatError(
    'xlsx.doctype',
    `The workbook part ${part} contains a DOCTYPE declaration, which Excel never writes and which can be used to attack the reader. The file was not made by Excel or was tampered with; save it again from Excel.`,
  );
}

/** Throws when a whole (small) part carries a DOCTYPE or ENTITY declaration. */
export function refuseDoctype(xml: string, part: string): void {
  if (/<!(?:DOCTYPE|ENTITY)/i.test(xml)) throw doctypeError(part);
}
