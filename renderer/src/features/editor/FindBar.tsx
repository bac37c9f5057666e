import { useEffect, useRef, useState } from 'react';
import type { ColumnDef } from '../../../../shared/formats/profile';

export interface FindRequest {
  text: string;
  column?: string;
  matchCase: boolean;
  wholeCell: boolean;
}

interface Props {
  columns: readonly ColumnDef[];
  replace: boolean;
  /** "3 of 12 matches", or a message. */
  status: string;
  onFind(req: FindRequest, dir: 1 | -1): void;
  onReplace(req: FindRequest, replacement: string, all: boolean): void;
  onClose(): void;
}

/** Find (Ctrl+F) and replace (Ctrl+H) in one column or the whole batch; runs in main over every row. */
export function FindBar({ columns, replace, status, onFind, onReplace, onClose }: Props) {
  const [text, setText] = useState('');
  const [replacement, setReplacement] = useState('');
  const [column, setColumn] = useState('');
  const [matchCase, setMatchCase] = useState(false);
  const [wholeCell, setWholeCell] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [replace]);
  const req = (): FindRequest => ({ text, ...(column ? { column } : {}), matchCase, wholeCell });

  return (
    <form
      className="find-bar"
      role="search"
      aria-label={replace ? 'Find and replace' : 'Find'}
      onSubmit={(e) => {
        e.preventDefault();
        if (text) onFind(req(), 1);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <label>
        <span>Find</span>
        <input ref={input} name="find-text" value={text} onChange={(e) => setText(e.target.value)} maxLength={200} />
      </label>
      {replace && (
        <label>
          <span>Replace with</span>
          <input name="replace-text" value={replacement} onChange={(e) => setReplacement(e.target.value)} />
        </label>
      )}
      <label>
        <span>In</span>
        <select name="find-column" value={column} onChange={(e) => setColumn(e.target.value)}>
          <option value="">Whole batch</option>
          {columns
            .filter((c) => c.sensitive === undefined)
            .map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={matchCase} onChange={(e) => setMatchCase(e.target.checked)} /> Match case
      </label>
      <label className="check">
        <input type="checkbox" checked={wholeCell} onChange={(e) => setWholeCell(e.target.checked)} /> Whole cell
      </label>
      <button type="submit" className="secondary">Find next</button>
      <button type="button" className="secondary" onClick={() => text && onFind(req(), -1)}>
        Previous
      </button>
      {replace && (
        <>
          <button type="button" className="secondary" onClick={() => text && onReplace(req(), replacement, false)}>
            Replace
          </button>
          <button type="button" onClick={() => text && onReplace(req(), replacement, true)}>
            Replace all
          </button>
        </>
      )}
      <span className="muted" aria-live="polite">
        {status}
      </span>
      <button type="button" className="link" onClick={onClose} aria-label="Close find">
        ×
      </button>
    </form>
  );
}
