import type { Migration } from '../migrate.js';

// Posts Slack refused for good because of where they were going (not_in_channel): one row per
// channel and pipeline, counting the drops and saying when the first and last happened, so the CLI
// `status` (another process) and App Home can tell people to invite the bot. A post that reaches
// the channel again deletes its rows.
export const migration012: Migration = {
  version: 12,
  name: 'slack-dropped',
  sql: `
CREATE TABLE slack_dropped (
  channel   TEXT    NOT NULL,
  pipeline  TEXT    NOT NULL,
  error     TEXT    NOT NULL,
  dropped   INTEGER NOT NULL,
  first_at  TEXT    NOT NULL,
  last_at   TEXT    NOT NULL,
  PRIMARY KEY (channel, pipeline)
);
`,
};
