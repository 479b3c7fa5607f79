import { describe, expect, it } from 'vitest';
import { ledgerRestoreInput } from '../../src/jobs/job-kinds.js';
import { registerJobs } from '../../src/main.js';
import { FORK } from '../pipelines/release-sync/harness.js';
import { TAG, crashWorld } from './crash-world.js';

// kill -9 of a worker running "Restore fork side" while its push is on the wire: the job taken
// over by another runner ends with one restore commit on the sync branch (a fast-forward), one
// audit row and the rebuilt ledger dropping nothing.

const SYNC_BRANCH = `upstream-sync/${TAG}`;

describe('kill -9 in the middle of a restore', () => {
  it('during the push: one commit, one audit row, the ledger rebuilt', async () => {
    const w = await crashWorld();
    registerJobs(w.services, ['ledger-restore']);
    // A person deletes the fork's own file on the sync branch: the ledger's added-file hunk is dropped.
    const dropped = await w.sandbox.pushCommit(FORK, {
      branch: SYNC_BRANCH,
      files: { 'carto_feature.py': null },
      message: 'drop the fork feature',
    });
    const hunk = w.services.ledgers
      .latest('litellm', { pr: w.pr })!
      .entries.find((e) => e.path === 'carto_feature.py')!;
    const pushPath = `/${FORK}.git/git-receive-pack`;
    const pushes = () => w.sandbox.requests.filter((r) => r.method === 'POST' && r.path === pushPath).length;
    const before = pushes();
    w.sandbox.faults.inject({ method: 'POST', path: pushPath, latencyMs: 3000, times: 1 });
    const { job } = await w.services.runner.enqueue(
      ledgerRestoreInput(
        { id: 'litellm', fork: { repo: FORK } },
        { pipeline: 'litellm', tag: TAG, pr: w.pr, hunkId: hunk.id },
        { kind: 'slack', id: 'U012ABCDEF' },
      ),
    );
    await w.killWorkerWhen(['ledger-restore'], () => pushes() > before);
    expect(await w.services.runner.get(job.id)).toMatchObject({ state: 'running', leaseOwner: 'doomed-worker' });

    await w.services.runner.runUntilIdle({ timeoutMs: 60_000 });
    expect(await w.services.runner.get(job.id)).toMatchObject({ state: 'succeeded', result: { restored: true } });
    const tip = (await w.sandbox.branchSha(FORK, SYNC_BRANCH))!;
    expect((await w.sandbox.git(FORK, ['rev-list', '--count', `${dropped}..${tip}`])).trim()).toBe('1');
    expect((await w.sandbox.git(FORK, ['rev-parse', `${tip}^`])).trim()).toBe(dropped);
    expect(await w.sandbox.git(FORK, ['show', `${tip}:carto_feature.py`])).toBe('x = 1\n');
    expect(w.services.store.audit.list({ action: 'ledger.restore' }).map((a) => a.outcome)).toEqual(['done']);
    const rebuilt = w.services.ledgers.latest('litellm', { pr: w.pr })!;
    expect([rebuilt.headSha, rebuilt.counts.dropped]).toEqual([tip, 0]);
    expect(w.card()?.ledgerBlock).toMatchObject({ dropped: 0 });
  });
});
