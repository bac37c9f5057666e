/**
 * Tab-separated text as spreadsheets put it on the clipboard: a cell holding a tab, a newline or a
 * quote is quoted, with quotes doubled (Excel, LibreOffice and Google Sheets read it back alike).
 */
export function toTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(quoteCell).join('\t')).join('\r\n');
}

function quoteCell(v: string): string {
  return /[\t\r\n"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
