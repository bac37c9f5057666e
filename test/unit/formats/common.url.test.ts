/**
 * checkHttpUrl (ePay's notificationUrl, SPEC §2.2 "uri"): an absolute http(s) URL with a host, plain
 * http flagged apart; every character class, port and host rule both ways.
 */
import { describe, expect, it } from 'vitest';
import { checkHttpUrl, URL_HTTP, URL_INVALID, URL_OK } from '../../../shared/formats/profiles/common';

describe('checkHttpUrl', () => {
  it.each([
    'https://shop.example.com/epay/notify',
    'HTTPS://Shop.Example.COM/notify',
    'https://example.com',
    'https://example.com?x=1',
    'https://example.com#frag',
    'https://a',
    'https://xn--bcher-kva.example/',
    'https://bücher.example/',
    'https://my_host.example/',
    'https://a-b.example/',
    'https://a.b.c.example./',
    'https://1.2.3.4/',
    'https://example.com:0/',
    'https://example.com:443/',
    'https://example.com:65535/',
    'https://example.com:00443/',
    'https://user:pass@example.com/',
    'https://a@b@example.com/',
    'https://@example.com/',
    'https://[::A]/',
    'https://[::1]/',
    'https://[2001:DB8::a:F]:8443/x',
    'https://[::ffff:192.0.2.1]/',
    'https://example.com/path!$&\'()*+,;=~_.-%20/[x]',
    'https://example.com/é',
  ])('%j is accepted', (url) => {
    expect(checkHttpUrl(url)).toBe(URL_OK);
  });

  it.each(['http://example.com/notify', 'HTTP://example.com', 'http://[::1]:80/', 'http://a'])('%j is plain http', (url) => {
    expect(checkHttpUrl(url)).toBe(URL_HTTP);
  });

  it.each([
    '',
    'https:/',
    'https://',
    'http://',
    'https:example.com',
    'ftp://example.com/',
    'httpx://example.com/',
    ' https://example.com/',
    'example.com/notify',
    'https:///path',
    'https://?x',
    'https://#x',
    'https://user@/x',
    'https://example.com:/',
    'https://example.com:65536/',
    'https://example.com:99999999999999999999/',
    'https://example.com:8a/',
    'https://example.com:-1/',
    'https://:443/',
    'https://.example.com/',
    'https://-example.com/',
    'https://example..com/',
    'https://exa!mple.com/',
    'https://exa*mple.com/',
    'https://exa+mple.com/',
    'https://exa,mple.com/',
    'https://exa~mple.com/',
    'https://exa=mple.com/',
    'https://exa[mple.com/',
    'https://exa]mple.com/',
    'https://exa;mple.com/',
    'https://exa%41mple.com/',
    'https://exa\u007fmple.com/',
    'https://[]/',
    'https://[:/',
    'https://[::1/',
    'https://[::g]/',
    'https://[::1]x/',
    'https://[::1]:/',
    'https://[::1]:65536/',
    'https://[::1]:8a/',
    'https://[example.com]/',
    'https://[::G]/',
    'https://[::_]/',
    'https://[::;]/',
    'https://[::*]/',
    'https://[::,]/',
    'https://[::1]x443/',
  ])('%j is refused', (url) => {
    expect(checkHttpUrl(url)).toBe(URL_INVALID);
  });

  it.each([
    [0, 'NUL'],
    [9, 'tab'],
    [10, 'LF'],
    [13, 'CR'],
    [31, 'US'],
    [32, 'space'],
    [34, '"'],
    [60, '<'],
    [62, '>'],
    [92, '\\'],
    [94, '^'],
    [96, '`'],
    [123, '{'],
    [124, '|'],
    [125, '}'],
    [127, 'DEL'],
  ])('character %i (%s) anywhere is refused', (code) => {
    const c = String.fromCharCode(code);
    expect(checkHttpUrl(`https://example.com/a${c}b`)).toBe(URL_INVALID);
    expect(checkHttpUrl(`https://example.com/?q=${c}`)).toBe(URL_INVALID);
    expect(checkHttpUrl(`https://exa${c}mple.com/`)).toBe(URL_INVALID);
  });

  it.each([33, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 58, 59, 61, 63, 64, 91, 93, 95, 126, 128, 160])('character %i in the path is allowed', (code) => {
    expect(checkHttpUrl(`https://example.com/a${String.fromCharCode(code)}b`)).toBe(URL_OK);
  });

  it('host characters: digits, letters, - . _ and anything beyond ASCII', () => {
    for (const c of ['0', '9', 'a', 'z', 'A', 'Z', '-', '.', '_', '\u0080', 'ß']) expect(checkHttpUrl(`https://x${c}y.example/`), c).toBe(URL_OK);
    for (const c of ['!', '$', '&', "'", '(', ')', '[', '`', '{', '\u007f']) expect(checkHttpUrl(`https://x${c}y.example/`), c).toBe(URL_INVALID);
  });
});
