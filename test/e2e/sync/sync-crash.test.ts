import { describe, expect, it } from 'vitest';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { cliWorld } from './cli-process.js';
import { holdNthRequest } from '../../helpers/hold-nth-request.js';

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
    const first = await holdNthRequest(w.sandbox, at, nth, () => w.start(['sync', '--config', w.configFile, '--json']));
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
