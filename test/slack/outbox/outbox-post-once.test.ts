import { afterEach, describe, expect, it } from 'vitest';
import { pipelinesOfKind } from '../../../src/config/require-pipeline.js';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { storeAt } from '../../helpers/test-store.js';
import { silentLogger } from '../../../src/log.js';
import { startSlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../../src/sandbox/slack/slack-shapes.js';
import { CARD_KIND, OutboxDispatcher } from '../../../src/slack/outbox/outbox-dispatcher.js';
import { OutboxStore } from '../../../src/slack/outbox/outbox-store.js';
import { POST_EVENT_TYPE } from '../../../src/slack/own-post.js';
import { SlackNotifier } from '../../../src/slack/slack-notifier.js';
import { cardRenderer } from '../../../src/slack/views/sync-card.js';
import { WebChat } from '../../../src/slack/web-chat.js';
import { tempDir } from '../../helpers/tmp.js';
import { OPS_CHANNEL, testConfig } from '../fixtures.js';

// Issue 13 item 1, in one process: Slack took a post but its answer never arrived (the stand-in
// holds it past the client's timeout), so nothing recorded the ts. A dispatcher built afresh on
// the same SQLite file, as after a restart, finds the bot's own post by its metadata key and
// adopts it instead of posting a second card or reply. The kill -9 version is in
// test/e2e/slack-post-crash.test.ts.

const REF = { pipeline: 'litellm', tag: 'v1.81.12-stable' };
const PR = { number: 123, url: 'https://github.com/CartoDB/litellm/pull/123', title: 'Sync' };
const open: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (open.length) await open.pop()!();
});

async function world() {
  const slack = await startSlackSandbox();
  open.push(() => slack.close());
  slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops' });
  const dataDir = await tempDir('post-once-');
  const config = testConfig();
  const log = silentLogger();
  let store: Store = storeAt(dataDir);
  open.push(() => store.close());
  /** A fresh dispatcher (and store handle), as a restarted process builds them. */
  const boot = (timeoutMs = 10_000) => {
    store.close();
    store = storeAt(dataDir);
    const outbox = new OutboxStore(store.db);
    const notifier = new SlackNotifier({ config, cards: store.syncCards, outbox, log });
    const chat = new WebChat({ token: slack.botToken, apiUrl: slack.apiUrl, log, timeoutMs });
    const dispatcher = new OutboxDispatcher({
      store: outbox,
      cards: store.syncCards,
      messages: store.slackMessages,
      chat,
      log,
      renderCard: cardRenderer(pipelinesOfKind(config, 'release-sync')),
      backoff: { baseMs: 1, maxMs: 1 },
      random: () => 0,
    });
    return { store, outbox, notifier, dispatcher };
  };
  const drainAll = async (d: OutboxDispatcher) => {
    for (let i = 0; i < 50; i++) {
      const next = await d.drain();
      if (next === null) return;
      await new Promise((r) => setTimeout(r, Math.max(next, 2)));
    }
    throw new Error('the outbox never emptied');
  };
  const topLevel = () => slack.messages(OPS_CHANNEL).filter((m) => !m.threadTs || m.threadTs === m.ts);
  return { slack, boot, drainAll, topLevel };
}

describe('a Slack post whose answer was lost', () => {
  it('card: the restart finds the posted card by its metadata, records it and updates it: one card', async () => {
    const w = await world();
    const first = w.boot(300);
    await first.notifier.syncChanged(REF, { stage: 'detected', fromVersion: '1.79.1', toVersion: '1.81.12' });
    w.slack.faults.holdAnswer('chat.postMessage', 5_000);
    await first.dispatcher.drain();
    expect(w.slack.faults.answersHeld).toEqual(['chat.postMessage']);
    expect(w.topLevel()).toHaveLength(1);
    expect(first.store.slackMessages.get(REF.pipeline, REF.tag, CARD_KIND)).toBeNull();
    const posted = w.topLevel()[0]!;
    expect(posted.metadata).toEqual({ event_type: POST_EVENT_TYPE, event_payload: { key: `card:litellm:${REF.tag}` } });

    const second = w.boot();
    await second.notifier.syncChanged(REF, { stage: 'pr-open', pr: PR });
    await w.drainAll(second.dispatcher);

    expect(w.topLevel()).toHaveLength(1);
    const card = w.topLevel()[0]!;
    expect(card.ts).toBe(posted.ts);
    expect(card.editedTs).toBeDefined();
    expect(visibleText(card.blocks)).toContain('#123');
    expect(second.store.slackMessages.get(REF.pipeline, REF.tag, CARD_KIND)?.ts).toBe(posted.ts);
    const history = w.slack.callsTo('conversations.history');
    expect(history).toHaveLength(1);
    expect(history[0]!.params).toMatchObject({ channel: OPS_CHANNEL, include_all_metadata: 'true' });
    expect(Number(history[0]!.params.oldest)).toBeLessThan(Number(posted.ts));
    // Answered calls only: the first post's answer is still held, and the restart posted no card.
    expect(w.slack.callsTo('chat.postMessage').filter((c) => !c.params.thread_ts)).toHaveLength(0);
    expect(w.slack.callsTo('chat.update')).toHaveLength(1);
    expect(w.slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('thread reply: the restart finds the reply in the thread and does not post it again', async () => {
    const w = await world();
    const first = w.boot(300);
    await first.notifier.syncChanged(REF, { stage: 'pr-open', pr: PR });
    await first.notifier.syncDetail(REF, { kind: 'note', text: 'clean merge' }, { key: 'clean' });
    // The card and the pr-open reply pass; the note's answer is held past the client's timeout.
    w.slack.faults.holdAnswer('chat.postMessage', 5_000, { skip: 2 });
    await first.dispatcher.drain();
    expect(w.slack.faults.answersHeld).toEqual(['chat.postMessage']);
    const card = w.topLevel()[0]!;
    const before = w.slack.threadOf(OPS_CHANNEL, card.ts);
    expect(before.map((m) => visibleText(m.blocks) + m.text).join('\n')).toContain('clean merge');

    const second = w.boot();
    await w.drainAll(second.dispatcher);
    expect(w.topLevel()).toHaveLength(1);
    expect(w.slack.threadOf(OPS_CHANNEL, card.ts)).toHaveLength(before.length);
    const replies = w.slack.callsTo('conversations.replies');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.params).toMatchObject({ channel: OPS_CHANNEL, ts: card.ts, include_all_metadata: 'true' });
    expect(second.outbox.counts()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('a channel post (release card, run card): the restart finds it and records it, no second post', async () => {
    const w = await world();
    const first = w.boot(300);
    first.outbox.enqueue(
      {
        op: 'post',
        pipeline: 'litellm',
        tag: null,
        payload: { channel: OPS_CHANNEL, text: 'Release v1', blocks: [], kind: 'release-card', key: 'v1' },
        idemKey: 'release-card:litellm:v1',
      },
      new Date(),
    );
    w.slack.faults.holdAnswer('chat.postMessage', 5_000);
    await first.dispatcher.drain();
    expect(w.topLevel()).toHaveLength(1);
    expect(first.store.slackMessages.get('litellm', 'v1', 'release-card')).toBeNull();

    const second = w.boot();
    await w.drainAll(second.dispatcher);
    expect(w.topLevel()).toHaveLength(1);
    expect(second.store.slackMessages.get('litellm', 'v1', 'release-card')?.ts).toBe(w.topLevel()[0]!.ts);
  });

  it('a stamped post that never reached Slack is looked for once, then posted once', async () => {
    const w = await world();
    const first = w.boot();
    await first.notifier.syncChanged(REF, { stage: 'detected', fromVersion: '1.79.1', toVersion: '1.81.12' });
    w.slack.faults.serverError('chat.postMessage', { status: 503 });
    await first.dispatcher.drain();
    expect(w.topLevel()).toHaveLength(0);

    const second = w.boot();
    await w.drainAll(second.dispatcher);
    expect(w.topLevel()).toHaveLength(1);
    expect(w.slack.callsTo('conversations.history')).toHaveLength(1);
  });

  it('without the history scope it says so and posts (at least once beats never)', async () => {
    const w = await world();
    const first = w.boot();
    await first.notifier.syncChanged(REF, { stage: 'detected', fromVersion: '1.79.1', toVersion: '1.81.12' });
    w.slack.faults.serverError('chat.postMessage', { status: 503 });
    w.slack.faults.failWith('conversations.history', 'missing_scope');
    await first.dispatcher.drain();
    const second = w.boot();
    await w.drainAll(second.dispatcher);
    expect(w.topLevel()).toHaveLength(1);
    expect(second.store.slackMessages.get(REF.pipeline, REF.tag, CARD_KIND)).not.toBeNull();
  });

  it('a post that went through on the first try costs no lookup', async () => {
    const w = await world();
    const first = w.boot();
    await first.notifier.syncChanged(REF, { stage: 'pr-open', pr: PR });
    await w.drainAll(first.dispatcher);
    expect(w.topLevel()).toHaveLength(1);
    expect(w.slack.callsTo('conversations.history')).toHaveLength(0);
    expect(w.slack.callsTo('conversations.replies')).toHaveLength(0);
    for (const call of w.slack.callsTo('chat.postMessage'))
      expect(JSON.parse(String(call.params.metadata))).toMatchObject({ event_type: POST_EVENT_TYPE });
  });
});
