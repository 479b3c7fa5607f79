import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { registerSyncWebhooks } from '../../src/web/sync-webhooks.js';
import { testWebhooks } from '../helpers/test-webhooks.js';
import { tempDir } from '../helpers/tmp.js';
import { runnerFor, storeIn } from '../jobs/fixtures/harness.js';
import { FORK, SYNC_BRANCH, syncConfig } from '../jobs/fixtures/sync-pull.js';

// What each delivery about sync PRs turns into: a queued job or an early CI-watcher pass, never
// GitHub or git work in the handler. Deliveries go through the real receiver (its signature
// check is covered in server.test.ts and the e2e); no job handler is registered, so what the
// handlers enqueue stays queued for the test to read.

async function world() {
  const store = storeIn(await tempDir());
  const runner = runnerFor(store);
  const nudges: Array<[string, number | undefined]> = [];
  const webhooks = testWebhooks();
  registerSyncWebhooks(webhooks.receiver, {
    config: syncConfig,
    queue: runner,
    nudge: (p, pr) => void nudges.push([p, pr]),
    log: silentLogger(),
  });
  const deliver = (name: string, payload: Record<string, unknown>, repo = FORK) =>
    webhooks.deliver(name, { repository: { full_name: repo }, ...payload });
  const jobs = async () => (await runner.list({})).map((j) => ({ kind: j.kind, dedupeKey: j.dedupeKey, data: j.data }));
  return { store, runner, nudges, deliver, jobs, close: () => store.close() };
}

const closed = (over: { merged?: boolean; head?: string; headRepo?: string; base?: string } = {}) => ({
  action: 'closed',
  pull_request: {
    number: 7,
    merged: over.merged ?? true,
    merge_commit_sha: over.merged === false ? null : 'f'.repeat(40),
    head: { ref: over.head ?? SYNC_BRANCH, repo: { full_name: over.headRepo ?? FORK } },
    base: { ref: over.base ?? 'carto/main' },
  },
});

describe('sync webhooks', () => {
  it('a merged sync PR: a learn job and an early look at its card; closed unmerged: only the look', async () => {
    const w = await world();
    await w.deliver('pull_request', closed());
    await w.deliver('pull_request', closed({ merged: false }));
    expect(await w.jobs()).toEqual([
      { kind: 'learn', dedupeKey: `learn:${FORK}#7`, data: { pipeline: 'litellm', pr: 7, mergeSha: 'f'.repeat(40) } },
    ]);
    expect(w.nudges).toEqual([
      ['litellm', 7],
      ['litellm', 7],
    ]);
    w.close();
  });

  it('ignores PRs that are not sync PRs: another head, a fork of the fork, another base, another repository', async () => {
    const w = await world();
    await w.deliver('pull_request', closed({ head: 'feature/x' }));
    await w.deliver('pull_request', closed({ headRepo: 'someone/litellm' }));
    await w.deliver('pull_request', closed({ base: 'main' }));
    await w.deliver('pull_request', closed(), 'someone/else');
    // A payload of a shape we do not know is acknowledged and dropped, not retried forever.
    await w.deliver('pull_request', { action: 'closed', pull_request: { number: 7 } });
    expect(await w.jobs()).toEqual([]);
    expect(w.nudges).toEqual([]);
    w.close();
  });

  it('a push to production queues one recheck per production commit; other pushes nothing', async () => {
    const w = await world();
    const a = 'a'.repeat(40);
    await w.deliver('push', { ref: 'refs/heads/carto/main', after: a });
    await w.deliver('push', { ref: 'refs/heads/carto/main', after: a });
    await w.deliver('push', { ref: `refs/heads/${SYNC_BRANCH}`, after: 'b'.repeat(40) });
    await w.deliver('push', { ref: 'refs/heads/carto/main', after: '0'.repeat(40), deleted: true });
    await w.deliver('push', { ref: 'refs/tags/carto/main', after: 'c'.repeat(40) });
    expect(await w.jobs()).toEqual([
      { kind: 'recheck', dedupeKey: `recheck:litellm@${a}`, data: { pipeline: 'litellm', productionSha: a } },
    ]);
    w.close();
  });

  it('CI finishing on a sync branch asks the watcher to look now; on other branches it does not', async () => {
    const w = await world();
    await w.deliver('check_suite', { action: 'completed', check_suite: { head_branch: SYNC_BRANCH } });
    await w.deliver('check_run', { action: 'completed', check_run: { check_suite: { head_branch: SYNC_BRANCH } } });
    await w.deliver('check_suite', { action: 'completed', check_suite: { head_branch: 'carto/main' } });
    await w.deliver('check_run', { action: 'created', check_run: { check_suite: { head_branch: SYNC_BRANCH } } });
    await w.deliver('status', { sha: 'a'.repeat(40), state: 'success', branches: [{ name: SYNC_BRANCH }] });
    await w.deliver('status', { sha: 'a'.repeat(40), state: 'success', branches: [{ name: 'carto/main' }] });
    // No branch named: the watcher looks anyway (two reads per open sync PR).
    await w.deliver('status', { sha: 'a'.repeat(40), state: 'success' });
    // An Actions run finishing (the CI fixer reads its failed jobs' logs).
    await w.deliver('workflow_run', { action: 'completed', workflow_run: { head_branch: SYNC_BRANCH } });
    await w.deliver('workflow_run', { action: 'completed', workflow_run: { head_branch: 'carto/main' } });
    await w.deliver('workflow_run', { action: 'requested', workflow_run: { head_branch: SYNC_BRANCH } });
    await w.deliver('issues', { action: 'opened', issue: { number: 1 } });
    expect(w.nudges).toEqual([
      ['litellm', undefined],
      ['litellm', undefined],
      ['litellm', undefined],
      ['litellm', undefined],
      ['litellm', undefined],
    ]);
    expect(await w.jobs()).toEqual([]);
    w.close();
  });
});
