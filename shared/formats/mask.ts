/**
 * Card-number masking for free text (issue messages, error messages). Messages quote cell values
 * (an invalid Action, a header, an ID Excel stored as a number); a card number typed into the wrong
 * cell must not end up in a message, a log or a screenshot. Runs only on the error path.
 */

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Where to start looking for a run of digits spanning `minChars` or more characters (single spaces
 * or dashes allowed between digits, as in `4111 1111 1111 1111`), or -1 when the text has none.
 * Such a run covers one of the positions minChars-1, 2·minChars-1, …; there it has a digit, or a
 * separator followed by a digit. Probing only those positions rejects most text without reading
 * every character; the first hit's run starts at most minChars-1 characters before it, and no
 * run lies wholly before.
 */
export function digitRunSearchStart(text: string, minChars: number): number {
  const n = text.length;
  for (let probe = minChars - 1; probe < n; probe += minChars) {
    const c = text.charCodeAt(probe);
    if (isDigitCode(c) || ((c === 32 || c === 45) && isDigitCode(text.charCodeAt(probe + 1)))) return probe - (minChars - 1);
  }
  return -1;
}

/** The end (exclusive) of the run of digits starting at the digit `start`: single spaces or dashes may separate digits. */
export function digitRunEnd(text: string, start: number): number {
  const n = text.length;
  let end = start;
  let j = start;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (isDigitCode(c)) end = ++j;
    else if ((c === 32 || c === 45) && isDigitCode(text.charCodeAt(j + 1))) j++;
    else break;
  }
  return end;
}

/** The digits of text[start, end), separators left out. */
export function digitsIn(text: string, start: number, end: number): string {
  let all = '';
  for (let k = start; k < end; k++) if (isDigitCode(text.charCodeAt(k))) all += text[k];
  return all;
}

/**
 * Replaces every run of 12 or more digits — optionally grouped by single spaces or dashes, as in
 * `4111 1111 1111 1111` or `4111-1111-1111-1111` — with its first 6 and last 4 digits:
 * `411111…1111`. Longer runs (a card number with a digit too many) are masked the same way. Text
 * without such a run is returned unchanged (the same string, no allocation).
 */
export function maskPans(text: string): string {
  // 12 digits span at least 12 characters
  let i = digitRunSearchStart(text, 12);
  if (i < 0) return text;
  const n = text.length;
  let out: string | null = null;
  let copied = 0;
  while (i < n) {
    if (!isDigitCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const end = digitRunEnd(text, i);
    const all = digitsIn(text, i, end);
    if (all.length >= 12) {
      out = (out ?? '') + text.slice(copied, i) + all.slice(0, 6) + '…' + all.slice(-4);
      copied = end;
    }
    i = end;
  }
  if (out === null) return text;
  return out + text.slice(copied);
}
