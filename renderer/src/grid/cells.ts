/**
 * How a row from main becomes Glide cells: the source line in a frozen first column, each profile
 * column as text, and a cell with a finding drawn in colour AND with an icon (⚠ error, △ warning),
 * so the state never rests on colour alone.
 */
import { GridCellKind, type GridCell, type Theme } from '@glideapps/glide-data-grid';
import type { CellFinding, GridRow } from '../../../shared/contract';
import type { ColumnDef } from '../../../shared/formats/profile';

export const ERROR_ICON = '⚠';
export const WARNING_ICON = '△';

const ERROR_THEME: Partial<Theme> = { bgCell: '#fdecea', textDark: '#8c1d18' };
const WARNING_THEME: Partial<Theme> = { bgCell: '#fff4d6', textDark: '#5c4300' };

/**
 * Enum options ride on the cell itself: provideEditor gets only a spread copy of it (no location),
 * and a spread keeps own properties.
 */
type WithOptions = { enumOptions?: readonly string[] };
export function enumOptionsOf(cell: GridCell): readonly string[] | undefined {
  return (cell as WithOptions).enumOptions;
}

/** The worst finding of a column in a row (errors before warnings). */
export function cellFinding(row: GridRow, column: string): CellFinding | undefined {
  let found: CellFinding | undefined;
  for (const f of row.findings) {
    if (f.column !== column) continue;
    if (f.severity === 'error') return f;
    found ??= f;
  }
  return found;
}

export function loadingCell(): GridCell {
  return { kind: GridCellKind.Loading, allowOverlay: false };
}

export function lineCell(row: GridRow): GridCell {
  const text = row.line === null ? 'new' : String(row.line);
  const rowError = row.findings.some((f) => f.column === null && f.severity === 'error');
  return {
    kind: GridCellKind.Text,
    data: text,
    displayData: rowError ? `${ERROR_ICON} ${text}` : text,
    allowOverlay: false,
    readonly: true,
    themeOverride: rowError ? ERROR_THEME : { textDark: '#5f636b' },
  };
}

export function valueCell(row: GridRow, col: ColumnDef, readOnly: boolean): GridCell {
  const value = row.cells[col.key] ?? '';
  const finding = cellFinding(row, col.key);
  const icon = finding ? (finding.severity === 'error' ? ERROR_ICON : WARNING_ICON) : '';
  const cell: GridCell & WithOptions = {
    kind: GridCellKind.Text,
    data: value,
    displayData: icon ? `${icon} ${value}` : value,
    allowOverlay: !readOnly && col.sensitive !== 'cvc',
    readonly: readOnly,
    themeOverride: finding ? (finding.severity === 'error' ? ERROR_THEME : WARNING_THEME) : undefined,
  };
  if (col.enumValues && !readOnly) cell.enumOptions = col.enumValues;
  return cell;
}

/** Words for a screen reader: where the cell is, what it holds, and what is wrong with it. */
export function describeCell(row: GridRow | undefined, col: ColumnDef | null, position: number): string {
  if (!row) return `Row ${position + 1}: loading.`;
  const line = row.line === null ? `new row ${position + 1}` : `line ${row.line}`;
  if (!col) {
    const rowLevel = row.findings.filter((f) => f.column === null);
    return `${line}.${rowLevel.map((f) => ` ${f.severity === 'error' ? 'Error' : 'Warning'}: ${f.message}`).join('')}`;
  }
  const value = row.cells[col.key] ?? '';
  const f = cellFinding(row, col.key);
  const problem = f ? ` ${f.severity === 'error' ? 'Error' : 'Warning'}: ${f.message}${f.fix !== undefined ? ` Suggested fix: ${f.fix}.` : ''}` : '';
  return `${col.label}, ${line}: ${value === '' ? 'empty' : value}.${problem}`;
}
