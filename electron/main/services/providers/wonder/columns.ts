/** Column positions of the Wonder profile, by key (from the profile, so they cannot drift). */
import { wonder } from '../../../../../shared/formats/profiles/wonder';

const at = (key: string) => wonder.columns.findIndex((c) => c.key === key);

export const WONDER_COLUMNS_INDEX = {
  referenceNumber: at('referenceNumber'),
  cardNumber: at('cardNumber'),
  cvc: at('cvc'),
} as const;
