import type { ValidationContext } from '../../../../shared/formats/profile';

/** Rows that must produce `code` (with `fix`, when given), validated with `ctx` over the defaults. */
export interface RuleCase {
  name: string;
  rows: Record<string, string>[];
  code: string;
  fix?: string;
  ctx?: Partial<ValidationContext>;
}
