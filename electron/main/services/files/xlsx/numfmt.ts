/**
 * Excel's date and time number formats: which formats show a number as a date or time, and the
 * text Excel shows for a serial number under such a format (built-in ids 14-22 and 45-47, and the
 * usual custom codes: yyyy-mm-dd, dd/mm/yyyy, d-mmm-yy, hh:mm:ss, m/d/yyyy h:mm, AM/PM, 年月日, 上午/下午...;
 * eras and the language-dependent built-ins 27-36 and 50-58 in ISO form).
 * Only what dates need: number formats (0.00, #,##0) are not rendered here.
 */

/** Built-in date/time formats as Excel (en-US) shows them. Id 14 follows the system's short date. */
const BUILTIN_DATE_FORMATS: Readonly<Record<number, string>> = {
  14: 'm/d/yyyy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yyyy h:mm',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mm:ss.0',
};

/** The code of a built-in date/time format id, else undefined (numbers, text, General). */
export function builtinDateFormat(id: number): string | undefined {
  return BUILTIN_DATE_FORMATS[id];
}

/**
 * Built-in ids 27-36 and 50-58: dates and times whose code depends on the language Excel runs in
 * (2027年5月1日, 2027/5/1, 民國116年5月1日, 오후 3시 20분…), and the same id is a date in one language
 * and a time in another. The workbook does not say which, so such a cell is shown in ISO form.
 */
export function isLocaleDateId(id: number): boolean {
  return (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

type Token =
  | { t: 'lit'; s: string }
  | { t: 'y'; n: number }
  | { t: 'mon'; n: number }
  | { t: 'min'; n: number }
  | { t: 'd'; n: number }
  | { t: 'h'; n: number }
  | { t: 's'; n: number }
  /** Fractional seconds: `.0`, `.00`, `.000`. */
  | { t: 'frac'; n: number }
  | { t: 'elapsed'; unit: 'h' | 'm' | 's'; n: number }
  | { t: 'ampm'; style: 'AM/PM' | 'am/pm' | 'A/P' | 'a/p' | '上午/下午' };

export interface DateFormat {
  /** The format code as written in the workbook. */
  readonly code: string;
  readonly tokens: readonly Token[];
  readonly hour12: boolean;
  /** Digits of fractional seconds shown (0-3): the time is rounded to them, as Excel does. */
  readonly fracDigits: number;
  /** A language-dependent built-in (isLocaleDateId) or an era format: shown as yyyy-mm-dd, hh:mm:ss or both, as the value needs. */
  readonly localeSpecific?: true;
}

/** The first section of a format code (`;` separates positive;negative;zero;text), quotes respected. */
function firstSection(code: string): string {
  let q = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '"') q = !q;
    else if (!q && c === '\\') i++;
    else if (!q && c === ';') return code.slice(0, i);
  }
  return code;
}

/**
 * True when the format shows a number as a date or time: after quoted text, escapes and bracketed
 * parts other than elapsed time are removed, a date/time letter (y m d h s) remains.
 */
export function isDateFormatCode(code: string): boolean {
  const s = firstSection(code)
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '');
  if (/^general$/i.test(s.trim())) return false;
  return /[ymdhsg]/i.test(s); // g: an era (Japanese, Taiwanese calendars)
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Parses a date/time format code into tokens; null when it is not a date/time format. */
export function compileDateFormat(code: string): DateFormat | null {
  if (!isDateFormatCode(code)) return null;
  const s = firstSection(code);
  const tokens: Token[] = [];
  let era = false;
  const lit = (x: string) => {
    const last = tokens[tokens.length - 1];
    if (last && last.t === 'lit') last.s += x;
    else tokens.push({ t: 'lit', s: x });
  };
  let i = 0;
  const run = (ch: string): number => {
    let n = 0;
    while (i + n < s.length && s[i + n]!.toLowerCase() === ch) n++;
    return n;
  };
  while (i < s.length) {
    const c = s[i]!;
    const lc = c.toLowerCase();
    if (c === '"') {
      const e = s.indexOf('"', i + 1);
      lit(s.slice(i + 1, e < 0 ? s.length : e));
      i = e < 0 ? s.length : e + 1;
    } else if (c === '\\') {
      if (i + 1 < s.length) lit(s[i + 1]!);
      i += 2;
    } else if (c === '_') {
      lit(' '); // padding the width of the next character
      i += 2;
    } else if (c === '*') {
      i += 2; // fill: nothing in plain text
    } else if (c === '[') {
      const e = s.indexOf(']', i);
      const inner = s.slice(i + 1, e < 0 ? s.length : e);
      i = e < 0 ? s.length : e + 1;
      const m = /^(h+|m+|s+)$/i.exec(inner);
      if (m) tokens.push({ t: 'elapsed', unit: m[1]![0]!.toLowerCase() as 'h' | 'm' | 's', n: m[1]!.length });
      else if (inner.startsWith('$')) {
        // [$text-locale]: the text part is shown (a currency symbol), the locale is not
        const dash = inner.indexOf('-');
        lit(inner.slice(1, dash < 0 ? inner.length : dash));
      }
      // colours and conditions ([Red], [>100]) show nothing
    } else if (s.startsWith('AM/PM', i) || s.startsWith('am/pm', i)) {
      tokens.push({ t: 'ampm', style: s.startsWith('AM/PM', i) ? 'AM/PM' : 'am/pm' });
      i += 5;
    } else if (s.startsWith('上午/下午', i)) {
      tokens.push({ t: 'ampm', style: '上午/下午' }); // Chinese AM/PM
      i += 5;
    } else if (lc === 'g') {
      // An era (Japanese 令和, Taiwan's 民國): its names and year count are not rendered here.
      era = true;
      i += run('g');
    } else if (s.startsWith('A/P', i) || s.startsWith('a/p', i)) {
      tokens.push({ t: 'ampm', style: s.startsWith('A/P', i) ? 'A/P' : 'a/p' });
      i += 3;
    } else if (lc === 'y' || lc === 'e') {
      const n = run(lc);
      tokens.push({ t: 'y', n: lc === 'e' ? 4 : n });
      i += n;
    } else if (lc === 'm') {
      const n = run('m');
      tokens.push({ t: 'mon', n }); // month or minute: decided below, once the neighbours are known
      i += n;
    } else if (lc === 'd') {
      const n = run('d');
      tokens.push({ t: 'd', n });
      i += n;
    } else if (lc === 'h') {
      const n = run('h');
      tokens.push({ t: 'h', n });
      i += n;
    } else if (lc === 's') {
      const n = run('s');
      tokens.push({ t: 's', n });
      i += n;
      if (s[i] === '.' && s[i + 1] === '0') {
        let k = 0;
        while (s[i + 1 + k] === '0') k++;
        tokens.push({ t: 'frac', n: Math.min(k, 3) });
        i += 1 + k;
      }
    } else {
      lit(c);
      i++;
    }
  }
  // `m`/`mm` right after an hour or right before a second is minutes, otherwise a month.
  const timeTokens = (k: number, dir: 1 | -1): Token | undefined => {
    for (let j = k + dir; j >= 0 && j < tokens.length; j += dir) {
      const tk = tokens[j]!;
      if (tk.t !== 'lit') return tk;
    }
    return undefined;
  };
  for (let k = 0; k < tokens.length; k++) {
    const tk = tokens[k]!;
    if (tk.t !== 'mon' || tk.n > 2) continue;
    const prev = timeTokens(k, -1);
    const next = timeTokens(k, 1);
    if ((prev && (prev.t === 'h' || (prev.t === 'elapsed' && prev.unit === 'h'))) || (next && (next.t === 's' || (next.t === 'elapsed' && next.unit === 's')))) {
      tokens[k] = { t: 'min', n: tk.n };
    }
  }
  if (era) return { code, tokens: [], hour12: false, fracDigits: 0, localeSpecific: true };
  const frac = tokens.find((t) => t.t === 'frac');
  return { code, tokens, hour12: tokens.some((t) => t.t === 'ampm'), fracDigits: frac && frac.t === 'frac' ? frac.n : 0 };
}

const DAY_MS = 86_400_000;
/** 9999-12-31 as a serial in the 1900 and the 1904 date systems. */
const MAX_1900 = 2_958_465;
const MAX_1904 = 2_957_003;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * The text Excel shows for `serial` under `fmt`, or null when Excel shows no date for it
 * (negative, past 9999-12-31, not finite). 1900 date system: Excel's day 60 is 1900-02-29 (the
 * Lotus leap-year bug, shown as such) and day 0 is 1900-01-00; 1904 system: a plain day count.
 */
export function formatExcelDate(serial: number, fmt: DateFormat, date1904 = false): string | null {
  if (fmt.localeSpecific) fmt = isoFormatFor(serial);
  if (!Number.isFinite(serial) || serial < 0 || serial >= (date1904 ? MAX_1904 : MAX_1900) + 1) return null;
  // round to the shown precision of seconds, carrying into the day as Excel does
  const unitsPerDay = 86_400 * 10 ** fmt.fracDigits;
  let units = Math.round(serial * unitsPerDay);
  const day = Math.floor(units / unitsPerDay);
  units -= day * unitsPerDay;
  const fracUnits = units % 10 ** fmt.fracDigits;
  const totalSeconds = Math.floor(units / 10 ** fmt.fracDigits);
  const hour = Math.floor(totalSeconds / 3600);
  const minute = Math.floor((totalSeconds % 3600) / 60);
  const second = totalSeconds % 60;
  let y: number;
  let mo: number;
  let d: number;
  let weekday: number;
  if (!date1904 && day === 60) {
    [y, mo, d, weekday] = [1900, 2, 29, 3];
  } else if (!date1904 && day === 0) {
    [y, mo, d, weekday] = [1900, 1, 0, 6];
  } else {
    const base = date1904 ? Date.UTC(1904, 0, 1) : day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
    const dt = new Date(base + day * DAY_MS);
    y = dt.getUTCFullYear();
    mo = dt.getUTCMonth() + 1;
    d = dt.getUTCDate();
    weekday = dt.getUTCDay();
  }
  if (y > 9999) return null;
  const elapsedSeconds = day * 86_400 + totalSeconds;
  let out = '';
  for (const tk of fmt.tokens) {
    switch (tk.t) {
      case 'lit':
        out += tk.s;
        break;
      case 'y':
        out += tk.n <= 2 ? pad(y % 100, 2) : pad(y, 4);
        break;
      case 'mon':
        out += tk.n === 1 ? String(mo) : tk.n === 2 ? pad(mo, 2) : tk.n === 3 ? MONTHS[mo - 1]!.slice(0, 3) : tk.n === 5 ? MONTHS[mo - 1]![0]! : MONTHS[mo - 1]!;
        break;
      case 'min':
        out += tk.n === 1 ? String(minute) : pad(minute, 2);
        break;
      case 'd':
        out += tk.n === 1 ? String(d) : tk.n === 2 ? pad(d, 2) : tk.n === 3 ? DAYS[weekday]!.slice(0, 3) : DAYS[weekday]!;
        break;
      case 'h': {
        const h = fmt.hour12 ? (hour % 12 === 0 ? 12 : hour % 12) : hour;
        out += tk.n === 1 ? String(h) : pad(h, 2);
        break;
      }
      case 's':
        out += tk.n === 1 ? String(second) : pad(second, 2);
        break;
      case 'frac':
        out += '.' + pad(fracUnits, fmt.fracDigits).slice(0, tk.n);
        break;
      case 'elapsed': {
        const v = tk.unit === 'h' ? Math.floor(elapsedSeconds / 3600) : tk.unit === 'm' ? Math.floor(elapsedSeconds / 60) : elapsedSeconds;
        out += pad(v, tk.n);
        break;
      }
      case 'ampm': {
        const pm = hour >= 12;
        out += tk.style === '上午/下午' ? (pm ? '下午' : '上午') : tk.style === 'AM/PM' ? (pm ? 'PM' : 'AM') : tk.style === 'am/pm' ? (pm ? 'pm' : 'am') : tk.style === 'A/P' ? (pm ? 'P' : 'A') : pm ? 'p' : 'a';
        break;
      }
    }
  }
  return out;
}

let iso: { date: DateFormat; time: DateFormat; both: DateFormat } | undefined;

/** The ISO form for a language-dependent built-in: a date, a time of day, or both, as the value holds. */
function isoFormatFor(serial: number): DateFormat {
  iso ??= { date: compileDateFormat('yyyy-mm-dd')!, time: compileDateFormat('hh:mm:ss')!, both: compileDateFormat('yyyy-mm-dd hh:mm:ss')! };
  if (serial >= 0 && serial < 1) return iso.time;
  return Number.isInteger(serial) ? iso.date : iso.both;
}

/** The DateFormat of a language-dependent built-in id (see isLocaleDateId). */
export function localeDateFormat(id: number): DateFormat {
  return { code: `[built-in ${id}]`, tokens: [], hour12: false, fracDigits: 0, localeSpecific: true };
}
