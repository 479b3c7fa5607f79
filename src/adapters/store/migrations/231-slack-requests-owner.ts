import type { Migration } from '../migrate.js';

// Which process received a Slack request. With replicas on one database, a replica that starts
// resumes only the requests of processes that are gone, never those another live replica is
// still handling (presence.ts). Rows from before this column have no owner: resumed as before.
export const migration231: Migration = {
  version: 231,
  name: 'slack-requests-owner',
  sql: `ALTER TABLE slack_requests ADD COLUMN owner TEXT;`,
};
