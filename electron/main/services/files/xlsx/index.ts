/**
 * XLSX import/export for Batchdesk (Node main process): a streaming reader and writer of our own,
 * with limits that make hostile workbooks (zip bombs, XXE, oversized cells) fail fast and clearly.
 *
 * Every unreadable or hostile file throws `FormatError` (shared/formats/errors) with a stable code:
 *   reader: xlsx.unreadable, xlsx.file_too_large, xlsx.not_zip, xlsx.text_file, xlsx.truncated,
 *           xlsx.encrypted, xlsx.legacy_xls, xlsx.unsupported_compression, xlsx.too_many_entries, xlsx.duplicate_part,
 *           xlsx.bomb.size, xlsx.bomb.ratio, xlsx.doctype, xlsx.corrupt, xlsx.not_workbook,
 *           xlsx.sheet_not_found, xlsx.no_visible_sheet, xlsx.too_many_rows, xlsx.cell_too_long,
 *           xlsx.too_many_cells, xlsx.too_many_columns, xlsx.too_many_strings
 *   reader findings (warnings): xlsx.sheet_read, xlsx.blank_rows_skipped, xlsx.date_in_text_column(.more)
 *   writer: xlsx.write.bad_sheet_name, xlsx.write.too_many_rows, xlsx.write.too_many_columns,
 *           xlsx.write.cell_too_long, xlsx.write.too_large
 */
export { readXlsx, type ReadXlsxOptions } from './read';
export { writeXlsx, DEFAULT_DEFLATE_LEVEL, type XlsxSheetInput, type WriteXlsxResult, type WriteXlsxOptions } from './write';
export { DEFAULT_XLSX_LIMITS, type XlsxLimits } from './limits';
