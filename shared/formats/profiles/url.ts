/** URLs a provider is told to call (notification URLs): absolute http(s) with a host. */
import { isDigits } from './cells';

export const URL_OK = 0;
export const URL_INVALID = 1;
export const URL_HTTP = 2;

/** A TCP port: 0 to 65535 in decimal digits (a URL parser refuses anything larger). */
function isPort(s: string): boolean {
  return isDigits(s) && Number(s) <= 65535;
}

/** Absolute http(s) URL with a host; no spaces or control characters. URL_HTTP for plain http. */
export function checkHttpUrl(s: string): number {
  let i: number;
  let insecure = false;
  const lower = s.slice(0, 8).toLowerCase();
  if (lower.startsWith('https://')) i = 8;
  else if (lower.startsWith('http://')) {
    i = 7;
    insecure = true;
  } else return URL_INVALID;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c <= 32 || c === 127 || c === 34 || c === 60 || c === 62 || c === 92 || c === 94 || c === 96 || c === 123 || c === 124 || c === 125) {
      return URL_INVALID;
    }
  }
  let end = i;
  while (end < s.length) {
    const c = s.charCodeAt(end);
    if (c === 47 || c === 63 || c === 35) break;
    end++;
  }
  let authority = s.slice(i, end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority.length === 0) return URL_INVALID;
  let host = authority;
  if (authority[0] === '[') {
    // an IPv6 literal: hex digits, colons and (for an embedded IPv4) dots
    const close = authority.indexOf(']');
    if (close < 2) return URL_INVALID;
    for (let k = 1; k < close; k++) {
      const c = authority.charCodeAt(k);
      if (!((c >= 48 && c <= 58) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46)) return URL_INVALID;
    }
    const rest = authority.slice(close + 1);
    if (rest !== '' && !(rest[0] === ':' && isPort(rest.slice(1)))) return URL_INVALID;
    return insecure ? URL_HTTP : URL_OK;
  }
  const colon = authority.indexOf(':');
  if (colon >= 0) {
    host = authority.slice(0, colon);
    if (!isPort(authority.slice(colon + 1))) return URL_INVALID;
  }
  if (host.length === 0 || host[0] === '.' || host[0] === '-' || host.includes('..')) return URL_INVALID;
  for (let k = 0; k < host.length; k++) {
    const c = host.charCodeAt(k);
    const ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 46 || c === 95 || c > 127;
    if (!ok) return URL_INVALID;
  }
  return insecure ? URL_HTTP : URL_OK;
}
