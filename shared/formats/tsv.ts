/**
 * Tab-separated text as Excel, LibreOffice and Google Sheets put it on the clipboard: cells with
 * tabs, line breaks or quotes are quoted ("a""b"), lines end in CRLF or LF, and a trailing line
 * break is not an extra row.
 */
import Papa from 'papaparse/papaparse.js';

export function parseTsv(text: string): string[][] {
  const body = text.replace(/\r?\n$/, '');
  if (body === '') return [];
  const res = Papa.parse(body, { delimiter: '\t', quoteChar: '"', escapeChar: '"' });
  return res.data;
}
