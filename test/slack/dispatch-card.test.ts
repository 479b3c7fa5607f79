import { afterEach, describe, expect, it } from 'vitest';
import { openMemoryStore, type Store } from '../../src/adapters/store/open-store.js';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { OutboxDispatcher } from '../../src/slack/outbox/outbox-dispatcher.js';
import { OutboxStore } from '../../src/slack/outbox/outbox-store.js';
import { SlackNotifier } from '../../src/slack/slack-notifier.js';
import { dispatchCard } from '../../src/slack/views/dispatch-card.js';
import { cardRenderer } from '../../src/slack/views/sync-card.js';
import { buttonLabels, expectValidMessage } from './block-checks.js';
import { FakeChat } from './fake-chat.js';

// A dispatch run's card: deliveries per subscriber (✓/✗ with links), Retry failed while any failed,
// posted once per processed range however often the run reports it.

const CONFIG = `
pipelines:
  - id: ecosystem
    kind: dispatch
    source: { repo: anomalyco/web-dev-ecosystem, branch: main }
    subscribers: [{ repo: user/a, subscriptions: ['features/a'] }]
    slack: { channel: C0123456789 }
`;
const FROM = 'a'.repeat(40);
const TO = 'b'.repeat(40);
const RESULT = {
  outcome: 'partial',
  from: FROM,
  to: TO,
  deliveries: [
    { subscriber: 'user/a', feature: 'features/a', mode: 'dispatch', result: 'dispatched', pr: null, error: null },
    {
      subscriber: 'user/b',
      feature: 'features/b',
      mode: 'pull-request',
      result: 'pr-created',
      pr: { number: 7, url: 'https://github.example/user/b/pull/7' },
      error: null,
    },
    {
      subscriber: 'user/<!here>',
      feature: 'features/c',
      mode: 'dispatch',
      result: 'failed',
      pr: null,
      error: 'Not Found',
    },
  ],
};

const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

describe('dispatch card', () => {
  it('lists every delivery with its mark, links PRs, escapes names and offers Retry failed', () => {
    const msg = dispatchCard('ecosystem', {
      ...RESULT,
      sourceRepo: 'o/mono',
      sourceUrl: 'https://github.example/o/mono',
    });
    expectValidMessage(msg);
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('✓ `user/a` `features/a`: dispatched');
    expect(text).toContain('<https://github.example/user/b/pull/7|#7>');
    expect(text).toContain('✗');
    expect(text).not.toContain('<!here>');
    expect(text).toContain(`<https://github.example/o/mono/compare/${FROM}...${TO}|aaaaaaa..bbbbbbb>`);
    expect(buttonLabels(msg.blocks)).toEqual(['Retry failed']);
    const ok = dispatchCard('ecosystem', {
      ...RESULT,
      outcome: 'delivered',
      deliveries: RESULT.deliveries.slice(0, 1),
      sourceRepo: 'o/mono',
      sourceUrl: null,
    });
    expect(buttonLabels(ok.blocks)).toEqual([]);
  });

  it('is posted once per processed range in the pipeline channel', async () => {
    const clock = { now: () => new Date('2026-03-11T12:00:00Z') };
    const store = openMemoryStore({ clock });
    stores.push(store);
    const config = parseConfigText(CONFIG);
    const outbox = new OutboxStore(store.db);
    const chat = new FakeChat();
    const log = silentLogger();
    const notifier = new SlackNotifier({ config, cards: store.syncCards, outbox, log, clock });
    const dispatcher = new OutboxDispatcher({
      store: outbox,
      cards: store.syncCards,
      messages: store.slackMessages,
      chat,
      log,
      clock,
      renderCard: cardRenderer([]),
    });
    await notifier.kindRun({ pipeline: 'ecosystem', key: `${FROM}..${TO}`, result: RESULT });
    await notifier.kindRun({ pipeline: 'ecosystem', key: `${FROM}..${TO}`, result: RESULT });
    while ((await dispatcher.drain()) !== null) {
      /* until the outbox is empty */
    }
    expect(chat.posts().map((p) => p.msg.channel)).toEqual(['C0123456789']);
  });
});
