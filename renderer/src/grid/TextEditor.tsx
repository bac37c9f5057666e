import { TextCellEntry, type ProvideEditorComponent, type TextCell } from '@glideapps/glide-data-grid';

/**
 * The cell editor for text columns: Glide's own entry box, but Enter/Tab commit here, at once,
 * with what the box shows. Glide's overlay commits from a setTimeout queued on every key: when
 * Enter came before the timer of the key typed just before it (fast typing on a loaded machine),
 * that older timer finished the edit as "cancelled" and the value typed was dropped.
 */
export const TextEditor: ProvideEditorComponent<TextCell> = ({ value, onChange, onFinishedEditing, isHighlighted, validatedSelection }) => (
  <TextCellEntry
    highlight={isHighlighted}
    autoFocus={value.readonly !== true}
    disabled={value.readonly === true}
    value={value.data}
    validatedSelection={validatedSelection}
    onChange={(e) => onChange({ ...value, data: e.target.value })}
    onKeyDown={(e) => {
      // As in a spreadsheet: Enter down, Shift+Enter up, Tab right, Shift+Tab left.
      const move: readonly [-1 | 0 | 1, -1 | 0 | 1] | undefined = e.key === 'Enter' ? [0, e.shiftKey ? -1 : 1] : e.key === 'Tab' ? [e.shiftKey ? -1 : 1, 0] : undefined;
      if (!move || e.nativeEvent.isComposing) return;
      e.preventDefault();
      // Glide's overlay must not see it: its own (late) commit would race this one.
      e.stopPropagation();
      onFinishedEditing({ ...value, data: e.currentTarget.value }, move);
    }}
  />
);
