/**
 * Card-number masking for free text (issue messages, error messages). Messages quote cell values
 * (an invalid Action, a header, an ID Excel stored as a number); a card number typed into the wrong
 * cell must not end up in a message, a log or a screenshot. Runs only on the error path.
 */

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Replaces every run of 12 or more digits — optionally grouped by single spaces or dashes, as in
 * `4111 1111 1111 1111` or `4111-1111-1111-1111` — with its first 6 and last 4 digits:
 * `411111…1111`. Longer runs (a card number with a digit too many) are masked the same way. Text
 * without such a run is returned unchanged (the same string, no allocation).
 */
export function maskPans(text: string): string {
  const n = text.length;
  let out: string | null = null;
  let copied = 0;
  let i = 0;
  while (i < n) {
    if (!isDigitCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let digits = 0;
    let end = i;
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isDigitCode(c)) {
        digits++;
        j++;
        end = j;
      } else if ((c === 32 || c === 45) && j + 1 < n && isDigitCode(text.charCodeAt(j + 1))) {
        j++; // a single separator between digits
      } else {
        break;
      }
    }
    if (digits >= 12) {
      let all = '';
      for (let k = start; k < end; k++) {
        const c = text.charCodeAt(k);
        if (isDigitCode(c)) all += text[k];
      }
      out = (out ?? '') + text.slice(copied, start) + all.slice(0, 6) + '…' + all.slice(-4);
      copied = end;
    }
    i = end;
  }
  if (out === null) return text;
  return out + text.slice(copied);
}
