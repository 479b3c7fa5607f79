import type { Migration } from '../migrate.js';

// The conflict resolver's records. Memory is shared by everyone who resolves conflicts for a
// fork (unlike git rerere, which lives in one clone) and keyed by the hunk's normalized texts.
export const migration003: Migration = {
  version: 3,
  name: 'resolver',
  sql: `
CREATE TABLE resolution_memory (
  repo        TEXT    NOT NULL,
  hunk_key    TEXT    NOT NULL,
  shape       TEXT    NOT NULL CHECK (shape IN ('upstream', 'fork', 'upstream+fork', 'fork+upstream', 'text')),
  text        TEXT    NOT NULL,
  source      TEXT    NOT NULL,
  learned_at  TEXT    NOT NULL,
  PRIMARY KEY (repo, hunk_key)
);

CREATE TABLE resolve_decisions (
  repo        TEXT    NOT NULL,
  pr          INTEGER NOT NULL,
  head_sha    TEXT    NOT NULL,
  path        TEXT    NOT NULL,
  hunk        INTEGER NOT NULL,
  hunk_key    TEXT    NOT NULL,
  layer       TEXT    CHECK (layer IN ('rule', 'structure', 'memory', 'llm', 'person')),
  decided_by  TEXT,
  rationale   TEXT    NOT NULL,
  confidence  REAL    NOT NULL,
  text        TEXT,
  PRIMARY KEY (repo, pr, head_sha, path, hunk)
);

CREATE TABLE resolve_attempts (
  repo      TEXT    NOT NULL,
  pr        INTEGER NOT NULL,
  head_sha  TEXT    NOT NULL,
  attempts  INTEGER NOT NULL,
  last_at   TEXT    NOT NULL,
  PRIMARY KEY (repo, pr, head_sha)
);

CREATE TABLE resolve_choices (
  repo        TEXT    NOT NULL,
  pr          INTEGER NOT NULL,
  hunk_id     TEXT    NOT NULL,
  take        TEXT    NOT NULL CHECK (take IN ('upstream', 'fork')),
  chosen_by   TEXT    NOT NULL,
  chosen_at   TEXT    NOT NULL,
  PRIMARY KEY (repo, pr, hunk_id)
);

CREATE TABLE resolve_runs (
  repo            TEXT    NOT NULL,
  pr              INTEGER NOT NULL,
  pipeline        TEXT    NOT NULL,
  head_sha        TEXT    NOT NULL,
  production_sha  TEXT    NOT NULL,
  merge_base      TEXT,
  paths           TEXT    NOT NULL,
  resolved_sha    TEXT,
  at              TEXT    NOT NULL,
  PRIMARY KEY (repo, pr)
);
`,
};
