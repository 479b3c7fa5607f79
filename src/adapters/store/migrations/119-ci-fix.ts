import type { Migration } from '../migrate.js';

// The CI fixer's attempts (one per head commit of a sync PR, plus granted ones) and the extra
// attempts people granted. Patches and rationales are kept for `status` and the audit of what
// the LLM proposed; texts are scrubbed like everything else the store writes.
export const migration119: Migration = {
  version: 119,
  name: 'ci-fix',
  sql: `
CREATE TABLE ci_fix_attempts (
  id           INTEGER PRIMARY KEY,
  pipeline     TEXT NOT NULL,
  tag          TEXT NOT NULL,
  repo         TEXT NOT NULL,
  pr           INTEGER NOT NULL,
  head_sha     TEXT NOT NULL,
  n            INTEGER NOT NULL,
  of           INTEGER NOT NULL,
  job_id       INTEGER,
  granted      INTEGER NOT NULL DEFAULT 0,
  outcome      TEXT NOT NULL,
  checks       TEXT NOT NULL,
  patch        TEXT,
  paths        TEXT NOT NULL DEFAULT '[]',
  lines        INTEGER,
  summary      TEXT,
  rationale    TEXT,
  refused      TEXT,
  note         TEXT,
  commit_sha   TEXT,
  started_at   TEXT NOT NULL,
  finished_at  TEXT
);
CREATE UNIQUE INDEX ci_fix_attempts_job ON ci_fix_attempts (job_id);
CREATE INDEX ci_fix_attempts_pr ON ci_fix_attempts (repo, pr, id);
CREATE INDEX ci_fix_attempts_pipeline ON ci_fix_attempts (pipeline, id);

CREATE TABLE ci_fix_grants (
  repo         TEXT NOT NULL,
  pr           INTEGER NOT NULL,
  job_id       INTEGER NOT NULL,
  actor_kind   TEXT NOT NULL,
  actor_id     TEXT NOT NULL,
  at           TEXT NOT NULL,
  used_by      INTEGER,
  PRIMARY KEY (job_id)
);
CREATE INDEX ci_fix_grants_pr ON ci_fix_grants (repo, pr);
`,
};
