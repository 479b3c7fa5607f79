import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import type { Config } from '../config/schema.js';
import type { Store } from '../adapters/store/open-store.js';
import type { ChatPort, Clock } from '../ports.js';
import { Authorizer } from './authorizer.js';
import { OutboxStore } from './outbox/outbox-store.js';
import { SlackNotifier } from './slack-notifier.js';
import { WebChat } from './web-chat.js';

// The Slack parts every process shares, built once in main.ts: the Web API client, the
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

export function createSlackServices(input: {
  config: Config;
  env: Env;
  store: Store;
  log: Logger;
  clock: Clock;
  chat?: ChatPort;
}): SlackServices {
  const { config, env, store, log, clock } = input;
  const chat =
    input.chat ??
    (env.SLACK_BOT_TOKEN
      ? new WebChat({ token: env.SLACK_BOT_TOKEN, ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}), log })
      : null);
  const outbox = new OutboxStore(store.db);
  return {
    chat,
    authorizer: chat ? new Authorizer(config, (group) => chat.usergroupMembers(group), clock) : null,
    outbox,
    notifier: new SlackNotifier({ config, cards: store.syncCards, outbox, log, clock }),
  };
}
