import { describe, expect, it } from 'vitest';
import { SqliteResolverStore } from '../../../src/adapters/store/resolver-store.js';
import { learnJob } from '../../../src/workflows/resolve/learn-job.js';
import type { GitPort } from '../../../src/ports.js';
import { mergeJob } from '../../../src/pipelines/release-sync/merge-job.js';
import { runnerFor } from '../../jobs/fixtures/harness.js';
import { FORK, SYNC_BRANCH, SYNC_TAG, pipeline, syncConfig, syncPullWorld } from '../../jobs/fixtures/sync-pull.js';
import { enqueueLearn, type LearnJobData, learnJobInput, mergeJobInput } from '../../../src/jobs/job-kinds.js';

// The `learn` job with the real runner on SQLite and the GitHub stand-in. What learning reads
// back from a resolved PR is covered end to end (test/e2e/webhooks.test.ts, resolve.test.ts);
// here: the job's identity, each merge learned once, and the merge job asking for it.

/** A git port no test here may reach: a PR the resolver never touched needs no git at all. */
const noGit = new Proxy({} as GitPort, {
  get: (_t, name) => () => {
    throw new Error(`unexpected git call ${String(name)}`);
  },
});
const webhook = { kind: 'webhook', id: 'github' } as const;

async function world() {
  const w = await syncPullWorld();
  const resolver = new SqliteResolverStore(w.store.db, { now: () => new Date('2026-02-01T00:00:00Z') });
  const runner = runnerFor(w.store).register(learnJob({ config: syncConfig, github: w.github, git: noGit, resolver }));
  return { ...w, runner, resolver };
}

describe('learn job', () => {
  it('is one job per merged PR, under the PR lock', () => {
    expect(learnJobInput(pipeline, 12, 'abc', webhook)).toEqual({
      kind: 'learn',
      pipeline: 'litellm',
      dedupeKey: `learn:${FORK}#12`,
      locks: [`pr:${FORK}#12`],
      data: { pipeline: 'litellm', pr: 12, mergeSha: 'abc' },
      requestedBy: webhook,
    });
  });

  it('learns each merge once, whichever of the merge job, the watcher or a webhook reports it', async () => {
    const w = await world();
    const first = await enqueueLearn(w.runner, learnJobInput(pipeline, w.pr.number, 'a'.repeat(40), webhook));
    const overlapping = await enqueueLearn(
      w.runner,
      learnJobInput(pipeline, w.pr.number, 'a'.repeat(40), { kind: 'bot', id: 'ci-watcher' }),
    );
    expect(first?.created).toBe(true);
    expect(overlapping).toMatchObject({ created: false, job: { id: first!.job.id } });
    await w.runner.runUntilIdle({ timeoutMs: 10_000 });
    // The PR never went through the resolver: nothing to learn, and neither GitHub nor git was asked.
    expect(await w.runner.get(first!.job.id)).toMatchObject({
      state: 'succeeded',
      result: { files: 0, hunks: 0, skipped: [] },
    });
    const before = w.sandbox.requests.length;

    expect(await enqueueLearn(w.runner, learnJobInput(pipeline, w.pr.number, 'a'.repeat(40), webhook))).toBeNull();
    // Another merge commit for the same number (reopened and merged again) is news.
    expect((await enqueueLearn(w.runner, learnJobInput(pipeline, w.pr.number, 'b'.repeat(40), webhook)))?.created).toBe(
      true,
    );
    await w.runner.runUntilIdle({ timeoutMs: 10_000 });
    expect(w.sandbox.requests.length).toBe(before);
    expect(
      (await w.runner.list({ kind: 'learn' })).map((j) => [(j.data as LearnJobData).mergeSha[0], j.state]),
    ).toEqual([
      ['b', 'succeeded'],
      ['a', 'succeeded'],
    ]);
  });

  it('fails for good on a pipeline that is not configured', async () => {
    const w = await world();
    const { job } = await w.runner.enqueue({
      ...learnJobInput(pipeline, 1, 'c'.repeat(40), webhook),
      data: { pipeline: 'gone', pr: 1, mergeSha: 'c'.repeat(40) },
    });
    await w.runner.runUntilIdle({ timeoutMs: 10_000 });
    expect(await w.runner.get(job.id)).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'usage' } });
  });

  it('is asked for by Approve & merge right after the merge, as the person who approved', async () => {
    const w = await world();
    await w.sandbox.setCheckRun(FORK, `refs/heads/${SYNC_BRANCH}`, { name: 'test', conclusion: 'success' });
    w.runner.register(mergeJob({ config: syncConfig, github: w.github, notifier: w.notifier, audit: w.store.audit }));
    const alice = { kind: 'slack', id: 'U0ALICE01' } as const;
    const { job: merge } = await w.runner.enqueue(
      mergeJobInput(pipeline, { pipeline: 'litellm', tag: SYNC_TAG, pr: w.pr.number }, alice),
    );
    await w.runner.runUntilIdle({ timeoutMs: 20_000 });

    const merged = await w.runner.get(merge.id);
    expect(merged?.result).toMatchObject({ merged: true, already: false });
    const sha = (merged?.result as { sha: string }).sha;
    const [learn, ...others] = await w.runner.list({ kind: 'learn' });
    expect(others).toEqual([]);
    expect(learn).toMatchObject({
      state: 'succeeded',
      requestedBy: alice,
      data: { pipeline: 'litellm', pr: w.pr.number, mergeSha: sha },
    });
    expect(w.store.jobs.getStep(merge.id, 'learn')).toEqual({ result: learn!.id });
  });
});
