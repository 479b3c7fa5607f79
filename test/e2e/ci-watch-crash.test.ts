import { describe, expect, it } from 'vitest';
import { CiWatcher } from '../../src/pipelines/release-sync/ci-watcher.js';
import { FORK } from '../pipelines/release-sync/harness.js';
import { crashWorld, type CrashWorld } from './crash-world.js';

// kill -9 of the CI watcher's process at a named moment of its pass, then a watcher in another
// process: one label, one card state, one CI reply in the thread, one recheck.

function watcher(w: CrashWorld): CiWatcher {
  const s = w.services;
  return new CiWatcher({
    config: s.config,
    github: s.github,
    cards: s.store.syncCards,
    notifier: s.notifier,
    log: s.log,
    queue: s.runner,
    closures: s.syncRecords,
  });
}

/** Thread replies queued for Slack: `what` matches the idempotency key or the text. */
const replies = (w: CrashWorld, what: string) =>
  (
    w.services.store.db.prepare("SELECT idem_key, payload FROM slack_outbox WHERE op = 'reply'").all() as Array<{
      idem_key: string | null;
      payload: string;
    }>
  ).filter((r) => (r.idem_key ?? '').includes(what) || r.payload.includes(what));

describe('kill -9 in the middle of a CI watch pass', () => {
  it('after the ready label was asked for, before the card was updated: one label, card ready, one CI reply', async () => {
    const w = await crashWorld();
    const head = w.sandbox.pull(FORK, w.pr).headSha;
    await w.sandbox.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
    const labels = `/repos/${FORK}/issues/${w.pr}/labels`;
    w.sandbox.faults.inject({ method: 'POST', path: labels, latencyMs: 5000, times: 1 });

    await w.killWatcherWhen(() => w.sandbox.requests.some((r) => r.method === 'POST' && r.path === labels));
    expect(w.card()?.stage).toBe('pr-open');

    const again = watcher(w);
    await again.tick();
    await again.tick();
    expect(w.card()?.stage).toBe('ready');
    expect(w.sandbox.pull(FORK, w.pr).labels.filter((l) => l === 'sync-ready')).toHaveLength(1);
    expect(replies(w, `:ci:${head}:success`)).toHaveLength(1);
    expect(replies(w, 'is ready to merge')).toHaveLength(1);
  });

  it('while it compares production with the sync PR: one recheck after the restart', async () => {
    const w = await crashWorld();
    const head = w.sandbox.pull(FORK, w.pr).headSha;
    await w.sandbox.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
    const production = await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'docs/hotfix.md': 'hotfix\n' },
      message: 'docs: hotfix',
    });
    const compare = `/repos/${FORK}/compare/${production}...${head}`;
    w.sandbox.faults.inject({ method: 'GET', path: compare, latencyMs: 5000, times: 1 });

    await w.killWatcherWhen(() => w.sandbox.requests.some((r) => r.method === 'GET' && r.path === compare));
    expect(await w.services.runner.list({ kind: 'recheck' })).toEqual([]);

    const again = watcher(w);
    await again.tick();
    await again.tick();
    const rechecks = await w.services.runner.list({ kind: 'recheck' });
    expect(rechecks.map((j) => j.data)).toEqual([{ pipeline: 'litellm', productionSha: production }]);
  });
});
