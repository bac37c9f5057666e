/**
 * The export writers' less travelled paths: rows where every cell takes the CSV fast path's
 * exits (each cell neutralised, trimmed or quoted, not just the one that differs), a missing cell
 * inside a full-width row, and NUL characters, which no writer lets into a file. The last block
 * loads the module afresh, so what it builds at load (the JSON string writer, the line check) is
 * measured by the mutation run too.
 */
import { describe, expect, it, vi } from 'vitest';
import Papa from 'papaparse';
import { epayRequestBodies, epayRequestJson, jsonLinesChunks, sibsRequestJson, stripNul, wonderCsvChunks } from '../../../shared/formats/export';
import { epay } from '../../../shared/formats/profiles/epay';
import { sibs } from '../../../shared/formats/profiles/sibs';
import { wonder } from '../../../shared/formats/profiles/wonder';
import { OK as EPAY_OK } from './cases/epay';
import { ctx, rowOf } from './helpers';

const N = wonder.columns.length;
const csv = (rows: readonly (readonly (string | undefined)[])[]) => [...wonderCsvChunks(rows as string[][], { includeFullCardNumbers: true })].join('');
const dataLine = (rows: readonly (readonly (string | undefined)[])[]) => csv(rows).split('\r\n')[1];

describe('CSV: a row whose every cell takes the same exit', () => {
  it.each(['=', '+', '-', '@'])('every cell starting with %j is neutralised', (c) => {
    expect(dataLine([Array.from({ length: N }, (_, i) => `${c}${i}`)])).toBe(Array.from({ length: N }, (_, i) => `'${c}${i}`).join(','));
  });
  it('every cell with spaces around it is trimmed', () => {
    expect(dataLine([Array.from({ length: N }, (_, i) => ` v${i}`)])).toBe(Array.from({ length: N }, (_, i) => `v${i}`).join(','));
    expect(dataLine([Array.from({ length: N }, (_, i) => `v${i}\t`)])).toBe(Array.from({ length: N }, (_, i) => `v${i}`).join(','));
  });
  it('every cell with a comma is quoted, also one whose comma comes first', () => {
    expect(dataLine([Array.from({ length: N }, (_, i) => `a,${i}`)])).toBe(Array.from({ length: N }, (_, i) => `"a,${i}"`).join(','));
    const row = [...rowOf(wonder, { Action: 'payment', 'Reference Number': 'R', Amount: '1.00', 'Token ID': 'tok_1', Remark: ',first' })];
    const text = csv([row]);
    expect(text.split('\r\n')[1]).toBe('payment,R,,,1.00,tok_1,,,,,",first"');
    expect(Papa.parse<string[]>(text, { newline: '\r\n' }).data[1]![10]).toBe(',first');
  });
  it('a missing cell inside a full-width row is written empty', () => {
    const row: (string | undefined)[] = ['payment', 'R', undefined, '', '1.00', 'tok_1', '', '', '', '', 'r'];
    expect(row).toHaveLength(N);
    expect(dataLine([row])).toBe('payment,R,,,1.00,tok_1,,,,,r');
  });
});

describe('no NUL character reaches an export', () => {
  it('stripNul takes every NUL out and leaves other text as it is', () => {
    expect(stripNul('a\u0000b\u0000')).toBe('ab');
    expect(stripNul('\u0000')).toBe('');
    expect(stripNul('plain')).toBe('plain');
  });
  it('CSV: on the fast path and on the quoted path', () => {
    const plain = [...rowOf(wonder, { Action: 'payment', 'Reference Number': 'R', Amount: '1.00', 'Token ID': 'tok_1', Remark: 'caf\u0000e' })];
    const quoted = [...rowOf(wonder, { Action: 'payment', 'Reference Number': 'R', Amount: '1.00', 'Token ID': 'tok_1', Remark: 'a,\u0000b' })];
    const text = csv([plain, quoted]);
    expect(text).not.toContain('\u0000');
    expect(text.split('\r\n').slice(1, 3)).toEqual(['payment,R,,,1.00,tok_1,,,,,cafe', 'payment,R,,,1.00,tok_1,,,,,"a,b"']);
  });
  it('ePay JSON: in a plain field; attributes with a raw NUL are not JSON and are refused', () => {
    const row = rowOf(epay, { ...EPAY_OK, reference: 'ref\u0000-1', attributes: '{"note":"x\\u0000y"}' });
    const json = epayRequestJson(epayRequestBodies([row], ctx())[0]!);
    expect(json).not.toContain('\u0000');
    const t = JSON.parse(json).transactions[0];
    expect(t.reference).toBe('ref-1');
    expect(json).toContain('"attributes": {"note":"x\\u0000y"}'); // kept as written: an escape, not a NUL
    expect(() => epayRequestBodies([rowOf(epay, { ...EPAY_OK, attributes: '{"note":"x\u0000y"}' })], ctx())).toThrow(/attributes is not valid JSON/);
    const plainRow = rowOf(epay, { ...EPAY_OK, reference: 'r\u0000', attributes: '' });
    expect(JSON.parse(epayRequestJson(epayRequestBodies([plainRow], ctx())[0]!)).transactions[0].reference).toBe('r');
  });
  it('SIBS JSON lines: in the merchant transaction ID and the description', () => {
    const row = rowOf(sibs, { merchantTransactionId: 'MIT\u0000-1', amount: '29.90', currency: 'EUR', description: 'Dec\u0000ember', originalTransactionId: 'txCIT1', originalTransactionDatetime: '2026-04-16T10:15:30.000Z' });
    const line = sibsRequestJson(row, 1, ctx(), { terminalId: '1\u00001' });
    expect(line).not.toContain('\u0000');
    const body = JSON.parse(line);
    expect(body.merchant).toMatchObject({ terminalId: '11', merchantTransactionId: 'MIT-1' });
    expect(body.transaction.description).toBe('December');
  });
});

describe('the writers, freshly loaded', () => {
  it('CSV lines and JSON strings come out right from a new copy of the module', async () => {
    vi.resetModules();
    const fresh = await import('../../../shared/formats/export');
    const row = [...rowOf(wonder, { Action: 'payment', 'Reference Number': 'R', Amount: '1.00', 'Token ID': 'tok_1', Remark: 'say "hi"' })];
    expect([...fresh.wonderCsvChunks([row])].join('').split('\r\n')[1]).toBe('payment,R,,,1.00,tok_1,,,,,"say ""hi"""');
    const plain = [...rowOf(wonder, { Action: 'payment', 'Reference Number': 'R', Amount: '1.00', 'Token ID': 'tok_1', Remark: 'two\nlines' })];
    expect([...fresh.wonderCsvChunks([plain])].join('')).toContain(',"two\nlines"\r\n');
    const sibsRow = rowOf(sibs, { merchantTransactionId: 'MIT-1', amount: '29.90', currency: 'EUR', originalTransactionId: 'txCIT1', originalTransactionDatetime: '2026-04-16T10:15:30.000Z' });
    const body = JSON.parse(fresh.sibsRequestJson(sibsRow, 1, ctx(), { terminalId: '111' }));
    expect(body.merchant).toEqual({ terminalId: '111', channel: 'web', merchantTransactionId: 'MIT-1' });
    expect(body.originalTransaction).toEqual({ id: 'txCIT1', datetime: '2026-04-16T10:15:30.000Z' });
    const lines = [...fresh.jsonLinesChunks('sibs', [sibsRow], ctx(), { terminalId: '111' })].join('');
    expect(lines.trim().split('\n').map((l) => JSON.parse(l).merchant.terminalId)).toEqual(['111']);
    expect([...jsonLinesChunks('sibs', [sibsRow], ctx(), { terminalId: '111' })].join('')).toBe(lines);
  });
});
