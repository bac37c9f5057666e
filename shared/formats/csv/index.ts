export { parseCsv, sniffDelimiter, columnLetter, CSV_DEFAULT_LIMITS, type CsvLimits, type ParseCsvOptions } from './parse';
export { decodeText, decodeWindows1252, decodeUtf16, type Decoded, type TextEncodingName } from './encoding';
