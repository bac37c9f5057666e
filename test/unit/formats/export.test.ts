import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { assertExportable, csvCell, epayRequestBodies, epayRequestJson, jsonLinesChunks, wonderCsvChunks } from '../../../shared/formats/export';
import { epay, jpmmps, sibs, wonder } from '../../../shared/formats/profiles';
import { validateRows } from '../../../shared/formats/validate';
import type { Issue } from '../../../shared/formats/types';
import { ctx, NOW, rowOf, formatError } from './helpers';
import { OK as EPAY_OK } from './cases/epay';


const W_TOKEN = rowOf(wonder, { Action: 'payment', 'Reference Number': 'INV-1001', Amount: '10.00', 'Token ID': 'tok_abc', Remark: 'May renewal' });
const W_CARD = rowOf(wonder, { Action: 'payment', Amount: '12.00', 'Card Number': '4111111111111111', 'Expiry Month': '05', 'Expiry Year': '27', CVC: '123' });

describe('wonderCsvChunks', () => {
  it('writes the documented header, CRLF rows, and masks card numbers and CVC by default', () => {
    const csv = [...wonderCsvChunks([W_TOKEN, W_CARD], {})].join('');
    expect(csv).toBe(
      'Action,Reference Number,Original Transaction ID,Customer UUID,Amount,Token ID,Card Number,Expiry Month,Expiry Year,CVC,Remark\r\n' +
        'payment,INV-1001,,,10.00,tok_abc,,,,,May renewal\r\n' +
        'payment,,,,12.00,,411111******1111,05,27,,\r\n',
    );
  });

  it('includes full card numbers and CVC only when asked explicitly', () => {
    const csv = [...wonderCsvChunks([W_CARD], { includeFullCardNumbers: true })].join('');
    expect(csv).toContain(',4111111111111111,05,27,123,');
  });

  it('quotes per RFC 4180 and round-trips through a CSV parser', () => {
    const tricky = rowOf(wonder, { Action: 'payment', Amount: '10.00', 'Token ID': 't', Remark: 'a, "quoted"\r\nsecond line' });
    const csv = [...wonderCsvChunks([tricky])].join('');
    expect(csv).toContain('"a, ""quoted""\r\nsecond line"');
    const parsed = Papa.parse<string[]>(csv, { newline: '\r\n' }).data;
    expect(parsed[1]![10]).toBe('a, "quoted"\r\nsecond line');
  });

  it('neutralises formula injection without touching valid amounts', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)']) {
      expect(csvCell(evil).replace(/^"/, '')[0]).toBe("'");
    }
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('=a,b')).toBe(`"'=a,b"`);
    expect(csvCell('10.00')).toBe('10.00');
    expect(csvCell('  7.50 ')).toBe('7.50');
    const row = rowOf(wonder, { Action: 'payment', Amount: '10.00', 'Token ID': 't', Remark: '=cmd|"/c calc"!A1' });
    const line = [...wonderCsvChunks([row])].join('').split('\r\n')[1]!;
    expect(line).toBe(`payment,,,,10.00,t,,,,,"'=cmd|""/c calc""!A1"`);
  });

  it('chunks large batches and keeps every row', () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => rowOf(wonder, { Action: 'payment', 'Reference Number': `R${i}`, Amount: '1.00', 'Token ID': `t${i}` }));
    const chunks = [...wonderCsvChunks(rows, { chunkRows: 4096 })];
    expect(chunks.length).toBe(3);
    expect(chunks.join('').split('\r\n').length).toBe(10_001 + 2);
  });
});

describe('epayRequestBodies', () => {
  const base = { ...EPAY_OK, amount: '100' };

  it('builds the documented CreateMitBatchTransactionRequest with API types', () => {
    const [body] = epayRequestBodies([rowOf(epay, base)], ctx());
    expect(body).toEqual({
      transactions: [
        {
          subscriptionId: '01929a94-5fce-7ccc-a7e4-7e9249133b39',
          amount: 100,
          currency: 'DKK',
          reference: 'subscription-charge-1',
          instantCapture: 'OFF',
          textOnStatement: 'WineBox subscription',
          notificationUrl: 'https://example.com/epay/notification',
          attributes: {},
        },
      ],
    });
  });

  it('empty currency → null, empty optionals omitted, attributes parsed', () => {
    const [body] = epayRequestBodies([rowOf(epay, { ...base, currency: '', reference: '', instantCapture: '', textOnStatement: '', attributes: '{"n":1,"s":"x"}' })], ctx());
    expect(body!.transactions[0]).toEqual({ subscriptionId: base.subscriptionId, amount: 100, currency: null, notificationUrl: base.notificationUrl, attributes: { n: 1, s: 'x' } });
  });

  it('splits into bodies of at most 500 in row order', () => {
    const rows = Array.from({ length: 1201 }, (_, i) => rowOf(epay, { ...base, amount: String(i + 1) }));
    const bodies = epayRequestBodies(rows, ctx());
    expect(bodies.map((b) => b.transactions.length)).toEqual([500, 500, 201]);
    expect(bodies[2]!.transactions[200]!.amount).toBe(1201);
    expect(bodies[1]!.transactions[0]!.amount).toBe(501);
  });

  it('refuses rows that would produce an invalid body', () => {
    expect(formatError(() => epayRequestBodies([rowOf(epay, { ...base, amount: '10.95' })], ctx())).code).toBe('export.invalid_row');
  });

  it('epayRequestJson: laid out like JSON.stringify(body, null, 2) for ordinary attributes', () => {
    const rows = [
      rowOf(epay, base),
      rowOf(epay, { ...base, currency: '', reference: '', attributes: '' }),
      rowOf(epay, { ...base, attributes: '{"customer":"42","n":1}' }),
    ];
    const [body] = epayRequestBodies(rows, ctx());
    const text = epayRequestJson(body!);
    expect(JSON.parse(text)).toEqual(body);
    expect(text.replace('"attributes": {"customer":"42","n":1}', '"attributes": {\n        "customer": "42",\n        "n": 1\n      }')).toBe(JSON.stringify(body, null, 2));
    expect(epayRequestJson({ transactions: [] })).toBe(JSON.stringify({ transactions: [] }, null, 2));
    // objects not made by epayTransaction: plain JSON.stringify layout
    const own = { transactions: [{ subscriptionId: 's', amount: 1, currency: null, notificationUrl: 'u', attributes: { a: 1 } }] };
    expect(epayRequestJson(own)).toBe(JSON.stringify(own, null, 2));
  });

  it('epayRequestJson: the attributes text is exported as written (big integers, duplicate keys, unicode)', () => {
    const attributes = '{ "orderId": 12345678901234567890, "tag": "a", "tag": "b", "note": "caf\\u00e9 €", "nested": {"x": [1, 2.50]} }';
    const [body] = epayRequestBodies([rowOf(epay, { ...base, attributes })], ctx());
    const text = epayRequestJson(body!);
    expect(text).toContain(`"attributes": ${attributes}\n    }`);
    expect(text).toContain('12345678901234567890');
    expect(JSON.stringify(body, null, 2)).not.toContain('12345678901234567890'); // what the old export wrote
    const parsed = JSON.parse(text) as { transactions: { attributes: unknown; amount: number }[] };
    expect(parsed.transactions[0]!.amount).toBe(100);
    expect(typeof parsed.transactions[0]!.attributes).toBe('object');
  });

  it('epayRequestJson: still refuses attributes that are not a JSON object', () => {
    expect(formatError(() => epayRequestBodies([rowOf(epay, { ...base, attributes: '[1,2]' })], ctx())).code).toBe('export.invalid_row');
    expect(formatError(() => epayRequestBodies([rowOf(epay, { ...base, attributes: '{"a":1' })], ctx())).code).toBe('export.invalid_row');
  });
});

describe('jsonLinesChunks', () => {
  it('SIBS: the documented MIT body, amount with two decimals', () => {
    const row = rowOf(sibs, {
      merchantTransactionId: 'CARD-MIT-0002',
      amount: '15',
      currency: 'EUR',
      originalTransactionId: 'txCIT123456789',
      originalTransactionDatetime: '2026-04-16T10:15:30.000Z',
      mitType: 'RCRR',
      amountQualifier: 'ACTUAL',
      validityDate: '2027-04-16',
      scheduleInitialDate: '2026-05-01',
      scheduleFinalDate: '2027-05-01',
      scheduleInterval: 'MONTHLY',
    });
    const text = [...jsonLinesChunks('sibs', [row, row], ctx(), { terminalId: '11111' })].join('');
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]).toContain('"amount":{"value":15.00,"currency":"EUR"}');
    expect(JSON.parse(lines[0]!)).toEqual({
      merchant: { terminalId: '11111', channel: 'web', merchantTransactionId: 'CARD-MIT-0002' },
      transaction: { transactionTimestamp: new Date(NOW).toISOString(), paymentType: 'MIT', paymentMethod: ['CARD'], amount: { value: 15, currency: 'EUR' } },
      originalTransaction: { id: 'txCIT123456789', datetime: '2026-04-16T10:15:30.000Z' },
      merchantInitiatedTransaction: {
        type: 'RCRR',
        amountQualifier: 'ACTUAL',
        validityDate: '2027-04-16T23:59:59.000Z',
        schedule: { initialDate: '2026-05-01T00:00:00.000Z', finalDate: '2027-05-01T23:59:59.000Z', interval: 'MONTHLY' },
      },
    });
  });

  it('SIBS needs a terminalId', () => {
    const row = rowOf(sibs, { merchantTransactionId: 'a', amount: '1', currency: 'EUR', originalTransactionId: 'x', originalTransactionDatetime: '2026-04-16T10:15:30Z' });
    expect(formatError(() => [...jsonLinesChunks('sibs', [row], ctx())]).code).toBe('export.setting_missing');
  });

  it('JPMMPS: the 1.27 Authorize body; JPY whole, EUR two decimals, settings fill account fields', () => {
    const eur = rowOf(jpmmps, { partnerReference: 'p-1', storedPaymentOptionReference: '8ac7', presentationAmount: '3.9', presentationCurrCode: 'EUR', presentationUsage: 'Purchase', localDate: '2018-10-30', localTime: '151506', custom1: 'VIN' });
    const jpy = rowOf(jpmmps, { partnerReference: 'p-2', accno: 'OWN', storedPaymentOptionReference: '8ac8', presentationAmount: '500', presentationCurrCode: 'JPY', useDifferentBillingAddress: 'true' });
    const lines = [...jsonLinesChunks('jpmmps', [eur, jpy], ctx(), { programAccno: '1679541175', accno: 'MERCHANT-DE4321', accnoType: '00' })].join('').trimEnd().split('\n');
    expect(lines[0]).toContain('"presentationAmount":3.90,');
    expect(lines[1]).toContain('"presentationAmount":500,');
    expect(JSON.parse(lines[0]!)).toEqual({
      partnerReference: 'p-1',
      programAccno: '1679541175',
      accno: 'MERCHANT-DE4321',
      accnoType: '00',
      storedPaymentOptionReference: '8ac7',
      presentationAmount: 3.9,
      presentationCurrCode: 'EUR',
      presentationUsage: 'Purchase',
      useDifferentBillingAddress: false,
      localDate: '2018-10-30',
      localTime: '151506',
      custom1: 'VIN',
    });
    const second = JSON.parse(lines[1]!);
    expect(second.accno).toBe('OWN');
    expect(second.useDifferentBillingAddress).toBe(true);
    expect(second.localDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(second.localTime).toMatch(/^\d{6}$/);
  });

  it('refuses other profiles', () => {
    expect(formatError(() => [...jsonLinesChunks('wonder', [], ctx())]).code).toBe('export.unsupported');
  });
});

describe('assertExportable', () => {
  it('passes with warnings only', () => {
    const w: Issue = { row: 1, column: 'Amount', severity: 'warning', code: 'x', message: 'm' };
    expect(() => assertExportable([w])).not.toThrow();
  });

  it('names the first rows/columns with errors and the count', () => {
    const rows = [
      rowOf(wonder, { Action: 'Payment', Amount: '10', 'Token ID': 't' }),
      rowOf(wonder, { Action: 'payment', Amount: '', 'Token ID': 't2' }),
      rowOf(wonder, { Action: 'payment', Amount: '1', 'Token ID': 't3' }),
    ];
    const e = formatError(() => assertExportable(validateRows(wonder, rows, ctx())));
    expect(e.code).toBe('export.has_errors');
    expect(e.message).toContain('2 errors');
    expect(e.message).toContain('row 1 Action');
    expect(e.message).toContain('row 2 Amount');
  });
});
