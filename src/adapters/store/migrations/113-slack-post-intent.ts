import type { Migration } from '../migrate.js';

// A Slack post has no idempotency key: killed after Slack took a chat.postMessage and before its
// ts was written, a restart would post again. So an outbox row is stamped `sending_at` (the
// first attempt's time) before any post leaves; a row found with the stamp may already be in
// Slack, and the dispatcher looks for it (message metadata carries the row's key) before posting.
// The row stays `pending` until done: "sending" is pending with the stamp set. (113: issue 13's
// second migration, numbered clear of the per-issue numbers others use.)
export const migration113: Migration = {
  version: 113,
  name: 'slack-post-intent',
  sql: `ALTER TABLE slack_outbox ADD COLUMN sending_at TEXT;`,
};
