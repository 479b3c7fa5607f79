import { describe, expect, it } from 'vitest';
import { releaseJobInput } from '../../../src/jobs/job-kinds.js';
import { spawnFixture } from '../../jobs/fixtures/child.js';
import { FORK, RELEASER, releaseWorld, seedCartoHistory } from './release-world.js';

// Issue 13 item 2: a worker SIGKILLed after GitHub accepted the image-build dispatch and before
// the answer came back. The resumed release finds the run that dispatch started and sends no
// second one: one image build per release.

const DISPATCH_PATH = `/repos/${FORK}/actions/workflows/carto-ghcr-deploy.yaml/dispatches`;

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function killDuringDispatch(world: Awaited<ReturnType<typeof releaseWorld>>): Promise<void> {
  // GitHub records the dispatch, then the answer is held: the worker never learns it was accepted.
  world.sandbox.faults.inject({ method: 'POST', path: DISPATCH_PATH, holdResponseMs: 30_000 });
  const child = spawnFixture('../../workflows/release/release-crash-worker.ts', [
    `${world.dir}/data`,
    world.sandbox.url,
    world.sandbox.token,
    '400',
  ]);
  try {
    await until(() => world.sandbox.dispatches.length === 1, 'the accepted dispatch');
    child.process.kill('SIGKILL');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
  } finally {
    child.process.kill('SIGKILL');
  }
}

describe('image build dispatch after a crash', () => {
  it('a worker killed before the dispatch answered: the resumed release dispatches no second build', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    world.sandbox.setRunName('carto-ghcr-deploy.yaml', (inputs) => `Deploy ${String(inputs.release_tag)}`);
    const { job } = await world.runner.enqueue(
      releaseJobInput({ pipeline: 'litellm', bump: 'auto' }, { kind: 'slack', id: RELEASER }),
    );
    await killDuringDispatch(world);
    expect(await world.runner.get(job.id)).toMatchObject({ state: 'running', leaseOwner: 'doomed-worker' });

    await world.runner.runUntilIdle({ timeoutMs: 60_000 });
    const done = await world.runner.get(job.id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2 });
    const tag = (done?.result as { tag: string }).tag;
    expect(world.sandbox.dispatches).toHaveLength(1);
    expect(world.sandbox.dispatches[0]?.payload).toEqual({ release_tag: tag });
    expect((done?.result as { dispatched: { runUrl?: string } }).dispatched.runUrl).toMatch(/\/actions\/runs\/\d+$/);
    // The resumed attempt looked for the run before deciding.
    expect(world.sandbox.requests.some((r) => r.method === 'GET' && r.path === `/repos/${FORK}/actions/runs`)).toBe(
      true,
    );
  });

  it('a dispatch that never reached GitHub is sent by the resumed release', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    // Refused before the handler: GitHub never accepted it, so there is no run to find.
    world.sandbox.faults.inject({ method: 'POST', path: DISPATCH_PATH, status: 503, latencyMs: 30_000 });
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
        () => world.sandbox.requests.some((r) => r.method === 'POST' && r.path === DISPATCH_PATH),
        'the dispatch request',
      );
      child.process.kill('SIGKILL');
      await child.exited;
    } finally {
      child.process.kill('SIGKILL');
    }
    world.sandbox.faults.clear();
    await world.runner.runUntilIdle({ timeoutMs: 60_000 });
    expect(await world.runner.get(job.id)).toMatchObject({ state: 'succeeded' });
    expect(world.sandbox.dispatches).toHaveLength(1);
  });
});
