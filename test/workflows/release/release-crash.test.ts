import { describe, expect, it } from 'vitest';
import { spawnFixture } from '../../jobs/fixtures/child.js';
import { FORK, RELEASER, releaseWorld, seedCartoHistory } from './release-world.js';
import { releaseJobInput } from '../../../src/jobs/job-kinds.js';

// Invariant 6 for releases: a worker SIGKILLed after pushing the tag, while its GitHub-release
// request hangs, is resumed by another runner: one tag, one release, one image build.

const TAG = 'v1.81.9-carto.1.19.0';

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('release crash safety', () => {
  it('a worker killed after the tag: the resumed job publishes the release once and pushes no second tag', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const releasesPath = `/repos/${FORK}/releases`;
    world.sandbox.faults.inject({ method: 'POST', path: releasesPath, status: 503, latencyMs: 3_000 });
    const { job } = await world.runner.enqueue(
      releaseJobInput({ pipeline: 'litellm', bump: 'auto' }, { kind: 'slack', id: RELEASER }),
    );

    const child = spawnFixture('../../workflows/release/release-crash-worker.ts', [
      `${world.dir}/data`,
      world.sandbox.url,
      world.sandbox.token,
      '400',
    ]);
    try {
      await until(
        () => world.sandbox.requests.some((r) => r.method === 'POST' && r.path === releasesPath),
        'the release request',
      );
      child.process.kill('SIGKILL');
      expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    } finally {
      child.process.kill('SIGKILL');
    }
    expect(await world.runner.get(job.id)).toMatchObject({ state: 'running', leaseOwner: 'doomed-worker' });
    expect((await world.sandbox.git(FORK, ['tag', '--list', 'v1.81.9-carto.*'])).trim()).toBe(TAG);

    await world.runner.runUntilIdle({ timeoutMs: 60_000 });
    expect(await world.runner.get(job.id)).toMatchObject({
      state: 'succeeded',
      attempts: 2,
      result: { tag: TAG, release: { created: true } },
    });
    expect((await world.sandbox.git(FORK, ['tag', '--list', 'v1.81.9-carto.*'])).trim()).toBe(TAG);
    expect(world.sandbox.releases(FORK).filter((r) => r.tag === TAG)).toHaveLength(1);
    const pushes = world.sandbox.requests.filter(
      (r) => r.kind === 'git-push' && r.method === 'POST' && r.path.endsWith('/git-receive-pack'),
    );
    expect(pushes).toHaveLength(1);
    expect(world.sandbox.dispatches).toHaveLength(1);
    expect(world.notifier.releases.map((r) => r.card.tag)).toEqual([TAG]);
  });
});
