/**
 * XLSX import/export for Batchdesk (Node main process): a streaming reader and writer of our own,
 * with limits that make hostile workbooks (zip bombs, XXE, oversized cells) fail fast and clearly.
 *
 * Every unreadable or hostile file throws `FormatError` (shared/formats/errors) with a stable code:
 *   reader: xlsx.unreadable, xlsx.file-too-large, xlsx.not-zip, xlsx.text-file, xlsx.truncated,
 *           xlsx.encrypted, xlsx.legacy-xls, xlsx.unsupported-compression, xlsx.too-many-entries,
 *           xlsx.bomb.size, xlsx.bomb.ratio, xlsx.doctype, xlsx.corrupt, xlsx.not-workbook,
 *           xlsx.sheet-not-found, xlsx.too-many-rows, xlsx.cell-too-long, xlsx.too-many-cells
 *   writer: xlsx.write.bad-sheet-name, xlsx.write.too-many-rows, xlsx.write.too-many-columns,
 *           xlsx.write.cell-too-long, xlsx.write.too-large
 */
export { readXlsx, type ReadXlsxOptions } from './read';
export { writeXlsx, DEFAULT_DEFLATE_LEVEL, type XlsxSheetInput, type WriteXlsxResult, type WriteXlsxOptions } from './write';
export { DEFAULT_XLSX_LIMITS, type XlsxLimits } from './limits';
