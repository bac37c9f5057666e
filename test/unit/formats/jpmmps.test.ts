import { describe, expect, it } from 'vitest';
import { jpmmps } from '../../../shared/formats/profiles/jpmmps';
import { validateRows } from '../../../shared/formats/validate';
import { ctx, rowOf } from './helpers';
import { OK, cases } from './cases/jpmmps';
import { ruleCaseTests } from './cases/run';

describe('jpmmps rules', () => {
  ruleCaseTests(jpmmps, cases);

  it('accepts the documented example (usage ≤ 22) and minimal rows', () => {
    const rows = [
      OK,
      { partnerReference: 'p-2', storedPaymentOptionReference: 'spo-2', presentationAmount: '500', presentationCurrCode: 'JPY' },
      { partnerReference: 'p-3', storedPaymentOptionReference: 'spo-3', presentationAmount: '1.234', presentationCurrCode: 'BHD', localDate: '2024-02-29', localTime: '000000' },
    ].map((r) => rowOf(jpmmps, r));
    expect(validateRows(jpmmps, rows, ctx())).toEqual([]);
  });
});
