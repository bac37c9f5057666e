/**
 * Sealed card cells as the rows service stores them: batch_rows.sealed = seal(JSON {columnIndex:
 * value}, rowId) with the OS-held key (services/crypto). The outbox opens them only in memory, for the
 * call that needs them, and deletes the CVC once the provider has answered for the row.
 */
import type { Sealer } from '../crypto';
import type { CardCells } from './rowSource';

export function cardCells(sealer: Sealer): CardCells {
  return {
    open(sealed, rowId) {
      const secret = JSON.parse(sealer.openText(sealed, rowId)) as Record<string, string>;
      return new Map(Object.entries(secret).map(([i, v]) => [Number(i), v]));
    },
    withoutCvc(sealed, rowId, cvcColumn) {
      const secret = JSON.parse(sealer.openText(sealed, rowId)) as Record<string, string>;
      if (!(String(cvcColumn) in secret)) return sealed;
      delete secret[String(cvcColumn)];
      return Object.keys(secret).length === 0 ? null : sealer.seal(JSON.stringify(secret), rowId);
    },
  };
}
