import type { Migration } from '../migrate.js';

// Slack's side of the database. A card is one row per sync (pipeline + upstream tag) holding the
// latest snapshot and a version; `sent_version` is what Slack shows. The outbox holds work for
// Slack in order; a card row there means "bring Slack up to the card's version", so twenty
// updates during an outage become one chat.update afterwards. The message ts lives in
// slack_messages (001), written the moment chat.postMessage answers, so a card is posted once.
export const migration004: Migration = {
  version: 4,
  name: 'slack',
  sql: `
CREATE TABLE slack_cards (
  pipeline      TEXT    NOT NULL,
  tag           TEXT    NOT NULL,
  snapshot      TEXT    NOT NULL,
  version       INTEGER NOT NULL,
  sent_version  INTEGER NOT NULL DEFAULT 0,
  updated_at    TEXT    NOT NULL,
  PRIMARY KEY (pipeline, tag)
);
CREATE INDEX slack_cards_recent ON slack_cards (pipeline, updated_at);

CREATE TABLE slack_outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  -- Same key twice = the same message (a resumed job re-sending a thread reply).
  idem_key     TEXT    UNIQUE,
  op           TEXT    NOT NULL CHECK (op IN ('card', 'reply', 'post')),
  pipeline     TEXT    NOT NULL,
  tag          TEXT,
  payload      TEXT    NOT NULL,
  state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at      TEXT    NOT NULL,
  last_error   TEXT,
  created_at   TEXT    NOT NULL,
  finished_at  TEXT
);
CREATE INDEX slack_outbox_pending ON slack_outbox (state, id);

`,
};
