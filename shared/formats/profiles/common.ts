/**
 * The building blocks shared by the profiles, one file per concept; this module gathers them so
 * callers import from one place. Everything there runs once per cell on batches of a million rows:
 * char-code loops, no regex on hot paths, no objects unless an issue is reported.
 */
export type { BatchChecker } from '../profile';
export { canonicalEnum, cellAt, isDigits, isSpaceCode, trimSpaces } from './cells';
export { reporter, type Reporter } from './report';
export {
  cardInTextRules,
  checkCardInText,
  findCardNumber,
  type FreeTextColumn,
  LUHN_FAIL,
  LUHN_NOT_DIGITS,
  LUHN_OK,
  luhnDigits,
  luhnValid,
  maskPan,
  maskPanForExport,
} from './card-numbers';
export { isUuid } from './uuid';
export { checkHttpUrl, URL_HTTP, URL_INVALID, URL_OK } from './url';
export { daysInMonth, type IsoDateTime, parseCompactTime, parseIsoDate, parseIsoDateTime } from './dates';
export {
  AMOUNT_AMBIGUOUS,
  AMOUNT_DECIMALS,
  AMOUNT_EMPTY,
  AMOUNT_GROUPING,
  AMOUNT_NAN,
  AMOUNT_NEGATIVE,
  AMOUNT_NOT_WHOLE,
  AMOUNT_TOO_LARGE,
  AMOUNT_ZERO,
  type AmountCheck,
  amountCodes,
  checkAmountCell,
} from './amounts';
export { type DupKeyPart, DuplicateFinder, type DupSpec, findDuplicates, isBlank, keyHash, keysEqual, type KeyKind, mixAmount, normPart } from './duplicates';
