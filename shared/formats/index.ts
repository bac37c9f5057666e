/** Public API of the formats engine (pure: renderer, main and CLI). */
export * from './types';
export { FormatError, isFormatError } from './errors';
export type {
  ValidationContext,
  ColumnDef,
  ColumnType,
  RuleDef,
  RowChecker,
  ExportInfo,
  SubmissionLimits,
  AmountSpec,
  Profile,
} from './profile';
export {
  CURRENCY_CODES,
  isCurrencyCode,
  currencyExponent,
  parseAmount,
  parseAmountCode,
  parseMinorStrict,
  formatMinor,
  numberToPlainString,
  spreadsheetNumberToAmount,
  roundDecimalString,
  type AmountUnit,
  type DecimalMark,
  type ParseAmountOptions,
  type ParseAmountResult,
  type AmountFailure,
} from './money';
export { PROFILES, getProfile, columnIndex, wonder, epay, sibs, jpmmps } from './profiles';
export { luhnValid, maskPan, maskPanForExport, isUuid } from './profiles/common';
export { maskPans } from './mask';
export { validateRows, validateRow, checkBatch, importAndValidate, importCsvAndValidate, summarize, hasErrors, sortIssues, defaultContext, localDateString, type IssueSummary, type ImportProgress, type OnImportProgress } from './validate';
export { parseCsv, sniffDelimiter, decodeText, decodeWindows1252, CSV_DEFAULT_LIMITS, type CsvLimits, type ParseCsvOptions } from './csv';
export { importTable, matchColumns, normalizeHeader, convertDecimalComma, excelSerialToDate, type ImportResult, type ColumnMatch } from './import';
export {
  assertExportable,
  csvCell,
  wonderCsvChunks,
  epayRequestBodies,
  epayTransaction,
  epayRequestJson,
  jsonLinesChunks,
  sibsRequestJson,
  jpmmpsRequestJson,
  maskSensitiveRow,
  type CsvExportOptions,
  type EpayMitRequest,
  type EpayBatchRequest,
  type JsonLinesSettings,
} from './export';
export { canonicalAmount, canonicalAmountRows } from './canonical';
export { parseTsv } from './tsv';
