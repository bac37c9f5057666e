import type { ColumnDef } from '../../../../shared/formats/profile';
import type { WindowQuery } from '../../grid/pageCache';

interface Props {
  columns: readonly ColumnDef[];
  sort: WindowQuery['sort'];
  onChange(sort: WindowQuery['sort']): void;
}

/** Sort by a column from the keyboard (a header click does the same with the mouse). */
export function SortSelect({ columns, sort, onChange }: Props) {
  const value = sort ? `${sort.column}:${sort.dir}` : '';
  return (
    <select
      name="sort"
      aria-label="Sort rows"
      value={value}
      onChange={(e) => {
        const [column, dir] = e.target.value.split(':') as [string, 'asc' | 'desc' | undefined];
        onChange(column && dir ? { column, dir } : undefined);
      }}
    >
      <option value="">Sort: file order</option>
      {columns
        .filter((c) => !c.sensitive)
        .flatMap((c) => [
          <option key={`${c.key}:asc`} value={`${c.key}:asc`}>
            Sort: {c.label} ▲
          </option>,
          <option key={`${c.key}:desc`} value={`${c.key}:desc`}>
            Sort: {c.label} ▼
          </option>,
        ])}
    </select>
  );
}
