import type { Migration } from '../migrate.js';

// Slack never resends an event it got an ack for, so a command or click is written here before
// the ack and marked done once handled: a process killed in between finds it on restart and
// resumes it (or tells the person it was not carried out). No response_url is kept: answers to a
// resumed request go through chat.postEphemeral. One row per request, pruned after a day.
// Also the record of a release preview's metadata lives in slack_messages (kind release-preview).
export const migration013: Migration = {
  version: 13,
  name: 'slack-requests',
  sql: `
CREATE TABLE slack_requests (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  request      TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'received',
  received_at  TEXT NOT NULL,
  finished_at  TEXT
);
CREATE INDEX slack_requests_unfinished ON slack_requests (id) WHERE state = 'received';
`,
};
