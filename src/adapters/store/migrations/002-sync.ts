import type { Migration } from '../migrate.js';

// Sync bookkeeping. The skip list keeps its rows after an unskip (unskipped_at set) so that the
// closure of a sync PR is acted on once: a person's "not this one" survives restarts, and their
// later "unskip" is not undone by the same closed PR on the next run.
export const migration002: Migration = {
  version: 2,
  name: 'sync',
  sql: `
CREATE TABLE skipped_releases (
  pipeline      TEXT    NOT NULL,
  tag           TEXT    NOT NULL,
  reason        TEXT    NOT NULL CHECK (reason IN ('person', 'pr-closed')),
  pr_number     INTEGER,
  skipped_by    TEXT,
  note          TEXT,
  skipped_at    TEXT    NOT NULL,
  unskipped_at  TEXT,
  unskipped_by  TEXT,
  PRIMARY KEY (pipeline, tag)
);

-- Sync PRs the bot closed itself (supersede): their closure is not a person's refusal.
CREATE TABLE bot_closed_pulls (
  pipeline   TEXT    NOT NULL,
  repo       TEXT    NOT NULL,
  number     INTEGER NOT NULL,
  tag        TEXT    NOT NULL,
  closed_at  TEXT    NOT NULL,
  PRIMARY KEY (repo, number)
);

CREATE TABLE synced_tags (
  pipeline   TEXT    NOT NULL,
  tag        TEXT    NOT NULL,
  version    TEXT    NOT NULL,
  pr_number  INTEGER,
  merge_sha  TEXT,
  synced_at  TEXT    NOT NULL,
  PRIMARY KEY (pipeline, tag)
);

CREATE TABLE sync_runs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  pipeline         TEXT    NOT NULL,
  job_id           INTEGER,
  dry_run          INTEGER NOT NULL,
  outcome          TEXT    NOT NULL,
  current_version  TEXT,
  latest_tag       TEXT,
  pr_number        INTEGER,
  pr_url           TEXT,
  conflicts        TEXT    NOT NULL DEFAULT '[]',
  skipped          TEXT    NOT NULL DEFAULT '[]',
  error            TEXT,
  requested_by     TEXT    NOT NULL,
  finished_at      TEXT    NOT NULL
);
CREATE INDEX sync_runs_pipeline ON sync_runs (pipeline, id);
-- A resumed job records its run once.
CREATE UNIQUE INDEX sync_runs_job ON sync_runs (job_id) WHERE job_id IS NOT NULL;

CREATE TABLE status_facts (
  pipeline    TEXT PRIMARY KEY,
  facts       TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
`,
};
