/** Refusals of the contract read as clerk words with the field's label, never its internal name. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clerkError, CurrencyCodeSchema, fieldLabel, formatZodError, SettingsPatchSchema } from '../../shared/contract';

const refuse = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input, { error: clerkError });
  if (r.success) throw new Error('expected a refusal');
  return formatZodError(r.error);
};

describe('clerk words for refused input', () => {
  it('labels known fields and spells unknown ones as words', () => {
    expect(fieldLabel(['wonderCurrency'])).toBe('Wonder currency');
    expect(fieldLabel(['sibsTerminalId'])).toBe('Sibs terminal id');
    expect(fieldLabel(['rows', 3, 'merchant_ref'])).toBe('Merchant ref');
    expect(fieldLabel([])).toBe('The input');
  });

  it('no message carries a field name, a path or zod wording', () => {
    const messages = [
      refuse(SettingsPatchSchema, { wonderAmountUnit: 'cents' }),
      refuse(SettingsPatchSchema, { wonderCurrency: 5 }),
      refuse(SettingsPatchSchema, { somethingElse: true }),
      refuse(z.object({ merchantRef: z.string().max(3) }), { merchantRef: 'abcd' }),
      refuse(z.object({ items: z.array(z.string()).min(1) }), { items: [] }),
    ];
    expect(messages).toEqual([
      'Wonder amount unit must be one of: major, minor.',
      'Wonder currency must be text.',
      'The request has a field this version of Batchdesk does not know; update the app or reload the window.',
      'Merchant ref can be at most 3 characters.',
      'Items needs at least 1 entry.',
    ]);
    for (const m of messages) expect(m).not.toMatch(/wonderAmountUnit|wonderCurrency|somethingElse|merchantRef|Invalid|expected|^[\w.]+:\s/);
  });

  it('currency codes: the ISO 4217 list, both ways', () => {
    for (const ok of ['HKD', 'EUR', 'JPY', 'KWD', 'CLF']) expect(CurrencyCodeSchema.safeParse(ok).success).toBe(true);
    expect(refuse(CurrencyCodeSchema, 'XYZ')).toBe('"XYZ" is not an ISO 4217 currency code. Enter the three-letter code of the currency, e.g. HKD, EUR or USD.');
    expect(refuse(CurrencyCodeSchema, 'hkd')).toBe('A currency is three capital letters (ISO 4217), e.g. HKD.');
    expect(refuse(CurrencyCodeSchema, 'HKDX')).toBe('A currency is three capital letters (ISO 4217), e.g. HKD.');
  });
});
