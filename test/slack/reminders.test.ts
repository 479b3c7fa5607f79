import { afterEach, describe, expect, it } from 'vitest';
import { openMemoryStore, type Store } from '../../src/adapters/store/open-store.js';
import { pipelinesOfKind } from '../../src/config/require-pipeline.js';
import { addWorkingDays } from '../../src/core/reminders/working-days.js';
import { silentLogger } from '../../src/log.js';
import { OutboxDispatcher } from '../../src/slack/outbox/outbox-dispatcher.js';
import { OutboxStore } from '../../src/slack/outbox/outbox-store.js';
import { remindWaiting } from '../../src/slack/reminders.js';
import { SlackNotifier } from '../../src/slack/slack-notifier.js';
import { cardRenderer } from '../../src/slack/views/sync-card.js';
import { FakeChat } from './fake-chat.js';
import { ALICE, CONFIG_YAML, OPS_GROUP, testConfig } from './fixtures.js';

// Issue 11 item 12: a sync PR waiting for a person (needs-person, ready) longer than
// slack.reminders.afterWorkingDays (default 2) gets one reminder a day in its thread, mentioning
// who may act; none on weekends, none before the wait is over.

const REF = { pipeline: 'litellm', tag: 'v1.81.12-stable' };
const PR = { number: 123, url: 'https://github.com/CartoDB/litellm/pull/123', title: 'Sync' };
const HOUR = 3600_000;
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function setup(yaml = CONFIG_YAML) {
  // Wednesday noon, UTC.
  let now = Date.parse('2026-03-11T12:00:00Z');
  const clock = { now: () => new Date(now) };
  const store = openMemoryStore({ clock });
  stores.push(store);
  const config = testConfig(yaml);
  const outbox = new OutboxStore(store.db);
  const chat = new FakeChat();
  const log = silentLogger();
  const cards = store.syncCards;
  const notifier = new SlackNotifier({ config, cards, outbox, log, clock });
  const dispatcher = new OutboxDispatcher({
    store: outbox,
    cards,
    messages: store.slackMessages,
    chat,
    log,
    clock,
    renderCard: cardRenderer(pipelinesOfKind(config, 'release-sync')),
    random: () => 0.5,
  });
  const remind = async () => {
    const sent = await remindWaiting({ config, cards, notifier, clock, log });
    await dispatcher.drain();
    return sent;
  };
  const reminders = () => chat.posts().filter((p) => p.msg.text.startsWith('⏰'));
  return { notifier, dispatcher, remind, reminders, advance: (ms: number) => (now += ms) };
}

describe('reminders (issue 11 item 12)', () => {
  it('counts working days only', () => {
    expect(addWorkingDays(new Date('2026-03-11T12:00:00Z'), 2).toISOString()).toBe('2026-03-13T12:00:00.000Z');
    // Friday evening + 2 working days = Tuesday evening.
    expect(addWorkingDays(new Date('2026-03-13T18:00:00Z'), 2).toISOString()).toBe('2026-03-17T18:00:00.000Z');
    expect(addWorkingDays(new Date('2026-03-14T10:00:00Z'), 1).toISOString()).toBe('2026-03-17T00:00:00.000Z');
  });

  it('a ready PR: one reminder after two working days mentioning the approvers, at most one a day, none at the weekend', async () => {
    const w = setup();
    await w.notifier.syncChanged(REF, { stage: 'ready', pr: PR });
    await w.dispatcher.drain();

    w.advance(47 * HOUR); // Friday 11:00: not two working days yet
    expect(await w.remind()).toEqual([]);
    w.advance(2 * HOUR); // Friday 13:00
    expect(await w.remind()).toEqual([{ ...REF, stage: 'ready' }]);
    expect(w.reminders()).toHaveLength(1);
    const text = JSON.stringify(w.reminders()[0]!.msg.blocks);
    expect(text).toContain(`<@${ALICE}>`);
    expect(text).toContain(`<!subteam^${OPS_GROUP}>`);
    expect(text).toContain('Approve &amp; merge');
    expect(w.reminders()[0]!.msg.threadTs).toBeDefined();

    w.advance(3 * HOUR); // the same day again
    await w.remind();
    expect(w.reminders()).toHaveLength(1);
    w.advance(24 * HOUR); // Saturday
    await w.remind();
    w.advance(24 * HOUR); // Sunday
    await w.remind();
    expect(w.reminders()).toHaveLength(1);
    w.advance(24 * HOUR); // Monday
    await w.remind();
    await w.remind();
    expect(w.reminders()).toHaveLength(2);
  });

  it('needs-person mentions who may resolve (Slack ids only); a stage change restarts the wait', async () => {
    const w = setup();
    await w.notifier.syncChanged(REF, { stage: 'needs-person', pr: PR });
    w.advance(49 * HOUR);
    await w.remind();
    expect(w.reminders()).toHaveLength(1);
    const text = JSON.stringify(w.reminders()[0]!.msg.blocks);
    expect(text).toContain(`<@${ALICE}>`);
    expect(text).not.toContain('mateo-di');

    // Resolved and now ready: the wait for an approver starts from here.
    await w.notifier.syncChanged(REF, { stage: 'ready' });
    w.advance(24 * HOUR); // Monday (Friday 13:00 + 3 days): only one working day in ready
    w.advance(48 * HOUR);
    expect(await w.remind()).toEqual([]);
  });

  it('can be turned off', async () => {
    const w = setup(`${CONFIG_YAML}slack:\n  reminders: { enabled: false }\n`);
    await w.notifier.syncChanged(REF, { stage: 'ready', pr: PR });
    w.advance(10 * 24 * HOUR);
    expect(await w.remind()).toEqual([]);
  });
});
