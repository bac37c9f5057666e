/**
 * NUL characters and bytes that are not valid UTF-8 in the parts that hold cell text (shared
 * strings and the sheet), found on the raw bytes while they stream: a NUL byte, Excel's `_x0000_`
 * escape, a character reference to U+0000 (`&#0;`: illegal XML the entity decoder still reads), or a
 * U+FFFD the decoder made from bytes that did not spell U+FFFD themselves. The import then reports
 * the damaged cells by row and column (shared/formats/import.ts reportTextDamage).
 */
const NUL_ESCAPE = Buffer.from('_x0000_', 'latin1');
const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);
const NUL_REFERENCE = /&#(?:[xX]0{1,6}|0{1,7});/;
// Longest sequence looked for (`&#0000000;`, 10 bytes) minus one: carried to the next chunk.
const CARRY = 9;
const AMP = 0x26;
const HASH = 0x23;

function count(haystack: Buffer, needle: Buffer): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

function countChar(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** `&#0;`-style references, looking only at the few bytes after each `&#` (no whole-chunk string). */
function hasNulReference(bytes: Buffer): boolean {
  for (let i = bytes.indexOf(AMP); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(AMP, i + 1)) {
    if (bytes[i + 1] === HASH && NUL_REFERENCE.test(bytes.toString('latin1', i, i + CARRY + 1))) return true;
  }
  return false;
}

function hasNul(bytes: Buffer): boolean {
  return bytes.indexOf(0) >= 0 || bytes.indexOf(NUL_ESCAPE) >= 0 || hasNulReference(bytes);
}

export class TextDamage {
  nul = false;
  /** Decoded U+FFFD characters that no literal U+FFFD in the bytes accounts for. */
  invalidUtf8 = 0;
  // The last bytes of the previous chunk, so a sequence split across two chunks is still seen.
  private tail: Buffer = Buffer.alloc(0);

  /** One chunk of a part: its raw bytes and the text the streaming decoder made of them. */
  chunk(raw: Buffer, text: string, utf8: boolean): void {
    // Sequences that straddle the previous chunk and this one (small: never a copy of the chunk).
    const seam = Buffer.concat([this.tail, raw.subarray(0, CARRY)]);
    if (utf8) {
      if (!this.nul && (hasNul(raw) || hasNul(seam))) this.nul = true;
      // Cheap for clean files: the byte count runs only when the decoder produced a U+FFFD.
      if (text.indexOf('\ufffd') >= 0) {
        // The decoder emits a character in the chunk where its bytes end: count literal U+FFFDs the
        // same way (wholly in this chunk, or starting in the last two bytes of the previous one).
        const straddling = count(seam.subarray(Math.max(0, this.tail.length - 2), this.tail.length + 2), REPLACEMENT);
        const made = countChar(text, '\ufffd') - count(raw, REPLACEMENT) - straddling;
        if (made > 0) this.invalidUtf8 += made;
      }
    } else if (!this.nul && (text.indexOf('\u0000') >= 0 || text.indexOf('_x0000_') >= 0 || NUL_REFERENCE.test(text))) {
      // UTF-16 parts hold zero bytes in every ASCII character: look at the text instead (rare files).
      this.nul = true;
    }
    this.tail = raw.length >= CARRY ? Buffer.from(raw.subarray(raw.length - CARRY)) : Buffer.concat([this.tail, raw]).subarray(-CARRY);
  }

  /** A new part starts: nothing carries over from the last one. */
  reset(): void {
    this.tail = Buffer.alloc(0);
  }
}
