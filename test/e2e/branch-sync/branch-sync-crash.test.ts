import { describe, expect, it } from 'vitest';
import { BOT, FORK, SYNC_BRANCH, branchSyncWorld, upstreamCommit } from './branch-sync-world.js';

// kill -9 of the real process at a named moment (a request held by the stand-in), then a rerun:
// one merge commit on the sync branch, one PR.

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('branch-sync: kill -9 in the middle of a run', () => {
  it.each([
    ['while the sync branch is created', { method: 'POST', path: `/${FORK}.git/git-receive-pack` }, 1],
    ['while the merge commit is pushed', { method: 'POST', path: `/${FORK}.git/git-receive-pack` }, 2],
    ['while the PR is being opened', { method: 'POST', path: `/repos/${FORK}/pulls` }, 1],
  ])('%s: the rerun ends with one merge commit and one PR', async (_name, at, nth) => {
    const w = await branchSyncWorld();
    const u = await upstreamCommit(w.sandbox, { 'src/new.py': 'new\n' }, 'feat: new');
    if (nth > 1) w.sandbox.faults.inject({ ...at, latencyMs: 1, times: nth - 1 });
    w.sandbox.faults.inject({ ...at, latencyMs: 3000, times: 1 });
    const first = w.start(['sync', '--config', w.configFile, '--json']);
    await until(() => w.sandbox.requests.filter((r) => r.method === at.method && r.path === at.path).length >= nth);
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
