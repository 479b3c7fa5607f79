import type { Migration } from '../migrate.js';

// The mirror kind's runs and sync reports (issue 16). One row per finished run (dry runs are not
// stored); `state` is how the target stood after the run, and a force reads the newest row: only
// a `diverged` one, with its target head as the lease, can be forced. Numbered after the issue so
// kinds written in parallel do not collide.
export const migration016: Migration = {
  version: 16,
  name: 'mirror',
  sql: `
CREATE TABLE mirror_runs (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  pipeline          TEXT    NOT NULL,
  -- A resumed job records its run once.
  job_id            INTEGER UNIQUE,
  at                TEXT    NOT NULL,
  outcome           TEXT    NOT NULL,
  state             TEXT    NOT NULL,
  source_sha        TEXT,
  target_sha        TEXT,
  target_sha_after  TEXT,
  ahead             INTEGER NOT NULL DEFAULT 0,
  behind            INTEGER NOT NULL DEFAULT 0,
  report            TEXT,
  tags              TEXT    NOT NULL,
  requested_by      TEXT    NOT NULL,
  duration_ms       INTEGER,
  -- A force or rollback: where the head it replaced is kept in the target repository.
  backup_ref        TEXT
);
CREATE INDEX mirror_runs_recent ON mirror_runs (pipeline, id);
`,
};
