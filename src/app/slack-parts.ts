import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Env } from '../config/env.js';
import { type Clock } from '../ports.js';
import { type Store } from '../adapters/store/open-store.js';
import type { SlackServices } from '../slack/slack-services.js';
import { WebChat, type WebChatOptions } from '../slack/web-chat.js';
import { Authorizer } from '../slack/authorizer.js';
import { OutboxStore } from '../slack/outbox/outbox-store.js';
import { SlackNotifier } from '../slack/slack-notifier.js';

/**
 * The Slack parts every process shares: the Web API client, the authorizer (the release job checks
 * Slack people with it too) and the notifier that writes cards to the outbox. Any process with
 * SLACK_BOT_TOKEN records cards, a CLI `sync` included; the process running `start` sends them.
 */
export function createSlackParts(input: {
  config: Config;
  env: Env;
  store: Store;
  log: Logger;
  clock: Clock;
  onCall: WebChatOptions['onCall'];
}): SlackServices {
  const { config, env, store, log, clock } = input;
  const chat = env.SLACK_BOT_TOKEN
    ? new WebChat({
        token: env.SLACK_BOT_TOKEN,
        ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
        log,
        onCall: input.onCall,
      })
    : null;
  const outbox = new OutboxStore(store.db);
  return {
    chat,
    authorizer: chat ? new Authorizer(config, (group) => chat.usergroupMembers(group), clock) : null,
    outbox,
    notifier: new SlackNotifier({ config, cards: store.syncCards, outbox, log, clock }),
  };
}

// ---- `start`: the long-running parts --------------------------------------------------------
