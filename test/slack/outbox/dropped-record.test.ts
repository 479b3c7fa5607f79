import { pipelinesOfKind } from '../../../src/config/require-pipeline.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { privateStore } from '../../helpers/test-store.js';
import { SqliteDroppedPosts } from '../../../src/adapters/store/dropped-posts.js';
import { AppError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import { OutboxDispatcher } from '../../../src/slack/outbox/outbox-dispatcher.js';
import { OutboxStore } from '../../../src/slack/outbox/outbox-store.js';
import { SlackNotifier } from '../../../src/slack/slack-notifier.js';
import { cardRenderer } from '../../../src/slack/views/sync-card.js';
import { FakeChat } from '../fake-chat.js';
import { OPS_CHANNEL, testConfig } from '../fixtures.js';

// The dispatcher writes down posts Slack refused with not_in_channel (and only those), per channel
// and pipeline with a count and times; a post reaching the channel clears it.

const REF = { pipeline: 'litellm', tag: 'v1.81.12-stable' };
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function setup() {
  let now = Date.parse('2026-03-11T12:00:00Z');
  const clock = { now: () => new Date(now) };
  const store = privateStore({ clock });
  stores.push(store);
  const config = testConfig();
  const outbox = new OutboxStore(store.db);
  const chat = new FakeChat();
  const log = silentLogger();
  const dropped = new SqliteDroppedPosts(store.db);
  const notifier = new SlackNotifier({ config, cards: store.syncCards, outbox, log, clock });
  const dispatcher = new OutboxDispatcher({
    store: outbox,
    cards: store.syncCards,
    messages: store.slackMessages,
    chat,
    log,
    clock,
    dropped,
    renderCard: cardRenderer(pipelinesOfKind(config, 'release-sync')),
  });
  return { chat, notifier, dispatcher, dropped, advance: (ms: number) => (now += ms) };
}

const refused = (error: string) =>
  new AppError('forbidden', `Slack chat.postMessage: ${error}`, {
    details: { method: 'chat.postMessage', channel: OPS_CHANNEL, error },
  });

describe('dropped Slack posts', () => {
  it('counts not_in_channel drops with first and last time, ignores other final errors, clears on a post that works', async () => {
    const w = setup();
    w.chat.failNext('postMessage', refused('not_in_channel'), 2);
    await w.notifier.syncChanged(REF, { stage: 'detected', fromVersion: '1.79.1', toVersion: '1.81.12' });
    await w.dispatcher.drain();
    w.advance(60_000);
    await w.notifier.syncDetail(REF, { kind: 'note', text: 'clean merge' }, { key: 'clean' });
    await w.dispatcher.drain();
    expect(w.dropped.list()).toEqual([
      {
        channel: OPS_CHANNEL,
        pipeline: 'litellm',
        error: 'not_in_channel',
        dropped: 2,
        firstAt: '2026-03-11T12:00:00.000Z',
        lastAt: '2026-03-11T12:01:00.000Z',
        fix: `invite the bot: /invite @upstream-sync in <#${OPS_CHANNEL}>`,
      },
    ]);
    expect(w.dropped.list('other')).toEqual([]);

    // Another final error is not the bot's membership: nothing more is recorded for it.
    w.chat.failNext('postMessage', new AppError('validation', 'Slack chat.postMessage: invalid_blocks'));
    await w.notifier.syncDetail(REF, { kind: 'note', text: 'again' }, { key: 'again' });
    await w.dispatcher.drain();
    expect(w.dropped.list()[0]?.dropped).toBe(2);

    await w.notifier.syncDetail(REF, { kind: 'note', text: 'invited' }, { key: 'invited' });
    await w.dispatcher.drain();
    expect(w.dropped.list()).toEqual([]);
  });
});
