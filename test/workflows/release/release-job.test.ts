import { describe, expect, it } from 'vitest';
import { type ReleaseJobResult } from '../../../src/workflows/release/release.js';
import type { Actor } from '../../../src/ports.js';
import { FORK, GROUP_MEMBER, RELEASER, releaseWorld, seedCartoHistory, type ReleaseWorld } from './release-world.js';
import { type ReleaseJobData, releaseJobInput } from '../../../src/jobs/job-kinds.js';

const TAG = 'v1.81.9-carto.1.19.0';
const member: Actor = { kind: 'slack', id: GROUP_MEMBER, via: 'C09K0M5MP7V' };

async function release(world: ReleaseWorld, data: Partial<ReleaseJobData> = {}, actor: Actor = member) {
  const { job } = await world.runner.enqueue(releaseJobInput({ pipeline: 'litellm', bump: 'auto', ...data }, actor));
  await world.runner.runUntilIdle({ timeoutMs: 60_000 });
  return (await world.runner.get(job.id))!;
}

async function remoteTags(world: ReleaseWorld): Promise<string[]> {
  return (await world.sandbox.git(FORK, ['tag', '--list', 'v1.81.9-carto.*'])).split('\n').filter(Boolean);
}

const tagPushes = (world: ReleaseWorld) =>
  world.sandbox
    .mutatingRequests()
    .filter((r) => r.kind === 'git-push' && r.method === 'POST' && r.path.endsWith('/git-receive-pack')).length;
const releaseCreates = (world: ReleaseWorld) =>
  world.sandbox.mutatingRequests().filter((r) => r.method === 'POST' && r.path === `/repos/${FORK}/releases`);

describe('release job', () => {
  it('tags the head, publishes the GitHub release, dispatches the image build and hands over the card', async () => {
    const world = await releaseWorld();
    const history = await seedCartoHistory(world.sandbox, world.github);
    const job = await release(world, { expectedTag: TAG });
    expect(job.state).toBe('succeeded');
    const result = job.result as ReleaseJobResult;
    expect(result).toMatchObject({
      outcome: 'released',
      tag: TAG,
      sha: history.head,
      notesSource: 'plain',
      dispatched: { workflow: 'carto-ghcr-deploy.yaml', ref: 'carto/main' },
    });

    // An annotated tag by the configured identity, on the planned commit.
    expect(await world.sandbox.git(FORK, ['cat-file', '-t', `refs/tags/${TAG}`])).toBe('tag\n');
    expect((await world.sandbox.git(FORK, ['rev-parse', `${TAG}^{commit}`])).trim()).toBe(history.head);
    expect(
      await world.sandbox.git(FORK, [
        'for-each-ref',
        '--format=%(taggername) %(taggeremail) %(contents:subject)',
        `refs/tags/${TAG}`,
      ]),
    ).toBe(`Cartofante <cartofante@carto.com> Release ${TAG}\n`);

    const published = world.sandbox.releases(FORK).filter((r) => r.tag === TAG);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ name: TAG, draft: false, prerelease: false });
    expect(published[0]!.body).toContain('### 🔄 Upstream sync');
    expect(world.sandbox.dispatches).toEqual([
      expect.objectContaining({
        repo: FORK,
        kind: 'workflow',
        name: 'carto-ghcr-deploy.yaml',
        ref: 'carto/main',
        payload: { release_tag: TAG },
      }),
    ]);

    expect(world.notifier.releases).toHaveLength(1);
    expect(world.notifier.releases[0]!.card).toMatchObject({
      tag: TAG,
      kind: 'upstream-sync',
      typeLabel: 'Upstream Sync (v1.81.3 → v1.81.9)',
      previousTag: 'v1.81.3-carto.1.18.6',
      version: '1.19.0',
      highlights: ['OCI tool calls (#1)', expect.stringContaining('keep the auth hook after the sync')],
      images: [
        `ghcr.io/cartodb/litellm-non_root:${TAG}`,
        'ghcr.io/cartodb/litellm-non_root:carto-stable',
        'ghcr.io/cartodb/litellm-non_root:carto-v1.81.9-latest',
      ],
    });
    expect(world.store.audit.list({ action: 'release' }).map((a) => [a.outcome, a.target])).toEqual([
      ['done', `tag:${TAG}`],
      ['allowed', 'bump:auto'],
    ]);
    world.sandbox.assertNoUnexpectedRequests();
  });

  it('refuses a Slack user who is not on the allow-list, audits it and changes nothing', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const before = world.sandbox.mutatingRequests().length;
    const job = await release(world, {}, { kind: 'slack', id: 'U0STRANGER', via: 'C09K0M5MP7V' });
    expect(job).toMatchObject({ state: 'failed', error: { code: 'forbidden' } });
    expect(world.sandbox.mutatingRequests().slice(before)).toEqual([]);
    expect(await remoteTags(world)).toEqual([]);
    expect(world.store.audit.list({ action: 'release' })).toEqual([
      expect.objectContaining({ outcome: 'refused', actor: expect.objectContaining({ id: 'U0STRANGER' }) }),
    ]);
  });

  it('interrupted after the tag: the retried job creates the release and never a second tag or release', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    world.sandbox.faults.inject({
      method: 'POST',
      path: `/repos/${FORK}/releases`,
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const failed = await release(world, { bump: 'minor' }, { kind: 'slack', id: RELEASER });
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'forbidden' } });
    expect(await remoteTags(world)).toEqual([TAG]);
    expect(world.sandbox.releases(FORK).filter((r) => r.tag === TAG)).toEqual([]);

    await world.runner.retry(failed.id, { kind: 'slack', id: RELEASER });
    await world.runner.runUntilIdle({ timeoutMs: 60_000 });
    expect(await world.runner.get(failed.id)).toMatchObject({
      state: 'succeeded',
      result: { tag: TAG, release: { created: true } },
    });
    expect(await remoteTags(world)).toEqual([TAG]);
    expect(world.sandbox.releases(FORK).filter((r) => r.tag === TAG)).toHaveLength(1);
    expect(tagPushes(world)).toBe(1);
    expect(world.sandbox.dispatches).toHaveLength(1);
  });

  it('a new job after an interrupted one finishes the tag already on the head instead of numbering again', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    world.sandbox.faults.inject({
      method: 'POST',
      path: `/repos/${FORK}/releases`,
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    expect((await release(world)).state).toBe('failed');

    // Asked for a major this time: the head already carries TAG, so TAG is what gets published.
    const second = await release(world, { bump: 'major' });
    expect(second).toMatchObject({ state: 'succeeded', result: { outcome: 'released', tag: TAG } });
    expect(await remoteTags(world)).toEqual([TAG]);
    expect(world.sandbox.releases(FORK).filter((r) => r.tag.startsWith('v1.81.9'))).toHaveLength(1);

    // And once published, a third job finds nothing to do.
    const before = world.sandbox.mutatingRequests().length;
    const third = await release(world);
    expect(third).toMatchObject({ state: 'succeeded', result: { outcome: 'already-released', tag: TAG } });
    expect(world.sandbox.mutatingRequests().slice(before)).toEqual([]);
    expect(releaseCreates(world)).toHaveLength(2); // the refused attempt and the one that worked
  });

  it('refuses when the plan moved away from the previewed tag', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const job = await release(world, { expectedTag: 'v1.81.9-carto.1.18.7' });
    expect(job).toMatchObject({ state: 'failed', error: { code: 'conflict' } });
    expect(await remoteTags(world)).toEqual([]);
  });
});
