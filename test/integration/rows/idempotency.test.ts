/**
 * A row's idempotency key is minted once, when the row is first stored, and never changes: not by
 * edits, undo/redo (of deletes and inserts too), a card-number change or reopening the batch. Main does not keep the keys in
 * memory (they are read from the store when a change needs them), so this pins that they survive.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../helpers/tmp';
import { harness, importFile, writeFile, WONDER_HEADER } from './helpers';

afterEach(() => cleanupTempDirs());

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('idempotency keys', () => {
  it('are unique v7 UUIDs minted at import and unchanged by edits, undo/redo, inserts and a reopen', async () => {
    const dir = tempDir();
    const h = harness(dir);
    const lines = Array.from({ length: 30 }, (_, i) => `payment,IK-${i},,,${i + 1}.00,,4111111111111111,12,30,,r`);
    const { batchId } = await importFile(h, writeFile(dir, 'k.csv', [WONDER_HEADER, ...lines].join('\n')));
    const keys = () =>
      new Map((h.services.db.prepare('SELECT id, idempotency_key AS k FROM batch_rows WHERE batch_id = ?').all(batchId) as { id: string; k: string }[]).map((r) => [r.id, r.k]));
    const first = keys();
    expect(first.size).toBe(30);
    expect(new Set(first.values()).size).toBe(30);
    for (const [id, k] of first) {
      expect(k).toMatch(V7);
      expect(k).not.toBe(id);
    }
    const w = await h.call('rows.window', { batchId, offset: 0, limit: 30 });
    const a = w.rows[3]!.id;
    const b = w.rows[7]!.id;
    await h.call('rows.edit', { batchId, changes: [{ rowId: a, column: 'remark', value: 'changed' }] });
    await h.call('rows.edit', { batchId, changes: [{ rowId: b, column: 'cardNumber', value: '5555555555554444' }, { rowId: a, column: 'amount', value: '99.00' }] });
    await h.call('rows.undo', { batchId });
    await h.call('rows.redo', { batchId });
    await h.call('rows.insert', { batchId, count: 2 });
    // a deleted row brought back by undo (and its insert replayed by redo, undone again) keeps its key
    await h.call('rows.delete', { batchId, rowIds: [a] });
    expect(keys().has(a)).toBe(false);
    await h.call('rows.undo', { batchId });
    await h.call('rows.undo', { batchId }); // the two inserted rows go
    await h.call('rows.redo', { batchId }); // and come back with the keys they were minted with
    await h.call('rows.redo', { batchId }); // row a deleted again
    await h.call('rows.undo', { batchId }); // and restored
    expect(keys().get(a)).toBe(first.get(a));
    expect(keys().get(b)).toBe(first.get(b));
    const now = keys();
    expect(now.size).toBe(32);
    expect(new Set(now.values()).size).toBe(32);
    for (const [id, k] of first) expect(now.get(id)).toBe(k);
    h.close();

    const h2 = harness(dir);
    await h2.call('rows.edit', { batchId, changes: [{ rowId: a, column: 'remark', value: 'after reopen' }] });
    await h2.call('rows.undo', { batchId });
    const after = new Map((h2.services.db.prepare('SELECT id, idempotency_key AS k FROM batch_rows WHERE batch_id = ?').all(batchId) as { id: string; k: string }[]).map((r) => [r.id, r.k]));
    for (const [id, k] of now) expect(after.get(id)).toBe(k);
    h2.close();
  });
});
