import { describe, expect, it } from 'vitest';
import { TARGET, diverge, mirrorWorld } from './mirror-world.js';
import { holdNthRequest } from '../../helpers/hold-nth-request.js';

// kill -9 a `sync --merge` in the middle of each effect (the merge branch's creation, the merge
// commit's push, the PR's creation), then run it again: one branch, one merge commit with the
// target head as first parent, one PR; the target branch untouched.

const RECEIVE = { method: 'POST', path: `/${TARGET}.git/git-receive-pack` };
const PULLS = { method: 'POST', path: `/repos/${TARGET}/pulls` };

describe('kill -9 during a merge into target, then a rerun', { timeout: 240_000 }, () => {
  it.each([
    ['the merge branch creation', RECEIVE, 1],
    ['the merge commit push', RECEIVE, 2],
    ['the PR creation', PULLS, 1],
  ])('during %s: one branch, one merge commit [T, S], one PR', async (_n, at, nth) => {
    const w = await mirrorWorld();
    const { s1, t1 } = await diverge(
      w.sandbox,
      { files: { 'a.c': 'source\n' }, message: 'occ: a' },
      { files: { 'b.c': 'target\n' }, message: 'cogpy: b' },
    );
    const first = await holdNthRequest(w.sandbox, at, nth, () =>
      w.start(['sync', '--config', w.configFile, '--pipeline', 'occ', '--json', '--merge']),
    );
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const again = await w.sync('--merge');
    expect(again.code).toBe(0);
    const branch = `upstream-sync/mirror-${s1.slice(0, 7)}`;
    const pulls = w.sandbox.pulls(TARGET);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ headRef: branch, baseRef: 'main', state: 'open' });
    const merge = (await w.sandbox.branchSha(TARGET, branch))!;
    expect(again.json[0]).toMatchObject({ outcome: 'merge-pr', mergeSha: merge, pr: { number: pulls[0]!.number } });
    expect((await w.sandbox.git(TARGET, ['log', '-1', '--format=%P', merge])).trim()).toBe(`${t1} ${s1}`);
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(t1);
    // Exactly one merge commit on the branch above the target head.
    expect((await w.sandbox.git(TARGET, ['rev-list', '--count', `${t1}..${merge}`, '--merges'])).trim()).toBe('1');
  });
});
