import { describe, expect, it } from 'vitest';
import { busyRefusal, enqueueSync } from '../../../src/pipelines/release-sync/sync-run.js';
import { FORK, syncWorld } from './harness.js';

// `sync <tag>`: the job targets the release a person named, under the same one-at-a-time rules,
// or changes nothing and says why.

describe('sync job with a requested tag', () => {
  it('syncs the named release rather than the newest; the next plain sync queues the newest behind it', async () => {
    const w = await syncWorld();
    const chosen = await w.release('1.81.0', { 'litellm/a.py': 'a\n' });
    await w.release('1.82.0', { 'litellm/b.py': 'b\n' });
    const result = await w.sync('v1.81.0-stable');
    expect(result).toMatchObject({
      outcome: 'pr-created',
      requestedTag: 'v1.81.0-stable',
      latestTag: 'v1.81.0-stable',
      currentVersion: '1.80.0',
    });
    const pr = w.sandbox.pull(FORK, result.pr!.number);
    expect(pr.headRef).toBe('upstream-sync/v1.81.0-stable');
    // Built from the exact tag asked for: its first parent.
    expect(
      (await w.sandbox.git(FORK, ['log', '-1', '--format=%P', `refs/heads/${pr.headRef}`])).trim().split(' ')[0],
    ).toBe(chosen);
    // The mirror went to the tag asked for, not past it.
    expect(await w.sandbox.branchSha(FORK, 'main')).toBe(chosen);

    const next = await w.sync();
    expect(next).toMatchObject({ outcome: 'queued', latestTag: 'v1.82.0-stable', pr: { number: pr.number } });
    expect(next.requestedTag).toBeUndefined();
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
  });

  it('refuses what it may not sync, changing nothing, and records the run as refused', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    await w.release('1.82.0-rc1', {}, { tag: 'v1.82.0-rc1', prerelease: true });
    w.services.syncRecords.skip('litellm', 'v1.81.0-stable', { reason: 'person', by: { kind: 'cli', id: 'ops' } });
    const before = w.sandbox.mutatingRequests().length;
    const cases: Array<[string, string, RegExp]> = [
      ['v1.82.0-rc1', 'not-a-release', /not a stable upstream release/],
      ['v9.0.0-stable', 'not-a-release', /not a stable upstream release/],
      ['v1.80.0-stable', 'not-newer', /\(1\.80\.0\) is not newer than production \(1\.80\.0\)/],
      ['v1.81.0-stable', 'skipped', /on the skip list.*`unskip v1\.81\.0-stable` first/],
    ];
    for (const [tag, reason, message] of cases) {
      const result = await w.sync(tag);
      expect(result, tag).toMatchObject({
        outcome: 'refused',
        requestedTag: tag,
        pr: null,
        refused: { reason, message: expect.stringMatching(message) },
      });
      expect(w.services.syncRecords.lastRun('litellm')).toMatchObject({ outcome: 'refused', error: null });
    }
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBeNull();
    expect(w.notes).toEqual([]);
  });

  it('keeps one sync per pipeline: a request for another tag finds the active one and is refused as busy', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    const cli = { kind: 'cli' as const, id: 'ops' };
    const first = await enqueueSync(w.services.runner, { pipeline: 'litellm' }, cli);
    const second = await enqueueSync(w.services.runner, { pipeline: 'litellm', tag: 'v1.81.0-stable' }, cli);
    expect(second).toMatchObject({ created: false, job: { id: first.job.id, dedupeKey: 'sync:litellm' } });
    expect(busyRefusal(second.job, { pipeline: 'litellm', tag: 'v1.81.0-stable' })).toMatchObject({
      outcome: 'refused',
      requestedTag: 'v1.81.0-stable',
      refused: {
        reason: 'busy',
        message: `a sync of litellm is already queued (job ${first.job.id}, for the newest release); one sync per pipeline at a time: ask for v1.81.0-stable again when it has finished`,
      },
    });
    // The same request twice is the same sync, waited for rather than refused.
    expect(busyRefusal(second.job, { pipeline: 'litellm' })).toBeNull();
  });

  it('dry run with a tag: the plan for that tag, without a mutating call', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    await w.release('1.82.0');
    const before = w.sandbox.mutatingRequests().length;
    expect(await w.dryRun('v1.81.0-stable')).toMatchObject({
      outcome: 'pr-created',
      dryRun: true,
      requestedTag: 'v1.81.0-stable',
      latestTag: 'v1.81.0-stable',
    });
    expect(await w.dryRun('v1.79.0-stable')).toMatchObject({
      outcome: 'refused',
      dryRun: true,
      refused: { reason: 'not-a-release' },
    });
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);
  });
});
