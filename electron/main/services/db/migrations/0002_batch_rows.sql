-- Batchdesk schema 2: what the batch editor needs beside schema 1's batch_rows and edit_journal.

-- The amount unit and currency are decided once per batch (at import), never per cell.
ALTER TABLE batches ADD COLUMN amount_unit TEXT NOT NULL DEFAULT 'major' CHECK (amount_unit IN ('major', 'minor'));
ALTER TABLE batches ADD COLUMN currency TEXT NOT NULL DEFAULT 'HKD';
-- An import that has not finished: rows at positions >= this are removed again when the batch is
-- next opened (the app was killed mid-import); NULL when no import is running.
ALTER TABLE batches ADD COLUMN importing_from INTEGER;

-- The row's data-row number in the file it was imported from (first row under the header is 1);
-- NULL for rows added in the app.
ALTER TABLE batch_rows ADD COLUMN line INTEGER;

-- A column mapping chosen for a file's headers, reused when the same headers come again.
CREATE TABLE import_mappings (
  profile     TEXT NOT NULL,
  headers     TEXT NOT NULL,                      -- normalised header cells, JSON array
  mapping     TEXT NOT NULL,                      -- JSON {columnKey: fileColumnIndex|null}
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (profile, headers)
);

-- Undo takes the batch's last live step, redo its first undone one; one step is one txn.
CREATE INDEX edit_journal_txn ON edit_journal (batch_id, txn);
CREATE INDEX edit_journal_undone ON edit_journal (batch_id, undone, seq);
