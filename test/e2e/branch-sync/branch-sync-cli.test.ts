import { describe, expect, it } from 'vitest';
import { BOT, FORK, SYNC_BRANCH, branchSyncWorld, upstreamCommit } from './branch-sync-world.js';

// `upstream-sync sync --pipeline webui --json` for a branch-sync pipeline: the real process, the
// GitHub stand-in over real bare repositories.

describe('branch-sync: sync branch merged with upstream, one PR into the target', () => {
  it('first run creates the sync branch from dev, merges upstream and opens the PR; a rerun changes nothing', async () => {
    const w = await branchSyncWorld();
    const dev = (await w.sandbox.branchSha(FORK, 'dev'))!;
    const u = await upstreamCommit(w.sandbox, { 'src/new.py': 'new\n' }, 'feat: new upstream thing');

    const first = await w.sync();
    expect(first.code).toBe(0);
    const head = (await w.sandbox.branchSha(FORK, SYNC_BRANCH))!;
    expect(first.line).toEqual({
      pipeline: 'webui',
      kind: 'branch-sync',
      outcome: 'pr-created',
      upstreamSha: u,
      syncBranchSha: head,
      ahead: 2,
      behind: 0,
      pr: { number: expect.any(Number), url: expect.stringContaining(`/${FORK}/pull/`) },
      conflicts: [],
      dryRun: false,
    });
    // A two-parent merge commit by the bot: first parent dev (where the branch was created), second U.
    const [merge] = await w.syncLog();
    expect(merge).toBe(
      `${head} ${dev} ${u}|${BOT.name}|Merge open-webui/open-webui main (${u.slice(0, 12)}) into ${SYNC_BRANCH}`,
    );
    const pulls = w.sandbox.pulls(FORK);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      title: 'chore: sync with upstream',
      headRef: SYNC_BRANCH,
      baseRef: 'dev',
      labels: ['upstream-sync'],
      requestedReviewers: ['devops-lead'],
    });
    expect(pulls[0]!.body).toContain('**1 upstream commit** not yet in `dev`');
    expect(pulls[0]!.body).toContain(`${u.slice(0, 12)} feat: new upstream thing`);
    expect(pulls[0]!.body).toContain('/open-webui/open-webui/compare/');

    const before = w.sandbox.mutatingRequests().length;
    const again = await w.sync();
    expect(again.line).toMatchObject({
      outcome: 'up-to-date',
      syncBranchSha: head,
      ahead: 2,
      behind: 0,
      pr: first.line.pr,
    });
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
  });
});
