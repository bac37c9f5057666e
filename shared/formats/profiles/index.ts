import type { ProfileId } from '../types';
import type { Profile } from '../profile';
import { FormatError } from '../errors';
import { wonder } from './wonder';
import { epay } from './epay';
import { sibs } from './sibs';
import { jpmmps } from './jpmmps';

export { wonder, epay, sibs, jpmmps };

/** All profiles, by id. */
export const PROFILES: Readonly<Record<ProfileId, Profile>> = Object.freeze({ wonder, epay, sibs, jpmmps });

/** The profile for `id`; FormatError('profile.unknown') for anything else (ids come from files and settings). */
export function getProfile(id: string): Profile {
  if (Object.prototype.hasOwnProperty.call(PROFILES, id)) return PROFILES[id as ProfileId];
  throw new FormatError('profile.unknown', `Unknown provider profile "${id}". Choose one of: ${Object.keys(PROFILES).join(', ')}.`);
}

/** Index of a column in the profile's row order, by key or label; -1 when absent. */
export function columnIndex(profile: Profile, keyOrLabel: string): number {
  return profile.columns.findIndex((c) => c.key === keyOrLabel || c.label === keyOrLabel);
}
