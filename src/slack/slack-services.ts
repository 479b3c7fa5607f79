import type { ChatPort } from '../ports.js';
import type { Authorizer } from './authorizer.js';
import type { OutboxStore } from './outbox/outbox-store.js';
import type { SlackNotifier } from './slack-notifier.js';

// The Slack parts every process shares, built once in main.ts (createSlackParts): the Web API client, the
// authorizer (the release job checks Slack people with it too) and the notifier that writes
// cards to the outbox. Any process with SLACK_BOT_TOKEN records cards, a CLI `sync` included;
// the process running `start` sends them.

export interface SlackServices {
  /** null without SLACK_BOT_TOKEN: nothing is posted, nobody from Slack is authorized. */
  chat: ChatPort | null;
  authorizer: Authorizer | null;
  outbox: OutboxStore;
  notifier: SlackNotifier;
}
