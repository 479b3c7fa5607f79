import { describe, expect, it } from 'vitest';
import { BOT, FORK, SYNC_BRANCH, branchSyncWorld, upstreamCommit } from './branch-sync-world.js';
import { holdNthRequest } from '../../helpers/hold-nth-request.js';

// kill -9 of the real process at a named moment (a request held by the stand-in), then a rerun:
// one merge commit on the sync branch, one PR.

describe('branch-sync: kill -9 in the middle of a run', () => {
  it.each([
    ['while the sync branch is created', { method: 'POST', path: `/${FORK}.git/git-receive-pack` }, 1],
    ['while the merge commit is pushed', { method: 'POST', path: `/${FORK}.git/git-receive-pack` }, 2],
    ['while the PR is being opened', { method: 'POST', path: `/repos/${FORK}/pulls` }, 1],
  ])('%s: the rerun ends with one merge commit and one PR', async (_name, at, nth) => {
    const w = await branchSyncWorld();
    const u = await upstreamCommit(w.sandbox, { 'src/new.py': 'new\n' }, 'feat: new');
    const first = await holdNthRequest(w.sandbox, at, nth, () => w.start(['sync', '--config', w.configFile, '--json']));
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const again = await w.sync();
    expect(again.code).toBe(0);
    expect(again.line).toMatchObject({ outcome: 'pr-created', upstreamSha: u, behind: 0, ahead: 2 });
    const merges = (await w.syncLog()).filter((l) => l.includes(`|${BOT.name}|Merge`));
    expect(merges).toHaveLength(1);
    expect(merges[0]!.split('|')[0]!.split(' ')[2]).toBe(u);
    expect(await w.sandbox.branchSha(FORK, SYNC_BRANCH)).toBe(again.line.syncBranchSha);
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
    expect(w.sandbox.pulls(FORK)[0]!.number).toBe((again.line.pr as { number: number }).number);
  });
});
