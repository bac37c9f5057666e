/**
 * The summary bar's totals of an open batch (amount per currency in minor units, rows per action),
 * built once with a pass over the rows and then kept up to date by each change, which subtracts a
 * row before it changes and adds it after: a summary after a keystroke costs nothing per row.
 */
import { currencyExponent, parseMinorStrict } from '../../../../shared/formats/money';
import type { Slot } from './slot';

export interface TotalsReader {
  amountCol: number;
  actionCol: number;
  unit: 'major' | 'minor';
  currencyOf(slot: Slot): string;
}

export class SummaryTotals {
  readonly currencies = new Map<string, { minor: bigint; rows: number }>();
  readonly actions = new Map<string, number>();

  constructor(private readonly r: TotalsReader) {}

  static build(r: TotalsReader, rows: readonly Slot[]): SummaryTotals {
    const t = new SummaryTotals(r);
    for (const slot of rows) t.apply(slot, 1);
    return t;
  }

  /** Adds (sign 1) or takes out (sign -1) one row's amount and action. */
  apply(slot: Slot, sign: 1 | -1): void {
    const { amountCol, actionCol } = this.r;
    if (amountCol >= 0) {
      const cur = this.r.currencyOf(slot);
      const minor = parseMinorStrict(slot.cells[amountCol] ?? '', currencyExponent(cur) ?? 2, this.r.unit);
      if (minor > 0) {
        const t = this.currencies.get(cur) ?? { minor: 0n, rows: 0 };
        t.minor += BigInt(sign * minor);
        t.rows += sign;
        if (t.rows === 0) this.currencies.delete(cur);
        else this.currencies.set(cur, t);
      }
    }
    if (actionCol >= 0) {
      const a = (slot.cells[actionCol] ?? '').trim().toLowerCase();
      const n = (this.actions.get(a) ?? 0) + sign;
      if (n === 0) this.actions.delete(a);
      else this.actions.set(a, n);
    }
  }
}
