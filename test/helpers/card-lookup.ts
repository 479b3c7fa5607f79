import type { Services } from '../../src/main.js';
import type { SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { CARD_KIND } from '../../src/slack/outbox/outbox-dispatcher.js';

/** A pipeline's sync cards in its channel, by tag: the message, its thread and the stored snapshot. */
export function cardLookup(w: { services: Services; slack: SlackSandbox }, pipeline: string, channel: string) {
  const cardTs = (tag: string) => w.services.store.slackMessages.get(pipeline, tag, CARD_KIND)?.ts;
  return {
    cardTs,
    cardOf: (tag: string) => {
      const ts = cardTs(tag);
      return ts ? w.slack.messages(channel).find((m) => m.ts === ts) : undefined;
    },
    thread: (tag: string) => {
      const ts = cardTs(tag);
      return ts ? w.slack.threadOf(channel, ts) : [];
    },
    snapshot: (tag: string) => w.services.store.syncCards.get({ pipeline, tag })?.snapshot ?? null,
  };
}
