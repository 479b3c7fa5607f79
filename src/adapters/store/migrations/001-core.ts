import type { Migration } from '../migrate.js';

// Times are ISO-8601 strings from Date.toISOString(): they sort and compare as text, so lease
// expiry and run_after checks are plain string comparisons in SQL. JSON columns hold scrubbed JSON.
export const migration001: Migration = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE jobs (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  kind          TEXT    NOT NULL,
  pipeline      TEXT,
  dedupe_key    TEXT    NOT NULL,
  locks         TEXT    NOT NULL DEFAULT '[]',
  state         TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  data          TEXT    NOT NULL DEFAULT 'null',
  result        TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  max_attempts  INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  error         TEXT,
  requested_by  TEXT    NOT NULL,
  lease_owner   TEXT,
  lease_until   TEXT,
  run_after     TEXT    NOT NULL,
  created_at    TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL,
  finished_at   TEXT
);
-- One active job per key; finished jobs keep their key so history stays readable.
CREATE UNIQUE INDEX jobs_active_dedupe ON jobs (dedupe_key) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_state_run_after ON jobs (state, run_after);
CREATE INDEX jobs_pipeline ON jobs (pipeline, id);

CREATE TABLE job_steps (
  job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  name         TEXT    NOT NULL,
  result       TEXT,
  finished_at  TEXT    NOT NULL,
  PRIMARY KEY (job_id, name)
);

CREATE TABLE audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  actor_via   TEXT,
  action      TEXT NOT NULL,
  pipeline    TEXT,
  target      TEXT,
  outcome     TEXT NOT NULL CHECK (outcome IN ('allowed', 'refused', 'done', 'failed')),
  details     TEXT
);
CREATE INDEX audit_pipeline ON audit (pipeline, id);

CREATE TABLE slack_messages (
  pipeline    TEXT NOT NULL,
  key         TEXT NOT NULL,
  kind        TEXT NOT NULL,
  channel     TEXT NOT NULL,
  ts          TEXT NOT NULL,
  thread_ts   TEXT,
  state       TEXT,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (pipeline, key, kind)
);

CREATE TABLE webhook_deliveries (
  delivery_id  TEXT PRIMARY KEY,
  event        TEXT NOT NULL,
  received_at  TEXT NOT NULL
);

CREATE TABLE schedule_state (
  pipeline           TEXT PRIMARY KEY,
  last_run_at        TEXT,
  last_scheduled_at  TEXT,
  updated_at         TEXT NOT NULL
);
`,
};
