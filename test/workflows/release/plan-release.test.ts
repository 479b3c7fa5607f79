import { describe, expect, it } from 'vitest';
import { readOnlyGitHub } from '../../../src/adapters/github/read-only-github.js';
import { planRelease } from '../../../src/workflows/release/release-plan.js';
import { FORK, releaseWorld, seedCartoHistory } from './release-world.js';

describe('planRelease against the GitHub stand-in', () => {
  it("follows the release before the head by ancestry (CARTO's 1.81.6/1.81.3 case) and tells upstream commits apart", async () => {
    const world = await releaseWorld();
    const history = await seedCartoHistory(world.sandbox, world.github);
    const before = world.sandbox.mutatingRequests().length;
    const result = await planRelease(
      { ...world.deps, github: readOnlyGitHub(world.github) },
      { pipeline: 'litellm', bump: 'auto' },
    );
    expect(result.kind).toBe('ready');
    if (result.kind !== 'ready') return;
    const { plan } = result;
    expect(plan).toMatchObject({
      tag: 'v1.81.9-carto.1.19.0',
      version: '1.19.0',
      upstream: '1.81.9',
      previousUpstream: '1.81.3',
      bump: 'minor',
      sha: history.head,
      previous: { tag: 'v1.81.3-carto.1.18.6', sha: history.corrected },
      counts: { breaking: 0, features: 1, fixes: 1, syncPulls: 1 },
      image: {
        name: 'ghcr.io/cartodb/litellm-non_root',
        tags: ['v1.81.9-carto.1.19.0', 'carto-stable', 'carto-v1.81.9-latest'],
        workflow: 'carto-ghcr-deploy.yaml',
        ref: 'carto/main',
        input: 'release_tag',
      },
      warnings: [],
    });
    // The upstream merge brought upstream's own "feat(router)" commit: it is neither a feature nor a commit of the fork.
    expect(plan.notes).not.toContain('adaptive router');
    expect(plan.commitCount).toBeGreaterThan(plan.forkCommitCount);
    // The PR is one entry; its "feat(oci)" commit makes it a feature and is not listed again.
    expect(plan.notes).toContain(`### ✨ Features\n\n- OCI tool calls ([#${history.featurePr}](`);
    expect(plan.notes).not.toContain('**oci:**');
    expect(plan.notes).toContain(`/BerriAI/litellm/releases/tag/v1.81.9-stable), from v1.81.3-stable ([compare](`);
    expect(plan.notes).toContain(`/BerriAI/litellm/compare/v1.81.3-stable...v1.81.9-stable`);
    expect(plan.notes).toContain('keep the auth hook after the sync');
    // Planning reads only: no tag, release, dispatch or push.
    expect(world.sandbox.mutatingRequests().slice(before)).toEqual([]);
    world.sandbox.assertNoUnexpectedRequests();
  });

  it('an explicit bump and a chosen commit on production', async () => {
    const world = await releaseWorld();
    const history = await seedCartoHistory(world.sandbox, world.github);
    const result = await planRelease(world.deps, { pipeline: 'litellm', bump: 'patch', commit: history.corrected });
    // The corrected commit already carries a published release.
    expect(result).toEqual({
      kind: 'released',
      pipeline: 'litellm',
      tag: 'v1.81.3-carto.1.18.6',
      sha: history.corrected,
    });
    // An abbreviated sha is read as the full one.
    expect(
      await planRelease(world.deps, {
        pipeline: 'litellm',
        bump: 'patch',
        commit: history.corrected.slice(0, 10).toUpperCase(),
      }),
    ).toEqual(result);
    const major = await planRelease(world.deps, { pipeline: 'litellm', bump: 'major' });
    expect(major.kind === 'ready' && major.plan.tag).toBe('v1.81.9-carto.2.0.0');
  });

  it('refuses a commit that is not on production', async () => {
    const world = await releaseWorld();
    const history = await seedCartoHistory(world.sandbox, world.github);
    const unmerged = await world.sandbox.pushCommit(FORK, {
      branch: 'feature/unmerged',
      from: history.head,
      files: { 'x.py': 'x\n' },
      message: 'feat: not merged yet',
    });
    await expect(
      planRelease(world.deps, { pipeline: 'litellm', bump: 'patch', commit: unmerged }),
    ).rejects.toMatchObject({ code: 'usage' });
    for (const commit of ['carto/main~1', '--output=x', 'ffffffffffff']) {
      await expect(planRelease(world.deps, { pipeline: 'litellm', bump: 'patch', commit })).rejects.toMatchObject({
        code: 'usage',
        message: expect.stringContaining('is not a commit on carto/main'),
      });
    }
  });

  it('warns when a sync PR is still open', async () => {
    const world = await releaseWorld();
    const history = await seedCartoHistory(world.sandbox, world.github);
    await world.sandbox.pushCommit(FORK, {
      branch: 'upstream-sync/v1.81.10-stable',
      from: history.head,
      files: { 'pyproject.toml': 'x' },
      message: 'sync',
    });
    const pr = await world.github.createPull(FORK, {
      title: 'Upstream Sync v1.81.10',
      head: 'upstream-sync/v1.81.10-stable',
      base: 'carto/main',
      body: '',
    });
    await world.sandbox.labelPullAs(FORK, pr.number, 'Cartofante', 'upstream-sync');
    const result = await planRelease(world.deps, { pipeline: 'litellm', bump: 'auto' });
    expect(result.kind === 'ready' && result.plan.warnings).toEqual([
      `sync PR #${pr.number} (Upstream Sync v1.81.10) is still open: merge it first to include that upstream release`,
    ]);
  });

  it('reads every commit from the git cache: 320 fixes then a feature, past the 250 a compare call returns', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const fixes = Array.from({ length: 320 }, (_, i) => ({
      files: { 'fixes.txt': `${i}\n` },
      message: `fix: change ${i}`,
    }));
    await world.sandbox.pushCommits(
      FORK,
      'carto/main',
      [...fixes, { files: { 'feature.py': 'x\n' }, message: 'feat: the 321st commit' }],
      { as: 'carto-dev' },
    );
    const result = await planRelease(world.deps, { pipeline: 'litellm', bump: 'auto' });
    expect(result.kind).toBe('ready');
    if (result.kind !== 'ready') return;
    expect(result.plan).toMatchObject({
      tag: 'v1.81.9-carto.1.19.0',
      bump: 'minor',
      counts: { features: 2, fixes: 321 },
    });
    expect(result.plan.forkCommitCount).toBeGreaterThanOrEqual(321);
    expect(result.plan.notes).toContain('- the 321st commit');
    expect(result.plan.notes).toContain('- change 0 (');
  });
});
