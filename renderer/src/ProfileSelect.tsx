import type { ProfileId } from '../../shared/formats/types';
import { PROFILE_LABELS, PROFILE_ORDER } from './profiles';

/** The provider picker used wherever a profile is chosen. */
export function ProfileSelect(props: { name?: string; value: ProfileId; onChange: (p: ProfileId) => void; disabled?: boolean; 'aria-describedby'?: string }) {
  return (
    <select
      name={props.name}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value as ProfileId)}
      disabled={props.disabled}
      aria-describedby={props['aria-describedby']}
    >
      {PROFILE_ORDER.map((p) => (
        <option key={p} value={p}>
          {PROFILE_LABELS[p]}
        </option>
      ))}
    </select>
  );
}
