import { afterEach, describe, expect, it } from 'vitest';
import { SqliteSyncRecords } from '../../../src/adapters/store/sync-store.js';
import { silentLogger } from '../../../src/log.js';
import { systemClock } from '../../../src/ports.js';
import { CiWatcher } from '../../../src/pipelines/release-sync/ci-watcher.js';
import { OutboxStore } from '../../../src/slack/outbox/outbox-store.js';
import { SlackNotifier } from '../../../src/slack/slack-notifier.js';
import { runnerFor } from '../../jobs/fixtures/harness.js';
import { FORK, SYNC_TAG, syncConfig, syncPullWorld } from '../../jobs/fixtures/sync-pull.js';

// The CI watcher's answer to a webhook: checkSoon() makes its loop look at once (here the interval
// is an hour, so only the request can explain a pass), including at a PR whose card waits for the
// resolver; a merge it sees goes to the learn job.

const watchers: CiWatcher[] = [];
afterEach(async () => {
  while (watchers.length) await watchers.pop()!.stop();
});

async function world() {
  const w = await syncPullWorld();
  const cards = w.store.syncCards;
  const notifier = new SlackNotifier({
    config: syncConfig,
    cards,
    outbox: new OutboxStore(w.store.db),
    log: silentLogger(),
  });
  const ref = { pipeline: 'litellm', tag: SYNC_TAG };
  await notifier.syncChanged(ref, {
    stage: 'needs-person',
    pr: { number: w.pr.number, url: w.pr.htmlUrl, title: w.pr.title },
  });
  const runner = runnerFor(w.store);
  const watcher = new CiWatcher({
    config: syncConfig,
    github: w.github,
    cards,
    notifier,
    log: silentLogger(),
    queue: runner,
    intervalMs: 3_600_000,
  });
  watchers.push(watcher);
  const prReads = () =>
    w.sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/repos/${FORK}/pulls/${w.pr.number}`).length;
  const until = async <T>(probe: () => T | null | undefined | false, what: string): Promise<T> => {
    for (let i = 0; i < 500; i++) {
      const v = probe();
      if (v) return v;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  return { ...w, cards, ref, runner, watcher, prReads, until, notifierFor: () => notifier };
}

describe('CI watcher, asked by a webhook', () => {
  it('moves a card waiting for the resolver to merged when a person merges on GitHub, and asks for learning once', async () => {
    const w = await world();
    await w.watcher.tick();
    expect(w.prReads()).toBe(0); // waiting for the resolver: not polled
    const { sha } = await w.sandbox.mergePullAs(FORK, w.pr.number, 'carto-dev');

    w.watcher.start();
    w.watcher.checkSoon('litellm', w.pr.number);
    const card = await w.until(
      () => w.cards.get(w.ref)?.snapshot.stage === 'merged' && w.cards.get(w.ref),
      'the card at merged',
    );
    expect(card.snapshot.mergeSha).toBe(sha);
    const [learn, ...more] = await w.runner.list({ kind: 'learn' });
    expect(more).toEqual([]);
    expect(learn).toMatchObject({
      state: 'queued',
      requestedBy: { kind: 'bot', id: 'ci-watcher' },
      data: { pipeline: 'litellm', pr: w.pr.number, mergeSha: sha },
    });

    // A merged card is no longer watched; asking again reads nothing and queues nothing.
    const reads = w.prReads();
    await w.watcher.tick();
    w.watcher.checkSoon('litellm', w.pr.number);
    await w.watcher.tick();
    expect(w.prReads()).toBe(reads);
    expect(await w.runner.list({ kind: 'learn' })).toHaveLength(1);
  });

  it('moves the card to skipped when the sync PR is closed without merging, learning nothing', async () => {
    const w = await world();
    await w.sandbox.closePullAs(FORK, w.pr.number, 'carto-dev');
    w.watcher.checkSoon('litellm', w.pr.number);
    await w.watcher.tick();
    expect(w.cards.get(w.ref)?.snapshot.stage).toBe('skipped');
    expect(await w.runner.list({ kind: 'learn' })).toEqual([]);
  });
});

describe('CI watcher, on its own', () => {
  it('keeps pr.readyLabel on the sync PR exactly while it is ready', async () => {
    const w = await world();
    const head = w.pr.headSha;
    await w.notifierFor().syncChanged(w.ref, { stage: 'pr-open' });
    await w.sandbox.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
    await w.watcher.tick();
    expect(w.cards.get(w.ref)?.snapshot.stage).toBe('ready');
    expect(w.sandbox.pull(FORK, w.pr.number).labels).toContain('sync-ready');

    await w.sandbox.setCheckRun(FORK, head, { name: 'lint', status: 'completed', conclusion: 'failure' });
    await w.watcher.tick();
    expect(w.cards.get(w.ref)?.snapshot.stage).toBe('ci');
    expect(w.sandbox.pull(FORK, w.pr.number).labels).not.toContain('sync-ready');
  });

  it('leaves the card of a PR the bot closed to supersede it to the sync job', async () => {
    const w = await world();
    await w.notifierFor().syncChanged(w.ref, { stage: 'ci' });
    const records = new SqliteSyncRecords(w.store.db, systemClock);
    records.recordBotClosed('litellm', FORK, w.pr.number, SYNC_TAG);
    await w.github.updatePull(FORK, w.pr.number, { state: 'closed' });
    const watcher = new CiWatcher({
      config: syncConfig,
      github: w.github,
      cards: w.cards,
      notifier: w.notifierFor(),
      log: silentLogger(),
      closures: records,
      intervalMs: 3_600_000,
    });
    await watcher.tick();
    expect(w.cards.get(w.ref)?.snapshot.stage).toBe('ci');
    // Without the record, a closed sync PR is a person's decision: skipped.
    await w.watcher.tick();
    expect(w.cards.get(w.ref)?.snapshot.stage).toBe('skipped');
  });
});
