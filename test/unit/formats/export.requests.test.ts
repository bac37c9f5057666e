/**
 * The request bodies the exporters write: ePay batch bodies (1..500 transactions each, also for a
 * caller asking for more; key order and layout as documented), SIBS and JPMMPS JSON lines (optional
 * parts present exactly when filled, amounts with the currency's decimals, settings fallbacks),
 * and assertExportable's message.
 */
import { describe, expect, it } from 'vitest';
import { assertExportable, epayRequestBodies, epayRequestJson, epayTransaction, jsonLinesChunks, jpmmpsRequestJson, sibsRequestJson } from '../../../shared/formats/export';
import { epay, jpmmps, sibs } from '../../../shared/formats/profiles';
import { EPAY_MAX_PER_REQUEST } from '../../../shared/formats/profiles/epay';
import type { Issue } from '../../../shared/formats/types';
import { OK as EPAY_OK } from './cases/epay';
import { ctx, formatError, NOW, rowOf } from './helpers';

const epayRow = (over: Record<string, string> = {}) => rowOf(epay, { ...EPAY_OK, ...over });
const epayRows = (n: number) => Array.from({ length: n }, (_, i) => epayRow({ amount: String(i + 1) }));
const sizes = (bodies: { transactions: unknown[] }[]) => bodies.map((b) => b.transactions.length);

describe('ePay: at most 500 transactions per request', () => {
  it('the documented maximum is 500', () => {
    expect(EPAY_MAX_PER_REQUEST).toBe(500);
    expect(epay.limits.maxRowsPerRequest).toBe(500);
  });

  it.each([
    [1, [1]],
    [499, [499]],
    [500, [500]],
    [501, [500, 1]],
    [1000, [500, 500]],
    [1001, [500, 500, 1]],
  ])('%i rows → bodies of %j', (n, expected) => {
    expect(sizes(epayRequestBodies(epayRows(n), ctx()))).toEqual(expected);
  });

  it('a caller asking for more than 500 per request still gets 500', () => {
    expect(sizes(epayRequestBodies(epayRows(1001), ctx(), 501))).toEqual([500, 500, 1]);
    expect(sizes(epayRequestBodies(epayRows(1001), ctx(), 10_000))).toEqual([500, 500, 1]);
    expect(sizes(epayRequestBodies(epayRows(501), ctx(), Infinity))).toEqual([500, 1]);
  });

  it('a caller may ask for fewer; below one is one', () => {
    expect(sizes(epayRequestBodies(epayRows(5), ctx(), 2))).toEqual([2, 2, 1]);
    expect(sizes(epayRequestBodies(epayRows(500), ctx(), 499))).toEqual([499, 1]);
    expect(sizes(epayRequestBodies(epayRows(3), ctx(), 1))).toEqual([1, 1, 1]);
    expect(sizes(epayRequestBodies(epayRows(3), ctx(), 0))).toEqual([1, 1, 1]);
    expect(sizes(epayRequestBodies(epayRows(2), ctx(), -1))).toEqual([1, 1]);
  });

  it('keeps row order across bodies and sends no empty body', () => {
    const bodies = epayRequestBodies(epayRows(7), ctx(), 3);
    expect(bodies.map((b) => b.transactions.map((t) => t.amount))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(epayRequestBodies([], ctx())).toEqual([]);
  });

  it('names the row (counted over the whole batch) that cannot be exported', () => {
    const rows = [...epayRows(4), epayRow({ amount: '10.95' })];
    const e = formatError(() => epayRequestBodies(rows, ctx(), 2));
    expect(e.code).toBe('export.invalid_row');
    expect(e.message).toBe('Row 5: amount is not a positive whole number of minor units. Validate the batch and fix its errors before exporting.');
  });
});

describe('ePay: one transaction', () => {
  it('keeps the API reference key order and omits empty optionals', () => {
    const t = epayTransaction(epayRow({ attributes: '{"a":1}' }), 1);
    expect(Object.keys(t)).toEqual(['subscriptionId', 'amount', 'currency', 'reference', 'instantCapture', 'textOnStatement', 'notificationUrl', 'attributes']);
    const bare = epayTransaction(epayRow({ currency: '', reference: '', instantCapture: '', textOnStatement: '', attributes: '' }), 1);
    expect(bare).toEqual({ subscriptionId: EPAY_OK.subscriptionId, amount: 1095, currency: null, notificationUrl: EPAY_OK.notificationUrl });
    expect(Object.keys(bare)).toEqual(['subscriptionId', 'amount', 'currency', 'notificationUrl']);
  });

  it.each(['reference', 'instantCapture', 'textOnStatement'] as const)('%s alone is kept', (key) => {
    const t = epayTransaction(epayRow({ reference: '', instantCapture: '', textOnStatement: '', attributes: '', [key]: EPAY_OK[key] }), 1);
    expect(Object.keys(t)).toEqual(['subscriptionId', 'amount', 'currency', key, 'notificationUrl']);
    expect(t[key]).toBe(EPAY_OK[key]);
  });

  it('takes the cells trimmed', () => {
    const t = epayTransaction(epayRow({ amount: ' 1095 ', currency: ' DKK ', reference: ' r-1 ', notificationUrl: ` ${EPAY_OK.notificationUrl} ` }), 1);
    expect(t).toMatchObject({ amount: 1095, currency: 'DKK', reference: 'r-1', notificationUrl: EPAY_OK.notificationUrl });
  });

  it.each([
    ['1', 1],
    ['9007199254740991', 9007199254740991],
  ])('amount %j → %i', (amount, expected) => {
    expect(epayTransaction(epayRow({ amount }), 1).amount).toBe(expected);
  });

  it.each(['0', '-1', '', '10.95', '1095.00', '9007199254740992', 'abc'])('refuses amount %j', (amount) => {
    const e = formatError(() => epayTransaction(epayRow({ amount }), 3));
    expect(e.code).toBe('export.invalid_row');
    expect(e.message).toMatch(/^Row 3: amount is not a positive whole number of minor units\./);
  });

  it.each([
    ['{"a":1', 'attributes is not valid JSON.'],
    ['[1,2]', 'attributes is not a JSON object.'],
    ['null', 'attributes is not a JSON object.'],
    ['"text"', 'attributes is not a JSON object.'],
    ['42', 'attributes is not a JSON object.'],
  ])('refuses attributes %j', (attributes, why) => {
    expect(formatError(() => epayTransaction(epayRow({ attributes }), 2)).message).toBe(`Row 2: ${why} Validate the batch and fix its errors before exporting.`);
  });
});

describe('ePay: request JSON text', () => {
  it('is the exact JSON.stringify(body, null, 2) layout, with the attributes text verbatim', () => {
    const rows = [epayRow({ attributes: '{"big":12345678901234567890}' }), epayRow({ attributes: '', reference: '' })];
    const [body] = epayRequestBodies(rows, ctx());
    const text = epayRequestJson(body!);
    expect(text).toBe(
      [
        '{',
        '  "transactions": [',
        '    {',
        `      "subscriptionId": "${EPAY_OK.subscriptionId}",`,
        '      "amount": 1095,',
        '      "currency": "DKK",',
        '      "reference": "subscription-charge-1",',
        '      "instantCapture": "OFF",',
        '      "textOnStatement": "WineBox subscription",',
        `      "notificationUrl": "${EPAY_OK.notificationUrl}",`,
        '      "attributes": {"big":12345678901234567890}',
        '    },',
        '    {',
        `      "subscriptionId": "${EPAY_OK.subscriptionId}",`,
        '      "amount": 1095,',
        '      "currency": "DKK",',
        '      "instantCapture": "OFF",',
        '      "textOnStatement": "WineBox subscription",',
        `      "notificationUrl": "${EPAY_OK.notificationUrl}"`,
        '    }',
        '  ]',
        '}',
      ].join('\n'),
    );
  });

  it('an empty body is an empty transactions array', () => {
    expect(epayRequestJson({ transactions: [] })).toBe('{\n  "transactions": []\n}');
  });
});

describe('SIBS JSON lines', () => {
  const base = {
    merchantTransactionId: 'MIT-1',
    amount: '29.9',
    currency: 'EUR',
    originalTransactionId: 'txCIT1',
    originalTransactionDatetime: '2026-04-16T10:15:30.000Z',
  };
  const line = (over: Record<string, string> = {}, settings: Record<string, string> = { terminalId: '111' }) => sibsRequestJson(rowOf(sibs, { ...base, ...over }), 1, ctx(), settings);
  const head = `{"merchant":{"terminalId":"111","channel":"web","merchantTransactionId":"MIT-1"},"transaction":{"transactionTimestamp":"${new Date(NOW).toISOString()}",`;
  const tail = `"paymentType":"MIT","paymentMethod":["CARD"],"amount":{"value":29.90,"currency":"EUR"}},"originalTransaction":{"id":"txCIT1","datetime":"2026-04-16T10:15:30.000Z"}`;

  it('the basic MIT body has no merchantInitiatedTransaction and no empty description', () => {
    expect(line()).toBe(`${head}${tail}}`);
  });

  it('a description and the channel setting are written when given', () => {
    expect(line({ description: 'Box "May"' })).toBe(`${head}"description":"Box \\"May\\"",${tail}}`);
    expect(line({}, { terminalId: '111', channel: 'mobile' })).toContain('"channel":"mobile"');
  });

  it('merchantInitiatedTransaction carries exactly the filled parts; a schedule only when complete', () => {
    expect(line({ mitType: 'UCOF' })).toBe(`${head}${tail},"merchantInitiatedTransaction":{"type":"UCOF"}}`);
    expect(line({ mitType: 'RCRR', amountQualifier: 'ESTIMATED', validityDate: '2027-04-16T12:00:00+01:00', mitDescription: 'Monthly box' })).toBe(
      `${head}${tail},"merchantInitiatedTransaction":{"type":"RCRR","amountQualifier":"ESTIMATED","validityDate":"2027-04-16T12:00:00+01:00","description":"Monthly box"}}`,
    );
    const schedule = { scheduleInitialDate: '2026-05-01', scheduleFinalDate: '2027-05-01', scheduleInterval: 'MONTHLY' };
    expect(line({ mitType: 'RCRR', ...schedule })).toContain('"schedule":{"initialDate":"2026-05-01T00:00:00.000Z","finalDate":"2027-05-01T23:59:59.000Z","interval":"MONTHLY"}');
    for (const drop of Object.keys(schedule)) expect(line({ mitType: 'RCRR', ...schedule, [drop]: '' })).not.toContain('"schedule"');
    expect(line({ ...schedule, mitType: '' })).not.toContain('merchantInitiatedTransaction');
  });

  it('date-only values become date-times; date-times and other text stay as written', () => {
    const mit = (validityDate: string, scheduleInitialDate: string) =>
      JSON.parse(line({ mitType: 'RCRR', validityDate, scheduleInitialDate, scheduleFinalDate: '2027-05-01T08:00:00Z', scheduleInterval: 'MONTHLY' })).merchantInitiatedTransaction;
    expect(mit('2027-04-16', '2026-05-01')).toMatchObject({ validityDate: '2027-04-16T23:59:59.000Z', schedule: { initialDate: '2026-05-01T00:00:00.000Z', finalDate: '2027-05-01T08:00:00Z' } });
    expect(mit('2027/04/16', '2026-05-01T06:00:00Z')).toMatchObject({ validityDate: '2027/04/16', schedule: { initialDate: '2026-05-01T06:00:00Z' } });
    expect(mit('2027-04-1x', '20260501xx')).toMatchObject({ validityDate: '2027-04-1xT23:59:59.000Z', schedule: { initialDate: '20260501xx' } });
  });

  it.each([
    ['EUR', '29.9', '29.90'],
    ['EUR', '0.01', '0.01'],
    ['JPY', '500', '500'],
    ['KWD', '1.5', '1.500'],
    ['CLF', '1.2345', '1.2345'],
  ])('amount in %s: %s → %s', (currency, amount, literal) => {
    expect(line({ currency, amount })).toContain(`"amount":{"value":${literal},"currency":"${currency}"}`);
  });

  it('an unknown currency takes the batch currency’s decimals, else two', () => {
    expect(sibsRequestJson(rowOf(sibs, { ...base, currency: 'XYZ', amount: '500' }), 1, ctx({ currency: 'JPY' }), { terminalId: '1' })).toContain('"value":500,');
    expect(sibsRequestJson(rowOf(sibs, { ...base, currency: 'XYZ', amount: '5' }), 1, ctx({ currency: 'QQQ' }), { terminalId: '1' })).toContain('"value":5.00,');
  });

  it('refuses an amount the currency cannot have, naming row, column and currency', () => {
    expect(formatError(() => line({ currency: 'JPY', amount: '1.5' })).message).toBe('Row 1: amount is not a valid amount for JPY. Validate the batch and fix its errors before exporting.');
    expect(formatError(() => sibsRequestJson(rowOf(sibs, { ...base, currency: '', amount: '0' }), 4, ctx({ currency: 'EUR' }), { terminalId: '1' })).message).toBe(
      'Row 4: amount is not a valid amount for EUR. Validate the batch and fix its errors before exporting.',
    );
  });

  it('needs the terminalId setting', () => {
    const e = formatError(() => line({}, {}));
    expect(e.code).toBe('export.setting_missing');
    expect(e.message).toMatch(/terminalId/);
  });
});

describe('JPMMPS JSON lines', () => {
  const base = { partnerReference: 'p-1', storedPaymentOptionReference: 'spo-1', presentationAmount: '3.99', presentationCurrCode: 'EUR', localDate: '2018-10-30', localTime: '151506' };
  const json = (over: Record<string, string> = {}, settings = {}, c = ctx()) => jpmmpsRequestJson(rowOf(jpmmps, { ...base, ...over }), 1, c, settings);

  it('the bare body: required fields, false for the billing address, no empty optionals', () => {
    expect(json()).toBe(
      '{"partnerReference":"p-1","storedPaymentOptionReference":"spo-1","presentationAmount":3.99,"presentationCurrCode":"EUR","useDifferentBillingAddress":false,"localDate":"2018-10-30","localTime":"151506"}',
    );
  });

  it('row account fields win over the settings; settings fill empty ones; neither → omitted', () => {
    const settings = { programAccno: 'P-SET', accno: 'A-SET', accnoType: '00' };
    expect(JSON.parse(json({}, settings))).toMatchObject(settings);
    expect(JSON.parse(json({ programAccno: 'P-ROW', accno: 'A-ROW', accnoType: '01' }, settings))).toMatchObject({ programAccno: 'P-ROW', accno: 'A-ROW', accnoType: '01' });
    const partial = JSON.parse(json({ accno: 'A-ROW' }, { accnoType: '02' }));
    expect(partial).toMatchObject({ accno: 'A-ROW', accnoType: '02' });
    expect(partial).not.toHaveProperty('programAccno');
    expect(Object.keys(JSON.parse(json({ programAccno: 'P', accno: 'A', accnoType: 'T', presentationUsage: 'U', custom1: 'C' })))).toEqual([
      'partnerReference',
      'programAccno',
      'accno',
      'accnoType',
      'storedPaymentOptionReference',
      'presentationAmount',
      'presentationCurrCode',
      'presentationUsage',
      'useDifferentBillingAddress',
      'localDate',
      'localTime',
      'custom1',
    ]);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['false', false],
    ['', false],
    ['yes', false],
  ])('useDifferentBillingAddress %j → %s', (cell, expected) => {
    expect(JSON.parse(json({ useDifferentBillingAddress: cell })).useDifferentBillingAddress).toBe(expected);
  });

  it('empty localDate/localTime are the export moment in local time, zero-padded', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5).getTime();
    const body = JSON.parse(json({ localDate: '', localTime: '' }, {}, ctx({ now: at })));
    expect(body.localDate).toBe('2026-01-02');
    expect(body.localTime).toBe('030405');
    const late = new Date(2026, 10, 12, 13, 14, 15).getTime();
    expect(JSON.parse(json({ localTime: '' }, {}, ctx({ now: late }))).localTime).toBe('131415');
  });

  it.each([
    ['EUR', '3.9', '3.90'],
    ['JPY', '500', '500'],
    ['BHD', '0.5', '0.500'],
  ])('presentationAmount in %s: %s → %s', (presentationCurrCode, presentationAmount, literal) => {
    expect(json({ presentationCurrCode, presentationAmount })).toContain(`"presentationAmount":${literal},`);
  });

  it('refuses an invalid amount naming the column', () => {
    expect(formatError(() => json({ presentationAmount: '3.999' })).message).toBe('Row 1: presentationAmount is not a valid amount for EUR. Validate the batch and fix its errors before exporting.');
  });
});

describe('jsonLinesChunks', () => {
  const rows = Array.from({ length: 5 }, (_, i) =>
    rowOf(jpmmps, { partnerReference: `p-${i}`, storedPaymentOptionReference: 's', presentationAmount: '1', presentationCurrCode: 'EUR', localDate: '2018-10-30', localTime: '151506' }),
  );

  it('one body per line, cut after chunkRows lines', () => {
    const chunks = [...jsonLinesChunks('jpmmps', rows, ctx(), { chunkRows: 2 })];
    expect(chunks.map((c) => c.split('\n').length - 1)).toEqual([2, 2, 1]);
    expect(chunks.every((c) => c.endsWith('}\n'))).toBe(true);
    expect(chunks.join('').split('\n').slice(0, -1).map((l) => JSON.parse(l).partnerReference)).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4']);
    expect([...jsonLinesChunks('jpmmps', rows.slice(0, 4), ctx(), { chunkRows: 2 })]).toHaveLength(2);
    expect([...jsonLinesChunks('jpmmps', rows, ctx(), { chunkRows: 0 })]).toHaveLength(5);
    expect([...jsonLinesChunks('jpmmps', rows, ctx())]).toHaveLength(1);
  });

  it('names the row in the batch that cannot be exported', () => {
    const bad = [...rows, rowOf(jpmmps, { partnerReference: 'x', storedPaymentOptionReference: 's', presentationAmount: '', presentationCurrCode: 'EUR' })];
    expect(formatError(() => [...jsonLinesChunks('jpmmps', bad, ctx(), { chunkRows: 2 })]).message).toMatch(/^Row 6: /);
  });

  it('an empty batch yields nothing; other profiles are refused by name', () => {
    expect([...jsonLinesChunks('sibs', [], ctx(), { terminalId: '1' })]).toEqual([]);
    const e = formatError(() => [...jsonLinesChunks('epay', rows, ctx())]);
    expect(e.code).toBe('export.unsupported');
    expect(e.message).toBe('JSON lines export is available for sibs and jpmmps, not "epay".');
  });
});

describe('assertExportable', () => {
  const issue = (row: number | null, column: string | null, severity: Issue['severity'] = 'error'): Issue => ({ row, column, severity, code: 'x', message: 'm' });

  it('passes with no issues or warnings only', () => {
    expect(() => assertExportable([])).not.toThrow();
    expect(() => assertExportable([issue(1, 'Amount', 'warning'), issue(null, null, 'warning')])).not.toThrow();
  });

  it('one error: singular, with its row and column', () => {
    const e = formatError(() => assertExportable([issue(3, 'Amount'), issue(4, 'CVC', 'warning')]));
    expect(e.code).toBe('export.has_errors');
    expect(e.message).toBe('Cannot export: 1 error must be fixed first (row 3 Amount). Warnings do not block the export.');
  });

  it('file-level and column-less errors, five named and the rest counted', () => {
    const errors = [issue(null, null), issue(null, 'currency'), issue(2, null), issue(3, 'A'), issue(4, 'B'), issue(5, 'C'), issue(6, 'D')];
    expect(formatError(() => assertExportable(errors)).message).toBe('Cannot export: 7 errors must be fixed first (file, file currency, row 2, row 3 A, row 4 B and 2 more). Warnings do not block the export.');
    expect(formatError(() => assertExportable(errors.slice(0, 5))).message).toBe('Cannot export: 5 errors must be fixed first (file, file currency, row 2, row 3 A, row 4 B). Warnings do not block the export.');
    expect(formatError(() => assertExportable(errors.slice(0, 6))).message).toContain('row 4 B and 1 more)');
  });
});
