import { describe, expect, it } from 'vitest';
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import type { RecheckedPull } from '../../src/pipelines/release-sync/recheck-job.js';
import type { JobRecord } from '../../src/ports/jobs.js';
import { registerSyncWebhooks } from '../../src/web/sync-webhooks.js';
import type { WebhookHandler } from '../../src/web/github-webhooks.js';
import { silentLogger } from '../../src/log.js';
import { FORK } from '../pipelines/release-sync/harness.js';
import { slackWorld, type SlackWorld } from './slack-world.js';

// Production moves while the sync PR is open, with polling only (the bot as `start` runs it, no
// webhook secret): the CI watcher notices and runs the same recheck job the push webhook would,
// once per production commit, whichever of them sees it first.

async function ready(w: SlackWorld): Promise<number> {
  const s = await w.syncToPr();
  const head = w.github.pull(FORK, s.pr.number).headSha;
  await w.github.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
  await w.until(() => w.snapshot()?.stage === 'ready', 'the card at ready');
  return s.pr.number;
}

const rechecks = async (w: SlackWorld): Promise<JobRecord[]> => w.services.runner.list({ kind: 'recheck' });

async function finishedRecheck(w: SlackWorld, sha: string): Promise<RecheckedPull[]> {
  for (let i = 0; i < 1500; i += 1) {
    const job = (await rechecks(w)).find((j) => (j.data as { productionSha: string }).productionSha === sha);
    if (job?.state === 'succeeded') return (job.result as { pulls: RecheckedPull[] }).pulls;
    if (job?.state === 'failed') throw new Error(`recheck failed: ${job.error?.message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for the recheck of ${sha}`);
}

/** The push webhook's handler, on the bot's own queue (as `start` mounts it when a secret is set). */
function pushWebhook(w: SlackWorld): (sha: string) => Promise<void> {
  const handlers = new Map<string, WebhookHandler>();
  registerSyncWebhooks(
    { on: (name, handler) => void handlers.set(name, handler) },
    {
      config: w.config,
      queue: w.services.runner,
      nudge: () => w.bot.ciWatcher.checkSoon('litellm'),
      log: silentLogger(),
    },
  );
  return (sha) =>
    handlers.get('push')!({
      id: `delivery-${sha}`,
      name: 'push',
      payload: { ref: 'refs/heads/carto/main', after: sha, repository: { full_name: FORK } },
    } as unknown as EmitterWebhookEvent);
}

describe('drift re-check without webhooks', () => {
  it('polling only: production moves under a ready sync PR → merged into the branch, one comment, the card says so', async () => {
    const w = await slackWorld();
    const pr = await ready(w);
    const before = w.github.pull(FORK, pr).headSha;
    const production = await w.github.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'docs/hotfix.md': 'carto hotfix\n' },
      message: 'docs: hotfix note',
    });

    expect(await finishedRecheck(w, production)).toEqual([{ pr, mergeable: true, action: 'updated' }]);
    const after = w.github.pull(FORK, pr).headSha;
    expect(after).not.toBe(before);
    expect((await w.services.github.compare(FORK, production, after)).behindBy).toBe(0);
    expect((await w.services.github.compare(FORK, before, after)).behindBy).toBe(0); // a fast-forward
    await w.until(() => w.thread().some((t) => t.includes('merged into the sync branch')), 'the note in the thread');
    expect(w.snapshot()?.stage).not.toBe('ready'); // the new head has not been tested yet

    // More polls, and then the webhook arriving late for the same commit: nothing is redone.
    const deliver = pushWebhook(w);
    await deliver(production);
    await w.bot.ciWatcher.tick();
    expect(await rechecks(w)).toHaveLength(1);
    const moved = w.github.comments(FORK, pr).filter((c) => c.body.includes('`carto/main` moved'));
    expect(moved).toHaveLength(1);
    expect(moved[0]!.body).toContain(production.slice(0, 12));
    expect(w.thread().filter((t) => t.includes('merged into the sync branch'))).toHaveLength(1);
  });

  it('polling only: a commit that conflicts → ready label off, one conflicts comment, the resolver, the card asks a person naming the path', async () => {
    const w = await slackWorld();
    const pr = await ready(w);
    const production = await w.github.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'litellm/new.py': 'n = 2  # carto\n' },
      message: 'fix: carto variant of new.py',
    });
    expect(await finishedRecheck(w, production)).toEqual([{ pr, mergeable: false, action: 'resolve' }]);
    expect(w.github.comments(FORK, pr).filter((c) => c.body.includes('Conflicts detected'))).toHaveLength(1);
    expect(await w.services.runner.list({ kind: 'resolve' })).toHaveLength(1);
    // No rule or LLM decides an add/add of new.py: the card asks a person, naming the path.
    await w.until(() => w.snapshot()?.stage === 'needs-person', 'the card at needs-person', 30_000);
    await w.until(() => w.thread().some((t) => t.includes('litellm/new.py')), 'the conflicting path in the thread');
    await w.bot.ciWatcher.tick();
    expect(await rechecks(w)).toHaveLength(1);
  });

  it('webhooks on as well: the push webhook and the poll see the same commit → one recheck', async () => {
    const w = await slackWorld();
    const pr = await ready(w);
    const deliver = pushWebhook(w);
    const production = await w.github.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'docs/hotfix.md': 'carto hotfix\n' },
      message: 'docs: hotfix note',
    });
    await Promise.all([deliver(production), deliver(production)]);
    expect(await finishedRecheck(w, production)).toEqual([{ pr, mergeable: true, action: 'updated' }]);
    await w.bot.ciWatcher.tick(); // a pass after the recheck: production is in the branch now
    expect(await rechecks(w)).toHaveLength(1);
    expect(w.github.comments(FORK, pr).filter((c) => c.body.includes('`carto/main` moved'))).toHaveLength(1);
  });
});
