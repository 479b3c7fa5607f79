import type { Migration } from '../migrate.js';

// The fork-patch ledger of each sync branch head (entries and guard results as JSON: read whole,
// never queried inside), and the dropped hunks people accepted, per sync (pipeline + tag).
export const migration020: Migration = {
  version: 20,
  name: 'ledger',
  sql: `
CREATE TABLE fork_ledgers (
  pipeline      TEXT NOT NULL,
  tag           TEXT NOT NULL,
  head_sha      TEXT NOT NULL,
  base_sha      TEXT NOT NULL,
  production_sha TEXT NOT NULL,
  upstream_sha  TEXT NOT NULL,
  pr_number     INTEGER,
  built_at      TEXT NOT NULL,
  counts        TEXT NOT NULL,
  entries       TEXT NOT NULL,
  pending_paths TEXT NOT NULL,
  guards        TEXT NOT NULL,
  PRIMARY KEY (pipeline, tag, head_sha)
);
CREATE INDEX fork_ledgers_recent ON fork_ledgers (pipeline, built_at);
CREATE INDEX fork_ledgers_pr ON fork_ledgers (pr_number, built_at);

CREATE TABLE ledger_acceptances (
  pipeline     TEXT NOT NULL,
  tag          TEXT NOT NULL,
  hunk_id      TEXT NOT NULL,
  actor_kind   TEXT NOT NULL,
  actor_id     TEXT NOT NULL,
  at           TEXT NOT NULL,
  PRIMARY KEY (pipeline, tag, hunk_id)
);
`,
};
