import { describe, expect, it } from 'vitest';
import { recheckJob, type RecheckedPull } from '../../../src/pipelines/release-sync/recheck-job.js';
import { runnerFor } from '../../jobs/fixtures/harness.js';
import { FORK, pipeline, syncConfig, syncPullWorld } from '../../jobs/fixtures/sync-pull.js';
import { recheckJobInput } from '../../../src/jobs/job-kinds.js';

const READY_LABEL = pipeline.pr.readyLabel!;

// The `recheck` job a push to production enqueues, against the GitHub stand-in (real git decides
// mergeability) with the real runner on SQLite. The resolver is not registered: its jobs stay
// queued where the test can read them.

/** The sync PR (carrying the ready label) and a feature PR, both changing app.py. */
async function world() {
  const w = await syncPullWorld();
  const { sandbox, github } = w;
  await github.addLabels(FORK, w.pr.number, [READY_LABEL]);
  await sandbox.pushCommit(FORK, {
    branch: 'feature/x',
    from: 'carto/main',
    files: { 'app.py': 'a = 4  # feature\n' },
    message: 'feature',
  });
  const feature = await github.createPull(FORK, { title: 'feature', head: 'feature/x', base: 'carto/main', body: '' });
  await github.addLabels(FORK, feature.number, ['upstream-sync']);
  const runner = runnerFor(w.store).register(
    recheckJob({ config: syncConfig, github, notifier: w.notifier, mergeableRetryMs: [1, 1, 1] }),
  );
  const recheck = async (sha: string) => {
    const { job } = await runner.enqueue(recheckJobInput(pipeline, sha, { kind: 'webhook', id: 'github' }));
    await runner.runUntilIdle({ timeoutMs: 20_000 });
    const done = await runner.get(job.id);
    expect(done?.state).toBe('succeeded');
    return (done?.result as { pulls: RecheckedPull[] }).pulls;
  };
  const conflictComments = (n: number) =>
    sandbox.comments(FORK, n).filter((c) => c.body.includes('Conflicts detected'));
  const resolveJobs = () => runner.list({ kind: 'resolve' });
  return { ...w, sync: w.pr, feature, runner, recheck, conflictComments, resolveJobs };
}

describe('recheck job', () => {
  it('leaves a sync PR that still merges alone', async () => {
    const w = await world();
    const pulls = await w.recheck(await w.push({ 'docs.md': 'unrelated\n' }));
    expect(pulls).toEqual([{ pr: w.sync.number, mergeable: true, action: 'none' }]);
    expect(w.sandbox.pull(FORK, w.sync.number).labels).toContain(READY_LABEL);
    expect(w.conflictComments(w.sync.number)).toEqual([]);
    expect(await w.resolveJobs()).toEqual([]);
    expect(w.notes).toEqual([]);
  });

  it('takes the ready label off a sync PR that stopped merging, says so once per head and hands it to the resolver as the bot', async () => {
    const w = await world();
    const first = await w.push({ 'app.py': 'a = 3  # carto hotfix\n' });
    expect(await w.recheck(first)).toEqual([{ pr: w.sync.number, mergeable: false, action: 'resolve' }]);

    expect(w.sandbox.pull(FORK, w.sync.number).labels).not.toContain(READY_LABEL);
    const [comment, ...more] = w.conflictComments(w.sync.number);
    expect(more).toEqual([]);
    expect(comment!.body).toContain(`\`carto/main\` moved (now at \`${first.slice(0, 12)}\`)`);
    expect(comment!.body).toContain(`The \`${READY_LABEL}\` label was removed`);
    const [resolve] = await w.resolveJobs();
    expect(resolve).toMatchObject({
      state: 'queued',
      dedupeKey: `resolve:${FORK}#${w.sync.number}`,
      requestedBy: { kind: 'bot' },
      data: { pipeline: 'litellm', repo: FORK, pr: w.sync.number },
    });
    expect(w.notes).toEqual([
      { ref: { pipeline: 'litellm', tag: 'v1.81.0-stable' }, update: { stage: 'resolving', mergeable: false } },
    ]);
    // The feature PR conflicts too, but it is not a sync PR: nothing is said or started for it.
    expect(w.sandbox.comments(FORK, w.feature.number)).toEqual([]);

    // Production moves again while the PR waits on the same head: no second comment, one resolver job.
    await w.recheck(await w.push({ 'docs.md': 'another\n' }));
    expect(w.conflictComments(w.sync.number)).toHaveLength(1);
    expect(await w.resolveJobs()).toHaveLength(1);
  });

  it('asks again while GitHub has not worked out mergeability, a bounded number of times', async () => {
    const w = await world();
    const sha = await w.push({ 'app.py': 'a = 3  # carto hotfix\n' });
    const reads = () =>
      w.sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/repos/${FORK}/pulls/${w.sync.number}`).length;

    w.sandbox.mergeableUnknown(FORK, w.sync.number, 10);
    expect(await w.recheck(sha)).toEqual([{ pr: w.sync.number, mergeable: null, action: 'unknown' }]);
    expect(reads()).toBe(4); // the first read and three retries
    expect(w.conflictComments(w.sync.number)).toEqual([]);
    expect(await w.resolveJobs()).toEqual([]);

    w.sandbox.mergeableUnknown(FORK, w.sync.number, 2);
    const again = await w.push({ 'docs.md': 'retry\n' });
    expect(await w.recheck(again)).toEqual([{ pr: w.sync.number, mergeable: false, action: 'resolve' }]);
    expect(reads()).toBe(7);
    expect(w.conflictComments(w.sync.number)).toHaveLength(1);
  });
});
