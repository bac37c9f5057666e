/**
 * The batch grid: Glide Data Grid (canvas) over a window of rows fetched from main. Every change
 * goes to main (rows.edit / paste / insert / delete / undo / redo: the journal) and the grid
 * redraws what main answers. The canvas has no per-cell ARIA, so a live region announces the
 * focused cell, its value and its finding.
 */
import '@glideapps/glide-data-grid/dist/index.css';
import { CompactSelection, DataEditor, GridCellKind, type DataEditorRef, type EditableGridCell, type GridCell, type GridColumn, type GridSelection, type Item, type ProvideEditorComponent, type TextCell } from '@glideapps/glide-data-grid';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { ColumnDef } from '../../../shared/formats/profile';
import { describeCell, enumOptionsOf, lineCell, loadingCell, valueCell } from './cells';
import { enumEditor } from './EnumEditor';
import { HeldKeys } from './heldKeys';
import { TextEditor } from './TextEditor';
import type { PageCache } from './pageCache';
import { paintProbe } from './paintProbe';
import { toTsv } from './tsv';

export interface CellChange {
  rowId: string;
  column: string;
  value: string;
}

export interface BatchGridHandle {
  /** Select a cell (view position, column key or null for the line column) and scroll it into view. */
  goTo(index: number, column: string | null): void;
  focus(): void;
  /** Hold the keys typed from now until the next goTo has landed (or release). */
  hold(): void;
  /** Stop holding: the held keys are typed where the grid's focus is. */
  release(): void;
  /** Redraw rows [from, to) (after their page arrived or changed). */
  redraw(from: number, to: number): void;
  /** The focused cell: view position and column key (null: the line column). */
  current(): { index: number; column: string | null } | null;
  /** View positions of the selected rows (row selection, else the rows of the selected range). */
  selectedRows(): number[];
}

interface Props {
  columns: readonly ColumnDef[];
  cache: PageCache;
  /** Rows in the view (after sort and filter). */
  total: number;
  readOnly: boolean;
  /** Per-column error counts for the headers. */
  columnErrors: Record<string, number>;
  sort: { column: string; dir: 'asc' | 'desc' } | undefined;
  widths: Record<string, number>;
  onResize(column: string, width: number): void;
  onHeader(column: string): void;
  onEdit(changes: CellChange[], label: 'edit' | 'fill'): void;
  /** A TSV block pasted with its top-left cell at view position `index`, column `column`. */
  onPaste(index: number, column: string, tsv: string): void;
  onAppendRow(): void;
  onHover(text: string | null, at: { x: number; y: number } | null): void;
  onFocusCell(index: number, column: string | null): void;
}

/** A Glide cell editor is open (it lives in #portal, outside the grid). */
function editorOpen(): boolean {
  return (document.getElementById('portal')?.childElementCount ?? 0) > 0;
}

const editors = new Map<readonly string[], ReturnType<typeof enumEditor>>();

export const BatchGrid = forwardRef<BatchGridHandle, Props>(function BatchGrid(props, ref) {
  const { columns, cache, total, readOnly, onFocusCell } = props;
  const grid = useRef<DataEditorRef>(null);
  const [selection, setSelection] = useState<GridSelection>({ columns: CompactSelection.empty(), rows: CompactSelection.empty(), current: { cell: [1, 0], range: { x: 1, y: 0, width: 1, height: 1 }, rangeStack: [] } });
  const [announcement, setAnnouncement] = useState('');
  const filling = useRef(false);
  const visible = useRef({ x: 0, y: 0, width: 10, height: 40 });
  /** A typed key went to the grid and its editor is not open yet. */
  const opening = useRef(false);
  const held = useMemo(
    () =>
      new HeldKeys(() => {
        const a = document.activeElement;
        if (a instanceof HTMLElement && a.closest('.batch-grid')) return a;
        return document.querySelector<HTMLCanvasElement>('.batch-grid canvas[data-testid="data-grid-canvas"]');
      }),
    [],
  );

  const gridColumns = useMemo<GridColumn[]>(() => {
    // The "Add a row" hint goes in the first data column: the narrow Line column cut it to "Add a".
    const line: GridColumn = { id: '__line', title: 'Line', width: props.widths.__line ?? 64, trailingRowOptions: { hint: '' } };
    return [
      line,
      ...columns.map((c, i): GridColumn => {
        const errors = props.columnErrors[c.key] ?? 0;
        const arrow = props.sort?.column === c.key ? (props.sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
        const column = { id: c.key, title: `${c.label}${errors ? ` ⚠ ${errors.toLocaleString()}` : ''}${arrow}`, width: props.widths[c.key] ?? Math.max(110, Math.min(220, c.label.length * 9 + 40)) };
        return i === 0 ? { ...column, trailingRowOptions: { hint: 'Add a row' } } : column;
      }),
    ];
  }, [columns, props.columnErrors, props.sort, props.widths]);

  const getCellContent = useCallback(
    ([col, index]: Item): GridCell => {
      const row = cache.row(index);
      if (!row) return loadingCell();
      if (col === 0) return lineCell(row);
      return valueCell(row, columns[col - 1]!, readOnly);
    },
    [cache, columns, readOnly],
  );

  const columnAt = useCallback((col: number): string | null => (col <= 0 ? null : (columns[col - 1]?.key ?? null)), [columns]);

  const announce = useCallback(
    (cell: Item) => {
      const [col, index] = cell;
      const def = col > 0 ? (columns[col - 1] ?? null) : null;
      setAnnouncement(describeCell(cache.peek(index), def, index));
    },
    [cache, columns],
  );

  const pendingFocus = useRef<{ cell: Item; ticket: number } | null>(null);
  // Whether the clerk is working in the grid: Glide's hidden table re-renders its cells, and a
  // removed focused cell drops focus to <body>; then the grid takes it back.
  const inGrid = useRef(false);
  const lastFocused = useRef<Element | null>(null);
  const keepFocus = useCallback(() => {
    // Glide re-renders its hidden table over the next frames (after a scroll, new rows): watch a
    // few frames and take focus back if it fell to <body>.
    let frames = 30;
    const tick = () => {
      if (!inGrid.current) return;
      // Never while a cell editor is opening in #portal: taking focus back would close it and drop the typing.
      if (editorOpen()) return;
      // Only when the element that had focus was removed (Glide replaced its hidden cell), not
      // when focus is merely passing through <body> (Glide opening an editor).
      const lost = lastFocused.current !== null && !lastFocused.current.isConnected;
      if (lost && (document.activeElement === document.body || document.activeElement === null)) grid.current?.focus();
      if (--frames > 0) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, []);
  // Last line of defence for the "first keystroke lost" risk: a key pressed while focus had just
  // fallen from the grid to <body> is handed to the grid instead of being dropped.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (held.take(e)) return;
      // A typed character opens Glide's editor a frame or more later; a key typed before it is
      // there went to the grid again and reopened the editor with itself (typed "onscreen" was
      // stored as "nscreen" on a busy page). Those keys are held and typed into the editor.
      if (e.isTrusted && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && !editorOpen() && e.target instanceof Element && e.target.closest('.batch-grid')) {
        if (opening.current) {
          held.hold();
          held.take(e);
          return;
        }
        opening.current = true;
        let frames = 30;
        const wait = () => {
          if (editorOpen() || --frames <= 0) {
            opening.current = false;
            void held.release();
          } else requestAnimationFrame(wait);
        };
        requestAnimationFrame(wait);
      }
      const lost = lastFocused.current !== null && !lastFocused.current.isConnected;
      if (!inGrid.current || !lost || e.target !== document.body || !e.isTrusted || editorOpen()) return;
      const canvas = document.querySelector<HTMLCanvasElement>('.batch-grid canvas[data-testid="data-grid-canvas"]');
      if (!canvas) return;
      e.preventDefault();
      e.stopPropagation();
      canvas.focus({ preventScroll: true });
      canvas.dispatchEvent(new KeyboardEvent('keydown', { key: e.key, code: e.code, ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, altKey: e.altKey, metaKey: e.metaKey, bubbles: true, cancelable: true }));
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [held]);

  useEffect(() => {
    if (!pendingFocus.current) return;
    const { cell, ticket } = pendingFocus.current;
    pendingFocus.current = null;
    inGrid.current = true;
    grid.current?.scrollTo(cell[0], cell[1], 'both', 0, 0, { vAlign: 'center' });
    grid.current?.focus();
    keepFocus();
    // Keys held while moving here are typed once Glide shows the cell and has focus (it ignores
    // a typed key for a cell outside its visible region); a few frames at most.
    let frames = 60;
    let tries = 0;
    const landed = () => {
      const v = visible.current;
      const shown = cell[1] >= v.y && cell[1] < v.y + v.height && (cell[0] === 0 || (cell[0] >= v.x && cell[0] < v.x + v.width));
      // Glide's scrollTo is relative to the bounds it last rendered: with its own scroll to the
      // new selection still landing, ours overshot (F8 to row 29 of 10,000 showed rows 34 on).
      // Once the region has settled, scroll again from there.
      if (!shown && frames % 8 === 0 && tries < 3) {
        tries++;
        grid.current?.scrollTo(cell[0], cell[1], 'both', 0, 0, { vAlign: 'center' });
      }
      const focused = !!document.activeElement?.closest('.batch-grid');
      if ((shown && focused) || --frames <= 0) requestAnimationFrame(() => void held.release(ticket));
      else requestAnimationFrame(landed);
    };
    requestAnimationFrame(landed);
  }, [selection, keepFocus, held]);

  const goTo = useCallback(
    (index: number, column: string | null) => {
      const col = column === null ? 0 : columns.findIndex((c) => c.key === column) + 1;
      const cell: Item = [Math.max(0, col), index];
      setSelection({ columns: CompactSelection.empty(), rows: CompactSelection.empty(), current: { cell, range: { x: cell[0], y: index, width: 1, height: 1 }, rangeStack: [] } });
      // Scroll and focus after Glide has the new selection: focusing first makes its hidden
      // table's focused cell (the old one) select itself again.
      pendingFocus.current = { cell, ticket: held.ticket };
      void cache.ensure(index).then(() => {
        announce(cell);
        onFocusCell(index, column);
      });
    },
    [announce, cache, columns, held, onFocusCell],
  );

  useImperativeHandle(
    ref,
    () => ({
      goTo,
      hold() {
        held.hold();
      },
      release() {
        void held.release();
      },
      focus() {
        inGrid.current = true;
        grid.current?.focus();
        keepFocus();
      },
      redraw(from, to) {
        const cells: { cell: Item }[] = [];
        const a = Math.max(from, visible.current.y);
        const b = Math.min(to, visible.current.y + visible.current.height + 1);
        for (let r = a; r < b; r++) for (let c = 0; c <= columns.length; c++) cells.push({ cell: [c, r] });
        if (cells.length) grid.current?.updateCells(cells);
        keepFocus();
        const cur = selection.current?.cell;
        if (cur && cur[1] >= from && cur[1] < to) announce(cur);
      },
      current() {
        const cur = selection.current?.cell;
        return cur ? { index: cur[1], column: columnAt(cur[0]) } : null;
      },
      selectedRows() {
        const rows = selection.rows.toArray();
        if (rows.length) return rows;
        const r = selection.current?.range;
        if (!r) return [];
        return Array.from({ length: r.height }, (_, i) => r.y + i);
      },
    }),
    [announce, columnAt, columns, selection, keepFocus, held, goTo],
  );


  const onSelection = (s: GridSelection) => {
    setSelection(s);
    const cur = s.current?.cell;
    if (cur) {
      announce(cur);
      onFocusCell(cur[1], columnAt(cur[0]));
    }
  };

  const onCellsEdited = (edits: readonly { location: Item; value: EditableGridCell }[]): boolean => {
    const changes: CellChange[] = [];
    for (const { location, value } of edits) {
      const row = cache.peek(location[1]);
      const column = columnAt(location[0]);
      if (!row || !column || value.kind !== GridCellKind.Text) continue;
      if ((row.cells[column] ?? '') === value.data) continue;
      changes.push({ rowId: row.id, column, value: value.data });
    }
    const label = filling.current ? 'fill' : 'edit';
    filling.current = false;
    if (changes.length) props.onEdit(changes, label);
    return true;
  };

  return (
    <div
      className="batch-grid"
      // Where the grid's cursor is ("column,row"): the canvas shows it, tests and tools can read it.
      data-current-cell={selection.current ? `${selection.current.cell[0]},${selection.current.cell[1]}` : undefined}
      onFocus={(e) => {
        inGrid.current = true;
        lastFocused.current = e.target;
      }}
      onBlur={(e) => {
        // Focus moved somewhere else on purpose (a button, the find bar, Glide's editor in #portal).
        const to = e.relatedTarget as Node | null;
        if (to && !e.currentTarget.contains(to) && !document.getElementById('portal')?.contains(to)) inGrid.current = false;
      }}
    >
      <DataEditor
        ref={grid}
        columns={gridColumns}
        rows={total}
        getCellContent={getCellContent}
        drawCell={paintProbe}
        freezeColumns={1}
        rowMarkers="none"
        smoothScrollX
        rowHeight={30}
        headerHeight={34}
        width="100%"
        height="100%"
        gridSelection={selection}
        onGridSelectionChange={onSelection}
        rangeSelect="rect"
        columnSelect="none"
        rowSelect="multi"
        fillHandle={!readOnly}
        keybindings={{ downFill: true, rightFill: false, search: false, selectAll: true, selectRow: true, selectColumn: false }}
        getCellsForSelection={(rect) => async () => {
          // Rows off screen may not be cached: fetch their pages first, then read them.
          const first = rect.y;
          const last = rect.y + rect.height;
          const pages: Promise<void>[] = [];
          for (let r = first; r < last; r += 256) pages.push(cache.ensure(r));
          pages.push(cache.ensure(last - 1));
          await Promise.all(pages);
          const out: GridCell[][] = [];
          for (let r = first; r < last; r++) {
            const row: GridCell[] = [];
            for (let c = rect.x; c < rect.x + rect.width; c++) row.push(getCellContent([c, r]));
            out.push(row);
          }
          return out;
        }}
        onCellsEdited={onCellsEdited}
        onFillPattern={() => {
          filling.current = true;
        }}
        onKeyDown={(e) => {
          // Glide's Ctrl+End selects the sticky "Add a row" line and stays where it is: go to the
          // last row's last cell instead, as in Excel.
          if ((e.ctrlKey || e.metaKey) && e.key === 'End' && !e.shiftKey && !e.altKey && total > 0) {
            e.cancel();
            goTo(total - 1, columns[columns.length - 1]?.key ?? null);
            return;
          }
          // Ctrl+D is a fill down: the edit that follows is recorded as a fill.
          if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'd') filling.current = true;
        }}
        onPaste={(target, values) => {
          const column = columnAt(target[0]) ?? columns[0]?.key;
          if (readOnly || !column || values.length === 0) return false;
          props.onPaste(target[1], column, toTsv(values));
          return false;
        }}
        onHeaderClicked={(col) => {
          const key = columnAt(col);
          if (key) props.onHeader(key);
        }}
        onColumnResize={(column, size) => props.onResize(String(column.id), size)}
        onItemHovered={(args) => {
          if (args.kind !== 'cell') return props.onHover(null, null);
          const [col, index] = args.location;
          const row = cache.peek(index);
          const key = columnAt(col);
          const f = row && key ? row.findings.find((x) => x.column === key) : undefined;
          props.onHover(f ? `${f.message}${f.fix !== undefined ? ` Suggested fix: ${f.fix}` : ''}` : null, f ? { x: args.bounds.x + args.bounds.width / 2, y: args.bounds.y + args.bounds.height } : null);
        }}
        onVisibleRegionChanged={(r) => {
          visible.current = { x: r.x, y: r.y, width: r.width, height: r.height };
        }}
        trailingRowOptions={readOnly ? undefined : { sticky: true, tint: true }}
        onRowAppended={readOnly ? undefined : () => props.onAppendRow()}
        provideEditor={(cell) => {
          // Glide hands over a spread copy of our cell: the options travel on it.
          if (cell.kind !== GridCellKind.Text) return undefined;
          const opts = enumOptionsOf(cell as GridCell);
          // One component per kind, never a new one per render: a new component type would
          // remount the open editor (and drop its focus) whenever the grid re-renders.
          if (!opts) return TextEditor as unknown as ProvideEditorComponent<GridCell>;
          let ed = editors.get(opts);
          if (!ed) editors.set(opts, (ed = enumEditor(opts)));
          return ed as unknown as ProvideEditorComponent<GridCell>;
        }}
        theme={{ accentColor: '#1f5fbf', accentLight: 'rgba(31, 95, 191, 0.16)', textHeader: '#3c4048', bgHeader: '#f1f2f4', fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' }}
      />
      {/* The canvas has no per-cell ARIA: this region says which cell has focus, its value and finding. */}
      <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="cell-announcer">
        {announcement}
      </div>
    </div>
  );
});

export type { TextCell };
