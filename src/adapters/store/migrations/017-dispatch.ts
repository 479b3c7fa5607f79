import type { Migration } from '../migrate.js';

// dispatch pipelines: the last source commit each one processed, every delivery made (one row
// per processed commit, subscriber and feature: a rerun for the same commit finds it and delivers
// nothing twice), and the deliveries still failing, which the next run retries and nothing else.
export const migration017: Migration = {
  version: 17,
  name: 'dispatch',
  sql: `
CREATE TABLE dispatch_state (
  pipeline     TEXT PRIMARY KEY,
  last_sha     TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

CREATE TABLE dispatch_deliveries (
  pipeline     TEXT NOT NULL,
  to_sha       TEXT NOT NULL,
  subscriber   TEXT NOT NULL,
  feature      TEXT NOT NULL,
  from_sha     TEXT,
  mode         TEXT NOT NULL,
  result       TEXT NOT NULL,
  pr_number    INTEGER,
  pr_url       TEXT,
  error        TEXT,
  changed      TEXT NOT NULL,
  at           TEXT NOT NULL,
  PRIMARY KEY (pipeline, to_sha, subscriber, feature)
);
CREATE INDEX dispatch_deliveries_recent ON dispatch_deliveries (pipeline, at);

CREATE TABLE dispatch_pending (
  pipeline     TEXT NOT NULL,
  subscriber   TEXT NOT NULL,
  feature      TEXT NOT NULL,
  mode         TEXT NOT NULL,
  changed      TEXT NOT NULL,
  error        TEXT NOT NULL,
  since        TEXT NOT NULL,
  PRIMARY KEY (pipeline, subscriber, feature)
);
`,
};
