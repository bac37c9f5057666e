-- Batchdesk schema 1: batches, rows, edit journal, submission attempts, status events, settings, audit log.
-- Timestamps are ISO 8601 UTC text. Money is never stored as a float (rows keep cells as text; amounts
-- are parsed into integer minor units by the profile when needed).

CREATE TABLE batches (
  id          TEXT PRIMARY KEY,                    -- UUID
  name        TEXT NOT NULL,
  profile     TEXT NOT NULL CHECK (profile IN ('wonder', 'epay', 'sibs', 'jpmmps')),
  status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready', 'submitting', 'done')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT                                 -- soft delete, so a delete can be undone
);
CREATE INDEX batches_live ON batches (deleted_at, updated_at);

CREATE TABLE batch_rows (
  id               TEXT PRIMARY KEY,               -- stable row id (UUID), never reused
  batch_id         TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,               -- display order inside the batch
  idempotency_key  TEXT NOT NULL UNIQUE,           -- minted once when the row is created; sent to providers
  cells            TEXT NOT NULL,                  -- JSON array of non-sensitive cell text, profile column order
  sealed           BLOB,                           -- PAN/CVC cells, encrypted with the OS-held key; never cleartext
  status           TEXT NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'queued', 'sending', 'accepted', 'succeeded', 'failed', 'needs_review', 'cancelled')),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (batch_id, position)
);

-- Every change to rows flows through this journal: undo/redo and crash recovery replay it.
CREATE TABLE edit_journal (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id    TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  txn         TEXT NOT NULL,                       -- groups the entries of one user action (one undo step)
  op          TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'move')),
  row_id      TEXT NOT NULL,
  before      TEXT,                                -- JSON (null for insert)
  after       TEXT,                                -- JSON (null for delete)
  at          TEXT NOT NULL,
  undone      INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
);
CREATE INDEX edit_journal_batch ON edit_journal (batch_id, seq);

-- Written (state 'sending', synchronous=FULL) BEFORE any HTTP call; reconciled by querying the
-- provider after a timeout or crash before anything is sent again.
CREATE TABLE submission_attempts (
  id               TEXT PRIMARY KEY,
  batch_id         TEXT NOT NULL REFERENCES batches (id),
  row_id           TEXT REFERENCES batch_rows (id),
  provider         TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  body_sha256      TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'accepted', 'rejected', 'unknown', 'needs_review')),
  http_status      INTEGER,
  provider_ref     TEXT,
  response         TEXT,                           -- JSON, redacted
  started_at       TEXT NOT NULL,
  finished_at      TEXT
);
CREATE INDEX submission_attempts_row ON submission_attempts (row_id, started_at);
CREATE INDEX submission_attempts_open ON submission_attempts (state) WHERE state IN ('sending', 'unknown');

CREATE TABLE status_events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id   TEXT NOT NULL REFERENCES batches (id),
  row_id     TEXT,
  status     TEXT NOT NULL,
  source     TEXT NOT NULL,                        -- 'user', 'submit', 'poll', 'webhook', 'reconcile'
  detail     TEXT,                                 -- JSON
  at         TEXT NOT NULL
);
CREATE INDEX status_events_batch ON status_events (batch_id, seq);

CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,                       -- JSON
  updated_at  TEXT NOT NULL
);

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at         TEXT NOT NULL,
  action     TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  TEXT,
  detail     TEXT NOT NULL DEFAULT '{}'            -- JSON; never a PAN or CVC
);
CREATE INDEX audit_log_at ON audit_log (at);
