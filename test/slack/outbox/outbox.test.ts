import { pipelinesOfKind } from '../../../src/config/require-pipeline.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { privateStore } from '../../helpers/test-store.js';
import { AppError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import type { JobRecord } from '../../../src/ports/jobs.js';
import { CARD_KIND, OutboxDispatcher } from '../../../src/slack/outbox/outbox-dispatcher.js';
import { OutboxStore } from '../../../src/slack/outbox/outbox-store.js';
import { SlackNotifier } from '../../../src/slack/slack-notifier.js';
import { cardRenderer } from '../../../src/slack/views/sync-card.js';
import { buttonLabels } from '../block-checks.js';
import { FakeChat } from '../fake-chat.js';
import { CONFIG_YAML, OPS_CHANNEL, testConfig } from '../fixtures.js';

const REF = { pipeline: 'litellm', tag: 'v1.81.12-stable' };
const PR = { number: 123, url: 'https://github.com/CartoDB/litellm/pull/123', title: 'Sync' };
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function setup(yaml = CONFIG_YAML) {
  let now = Date.parse('2026-03-11T12:00:00Z');
  const clock = { now: () => new Date(now) };
  const store = privateStore({ clock });
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
  return { store, outbox, cards, chat, notifier, dispatcher, advance: (ms: number) => (now += ms) };
}

function job(patch: Partial<JobRecord>): JobRecord {
  return {
    id: 9,
    kind: 'sync',
    pipeline: 'litellm',
    dedupeKey: 'sync:litellm',
    locks: [],
    state: 'failed',
    data: {},
    result: null,
    attempts: 5,
    maxAttempts: 5,
    error: {
      code: 'git_failed',
      message: 'push failed for https://x-access-token:ghp_abcdefghijklmnopqrstuvwxyz0123@github.com',
    },
    requestedBy: { kind: 'cron', id: 'litellm' },
    leaseOwner: null,
    leaseUntil: null,
    runAfter: '',
    createdAt: '',
    updatedAt: '',
    finishedAt: null,
    ...patch,
  };
}

describe('Slack outbox and notifier', () => {
  it('posts one card per sync, then updates it in place, with thread replies', async () => {
    const { chat, notifier, dispatcher, store } = setup();
    await notifier.syncChanged(REF, { stage: 'detected', fromVersion: '1.79.1', toVersion: '1.81.12' });
    await dispatcher.drain();
    await notifier.syncChanged(REF, { stage: 'pr-open', pr: PR });
    await notifier.syncDetail(REF, { kind: 'note', text: 'clean merge' }, { key: 'clean' });
    await dispatcher.drain();
    const posts = chat.posts();
    expect(posts.filter((p) => !p.msg.threadTs)).toHaveLength(1);
    expect(chat.updates()).toHaveLength(1);
    expect(JSON.stringify(chat.updates()[0]!.msg.blocks)).toContain('PR open');
    const card = store.slackMessages.get('litellm', REF.tag, CARD_KIND)!;
    expect(card.state).toBe('pr-open');
    const replies = posts.filter((p) => p.msg.threadTs === card.ts);
    expect(replies.map((r) => r.msg.text)).toEqual([expect.stringContaining('is open'), 'clean merge']);
  });

  it('broadcasts only the configured stages', async () => {
    const { chat, notifier, dispatcher } = setup();
    await notifier.syncChanged(REF, { stage: 'pr-open', pr: PR });
    await notifier.syncChanged(REF, {
      stage: 'ready',
      ci: { state: 'success', total: 1, failing: [], pending: [] },
      mergeable: true,
    });
    await dispatcher.drain();
    const replies = chat.posts().filter((p) => p.msg.threadTs);
    expect(replies.map((r) => [r.msg.text.slice(0, 2), r.msg.broadcast])).toEqual([
      ['📬', false],
      ['🟢', true],
    ]);
  });

  it('posts nothing for a silent sync or a silent pipeline, but keeps the card for status', async () => {
    const { chat, notifier, dispatcher, cards } = setup(
      CONFIG_YAML.replace(`slack: { channel: ${OPS_CHANNEL} }`, `slack: { channel: ${OPS_CHANNEL}, silent: true }`),
    );
    await notifier.syncChanged(REF, { stage: 'pr-open', pr: PR });
    await notifier.syncChanged({ pipeline: 'other', tag: 'v2.0.0' }, { stage: 'detected', silent: true });
    await notifier.syncDetail(REF, { kind: 'note', text: 'x' }, { key: 'x' });
    await dispatcher.drain();
    expect(chat.calls).toEqual([]);
    expect(cards.get(REF)?.snapshot.stage).toBe('pr-open');
  });

  it('survives a Slack outage: retries, coalesces updates, and still posts one card', async () => {
    const { chat, notifier, dispatcher, outbox, advance } = setup();
    chat.failNext('*', new AppError('unavailable', 'HTTP 503'), 3);
    await notifier.syncChanged(REF, { stage: 'detected' });
    expect(await dispatcher.drain()).toBeGreaterThan(0);
    await notifier.syncChanged(REF, { stage: 'mirror-updated' });
    await notifier.syncChanged(REF, { stage: 'pr-open', pr: PR });
    // Not due yet: nothing is sent however often the loop runs.
    await dispatcher.drain();
    expect(chat.calls).toEqual([]);
    for (let i = 0; i < 4; i++) {
      advance(60_000);
      await dispatcher.drain();
    }
    const top = chat.posts().filter((p) => !p.msg.threadTs);
    expect(top).toHaveLength(1);
    expect(JSON.stringify(top[0]!.msg.blocks)).toContain('PR open');
    expect(chat.updates()).toHaveLength(0);
    expect(outbox.counts()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('sends a change saved while the card was being posted', async () => {
    const { chat, notifier, dispatcher } = setup();
    chat.during = async () => {
      chat.during = null;
      await notifier.syncChanged(REF, { stage: 'mirror-updated' });
    };
    await notifier.syncChanged(REF, { stage: 'detected' });
    await dispatcher.drain();
    await dispatcher.drain();
    expect(JSON.stringify(chat.updates().at(-1)?.msg.blocks)).toContain('Mirror updated');
  });

  it('honours Retry-After for every call', async () => {
    const { chat, notifier, dispatcher, advance } = setup();
    chat.failNext('postMessage', new AppError('rate_limited', 'ratelimited', { retryAfterMs: 30_000 }));
    await notifier.syncChanged(REF, { stage: 'detected' });
    await notifier.syncChanged({ pipeline: 'other', tag: 'v2' }, { stage: 'detected' });
    const wait = await dispatcher.drain();
    expect(wait).toBeGreaterThanOrEqual(29_000);
    expect(chat.calls).toEqual([]);
    advance(20_000);
    await dispatcher.drain();
    expect(chat.calls).toEqual([]);
    advance(20_000);
    await dispatcher.drain();
    expect(chat.posts()).toHaveLength(2);
  });

  it('drops a message Slack refuses for good and goes on with the rest', async () => {
    const { chat, notifier, dispatcher, outbox } = setup();
    chat.failNext('postMessage', new AppError('validation', 'invalid_blocks'));
    await notifier.syncChanged({ pipeline: 'other', tag: 'v2' }, { stage: 'detected' });
    await notifier.syncChanged(REF, { stage: 'detected' });
    await dispatcher.drain();
    expect(outbox.counts()).toMatchObject({ dead: 1, pending: 0 });
    expect(chat.posts()).toHaveLength(1);
  });

  it('posts a thread reply once per key, even when a resumed job sends it again', async () => {
    const { chat, notifier, dispatcher } = setup();
    await notifier.syncChanged(REF, { stage: 'resolving', pr: PR });
    const files = [
      { path: 'a.py', kind: 'content' as const, decision: 'upstream' as const, by: 'rule' as const, reason: null },
    ];
    await notifier.syncDetail(REF, { kind: 'conflicts', files }, { key: 'conflicts:1' });
    await notifier.syncDetail(REF, { kind: 'conflicts', files }, { key: 'conflicts:1' });
    await dispatcher.drain();
    expect(chat.posts().filter((p) => p.msg.text.startsWith('Conflicts'))).toHaveLength(1);
  });

  it('posts the card again when someone deleted it', async () => {
    const { chat, notifier, dispatcher, store } = setup();
    await notifier.syncChanged(REF, { stage: 'detected' });
    await dispatcher.drain();
    const first = store.slackMessages.get('litellm', REF.tag, CARD_KIND)!.ts;
    chat.failNext('updateMessage', new AppError('not_found', 'message_not_found'));
    await notifier.syncChanged(REF, { stage: 'mirror-updated' });
    await dispatcher.drain();
    expect(store.slackMessages.get('litellm', REF.tag, CARD_KIND)!.ts).not.toBe(first);
  });

  it('fails the sync in flight when its job fails, and resumes it on retry', async () => {
    const { chat, notifier, dispatcher, cards } = setup();
    await notifier.syncChanged(REF, { stage: 'pr-open', pr: PR, jobId: 9 });
    notifier.jobChanged(job({}));
    await dispatcher.drain();
    const failed = cards.get(REF)!.snapshot;
    expect(failed).toMatchObject({ stage: 'failed', failedStage: 'pr-open', jobId: 9 });
    expect(failed.error?.message).not.toContain('ghp_');
    const card = chat.updates().at(-1) ?? chat.posts()[0]!;
    expect(buttonLabels(card.msg.blocks)).toContain('Retry');
    notifier.jobChanged(job({ state: 'queued' }));
    expect(cards.get(REF)!.snapshot).toMatchObject({ stage: 'pr-open', error: null });
  });

  it('posts a failure with Retry when a sync fails before it has a card', async () => {
    const { chat, notifier, dispatcher } = setup();
    notifier.jobChanged(job({ id: 11, error: { code: 'unavailable', message: 'GitHub answered 503' } }));
    notifier.jobChanged(job({ id: 12, data: { pipeline: 'litellm', silent: true } }));
    await dispatcher.drain();
    expect(chat.posts()).toHaveLength(1);
    const msg = chat.posts()[0]!.msg;
    expect(msg.channel).toBe(OPS_CHANNEL);
    expect(JSON.stringify(msg.blocks)).toContain('GitHub answered 503');
    expect(buttonLabels(msg.blocks)).toEqual(['Retry']);
  });

  it('fails only the card of the PR a resolve job was about', async () => {
    const { notifier, cards } = setup();
    await notifier.syncChanged(REF, { stage: 'ci', pr: PR });
    await notifier.syncChanged(
      { pipeline: 'litellm', tag: 'v1.82.0-stable' },
      { stage: 'needs-person', pr: { ...PR, number: 124 } },
    );
    notifier.jobChanged(
      job({ id: 13, kind: 'resolve', data: { pipeline: 'litellm', repo: 'CartoDB/litellm', pr: 123 } }),
    );
    expect(cards.get(REF)!.snapshot.stage).toBe('failed');
    expect(cards.get({ pipeline: 'litellm', tag: 'v1.82.0-stable' })!.snapshot.stage).toBe('needs-person');
  });

  it('posts the release card and moves the merged sync to released', async () => {
    const { chat, notifier, dispatcher, cards } = setup();
    await notifier.syncChanged(REF, { stage: 'merged', pr: PR, mergeSha: 'a'.repeat(40) });
    const card = {
      tag: 'v1.81.12-carto.1.2.0',
      url: 'https://github.com/CartoDB/litellm/releases/tag/v1.81.12-carto.1.2.0',
      kind: 'upstream-sync' as const,
      typeLabel: 'Upstream Sync',
      emoji: '🔄',
      color: '#1E88E5',
      version: '1.2.0',
      upstream: '1.81.12',
      previousTag: null,
      highlights: ['<!channel> fix'],
      commitCount: 3,
      author: null,
      images: [],
    };
    await notifier.releasePublished({ pipeline: 'litellm', card });
    await notifier.releasePublished({ pipeline: 'litellm', card });
    await dispatcher.drain();
    expect(chat.posts().filter((p) => p.msg.text.includes('release v1.81.12-carto.1.2.0'))).toHaveLength(1);
    expect(cards.get(REF)!.snapshot.stage).toBe('released');
  });
});
