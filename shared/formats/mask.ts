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
  // Fast rejection without reading every character: a run of 12+ digits spans at least 12
  // characters, so it covers one of the positions 11, 23, 35, ...; there it has a digit or a
  // separator followed by a digit. The first such probe p: a run through it starts after p - 12
  // (else it would cover the probe p - 12 too), and no run lies wholly before it.
  let probe = 11;
  while (probe < n) {
    const c = text.charCodeAt(probe);
    if (isDigitCode(c) || ((c === 32 || c === 45) && isDigitCode(text.charCodeAt(probe + 1)))) break;
    probe += 12;
  }
  if (probe >= n) return text;
  return maskFrom(text, Math.max(0, probe - 11));
}

/** maskPans from `from` on: no run of 12+ digits starts before it. */
function maskFrom(text: string, from: number): string {
  const n = text.length;
  let out: string | null = null;
  let copied = 0;
  let i = from;
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
