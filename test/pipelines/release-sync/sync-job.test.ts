import { describe, expect, it } from 'vitest';
import { runGit } from '../../../src/sandbox/scratch-repo.js';
import { BOT, FORK, syncWorld } from './harness.js';

async function parentsOf(barePath: string, rev: string): Promise<string[]> {
  return (await runGit(barePath, ['log', '-1', '--format=%P', rev])).trim().split(' ');
}

describe('sync job against the GitHub stand-in', () => {
  it('turns a clean release into a PR built from the tag, with the mirror advanced', async () => {
    const w = await syncWorld();
    const tagSha = await w.release('1.81.0', { 'litellm/new.py': 'new\n' });
    const result = await w.sync();
    expect(result).toEqual({
      pipeline: 'litellm',
      outcome: 'pr-created',
      currentVersion: '1.80.0',
      latestTag: 'v1.81.0-stable',
      pr: { number: expect.any(Number), url: expect.stringMatching(/\/CartoDB\/litellm\/pull\/\d+$/) },
      conflicts: [],
      dryRun: false,
      skipped: [],
    });
    const pr = w.sandbox.pull(FORK, result.pr!.number);
    expect(pr.title).toBe('🔄 Upstream Sync: LiteLLM v1.81.0-stable');
    expect(pr.labels).toEqual(expect.arrayContaining(['upstream-sync', 'automated', 'clean-merge']));
    expect(pr.labels).not.toContain('conflicts');
    expect(pr.baseRef).toBe('carto/main');
    expect(pr.headRef).toBe('upstream-sync/v1.81.0-stable');
    expect(pr.body).toContain('Never squash');

    const bare = w.sandbox.barePath(FORK);
    const head = (await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable'))!;
    const cartoMain = (await w.sandbox.branchSha(FORK, 'carto/main'))!;
    // Two parents, upstream tag first; authored by the configured bot.
    expect(await parentsOf(bare, head)).toEqual([tagSha, cartoMain]);
    expect((await runGit(bare, ['log', '-1', '--format=%an <%ae>|%cn <%ce>', head])).trim()).toBe(
      `${BOT.name} <${BOT.email}>|${BOT.name} <${BOT.email}>`,
    );
    // The mirror advanced to the exact tag commit (a fast-forward here).
    expect(await w.sandbox.branchSha(FORK, 'main')).toBe(tagSha);
    w.sandbox.assertNoUnexpectedRequests();
  });

  it('does nothing when nothing is new: up to date and zero mutating calls', async () => {
    const w = await syncWorld();
    const before = w.sandbox.mutatingRequests().length;
    const result = await w.sync();
    expect(result).toMatchObject({
      outcome: 'up-to-date',
      currentVersion: '1.80.0',
      latestTag: 'v1.80.0-stable',
      pr: null,
    });
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);
  });

  it('a second run finds the PR instead of opening another', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    const first = await w.sync();
    const before = w.sandbox.mutatingRequests().length;
    const second = await w.sync();
    expect(second).toMatchObject({ outcome: 'pr-exists', pr: first.pr });
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);
  });

  it('hands conflicts over: the tag-based branch, a labelled PR, every path, a resolver job', async () => {
    const w = await syncWorld();
    await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n', Dockerfile: 'FROM carto\n' },
      message: 'feat: carto b',
      as: 'carto-dev',
    });
    const tagSha = await w.release('1.81.0', {
      'litellm/app.py': 'a = 1\nb = UPSTREAM\nc = 3\n',
      Dockerfile: 'FROM upstream\n',
    });
    const result = await w.sync();
    expect(result.outcome).toBe('pr-created');
    expect(result.conflicts).toEqual(['Dockerfile', 'litellm/app.py']);
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBe(tagSha);
    const pr = w.sandbox.pull(FORK, result.pr!.number);
    expect(pr.labels).toContain('conflicts');
    expect(pr.body).toContain('| `litellm/app.py` | content |');
    expect(pr.requestedReviewers).toEqual(expect.arrayContaining(['mateo-di', 'carto-dev']));
    const jobs = await w.services.runner.list({ kind: 'resolve' });
    expect(jobs.map((j) => [j.dedupeKey, j.data])).toEqual([
      [`resolve:${FORK}#${pr.number}`, { pipeline: 'litellm', repo: FORK, pr: pr.number }],
    ]);
  });

  it('a reviewer GitHub refuses does not fail the sync', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    w.sandbox.faults.inject({
      method: 'POST',
      path: /\/requested_reviewers$/,
      status: 422,
      body: { message: 'Reviews may only be requested from collaborators.' },
    });
    const result = await w.sync();
    expect(result.outcome).toBe('pr-created');
    expect(w.sandbox.requests.filter((r) => r.faulted)).toHaveLength(1);
    expect(w.sandbox.pull(FORK, result.pr!.number).assignees).toEqual(['mateo-di']);
  });

  it('dry run: the plan and the conflicts it would meet, without a single mutating call', async () => {
    const w = await syncWorld();
    await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n' },
      message: 'feat: carto b',
      as: 'carto-dev',
    });
    await w.release('1.81.0', { 'litellm/app.py': 'a = 1\nb = UPSTREAM\nc = 3\n' });
    const before = w.sandbox.mutatingRequests().length;
    const result = await w.dryRun();
    expect(result).toMatchObject({
      outcome: 'pr-created',
      dryRun: true,
      pr: null,
      conflicts: ['litellm/app.py'],
      latestTag: 'v1.81.0-stable',
    });
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBeNull();
  });
});
