import { describe, expect, it } from 'vitest';
import { mergeJobInput } from '../../src/jobs/job-kinds.js';
import { FORK } from '../pipelines/release-sync/harness.js';
import { firstReleaseSync } from '../helpers/pipelines.js';
import { TAG, crashWorld } from './crash-world.js';

// kill -9 of a worker running "Approve & merge" after GitHub merged and before the card was
// updated: the job taken over by another runner ends with one merge, one audit row, one learn
// job and the card at merged.

describe('kill -9 in the middle of a merge', () => {
  it('after GitHub merged, before the card was updated: one merge, one card state', async () => {
    const w = await crashWorld();
    const head = w.sandbox.pull(FORK, w.pr).headSha;
    await w.sandbox.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
    await w.services.notifier.syncChanged({ pipeline: 'litellm', tag: TAG }, { stage: 'ready', mergeable: true });
    const mergePath = `/repos/${FORK}/pulls/${w.pr}/merge`;
    // The merge request is held while the worker is killed; GitHub then completes the merge it was
    // asked for (the stand-in drops a request whose client is gone, so the test lands it, with the
    // same merge commit method), and the worker never hears back.
    w.sandbox.faults.inject({ method: 'PUT', path: mergePath, latencyMs: 5000, times: 1 });
    const approver = { kind: 'slack' as const, id: 'U012ABCDEF', via: 'C09K0M5MP7V' };
    const { job } = await w.services.runner.enqueue(
      mergeJobInput(firstReleaseSync(w.services.config), { pipeline: 'litellm', tag: TAG, pr: w.pr }, approver),
    );

    await w.killWorkerWhen(['merge'], () => w.sandbox.requests.some((r) => r.method === 'PUT' && r.path === mergePath));
    await w.sandbox.mergePullAs(FORK, w.pr, 'cartofante', { method: 'merge' });
    expect(w.card()?.stage).toBe('ready'); // the named moment: merged on GitHub, the card not told
    expect(await w.services.runner.get(job.id)).toMatchObject({ state: 'running', leaseOwner: 'doomed-worker' });

    await w.services.runner.runUntilIdle({ timeoutMs: 60_000 });
    expect(await w.services.runner.get(job.id)).toMatchObject({
      state: 'succeeded',
      result: { merged: true, already: true },
    });
    expect(w.sandbox.merges.filter((m) => m.ok)).toHaveLength(1);
    expect(w.sandbox.requests.filter((r) => r.method === 'PUT' && r.path === mergePath)).toHaveLength(1);
    expect(w.card()?.stage).toBe('merged');
    expect(w.services.store.audit.list({ action: 'approve' }).map((a) => a.outcome)).toEqual(['done']);
    expect(await w.services.runner.list({ kind: 'learn' })).toHaveLength(1);
  });
});
