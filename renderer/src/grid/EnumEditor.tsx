import type { ProvideEditorComponent, TextCell } from '@glideapps/glide-data-grid';

/**
 * The dropdown for enum columns (Wonder Action, ePay type...). A native <select>: keyboard and
 * screen readers work as everywhere else; Enter or a choice commits, Escape leaves it unchanged.
 */
export function enumEditor(options: readonly string[]): ProvideEditorComponent<TextCell> {
  const Editor: ProvideEditorComponent<TextCell> = ({ value, initialValue, onFinishedEditing }) => {
    // Typing on a cell opens this editor with the key typed: preselect the first option it starts.
    const typed = initialValue ? options.find((o) => o.toLowerCase().startsWith(initialValue.toLowerCase())) : undefined;
    const known = typed !== undefined || options.includes(value.data);
    return (
      <select
        className="enum-editor"
        aria-label="Choose a value"
        autoFocus
        defaultValue={typed ?? value.data}
        size={Math.min(8, options.length + (known ? 0 : 1))}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onFinishedEditing({ ...value, data: e.currentTarget.value }, [0, 1]);
          }
        }}
        onClick={(e) => {
          const v = (e.target as HTMLElement).closest('option')?.getAttribute('value');
          if (v !== null && v !== undefined) onFinishedEditing({ ...value, data: v }, [0, 0]);
        }}
      >
        {!known && <option value={value.data}>{value.data === '' ? '(empty)' : value.data}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  };
  return Editor;
}
