import type { ProfileId } from '../../shared/formats/types';

/** Display names for the providers; rules live in shared/formats/profiles. */
export const PROFILE_LABELS: Record<ProfileId, string> = {
  wonder: 'Wonder (CSV/XLSX batch file)',
  epay: 'ePay (MIT batch, ≤500 per request)',
  sibs: 'SIBS Gateway (MIT per row)',
  jpmmps: 'J.P. Morgan Mobility Payments',
};
export const PROFILE_SHORT: Record<ProfileId, string> = { wonder: 'Wonder', epay: 'ePay', sibs: 'SIBS', jpmmps: 'JPMMPS' };
export const PROFILE_ORDER: ProfileId[] = ['wonder', 'epay', 'sibs', 'jpmmps'];
