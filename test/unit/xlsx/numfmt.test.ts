/** Excel date/time number formats: which formats are dates, and the text Excel shows for a serial. */
import { describe, expect, it } from 'vitest';
import { builtinDateFormat, compileDateFormat, formatExcelDate, isDateFormatCode, isLocaleDateId, localeDateFormat } from '../../../electron/main/services/files/xlsx/numfmt';

const show = (code: string, serial: number, date1904 = false) => formatExcelDate(serial, compileDateFormat(code)!, date1904);
// 2027-05-01 15:15:00 in the 1900 date system
const MAY_DAY = 46508 + (15 * 3600 + 15 * 60) / 86400;

describe('which formats show dates', () => {
  it('built-in ids 14-22 and 45-47 are dates and times; General, numbers and text are not', () => {
    for (const id of [14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]) expect(isDateFormatCode(builtinDateFormat(id)!)).toBe(true);
    for (const id of [0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 23, 37, 44, 48, 49]) expect(builtinDateFormat(id)).toBeUndefined();
  });

  it('custom codes: date letters outside quotes, escapes and colour/locale brackets', () => {
    for (const c of ['yyyy-mm-dd', 'dd/mm/yyyy', 'd-mmm-yy', 'hh:mm:ss', 'm/d/yyyy h:mm', '[$-409]mmmm d, yyyy;@', '[h]:mm', '[Red]yyyy-mm-dd']) expect(isDateFormatCode(c)).toBe(true);
    for (const c of ['General', '0.00', '#,##0', '0.00E+00', '@', '"days"0', '\\d0', '[Red]0.00', '[$USD-409]#,##0.00', '0_);(0)']) expect(isDateFormatCode(c)).toBe(false);
    expect(compileDateFormat('0.00')).toBeNull();
  });
});

describe('the text Excel shows', () => {
  it('built-in formats (en-US)', () => {
    const cases: [number, string][] = [
      [14, '5/1/2027'],
      [15, '1-May-27'],
      [16, '1-May'],
      [17, 'May-27'],
      [18, '3:15 PM'],
      [19, '3:15:00 PM'],
      [20, '15:15'],
      [21, '15:15:00'],
      [22, '5/1/2027 15:15'],
      [45, '15:00'],
      [47, '15:00.0'],
    ];
    for (const [id, text] of cases) expect(show(builtinDateFormat(id)!, MAY_DAY)).toBe(text);
    // elapsed hours count from the epoch
    expect(show(builtinDateFormat(46)!, 1.5)).toBe('36:00:00');
  });

  it('the usual custom formats', () => {
    expect(show('yyyy-mm-dd', MAY_DAY)).toBe('2027-05-01');
    expect(show('dd/mm/yyyy', MAY_DAY)).toBe('01/05/2027');
    expect(show('d-mmm-yy', MAY_DAY)).toBe('1-May-27');
    expect(show('hh:mm:ss', MAY_DAY)).toBe('15:15:00');
    expect(show('m/d/yyyy h:mm', MAY_DAY)).toBe('5/1/2027 15:15');
    expect(show('dddd, mmmm d, yyyy', MAY_DAY)).toBe('Saturday, May 1, 2027');
    expect(show('ddd d mmmmm', MAY_DAY)).toBe('Sat 1 M');
    expect(show('[$-409]mmmm d, yyyy;@', MAY_DAY)).toBe('May 1, 2027');
    expect(show('"Due "yyyy\\-mm\\-dd', MAY_DAY)).toBe('Due 2027-05-01');
    expect(show('yyyy-mm-dd hh:mm:ss.000', MAY_DAY + 0.25 / 86400)).toBe('2027-05-01 15:15:00.250');
    expect(show('h:mm AM/PM', 0.5)).toBe('12:00 PM');
    expect(show('h:mm a/p', 0)).toBe('12:00 a');
    expect(show('yy', MAY_DAY)).toBe('27');
  });

  it('minutes versus months: m after an hour or before seconds is minutes', () => {
    expect(show('mm', MAY_DAY)).toBe('05');
    expect(show('h:m', MAY_DAY)).toBe('15:15');
    expect(show('m:ss', MAY_DAY)).toBe('15:00');
    expect(show('mm/dd hh:mm', MAY_DAY)).toBe('05/01 15:15');
  });

  it('seconds round to what is shown, carrying into the day', () => {
    expect(show('hh:mm:ss', 0.5 + 0.6 / 86400)).toBe('12:00:01');
    expect(show('yyyy-mm-dd hh:mm:ss', 46508 + 86399.6 / 86400)).toBe('2027-05-02 00:00:00');
    expect(show('yyyy-mm-dd hh:mm:ss.0', 46508 + 86399.6 / 86400)).toBe('2027-05-01 23:59:59.6');
  });

  it("1900 system edges: Lotus's 1900-02-29, day 0, the last date; 1904 system", () => {
    expect(show('yyyy-mm-dd', 1)).toBe('1900-01-01');
    expect(show('yyyy-mm-dd', 59)).toBe('1900-02-28');
    expect(show('yyyy-mm-dd', 60)).toBe('1900-02-29');
    expect(show('yyyy-mm-dd', 61)).toBe('1900-03-01');
    expect(show('yyyy-mm-dd', 0)).toBe('1900-01-00');
    expect(show('yyyy-mm-dd', 2_958_465)).toBe('9999-12-31');
    expect(show('yyyy-mm-dd', 2_958_466)).toBeNull();
    expect(show('yyyy-mm-dd', -1)).toBeNull();
    expect(show('yyyy-mm-dd', 46508 - 1462, true)).toBe('2027-05-01');
    expect(show('yyyy-mm-dd', 0, true)).toBe('1904-01-01');
    expect(show('yyyy-mm-dd', 2_957_003, true)).toBe('9999-12-31');
    expect(show('yyyy-mm-dd', 2_957_004, true)).toBeNull();
  });

  it('East Asian formats: literal 年/月/日, Chinese 上午/下午; eras and the language-dependent built-ins in ISO form', () => {
    expect(show('yyyy"年"m"月"d"日"', MAY_DAY)).toBe('2027年5月1日');
    expect(show('[DBNum1][$-804]yyyy"年"m"月"d"日"', MAY_DAY)).toBe('2027年5月1日');
    expect(show('yyyy"년" m"월" d"일"', MAY_DAY)).toBe('2027년 5월 1일');
    expect(show('上午/下午h"时"mm"分"', MAY_DAY)).toBe('下午3时15分');
    expect(show('上午/下午h"时"mm"分"', 46508.25)).toBe('上午6时00分');
    // an era (令和9年, 民國116年) is not rendered: the date in ISO form instead, never a serial number
    expect(isDateFormatCode('[$-411]ge.m.d')).toBe(true);
    expect(show('[$-411]ge.m.d', 46508)).toBe('2027-05-01');
    expect(show('[$-411]ggge"年"m"月"d"日"', MAY_DAY)).toBe('2027-05-01 15:15:00');
    // ids 27-36 and 50-58 depend on Excel's language (a date in one, a time in another): ISO, as the value needs
    for (const id of [27, 31, 36, 50, 58]) {
      expect(isLocaleDateId(id)).toBe(true);
      expect(formatExcelDate(46508, localeDateFormat(id))).toBe('2027-05-01');
      expect(formatExcelDate(0.25, localeDateFormat(id))).toBe('06:00:00');
      expect(formatExcelDate(MAY_DAY, localeDateFormat(id))).toBe('2027-05-01 15:15:00');
    }
    for (const id of [26, 37, 49, 59, 14]) expect(isLocaleDateId(id)).toBe(false);
    // a scientific number format is not a date, though E could be read as an era year
    expect(isDateFormatCode('0.00E+00')).toBe(false);
  });
});

