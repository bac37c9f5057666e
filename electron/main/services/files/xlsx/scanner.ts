/**
 * A hand-written streaming XML tokenizer, tuned for SpreadsheetML. It is fed decoded text in
 * chunks of any size; tags, comments and CDATA split across chunk boundaries are carried over.
 * It reports start/end tags (local names, namespace prefix stripped) and, only while the handler
 * asks for it, raw element text (entities still encoded). Any DTD construct (`<!DOCTYPE`,
 * `<!ENTITY`, ...) is refused, which rules out XXE and entity-expansion attacks.
 */
import { FormatError } from '../../../../../shared/formats/errors';
import { doctypeError } from './xml';

export interface XmlHandler {
  /** While true, text between tags is passed to `text`. */
  capturing: boolean;
  /** `tag` is a `Tag` id (local name, prefix ignored); `s.slice(a0, a1)` holds the attributes. */
  open(tag: Tag, s: string, a0: number, a1: number, selfClosing: boolean): void;
  close(tag: Tag): void;
  /** Raw text: entity references not yet decoded (CDATA is re-encoded so decoding is uniform). */
  text(raw: string): void;
}

/** Longest markup construct (tag, comment, CDATA section) carried across chunks. */
const MAX_PENDING = 8 * 1024 * 1024;

/** The element names the XLSX parts need; everything else is `Other`. */
export const enum Tag {
  Other,
  C,
  V,
  T,
  F,
  R,
  Is,
  Si,
  Row,
  RPh,
  SheetData,
}

/** Maps the local name in `s[from, to)` to a Tag without allocating a string. */
function tagId(s: string, from: number, to: number): Tag {
  for (let k = to - 1; k >= from; k--) {
    if (s.charCodeAt(k) === 58 /* : */) {
      from = k + 1;
      break;
    }
  }
  const c0 = s.charCodeAt(from);
  switch (to - from) {
    case 1:
      return c0 === 99 ? Tag.C : c0 === 118 ? Tag.V : c0 === 116 ? Tag.T : c0 === 102 ? Tag.F : c0 === 114 ? Tag.R : Tag.Other;
    case 2: {
      const c1 = s.charCodeAt(from + 1);
      return c0 === 105 && c1 === 115 ? Tag.Is : c0 === 115 && c1 === 105 ? Tag.Si : Tag.Other;
    }
    case 3:
      if (c0 !== 114) return Tag.Other;
      if (s.charCodeAt(from + 1) === 111 && s.charCodeAt(from + 2) === 119) return Tag.Row;
      if (s.charCodeAt(from + 1) === 80 && s.charCodeAt(from + 2) === 104) return Tag.RPh;
      return Tag.Other;
    case 9:
      return s.startsWith('sheetData', from) ? Tag.SheetData : Tag.Other;
  }
  return Tag.Other;
}

export class XmlScanner {
  private rest = '';

  constructor(
    private readonly h: XmlHandler,
    private readonly part: string,
  ) {}

  feed(chunk: string): void {
    const s = this.rest.length !== 0 ? this.rest + chunk : chunk;
    this.rest = '';
    const h = this.h;
    const len = s.length;
    let i = 0;
    while (i < len) {
      const lt = s.indexOf('<', i);
      if (lt === -1) {
        if (h.capturing) h.text(s.slice(i));
        return;
      }
      if (lt > i && h.capturing) h.text(s.slice(i, lt));
      if (lt + 1 >= len) return this.keep(s, lt);
      const c1 = s.charCodeAt(lt + 1);
      if (c1 === 47 /* / */) {
        const gt = s.indexOf('>', lt + 2);
        if (gt === -1) return this.keep(s, lt);
        let e = gt;
        while (e > lt + 2 && s.charCodeAt(e - 1) <= 32) e--;
        h.close(tagId(s, lt + 2, e));
        i = gt + 1;
        continue;
      }
      if (c1 === 33 /* ! */) {
        if (len - lt < 9) return this.keep(s, lt);
        if (s.startsWith('<!--', lt)) {
          const e = s.indexOf('-->', lt + 4);
          if (e === -1) return this.keep(s, lt);
          i = e + 3;
          continue;
        }
        if (s.startsWith('<![CDATA[', lt)) {
          const e = s.indexOf(']]>', lt + 9);
          if (e === -1) return this.keep(s, lt);
          if (h.capturing) h.text(s.slice(lt + 9, e).replace(/&/g, '&amp;'));
          i = e + 3;
          continue;
        }
        throw doctypeError(this.part); // <!DOCTYPE, <!ENTITY, <!ELEMENT...
      }
      if (c1 === 63 /* ? */) {
        const e = s.indexOf('?>', lt + 2);
        if (e === -1) return this.keep(s, lt);
        i = e + 2;
        continue;
      }
      // Start tag: name, then attributes up to the first '>' outside quotes.
      let p = lt + 1;
      while (p < len) {
        const ch = s.charCodeAt(p);
        if (ch === 62 || ch === 47 || ch <= 32) break;
        p++;
      }
      let k = p;
      let q = 0;
      for (; k < len; k++) {
        const ch = s.charCodeAt(k);
        if (q !== 0) {
          if (ch === q) q = 0;
        } else if (ch === 62) break;
        else if (ch === 34 || ch === 39) q = ch;
      }
      if (k >= len) return this.keep(s, lt);
      const selfClosing = s.charCodeAt(k - 1) === 47;
      h.open(tagId(s, lt + 1, p), s, p, selfClosing ? k - 1 : k, selfClosing);
      i = k + 1;
    }
  }

  /** Called after the last chunk: a part must not end inside markup. */
  end(): void {
    if (this.rest.length !== 0) {
      throw new FormatError('xlsx.corrupt', `The workbook part ${this.part} ends in the middle of its XML. The file is damaged; save it again from Excel.`);
    }
  }

  private keep(s: string, from: number): void {
    if (s.length - from > MAX_PENDING) {
      throw new FormatError('xlsx.corrupt', `The workbook part ${this.part} contains malformed XML (an unterminated tag or comment). The file is damaged; save it again from Excel.`);
    }
    this.rest = s.slice(from);
  }
}

/**
 * Reads one attribute value from a tag's attribute region, matching the local name (prefix
 * ignored). Returns undefined when absent. Value is raw (entities not decoded).
 */
export function attr(s: string, a0: number, a1: number, name: string): string | undefined {
  let p = a0;
  while (p < a1) {
    // skip whitespace
    let ch = s.charCodeAt(p);
    while (ch <= 32 && p < a1) ch = s.charCodeAt(++p);
    if (p >= a1) return undefined;
    const n0 = p;
    while (p < a1 && (ch = s.charCodeAt(p)) !== 61 /* = */ && ch > 32) p++;
    const n1 = p;
    while (p < a1 && s.charCodeAt(p) !== 61) p++;
    p++; // '='
    while (p < a1 && s.charCodeAt(p) <= 32) p++;
    const quote = s.charCodeAt(p);
    if (quote !== 34 && quote !== 39) return undefined;
    const v0 = p + 1;
    const v1 = s.indexOf(quote === 34 ? '"' : "'", v0);
    if (v1 === -1 || v1 > a1) return undefined;
    if (n1 - n0 === name.length ? s.startsWith(name, n0) : n1 - n0 > name.length && s.charCodeAt(n1 - name.length - 1) === 58 && s.startsWith(name, n1 - name.length)) {
      return s.slice(v0, v1);
    }
    p = v1 + 1;
  }
  return undefined;
}

/** All attributes of a tag, by local name (for the small parts: workbook, rels). */
export function attrs(s: string, a0: number, a1: number): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  const region = s.slice(a0, a1);
  let m: RegExpExecArray | null;
  while ((m = re.exec(region)) !== null) {
    const full = m[1]!;
    const colon = full.indexOf(':');
    const local = colon === -1 ? full : full.slice(colon + 1);
    // xmlns declarations are not attributes we look up
    if (full === 'xmlns' || full.startsWith('xmlns:')) continue;
    if (!out.has(local)) out.set(local, m[2] ?? m[3] ?? '');
  }
  return out;
}
