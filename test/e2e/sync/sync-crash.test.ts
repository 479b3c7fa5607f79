import { describe, expect, it } from 'vitest';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { cliWorld } from './cli-process.js';

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('kill -9 in the middle of a sync', () => {
  it.each([
    [
      'while the mirror and the sync branch are pushed',
      { method: 'POST', path: '/CartoDB/litellm.git/git-receive-pack' },
      1,
    ],
    ['while the PR is being opened', { method: 'POST', path: '/repos/CartoDB/litellm/pulls' }, 1],
  ])('%s: the restart ends with one branch and one PR', async (_name, at, nth) => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    // Let the first nth-1 matching requests through, then hold the nth long enough to kill the
    // process while it waits for the answer.
    if (nth > 1) w.sandbox.faults.inject({ ...at, latencyMs: 1, times: nth - 1 });
    w.sandbox.faults.inject({ ...at, latencyMs: 3000, times: 1 });
    const first = w.start(['sync', '--config', w.configFile, '--json']);
    await until(() => w.sandbox.requests.filter((r) => r.method === at.method && r.path === at.path).length >= nth);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const again = await w.run(['sync', '--config', w.configFile, '--json']);
    expect(again.code).toBe(0);
    expect(again.json[0]).toMatchObject({ pipeline: 'litellm', outcome: 'pr-created', latestTag: 'v1.81.0-stable' });
    const syncBranches = (
      await w.sandbox.git(FORK, ['for-each-ref', '--format=%(refname)', 'refs/heads/upstream-sync/'])
    )
      .trim()
      .split('\n');
    expect(syncBranches).toEqual(['refs/heads/upstream-sync/v1.81.0-stable']);
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
    expect(w.sandbox.pulls(FORK)[0]!.number).toBe((again.json[0]!.pr as { number: number }).number);
  });
});
