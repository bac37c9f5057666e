/**
 * ePay (SPEC §2.2, MitAuthorizationRequest) at every limit, both ways: amount an integer of minor
 * units ≥ 1 within the safe range, currency `^[A-Z]{3}$` or null, instantCapture OFF/VOID/NO_VOID,
 * textOnStatement 1–39 characters, notificationUrl an absolute URL, attributes an object.
 */
import { describe, expect, it } from 'vitest';
import { epay } from '../../../shared/formats/profiles';
import { OK } from './cases/epay';
import { checker } from './rules';

const row = checker(epay, OK);

describe('ePay: the example row is valid', () => {
  it('has no findings, with or without its optional fields', () => {
    expect(row.codes()).toEqual([]);
    expect(row.codes({ currency: '', reference: '', instantCapture: '', textOnStatement: '', attributes: '' })).toEqual([]);
  });
});

describe('ePay: subscriptionId', () => {
  it.each([
    ['01929A94-5FCE-7CCC-A7E4-7E9249133B39', [], undefined],
    ['', ['epay.subscription_id.required'], undefined],
    ['{01929a94-5fce-7ccc-a7e4-7e9249133b39}', ['epay.subscription_id.format'], '01929a94-5fce-7ccc-a7e4-7e9249133b39'],
    ['01929a945fce7ccca7e47e9249133b39', ['epay.subscription_id.format'], '01929a94-5fce-7ccc-a7e4-7e9249133b39'],
    ['01929a945fce7ccca7e47e9249133b3', ['epay.subscription_id.format'], undefined],
    // 33 hex digits: one too many, no dashes can be put in without guessing which digit is extra
    ['001929a945fce7ccca7e47e9249133b39', ['epay.subscription_id.format'], undefined],
    ['01929a945fce7ccca7e47e9249133b390', ['epay.subscription_id.format'], undefined],
    ['{01929a94}', ['epay.subscription_id.format'], undefined],
    ['{01929a94-5fce-7ccc-a7e4-7e9249133b39', ['epay.subscription_id.format'], undefined],
    ['sub-42', ['epay.subscription_id.format'], undefined],
  ])('%j → %j (fix %j)', (subscriptionId, codes, fix) => {
    expect(row.codes({ subscriptionId })).toEqual(codes);
    if (codes.length) expect(row.one(codes[0]!, { subscriptionId }).fix).toBe(fix);
  });
});

describe('ePay: amount, integer minor units', () => {
  it.each([
    ['1', []],
    ['0', ['epay.amount.not_positive']],
    ['-1', ['epay.amount.not_positive']],
    ['9007199254740991', []],
    ['9007199254740992', ['epay.amount.invalid']],
    ['', ['epay.amount.required']],
    ['abc', ['epay.amount.invalid']],
    ['1,095', ['epay.amount.invalid']],
  ])('%j → %j', (amount, codes) => {
    expect(row.codes({ amount })).toEqual(codes);
  });

  it('an amount beyond the safe-integer range is too large, not valid', () => {
    expect(row.one('epay.amount.invalid', { amount: '9007199254740992' }).message).toBe('amount is too large to be processed safely.');
  });

  it('a non-zero fraction is taken as major units and converted with the currency’s exponent', () => {
    const dkk = row.one('epay.amount.decimals', { amount: '10.95' });
    expect(dkk.fix).toBe('1095');
    expect(dkk.message).toBe(
      'amount is in minor units of DKK (1095 = 10.95), so it cannot have decimals. If 10.95 is meant in major units, write 1095: the fix converts it to minor units (× 100). Check the amount before accepting it.',
    );
    expect(row.one('epay.amount.decimals', { amount: '1.5', currency: 'KWD' }).fix).toBe('1500');
    expect(row.one('epay.amount.decimals', { amount: '1.5', currency: 'KWD' }).message).toContain('(× 1000)');
    expect(row.one('epay.amount.decimals', { amount: '10.9', currency: '' }).message).toContain('minor units of the subscription currency');
    expect(row.one('epay.amount.decimals', { amount: '10.9', currency: '' }).fix).toBe('1090'); // batch currency HKD: 2 decimals
    expect(row.one('epay.amount.decimals', { amount: '10.9', currency: '' }, { currency: 'KWD' }).fix).toBe('10900');
    expect(row.one('epay.amount.decimals', { amount: '1.5', currency: 'kwd' }).fix).toBe('1500'); // exponent of the upper-cased code
  });

  it('no conversion offered where major units cannot be meant', () => {
    // JPY has no decimals: 10.5 is not an amount in either unit
    expect(row.one('epay.amount.decimals', { amount: '10.5', currency: 'JPY' }).fix).toBeUndefined();
    // more decimals than the currency has
    expect(row.one('epay.amount.decimals', { amount: '10.955' }).fix).toBeUndefined();
    // zero fraction: the spreadsheet's number format, same value without it
    expect(row.one('epay.amount.decimals', { amount: '1095.00' }).fix).toBe('1095');
    expect(row.one('epay.amount.decimals', { amount: '1095.0' }).fix).toBe('1095');
    // thousands separator or decimals? no fix
    expect(row.one('epay.amount.decimals', { amount: '1.000' }).fix).toBeUndefined();
    expect(row.codes({ amount: '10.' })).toEqual(['epay.amount.invalid']);
  });
});

describe('ePay: currency ^[A-Z]{3}$ or empty', () => {
  it.each([
    ['DKK', [], undefined],
    ['EUR', [], undefined],
    ['', [], undefined],
    ['dkk', ['epay.currency.format'], 'DKK'],
    ['Dkk', ['epay.currency.format'], 'DKK'],
    ['xyz', ['epay.currency.format'], undefined],
    ['DK', ['epay.currency.format'], undefined],
    ['DKKK', ['epay.currency.format'], undefined],
    ['D1K', ['epay.currency.format'], undefined],
    ['XYZ', ['epay.currency.unknown'], undefined],
    ['XXX', ['epay.currency.unknown'], undefined],
  ])('%j → %j (fix %j)', (currency, codes, fix) => {
    expect(row.codes({ currency })).toEqual(codes);
    if (codes.length) expect(row.one(codes[0]!, { currency }).fix).toBe(fix);
  });

  it('says how to write it when only the case is wrong', () => {
    expect(row.one('epay.currency.format', { currency: 'dkk' }).message).toBe("currency must be three capital letters (ISO 4217), e.g. DKK: write DKK. Leave it empty to use the subscription's currency.");
    expect(row.one('epay.currency.format', { currency: 'DK' }).message).toBe("currency must be three capital letters (ISO 4217), e.g. DKK. Leave it empty to use the subscription's currency.");
    expect(row.one('epay.currency.unknown', { currency: 'XYZ' }).message).toBe('currency "XYZ" is not an ISO 4217 currency code; correct it or leave it empty to use the subscription\'s currency.');
  });
});

describe('ePay: the currency that sets the amount hint', () => {
  it('a currency that is no ISO code even upper-cased leaves the batch currency’s decimals', () => {
    // batch currency HKD (2 decimals): 10.95 → 1095; an unknown code must not change that
    for (const currency of ['xyz', 'XYZ']) {
      const i = row.one('epay.amount.decimals', { currency, amount: '10.95' });
      expect(i.fix).toBe('1095');
      expect(i.message).toContain('(× 100)');
    }
  });
});

describe('ePay: instantCapture', () => {
  it.each(['OFF', 'VOID', 'NO_VOID', ''])('%j is accepted', (instantCapture) => {
    expect(row.codes({ instantCapture })).toEqual([]);
  });

  it.each([
    ['off', 'OFF'],
    ['Void', 'VOID'],
    ['no void', 'NO_VOID'],
    ['no-void', 'NO_VOID'],
    ['NO VOID', 'NO_VOID'],
    ['maybe', undefined],
    ['NOVOID', undefined],
  ])('%j is refused (fix %j)', (instantCapture, fix) => {
    const i = row.one('epay.instant_capture.invalid', { instantCapture });
    expect(i.fix).toBe(fix);
    expect(i.message).toBe(fix ? `instantCapture must be written exactly ${fix}.` : 'instantCapture must be OFF (no capture), VOID (capture now, void if capture fails) or NO_VOID (capture now, keep the authorization if capture fails), or empty.');
  });
});

describe('ePay: textOnStatement 1–39 characters', () => {
  it('39 characters are accepted, 40 refused with the text cut to 39 as the fix', () => {
    expect(row.codes({ textOnStatement: 'x'.repeat(39) })).toEqual([]);
    const i = row.one('epay.text_on_statement.length', { textOnStatement: 'x'.repeat(40) });
    expect(i.fix).toBe('x'.repeat(39));
    expect(i.message).toBe('textOnStatement has 40 characters; the maximum is 39. Shorten it (many acquirers show even fewer).');
  });

  it('counts the trimmed text, and the fix does not end with a space', () => {
    expect(row.codes({ textOnStatement: `  ${'x'.repeat(39)}  ` })).toEqual([]);
    expect(row.one('epay.text_on_statement.length', { textOnStatement: `${'a'.repeat(37)}  bbbb` }).fix).toBe('a'.repeat(37));
  });
});

describe('ePay: notificationUrl', () => {
  it.each([
    'https://example.com/epay/notification',
    'HTTPS://EXAMPLE.COM/cb',
    'https://example.com',
    'https://example.com:8443/cb?x=1#f',
    'https://user:pw@example.com/cb',
    'https://[2001:db8::1]/cb',
    'https://[2001:db8::1]:8443/cb',
    'https://my_host.example/cb',
    'https://xn--bcher-kva.example/cb',
    'https://bücher.example/cb',
    'https://a-b.example/cb',
    'https://example.com.',
    'https://10.0.0.1/cb',
  ])('%s is accepted', (notificationUrl) => {
    expect(row.codes({ notificationUrl })).toEqual([]);
  });

  it.each(['http://example.com/cb', 'HTTP://example.com/cb', 'http://[::1]/cb'])('%s is a plain-http warning', (notificationUrl) => {
    expect(row.codes({ notificationUrl })).toEqual(['epay.notification_url.insecure']);
  });

  it.each([
    'ftp://example.com/cb',
    'example.com/cb',
    'https:/example.com',
    'https://',
    'https:///cb',
    'https://?x',
    'https://user@',
    'https://exa mple.com',
    'https://example.com/a b',
    'https://example.com/"x"',
    'https://example.com/<x>',
    'https://example.com\\cb',
    'https://example.com/^',
    'https://example.com/`',
    'https://example.com/{x}',
    'https://example.com/|',
    'https://example.com/\u007f',
    'https://example.com:',
    'https://example.com:84x3/cb',
    'https://:443/cb',
    'https://.example.com',
    'https://-example.com',
    'https://exa..mple.com',
    'https://exa!mple.com',
    'https://exa%20mple.com',
    'https://[2001:db8::1/cb',
    'https://[2001:db8::1]x/cb',
    'https://[2001:db8::1]:x/cb',
    'http://exa mple.com',
    'http://',
  ])('%s is refused', (notificationUrl) => {
    expect(row.codes({ notificationUrl })).toEqual(['epay.notification_url.invalid']);
  });

  it('is required', () => {
    expect(row.codes({ notificationUrl: '' })).toEqual(['epay.notification_url.required']);
  });
});

describe('ePay: attributes, a JSON object', () => {
  it.each([
    ['{}', []],
    ['{"customer":"42","n":[1,2]}', []],
    [' {"a":1} ', []],
    ['[]', ['epay.attributes.not_object']],
    ['null', ['epay.attributes.not_object']],
    ['1', ['epay.attributes.not_object']],
    ['"x"', ['epay.attributes.not_object']],
    ['true', ['epay.attributes.not_object']],
    ['{', ['epay.attributes.invalid_json']],
    ["{'a':1}", ['epay.attributes.invalid_json']],
  ])('%j → %j', (attributes, codes) => {
    expect(row.codes({ attributes })).toEqual(codes);
  });
});

describe('ePay: card numbers in free text', () => {
  it('textOnStatement and attributes may not carry one', () => {
    expect(row.codes({ textOnStatement: 'card 4111111111111111' })).toEqual(['epay.text_on_statement.card_number']);
    expect(row.codes({ attributes: '{"pan":"4111111111111111"}' })).toEqual(['epay.attributes.card_number']);
    expect(row.codes({ textOnStatement: 'order 411111111117' })).toEqual([]);
  });
});

describe('ePay: duplicates', () => {
  it('the same reference is a warning', () => {
    const issues = row.issues([{ amount: '1' }, { amount: '2' }]);
    expect(issues.map((i) => [i.row, i.code])).toEqual([[2, 'epay.reference.duplicate']]);
    expect(issues[0]!.message).toBe('reference is already used on row 1: check that this charge is not entered twice.');
    expect(row.issues([{ reference: '' }, { reference: '', amount: '2' }])).toEqual([]);
  });

  it('the same subscription (any case), amount and currency is a possible duplicate charge', () => {
    const two = (second: Record<string, string>) => row.issues([{ reference: 'a' }, { reference: 'b', ...second }]).map((i) => [i.row, i.code]);
    expect(two({})).toEqual([[2, 'epay.charge.duplicate']]);
    expect(two({ subscriptionId: OK.subscriptionId.toUpperCase() })).toEqual([[2, 'epay.charge.duplicate']]);
    expect(two({ currency: 'dkk' }).map(([, c]) => c)).toEqual(['epay.charge.duplicate', 'epay.currency.format']);
    expect(two({ amount: '1096' })).toEqual([]);
    expect(two({ currency: '' })).toEqual([]);
    expect(two({ subscriptionId: '01929a94-5fce-7ccc-a7e4-7e9249133b40' })).toEqual([]);
    // rows without a subscription are not charges of the same one: only each row's own error
    expect(row.issues([{ reference: 'a', subscriptionId: '' }, { reference: 'b', subscriptionId: '' }]).map((i) => [i.row, i.code])).toEqual([
      [1, 'epay.subscription_id.required'],
      [2, 'epay.subscription_id.required'],
    ]);
    expect(row.issues([{ reference: 'a' }, { reference: 'b' }])[0]!.message).toBe(
      'Possible duplicate charge: same subscription, amount and currency as row 1. Delete one if it was entered twice.',
    );
  });
});
