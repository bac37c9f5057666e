/**
 * Realistic Wonder batch rows (cards with expiry or tokens, amounts like 129.90, references, UUIDs,
 * remarks with commas and quotes), in the Wonder profile's column order. Deterministic (seeded).
 */
import { open } from 'node:fs/promises';
import { amount, cardNumber, csvCell, makeGen, remark, uuid, type Gen } from './data';
import { getProfile } from '../shared/formats/profiles';

export async function wonderHeader(): Promise<string[]> {
  return getProfile('wonder').columns.map((c) => c.label);
}

type RowState = { token: boolean; action: string };
type ColGen = (g: Gen, n: number, row: RowState) => string;

const ACTIONS = ['payment', 'payment', 'payment', 'payment', 'payment', 'payment', 'authorize', 'authorize', 'refund', 'cancellation'];

/** Value generator for a Wonder column key; unknown keys (profile grew) stay empty. */
export function generatorFor(key: string): ColGen {
  switch (key) {
    case 'action':
      return (g, n, r) => r.action;
    case 'referenceNumber':
      return (g, n) => `INV-2026-${String(n).padStart(7, '0')}`;
    case 'originalTransactionId':
      return (g, n, r) => (r.action === 'refund' || r.action === 'cancellation' ? uuid(g) : '');
    case 'customerUuid':
      return (g) => (g.random() < 0.8 ? uuid(g) : '');
    case 'amount':
      return (g) => amount(g);
    case 'tokenId':
      return (g, n, r) => (r.token ? `tok_${uuid(g).replace(/-/g, '').slice(0, 24)}` : '');
    case 'cardNumber':
      return (g, n, r) => (r.token ? '' : cardNumber(g));
    case 'expiryMonth':
      return (g, n, r) => (r.token ? '' : String(g.int(1, 12)).padStart(2, '0'));
    case 'expiryYear':
      return (g, n, r) => (r.token ? '' : String(g.int(28, 33)));
    case 'cvc':
      return () => '';
    case 'remark':
      return (g, n) => remark(g, n);
    default:
      return () => '';
  }
}

export async function rowGenerator(seed = 42): Promise<{ header: string[]; next: (n: number) => string[] }> {
  const header = await wonderHeader();
  const gens = getProfile('wonder').columns.map((c) => generatorFor(c.key));
  const g = makeGen(seed);
  return {
    header,
    next(n) {
      const row: RowState = { token: g.random() < 0.3, action: g.pick(ACTIONS) };
      return gens.map((fn) => fn(g, n, row));
    },
  };
}

export async function generateRows(n: number, seed = 42): Promise<string[][]> {
  const { next } = await rowGenerator(seed);
  const rows = new Array<string[]>(n);
  for (let i = 0; i < n; i++) rows[i] = next(i + 1);
  return rows;
}

/** Writes a Wonder CSV of n rows (header + CRLF), streaming. Returns bytes written. */
export async function writeWonderCsv(path: string, n: number, seed = 42): Promise<number> {
  const { header, next } = await rowGenerator(seed);
  const fh = await open(path, 'w');
  let bytes = 0;
  try {
    let buf: string[] = [header.map(csvCell).join(',')];
    for (let i = 1; i <= n; i++) {
      buf.push(next(i).map(csvCell).join(','));
      if (buf.length >= 20000 || i === n) {
        const b = Buffer.from(buf.join('\r\n') + '\r\n', 'utf8');
        await fh.write(b);
        bytes += b.length;
        buf = [];
      }
    }
  } finally {
    await fh.close();
  }
  return bytes;
}
