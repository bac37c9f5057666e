import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BatchSummary, BatchTotals, EditResult, Findings, GridRow } from '../../../../shared/contract';
import { PROFILES } from '../../../../shared/formats/profiles';
import { bridge, call } from '../../bridge';
import { PROFILE_LABELS } from '../../profiles';
import { BatchGrid, type BatchGridHandle, type CellChange } from '../../grid/BatchGrid';
import { cellFinding } from '../../grid/cells';
import { PageCache, type WindowQuery } from '../../grid/pageCache';
import { FindBar, type FindRequest } from './FindBar';
import { FindingsPanel } from './FindingsPanel';
import { SummaryBar } from './SummaryBar';
import { ExportPanel } from './ExportPanel';
import { RevealDialog } from './RevealDialog';
import { SortSelect } from './SortSelect';

interface Props {
  batch: BatchSummary;
  onClose(): void;
  onImportMore(): void;
  /** The submit screen: confirmation, or the status once submitted. */
  onSubmit(): void;
}

/**
 * The batch editor: the grid over main's rows, the findings panel, the summary bar, find/replace,
 * filters and sort. Undo/redo go to main's journal (Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z).
 */
export function EditorView({ batch, onClose, onImportMore, onSubmit }: Props) {
  const profile = PROFILES[batch.profile];
  const columns = profile.columns;
  const labels = useMemo(() => Object.fromEntries(columns.map((c) => [c.key, c.label])), [columns]);
  const gridRef = useRef<BatchGridHandle>(null);
  const [total, setTotal] = useState(0);
  const [readOnly, setReadOnly] = useState(false);
  const [readOnlyReason, setReadOnlyReason] = useState<string | null>(null);
  // Set once the batch was submitted: where it went (the sandbox label goes with its money).
  const [submitted, setSubmitted] = useState<{ sandbox: boolean } | null>(null);
  useEffect(() => {
    call('submit.status', { batchId: batch.id, limit: 1 }).then((st) => setSubmitted(st ? { sandbox: st.sandbox } : null), () => {});
  }, [batch.id]);
  const [sort, setSort] = useState<WindowQuery['sort']>();
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [columnFilter, setColumnFilter] = useState<{ column: string; text: string }>({ column: '', text: '' });
  const [widths, setWidths] = useState<Record<string, number>>({});
  const [totals, setTotals] = useState<BatchTotals | null>(null);
  const [findings, setFindings] = useState<Findings | null>(null);
  const [history, setHistory] = useState({ canUndo: false, canRedo: false });
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [find, setFind] = useState<null | { replace: boolean }>(null);
  const [findStatus, setFindStatus] = useState('');
  const [hover, setHover] = useState<{ text: string; x: number; y: number } | null>(null);
  const [focusCell, setFocusCell] = useState<{ index: number; column: string | null } | null>(null);
  const [exporting, setExporting] = useState(false);
  const [revealed, setRevealed] = useState<{ rowId: string; text: string } | null>(null);
  const [revealing, setRevealing] = useState<GridRow | null>(null);
  const findPos = useRef<{ key: string; index: number; total: number } | null>(null);

  const query = useMemo<WindowQuery>(() => {
    const filter: NonNullable<WindowQuery['filter']> = {};
    if (onlyErrors) filter.onlyErrors = true;
    if (columnFilter.column && columnFilter.text) Object.assign(filter, { column: columnFilter.column, text: columnFilter.text });
    return { ...(sort ? { sort } : {}), ...(Object.keys(filter).length ? { filter } : {}) };
  }, [sort, onlyErrors, columnFilter]);
  const queryRef = useRef(query);

  const fail = useCallback((e: unknown) => setMessage({ text: (e as Error).message, bad: true }), []);

  const [cache] = useState(() => new PageCache((offset, limit, q) => call('rows.window', { batchId: batch.id, offset, limit, ...q }), query));
  useEffect(
    () =>
      cache.listen((from, to) => {
        setTotal(cache.total);
        setReadOnly(cache.readOnly);
        setReadOnlyReason(cache.readOnlyReason);
        gridRef.current?.redraw(from, to);
      }, fail),
    [cache, fail],
  );

  const refreshSide = useCallback(async () => {
    try {
      const [t, f] = await Promise.all([call('batches.summary', { batchId: batch.id }), call('rows.findings', { batchId: batch.id })]);
      setTotals(t);
      setFindings(f);
      setHistory({ canUndo: t.canUndo, canRedo: t.canRedo });
    } catch (e) {
      fail(e);
    }
  }, [batch.id, fail]);

  // The summary and findings are whole-batch reads in main: after a change they are asked for once
  // the clerk pauses, so they never queue in main ahead of the next edit's window.
  const sideTimer = useRef<number | undefined>(undefined);
  const scheduleSide = useCallback(() => {
    window.clearTimeout(sideTimer.current);
    sideTimer.current = window.setTimeout(() => void refreshSide(), 300);
  }, [refreshSide]);
  useEffect(() => () => window.clearTimeout(sideTimer.current), []);
  /** Our own changes in flight, and the versions main announced meanwhile / answered for them. */
  const inFlight = useRef(0);
  const announced = useRef(new Set<number>());
  const ours = useRef(new Set<number>());

  // First window and side panels.
  useEffect(() => {
    // Focus goes into the grid once its first rows are there and it has laid out: a keystroke typed
    // right after opening lands in a cell (Glide's known risk: the first keystroke was lost).
    void cache.ensure(0).then(() => {
      setTotal(cache.total);
      // The side panel shows the cell the grid starts on (its fix is there and on Ctrl+.).
      const start = gridRef.current?.current();
      if (start) setFocusCell(start);
      requestAnimationFrame(() => requestAnimationFrame(() => gridRef.current?.focus()));
    }, fail);
    const t = window.setTimeout(() => void refreshSide(), 0);
    return () => window.clearTimeout(t);
  }, [cache, fail, refreshSide]);

  // Sort and filter: main answers a new view; the history is untouched.
  useEffect(() => {
    if (queryRef.current === query) return;
    queryRef.current = query;
    cache.setQuery(query);
    void cache.ensure(0).then(() => {
      setTotal(cache.total);
      gridRef.current?.redraw(0, Math.min(cache.total, 2000));
    }, fail);
  }, [cache, query, fail]);

  /** Another window or an import changed the rows: reload the window around the focused cell. */
  const reloadAll = useCallback(() => {
    cache.reset();
    void cache.ensure(gridRef.current?.current()?.index ?? 0).then(() => {
      setTotal(cache.total);
      gridRef.current?.redraw(0, cache.total);
    }, fail);
    scheduleSide();
  }, [cache, fail, scheduleSide]);

  /** After a change main acknowledged: redraw what it says changed, refresh the counts. */
  const applied = useCallback(
    async (r: EditResult, what: string) => {
      setHistory({ canUndo: r.canUndo, canRedo: r.canRedo });
      const structural = r.insertedRowIds.length > 0 || r.deletedRowIds.length > 0 || r.affected > r.changedRowIds.length;
      const cur = gridRef.current?.current();
      const around = cur?.index ?? 0;
      try {
        if (structural || queryRef.current.sort || queryRef.current.filter) {
          cache.reset();
          await cache.ensure(around);
          setTotal(cache.total);
          gridRef.current?.redraw(0, cache.total);
        } else {
          // A typed cell: main sent its rows back, painted at once without fetching the window.
          const sent = r.rows && r.rows.length === r.affected ? cache.patch(r.rows) : null;
          if (sent) {
            if (sent.length) gridRef.current?.redraw(Math.min(...sent), Math.max(...sent) + 1);
          } else {
            const positions = cache.positionsOf(new Set(r.changedRowIds));
            if (positions.length) await cache.refetch(Math.min(...positions), Math.max(...positions) + 1);
          }
          cache.caughtUp(r.version);
        }
      } catch (e) {
        fail(e);
      }
      setMessage({ text: what, bad: false });
      scheduleSide();
    },
    [cache, fail, scheduleSide],
  );

  /** Runs one change through main; a refusal (disk full, locked, bad value) is shown, nothing on screen pretends it was saved. */
  const run = useCallback(
    async (what: string, op: () => Promise<EditResult>) => {
      setBusy(true);
      inFlight.current++;
      try {
        const r = await op();
        ours.current.add(r.version);
        await applied(r, r.txn === null ? `${what}: nothing changed.` : what);
      } catch (e) {
        fail(e);
      } finally {
        setBusy(false);
        if (--inFlight.current === 0) {
          // A change announced while ours ran that was not ours (another window): reload as usual.
          const other = [...announced.current].some((v) => !ours.current.has(v));
          announced.current.clear();
          ours.current.clear();
          if (other) reloadAll();
        }
      }
    },
    [applied, fail, reloadAll],
  );

  // Another window (or an import) changed this batch's rows.
  useEffect(
    () =>
      bridge().on('rows.changed', (e) => {
        if (e.batchId !== batch.id || e.version <= cache.version) return;
        // Main announces our own change before it answers it: `applied` redraws that one (reloading
        // here as well fetched the window twice and flashed "loading" over the edited cell).
        if (inFlight.current > 0) announced.current.add(e.version);
        else reloadAll();
      }),
    [batch.id, cache, reloadAll],
  );

  const onEdit = (changes: CellChange[], label: 'edit' | 'fill') =>
    void run(label === 'fill' ? `Filled ${changes.length.toLocaleString()} cells` : changes.length === 1 ? `Changed ${labels[changes[0]!.column]}` : `Changed ${changes.length.toLocaleString()} cells`, () =>
      call('rows.edit', { batchId: batch.id, changes, label }),
    );

  const onPaste = (index: number, column: string, tsv: string) => {
    // An empty batch: the section's paste handler adds the rows (both ran: every row came twice).
    if (total === 0) return;
    const lines = tsv.split(/\r\n/).length;
    const order = queryRef.current.sort || queryRef.current.filter ? cache.idsIn(index, index + lines) : undefined;
    const anchorRow = cache.peek(index);
    void run(`Pasted ${lines.toLocaleString()} row${lines === 1 ? '' : 's'}`, () =>
      call('rows.paste', { batchId: batch.id, text: tsv, ...(anchorRow ? { anchor: { rowId: anchorRow.id, column }, ...(order ? { rowOrder: order } : {}) } : {}) }),
    );
  };

  const undo = () => void run('Undone', () => call('rows.undo', { batchId: batch.id }));
  const redo = () => void run('Redone', () => call('rows.redo', { batchId: batch.id }));

  const insertRow = () => {
    const cur = gridRef.current?.current();
    const before = cur ? cache.peek(cur.index) : undefined;
    void run('Inserted a row', () => call('rows.insert', { batchId: batch.id, beforeRowId: before?.id ?? null, count: 1 }));
  };
  const deleteRows = () => {
    const positions = gridRef.current?.selectedRows() ?? [];
    const ids = positions.map((p) => cache.peek(p)?.id).filter((x): x is string => !!x);
    if (!ids.length) return;
    void run(`Deleted ${ids.length.toLocaleString()} row${ids.length === 1 ? '' : 's'}`, () => call('rows.delete', { batchId: batch.id, rowIds: ids }));
  };

  async function nextError(dir: 'next' | 'previous') {
    const cur = gridRef.current?.current();
    const row = cur ? cache.peek(cur.index) : undefined;
    try {
      const r = await call('rows.nextError', { batchId: batch.id, dir, ...(row && cur ? { from: { rowId: row.id, column: cur.column } } : {}), ...queryRef.current });
      if (!r.found) {
        gridRef.current?.release();
        setMessage({ text: 'No errors left in this view.', bad: false });
      } else gridRef.current?.goTo(r.found.index, r.found.column);
    } catch (e) {
      gridRef.current?.release();
      fail(e);
    }
  }

  async function onFind(req: FindRequest, dir: 1 | -1) {
    const key = JSON.stringify(req);
    try {
      let pos = findPos.current?.key === key ? findPos.current.index + dir : dir === 1 ? 0 : -1;
      const first = await call('rows.find', { batchId: batch.id, ...req, ...queryRef.current, offset: 0, limit: 1 });
      if (first.total === 0) {
        findPos.current = null;
        setFindStatus('No matches.');
        return;
      }
      pos = ((pos % first.total) + first.total) % first.total;
      const hit = pos === 0 ? first : await call('rows.find', { batchId: batch.id, ...req, ...queryRef.current, offset: pos, limit: 1 });
      const m = hit.matches[0];
      findPos.current = { key, index: pos, total: first.total };
      setFindStatus(`${(pos + 1).toLocaleString()} of ${first.total.toLocaleString()} matches`);
      if (m) gridRef.current?.goTo(m.index, m.column);
    } catch (e) {
      fail(e);
    }
  }

  async function onReplace(req: FindRequest, replacement: string, all: boolean) {
    if (all) {
      await run(`Replaced every "${req.text}"`, () => call('rows.replace', { batchId: batch.id, ...req, ...queryRef.current, replacement }));
      findPos.current = null;
      setFindStatus('');
      return;
    }
    const cur = gridRef.current?.current();
    const row = cur ? cache.peek(cur.index) : undefined;
    if (!row || !cur?.column) return void onFind(req, 1);
    await run(`Replaced "${req.text}"`, () => call('rows.replace', { batchId: batch.id, ...req, replacement, only: [{ rowId: row.id, column: cur.column! }] }));
    void onFind(req, 1);
  }

  /** Opens the reveal dialog for the focused row; the dialog asks why, main reveals and audits it. */
  function reveal() {
    const cur = gridRef.current?.current();
    const row = cur ? cache.peek(cur.index) : undefined;
    if (row) setRevealing(row);
  }

  async function doReveal(rowId: string, reason: string) {
    const r = await call('rows.reveal', { batchId: batch.id, rowId, reason });
    setRevealed({ rowId: r.rowId, text: r.cardNumber });
    window.setTimeout(() => setRevealed((v) => (v?.rowId === r.rowId ? null : v)), 30_000);
  }

  const focused = focusCell ? cache.peek(focusCell.index) : undefined;
  const focusedFinding = focused && focusCell?.column ? cellFinding(focused, focusCell.column) : focused?.findings.find((f) => f.column === null);

  function applyFocusedFix(scope: 'cell' | 'all') {
    if (!focused || !focusedFinding || focusedFinding.fix === undefined) return setMessage({ text: 'This cell has no suggested fix.', bad: false });
    const f = focusedFinding;
    if (scope === 'cell') void run('Fixed one cell', () => call('rows.applyFix', { batchId: batch.id, code: f.code, column: f.column, scope: { kind: 'cell', rowId: focused.id } }));
    else void run('Fixed every cell with this problem', () => call('rows.applyFix', { batchId: batch.id, code: f.code, column: f.column, scope: { kind: 'all' } }));
  }

  function onKeyCapture(e: React.KeyboardEvent) {
    const mod = e.ctrlKey || e.metaKey;
    const k = e.key.toLowerCase();
    const inField = e.target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName) && !e.target.closest('.batch-grid');
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (e.key === 'F8') {
      handled();
      // What the clerk types next is meant for the error F8 goes to: held until the grid is there.
      gridRef.current?.hold();
      void nextError(e.shiftKey ? 'previous' : 'next');
    } else if (mod && k === 'f') {
      handled();
      setFind({ replace: false });
    } else if (mod && k === 'h') {
      handled();
      setFind({ replace: true });
    } else if (inField) {
      return;
    } else if (mod && ((k === 'z' && e.shiftKey) || k === 'y')) {
      handled();
      redo();
    } else if (mod && k === 'z') {
      handled();
      undo();
    } else if (mod && e.code === 'Period') {
      // Ctrl+. applies the focused cell's suggested fix; Ctrl+Shift+. to every cell with that problem.
      handled();
      applyFocusedFix(e.shiftKey ? 'all' : 'cell');
    } else if (mod && (e.key === '+' || e.key === '=')) {
      handled();
      insertRow();
    } else if (mod && e.key === '-') {
      handled();
      deleteRows();
    }
  }


  const columnErrors = useMemo(() => Object.fromEntries(Object.entries(findings?.perColumn ?? {}).map(([k, v]) => [k, v.errors])), [findings]);
  const panKey = columns.find((c) => c.sensitive === 'pan')?.key;

  return (
    <section
      className="view editor"
      aria-labelledby="editor-title"
      onKeyDownCapture={onKeyCapture}
      onPaste={(e) => {
        // An empty batch has no cell to paste over: rows copied from a spreadsheet are appended
        // (main takes a first line naming the columns as a header).
        if (total > 0 || readOnly || (e.target instanceof HTMLElement && ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName))) return;
        const text = e.clipboardData.getData('text/plain');
        if (!text.trim()) return;
        e.preventDefault();
        void run('Pasted rows', () => call('rows.paste', { batchId: batch.id, text }));
      }}
    >
      <header className="editor-header">
        <div>
          <button type="button" className="link" onClick={onClose}>
            ← Batches
          </button>
          <h1 id="editor-title" tabIndex={-1}>
            {batch.name} <span className="muted">· {PROFILE_LABELS[batch.profile]}</span>
          </h1>
        </div>
        <div className="toolbar" role="toolbar" aria-label="Batch tools">
          <button type="button" className="secondary" onClick={undo} aria-disabled={!history.canUndo || busy} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" className="secondary" onClick={redo} aria-disabled={!history.canRedo || busy} title="Redo (Ctrl+Y)">
            Redo
          </button>
          <button type="button" className="secondary" onClick={insertRow} disabled={readOnly} title="Insert a row above (Ctrl++)">
            Insert row
          </button>
          <button type="button" className="secondary" onClick={deleteRows} disabled={readOnly} title="Delete the selected rows (Ctrl+-)">
            Delete rows
          </button>
          <button type="button" className="secondary" onClick={() => void nextError('next')} title="Next error (F8; Shift+F8 previous)">
            Next error
          </button>
          <button type="button" className="secondary" onClick={() => setFind({ replace: true })} title="Find (Ctrl+F) and replace (Ctrl+H)">
            Find
          </button>
          <SortSelect columns={columns} sort={sort} onChange={setSort} />
          <label className="check">
            <input type="checkbox" name="only-errors" checked={onlyErrors} onChange={(e) => setOnlyErrors(e.target.checked)} /> Only rows with errors
          </label>
          <label>
            <span className="sr-only">Filter column</span>
            <select name="filter-column" value={columnFilter.column} onChange={(e) => setColumnFilter({ ...columnFilter, column: e.target.value })} aria-label="Filter column">
              <option value="">Filter: no column</option>
              {columns.filter((c) => !c.sensitive).map((c) => (
                <option key={c.key} value={c.key}>
                  Filter: {c.label}
                </option>
              ))}
            </select>
          </label>
          <input name="filter-text" aria-label="Filter text" placeholder="contains…" value={columnFilter.text} onChange={(e) => setColumnFilter({ ...columnFilter, text: e.target.value })} size={12} />
          <button type="button" className="secondary" onClick={onImportMore} disabled={readOnly}>
            Add rows from a file…
          </button>
          <button type="button" className="secondary" onClick={() => setExporting(true)}>
            Export…
          </button>
          <button type="button" onClick={onSubmit} title="Confirm what will be charged, then submit; or follow a submitted batch">
            {submitted ? 'Submission status' : 'Submit…'}
          </button>
        </div>
      </header>
      {readOnly && <p className="notice">{readOnlyReason ?? 'Another Batchdesk window or process has this batch open: it is shown read-only.'}</p>}
      {find && <FindBar columns={columns} replace={find.replace} status={findStatus} onFind={(r, d) => void onFind(r, d)} onReplace={(r, x, all) => void onReplace(r, x, all)} onClose={() => (setFind(null), gridRef.current?.focus())} />}
      {revealing && (
        <RevealDialog
          line={revealing.line ?? 'new'}
          masked={revealing.cells[panKey ?? ''] ?? ''}
          onReveal={(reason) => doReveal(revealing.id, reason)}
          onClose={() => (setRevealing(null), gridRef.current?.focus())}
        />
      )}
      {exporting && <ExportPanel batchId={batch.id} errors={totals?.errors ?? 0} onClose={() => (setExporting(false), gridRef.current?.focus())} />}
      {total === 0 && !readOnly && (
        <p className="notice">This batch is empty. Paste rows copied from Excel, LibreOffice or Google Sheets (Ctrl+V), add rows from a file, or add a row at the bottom of the grid.</p>
      )}
      <div className="editor-body">
        <div className="grid-area">
          <BatchGrid
            ref={gridRef}
            columns={columns}
            cache={cache}
            total={total}
            readOnly={readOnly}
            columnErrors={columnErrors}
            sort={sort}
            widths={widths}
            onResize={(c, w) => setWidths((s) => ({ ...s, [c]: w }))}
            onHeader={(c) => setSort((s) => (s?.column !== c ? { column: c, dir: 'asc' } : s.dir === 'asc' ? { column: c, dir: 'desc' } : undefined))}
            onEdit={onEdit}
            onPaste={onPaste}
            onAppendRow={() => void run('Added a row', () => call('rows.insert', { batchId: batch.id, beforeRowId: null, count: 1 }))}
            onHover={(text, at) => setHover(text && at ? { text, ...at } : null)}
            onFocusCell={(index, column) => setFocusCell({ index, column })}
          />
          {hover && (
            <div className="cell-tip" role="tooltip" style={{ left: hover.x, top: hover.y + 4 }}>
              {hover.text}
            </div>
          )}
        </div>
        <div className="side">
          <section className="cell-detail" aria-label="Focused cell">
            {focused && focusCell ? (
              <>
                <p>
                  <strong>{focusCell.column ? labels[focusCell.column] : 'Line'}</strong> · line {focused.line ?? 'new'}
                </p>
                {focusedFinding ? (
                  <>
                    <p className={focusedFinding.severity === 'error' ? 'bad' : ''}>
                      <span aria-hidden="true">{focusedFinding.severity === 'error' ? '⚠ ' : '△ '}</span>
                      {focusedFinding.message}
                    </p>
                    {focusedFinding.fix !== undefined && (
                      <div className="fix-actions">
                        <span>
                          Suggested: <code>{focusedFinding.fix === '' ? '(empty)' : focusedFinding.fix}</code>
                        </span>
                        <button
                          type="button"
                          className="secondary small"
                          onClick={() => applyFocusedFix('cell')}
                          title="Ctrl+."
                        >
                          Apply fix
                        </button>
                        <button
                          type="button"
                          className="small"
                          onClick={() => applyFocusedFix('all')}
                          title="Ctrl+Shift+."
                        >
                          Apply to all
                        </button>
                      </div>
                    )}
                  </>
                ) : (
                  <p className="muted">No finding in this cell.</p>
                )}
                {panKey && focused.cells[panKey] && (
                  <p>
                    {revealed?.rowId === focused.id ? (
                      <span>
                        Card number: <code>{revealed.text}</code>{' '}
                        <button type="button" className="link" onClick={() => setRevealed(null)}>
                          Hide
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="link" onClick={reveal}>
                        Reveal this row's card number…
                      </button>
                    )}
                  </p>
                )}
              </>
            ) : (
              <p className="muted">Select a cell to see its findings.</p>
            )}
          </section>
          <FindingsPanel
            batchId={batch.id}
            findings={findings}
            labels={labels}
            busy={busy}
            onJump={(it) => {
              if (queryRef.current.sort || queryRef.current.filter) {
                setSort(undefined);
                setOnlyErrors(false);
                setColumnFilter({ column: '', text: '' });
              }
              gridRef.current?.goTo(it.position, it.finding.column);
            }}
            onFixAll={(g) => void run(`Fixed ${g.fixable.toLocaleString()} cells`, () => call('rows.applyFix', { batchId: batch.id, code: g.code, column: g.column, scope: { kind: 'all' } }))}
          />
        </div>
      </div>
      <div className={message?.bad ? 'editor-status bad' : 'editor-status'} aria-live="polite">
        {message && (
          <>
            <span role={message.bad ? 'alert' : undefined}>{message.text}</span>
            <button type="button" className="link" aria-label="Dismiss message" onClick={() => setMessage(null)}>
              ×
            </button>
          </>
        )}
      </div>
      <SummaryBar totals={totals} sandbox={submitted?.sandbox ?? false} />
    </section>
  );
}
