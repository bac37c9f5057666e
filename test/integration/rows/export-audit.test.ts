/**
 * What an export leaves in History, through the editor's channel: the batch, the row count, whether
 * card numbers were masked, the first file and how many more (an ePay export writes one request
 * file per 500 rows). A clerk reads this line when asked "which file did we upload?".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../helpers/tmp';
import { epayRows, insertBatch } from '../../helpers/outboxRows';
import { harness, importFile, writeFile, WONDER_HEADER, type Harness } from './helpers';

let open: Harness[] = [];
afterEach(() => {
  for (const h of open) h.close();
  open = [];
  cleanupTempDirs();
});

async function lastExport(h: Harness) {
  const history = await h.call('history.list', {});
  return history.find((e) => e.action === 'batch.export')!;
}

describe('an export in History', () => {
  it('says masked for review, or full card numbers for upload, and names the file', async () => {
    const h = harness();
    open.push(h);
    const file = writeFile(h.dataDir, 'e.csv', [WONDER_HEADER, 'payment,SUB-1,,,49,,4111111111111111,05,30,123,first', 'payment,SUB-2,,,5,tok_aaaaaaaaaaaaaaaaaaaaaaaa,,,,,second'].join('\n'));
    const { batchId } = await importFile(h, file, { name: 'March' });

    const masked = await h.call('batches.export', { batchId });
    const a = await lastExport(h);
    expect(a.detail.text).toBe(`Exported "March" — 2 rows, card numbers masked (for review) to ${masked.files[0]}`);
    expect(a.detail).toMatchObject({ files: 1, rows: 2, masked: true });
    expect(a.entityId).toBe(batchId);

    const full = await h.call('batches.export', { batchId, includeFullCardNumbers: true });
    const b = await lastExport(h);
    expect(b.detail.text).toBe(`Exported "March" — 2 rows, full card numbers (for upload) to ${full.files[0]}`);
    expect(b.detail).toMatchObject({ files: 1, rows: 2, masked: false });
  });

  it('counts the other files of a split export ("and 1 more file", "and 2 more files"); no card columns, no card words', async () => {
    const h = harness();
    open.push(h);
    const two = insertBatch(h.services.db, 'epay', epayRows(501), 'Split in two').batchId;
    const r2 = await h.call('batches.export', { batchId: two });
    expect(r2.files).toHaveLength(2);
    expect((await lastExport(h)).detail.text).toBe(`Exported "Split in two" — 501 rows for upload to ${r2.files[0]} and 1 more file`);

    const three = insertBatch(h.services.db, 'epay', epayRows(1001, { salt: 2 }), 'Split in three').batchId;
    const r3 = await h.call('batches.export', { batchId: three });
    expect(r3.files).toHaveLength(3);
    expect((await lastExport(h)).detail.text).toBe(`Exported "Split in three" — 1,001 rows for upload to ${r3.files[0]} and 2 more files`);
    expect((await lastExport(h)).detail).toMatchObject({ files: 3, rows: 1001 });
  });
});
