-- Batchdesk schema 3: the outbox. A submitted batch, its units (one HTTP submission each: an ePay
-- request of ≤ 500 rows, one SIBS/JPMMPS row, one Wonder file) and each row's way to a final status.
-- outbox_batches' primary key is the claim that refuses a second submission of the same batch.

CREATE TABLE outbox_batches (
  batch_id        TEXT PRIMARY KEY REFERENCES batches (id),
  provider        TEXT NOT NULL,
  connection      TEXT NOT NULL,                   -- JSON, secrets removed
  connection_id   TEXT,                            -- stored connection whose secrets are used; NULL = sandbox / given per run
  sandbox         INTEGER NOT NULL DEFAULT 0 CHECK (sandbox IN (0, 1)),
  state           TEXT NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'final')),
  owner           TEXT,                            -- process currently driving it (uuid), with pid/host and a lease
  owner_pid       INTEGER,
  owner_host      TEXT,
  lease_until     INTEGER NOT NULL DEFAULT 0,      -- epoch ms
  note            TEXT,                            -- why it waits (offline, paused, credentials refused)
  summary         TEXT NOT NULL,                   -- JSON: the confirmation shown before submitting
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  final_at        TEXT
);

CREATE TABLE outbox_units (
  id                TEXT PRIMARY KEY,
  batch_id          TEXT NOT NULL REFERENCES batches (id),
  seq               INTEGER NOT NULL,
  idempotency_key   TEXT NOT NULL UNIQUE,          -- minted once; the same on every retry and replay
  method            TEXT,
  path              TEXT,
  body              TEXT,                          -- exact request text when it holds no card data
  body_sha256       TEXT,
  meta              TEXT NOT NULL DEFAULT '{}',    -- JSON, provider facts (Wonder object key, batch id)
  state             TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'unknown', 'answered', 'cancelled', 'needs_review')),
  tries             INTEGER NOT NULL DEFAULT 0,
  next_at           INTEGER NOT NULL DEFAULT 0,    -- epoch ms: not before (backoff, Retry-After)
  first_attempt_at  INTEGER,
  finished          INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1)),
  UNIQUE (batch_id, seq)
);
CREATE INDEX outbox_units_due ON outbox_units (batch_id, state, next_at);

CREATE TABLE outbox_rows (
  row_id          TEXT PRIMARY KEY REFERENCES batch_rows (id),
  batch_id        TEXT NOT NULL REFERENCES batches (id),
  unit_id         TEXT NOT NULL REFERENCES outbox_units (id),
  position        INTEGER NOT NULL,
  amount_minor    INTEGER NOT NULL,
  currency        TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'accepted', 'pending', 'succeeded', 'failed', 'needs_review', 'cancelled')),
  provider_ref    TEXT,
  reason          TEXT,
  next_poll_at    INTEGER NOT NULL DEFAULT 0,
  polls           INTEGER NOT NULL DEFAULT 0,
  updated_at      TEXT NOT NULL
);
CREATE INDEX outbox_rows_batch ON outbox_rows (batch_id, status, position);
CREATE INDEX outbox_rows_unit ON outbox_rows (unit_id);

ALTER TABLE submission_attempts ADD COLUMN unit_id TEXT REFERENCES outbox_units (id);
CREATE INDEX submission_attempts_unit ON submission_attempts (unit_id, started_at);

-- Provider connections (base URL, non-secret credentials). Secrets are never stored here: they are
-- sealed with the OS-held key in connection-secrets.json beside the database.
CREATE TABLE connections (
  id          TEXT PRIMARY KEY,
  provider    TEXT NOT NULL CHECK (provider IN ('wonder', 'epay', 'sibs', 'jpmmps', 'hypercard')),
  name        TEXT NOT NULL,
  connection  TEXT NOT NULL,                       -- JSON {provider, baseUrl, credentials} without secrets
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (provider, name)
);
