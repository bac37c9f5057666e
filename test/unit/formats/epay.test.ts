import { describe, expect, it } from 'vitest';
import { epay } from '../../../shared/formats/profiles/epay';
import { validateRows } from '../../../shared/formats/validate';
import { ctx, rowOf } from './helpers';
import { OK, cases } from './cases/epay';
import { ruleCaseTests } from './cases/run';

describe('epay rules', () => {
  ruleCaseTests(epay, cases);

  it('accepts valid rows, including empty optional fields and empty currency', () => {
    const rows = [
      OK,
      { subscriptionId: '01929A94-5FCE-7CCC-A7E4-7E9249133B40', amount: '100', notificationUrl: 'https://shop.example:8443/cb?x=1' },
      { ...OK, reference: 'r-3', currency: '', instantCapture: 'NO_VOID', attributes: '{"a":{"b":[1]}}', textOnStatement: 'x'.repeat(39) },
    ].map((r) => rowOf(epay, r));
    expect(validateRows(epay, rows, ctx())).toEqual([]);
  });

  it('documents the 500-per-request limit', () => {
    expect(epay.limits.maxRowsPerRequest).toBe(500);
  });
});
