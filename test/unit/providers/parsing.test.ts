import { describe, expect, it } from 'vitest';
import { epayStatus, parseEpayBatchResponse } from '../../../electron/main/services/providers/epay/connector';
import { sibsOutcome, sibsStatus } from '../../../electron/main/services/providers/sibs/connector';
import { jpmmpsOutcome, jpmmpsStatus } from '../../../electron/main/services/providers/jpmmps/connector';
import { wonderRowStatus } from '../../../electron/main/services/providers/wonder/connector';
import { parseInquiry } from '../../../electron/main/services/providers/hypercard/inquiry';
import { parseConnection, redactSecrets, withoutSecrets, withSecrets } from '../../../electron/main/services/providers/connection';
import { retryAfterMs } from '../../../electron/main/services/providers/http';
import { backoffMs } from '../../../electron/main/services/outbox/schedule';

describe('provider statuses → ours', () => {
  it('ePay: PENDING accepted, PROCESSING pending, SUCCESS/FAILED final, unknown is not guessed', () => {
    expect(epayStatus('PENDING')).toBe('accepted');
    expect(epayStatus('PROCESSING')).toBe('pending');
    expect(epayStatus('SUCCESS')).toBe('succeeded');
    expect(epayStatus('FAILED')).toBe('failed');
    expect(epayStatus('WHATEVER')).toBeNull();
  });

  it('ePay batch response: entry i answers row i; an error entry fails only its row; a count mismatch is refused', () => {
    const rows = [{ rowId: 'a' }, { rowId: 'b' }, { rowId: 'c' }];
    const out = parseEpayBatchResponse(
      {
        transactions: [
          { transaction: { id: 'T1', state: 'PENDING' }, error: null },
          { transaction: null, error: { errorCode: 'VALIDATION_ERROR', message: 'amount' } },
          { transaction: { id: 'T3', state: 'FAILED', errorCode: 'INSUFFICIENT_FUNDS' }, error: null },
        ],
      },
      rows,
    );
    expect(out).toEqual([
      { rowId: 'a', status: 'accepted', providerRef: 'T1' },
      { rowId: 'b', status: 'failed', reason: 'VALIDATION_ERROR: amount' },
      { rowId: 'c', status: 'failed', providerRef: 'T3', reason: 'INSUFFICIENT_FUNDS' },
    ]);
    expect(parseEpayBatchResponse({ transactions: [{ transaction: { id: 'T1', state: 'PENDING' } }] }, rows)).toBeNull();
  });

  it('SIBS: decides on paymentStatus and returnStatus together ("000" alone is not success)', () => {
    expect(sibsStatus('Success')).toBe('succeeded');
    expect(sibsStatus('InProcessing')).toBe('pending');
    expect(sibsStatus('Timeout')).toBe('failed');
    expect(sibsOutcome('r', { returnStatus: { statusCode: '000' }, transactionID: 'X' })).toMatchObject({ status: 'pending', providerRef: 'X' });
    expect(sibsOutcome('r', { returnStatus: { statusCode: '10.106.0001', statusMsg: 'Declined' } })).toMatchObject({ status: 'failed' });
    expect(sibsOutcome('r', { returnStatus: { statusCode: '000', statusMsg: 'Success' }, paymentStatus: 'Declined', transactionID: 'Y' })).toMatchObject({ status: 'failed', providerRef: 'Y' });
  });

  it('JPMMPS: AUTHORIZED succeeded, DECLINED failed with reason, responseCode ≠ 0000 failed', () => {
    expect(jpmmpsStatus('AUTHORIZED')).toBe('succeeded');
    expect(jpmmpsStatus('AUTORIZATION_INITIALIZED')).toBe('pending');
    expect(jpmmpsOutcome('r', { statusCode: 'DECLINED', statusReason: 'Insufficient funds', uniqueReference: 'U', responseCode: '0000' })).toEqual({ rowId: 'r', status: 'failed', providerRef: 'U', reason: 'DECLINED: Insufficient funds' });
    expect(jpmmpsOutcome('r', { responseCode: '4000', responseDescription: 'bad' })).toMatchObject({ status: 'failed', reason: '4000 bad' });
    expect(jpmmpsOutcome('r', { statusCode: 'NEW_THING', uniqueReference: 'U' })).toMatchObject({ status: 'accepted' });
  });

  it('Wonder row results', () => {
    expect(wonderRowStatus({ success: true, is_pending: false, payment_data: { transaction_state: 'approved' } })).toBe('succeeded');
    expect(wonderRowStatus({ success: false, is_pending: true, payment_data: { transaction_state: 'pending' } })).toBe('pending');
    expect(wonderRowStatus({ success: false, is_pending: false, payment_data: { transaction_state: 'declined' } })).toBe('failed');
  });

  it('HyperCard inquiry: credit/debit as strings or numbers, kept as text; non-00000 is an error', () => {
    const tx = parseInquiry({ code: '00000', msg: 'ok', data: [{ month_year: '012024', bank_tx_list: [{ tx_id: 't', type: 1, status: 1, credit: 0, debit: '12.30', tx_amount: 12.3, tx_currency: 'USD' }] }] });
    expect(tx[0]).toMatchObject({ monthYear: '012024', txId: 't', type: 1, status: 1, credit: '0', debit: '12.30', txAmount: '12.3', txCurrency: 'USD' });
    expect(() => parseInquiry({ code: 'A0004', msg: 'card does not exist' })).toThrow(/A0004/);
  });
});

describe('connections', () => {
  const epay = { provider: 'epay', baseUrl: 'https://payments.epay.eu/', credentials: { apiKey: 'secret-key-1234' } };
  it('parses connection.json shapes and names what is missing in words', () => {
    expect(parseConnection(epay)).toMatchObject({ provider: 'epay', baseUrl: 'https://payments.epay.eu' });
    expect(() => parseConnection({ provider: 'sibs', baseUrl: 'https://x', credentials: { bearerToken: 't', clientId: 'c' } })).toThrow(/terminal id/);
    expect(() => parseConnection({ provider: 'nope', baseUrl: 'https://x', credentials: {} })).toThrow(/provider/);
    expect(() => parseConnection({ provider: 'epay', baseUrl: 'ftp://x', credentials: { apiKey: 'k' } })).toThrow(/base URL/);
    expect(() => parseConnection({ provider: 'wonder', baseUrl: 'https://x', credentials: { appId: 'a', privateKeyPem: 'p', upload: {} } })).toThrow();
    expect(parseConnection({ provider: 'wonder', baseUrl: 'https://x', credentials: { appId: 'a', privateKeyPem: 'p', upload: { fileUrl: 'https://files.example/b.csv' } } }).provider).toBe('wonder');
  });

  it('removes secrets for export and puts them back; messages are redacted', () => {
    const wonder = parseConnection({ provider: 'wonder', baseUrl: 'https://x', credentials: { appId: 'a', privateKeyPem: 'PEM-SECRET', upload: { s3: { region: 'r', bucket: 'b', accessKeyId: 'AK', secretAccessKey: 'S3-SECRET' } } } });
    const { connection, secrets } = withoutSecrets(wonder);
    expect(JSON.stringify(connection)).not.toMatch(/PEM-SECRET|S3-SECRET/);
    expect(secrets).toEqual({ privateKeyPem: 'PEM-SECRET', 'upload.s3.secretAccessKey': 'S3-SECRET' });
    expect(parseConnection(withSecrets(connection, secrets))).toEqual(wonder);
    expect(redactSecrets('401 for key secret-key-1234', parseConnection(epay))).toBe('401 for key [secret]');
  });
});

describe('retry timing', () => {
  it('honours Retry-After (seconds or date) and jitters the backoff within its bounds', () => {
    const h = new Headers({ 'retry-after': '3' });
    expect(retryAfterMs(h)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(Date.now() + 5000).toUTCString() }))).toBeGreaterThan(3000);
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(backoffMs(0, { random: () => 0 })).toBe(250);
    expect(backoffMs(3, { random: () => 1 })).toBe(4000);
    expect(backoffMs(30, { random: () => 1 })).toBe(60_000);
    expect(backoffMs(0, { random: () => 0, retryAfterMs: 7000 })).toBe(7000);
  });
});
