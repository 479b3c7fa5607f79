import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { BOT, FORK, SYNC_BRANCH, branchSyncConfig, branchSyncWorld, upstreamCommit } from './branch-sync-world.js';

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

    const status = await w.run(['status', '--config', w.configFile, '--json']);
    expect(status.code).toBe(0);
    expect(status.json).toEqual([
      expect.objectContaining({
        pipeline: 'webui',
        kind: 'branch-sync',
        state: 'pr-open',
        upstreamSha: u,
        syncBranchSha: head,
        ahead: 2,
        behind: 0,
        pr: first.line.pr,
        lastRun: expect.objectContaining({ outcome: 'up-to-date' }),
        stale: false,
      }),
    ]);
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);
  });

  it('upstream moves while the PR is open: the same PR, the sync branch fast-forwarded by one more merge', async () => {
    const w = await branchSyncWorld();
    await upstreamCommit(w.sandbox, { 'src/new.py': 'new\n' }, 'feat: first');
    const first = await w.sync();
    const head1 = first.line.syncBranchSha as string;
    const u2 = await upstreamCommit(w.sandbox, { 'src/more.py': 'more\n' }, 'fix: second');

    const second = await w.sync();
    expect(second.code).toBe(0);
    expect(second.line).toMatchObject({
      outcome: 'pr-updated',
      upstreamSha: u2,
      ahead: 4,
      behind: 0,
      pr: first.line.pr,
    });
    const head2 = second.line.syncBranchSha as string;
    expect(await w.sandbox.branchSha(FORK, SYNC_BRANCH)).toBe(head2);
    const log = await w.syncLog();
    expect(log[0]!.split('|')[0]).toBe(`${head2} ${head1} ${u2}`);
    const pulls = w.sandbox.pulls(FORK);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.body).toContain('**2 upstream commits** not yet in `dev`');
    expect(pulls[0]!.body).toContain('fix: second');
    // Only fast-forwards: the first merge is still in the branch.
    await w.sandbox.git(FORK, ['merge-base', '--is-ancestor', head1, head2]);
  });

  it('--dry-run computes the outcome and the conflicted paths with zero mutating requests', async () => {
    const w = await branchSyncWorld();
    await upstreamCommit(w.sandbox, { 'src/new.py': 'new\n', 'docs/setup.md': 'upstream setup\n' }, 'feat: up');
    await w.sandbox.pushCommit(FORK, {
      branch: 'dev',
      files: { 'docs/setup.md': 'acme setup\n' },
      message: 'docs',
      as: 'acme-dev',
    });
    const dry = await w.sync('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.line).toMatchObject({
      outcome: 'pr-created',
      syncBranchSha: null,
      pr: null,
      conflicts: ['docs/setup.md'],
      dryRun: true,
      ahead: 2,
      behind: 0,
    });
    expect(w.sandbox.mutatingRequests()).toEqual([]);
    expect(await w.sandbox.branchSha(FORK, SYNC_BRANCH)).toBeNull();
    const real = await w.sync();
    expect(real.line).toMatchObject({ outcome: 'pr-created', conflicts: ['docs/setup.md'], ahead: 2, dryRun: false });
  });

  it('unrelated histories are refused (exit 1, nothing changed) unless allowUnrelatedHistories', async () => {
    const w = await branchSyncWorld({ unrelatedUpstream: true });
    const refused = await w.sync();
    expect(refused.code).toBe(1);
    expect(refused.line).toMatchObject({
      outcome: 'refused',
      syncBranchSha: null,
      pr: null,
      refused: { reason: 'unrelated-histories', message: expect.stringContaining('share no history') },
    });
    expect(w.sandbox.mutatingRequests()).toEqual([]);
    expect(await w.sandbox.branchSha(FORK, SYNC_BRANCH)).toBeNull();

    await writeFile(w.configFile, branchSyncConfig('    allowUnrelatedHistories: true\n'));
    const allowed = await w.sync();
    expect(allowed.code).toBe(0);
    expect(allowed.line).toMatchObject({ outcome: 'pr-created', behind: 0, conflicts: [] });
    const head = allowed.line.syncBranchSha as string;
    const files = (await w.sandbox.git(FORK, ['ls-tree', '-r', '--name-only', head])).trim().split('\n');
    expect(files).toEqual(expect.arrayContaining(['ACME.md', 'README.md', 'src/app.py']));
    expect((await w.syncLog())[0]!.split('|')[0]!.split(' ')).toHaveLength(3);
  });

  it('a conflict a path rule decides (docs/** take fork) is merged and pushed without markers', async () => {
    const w = await branchSyncWorld();
    await w.sandbox.pushCommit(FORK, {
      branch: 'dev',
      files: { 'docs/setup.md': 'acme setup\n' },
      message: 'docs: ours',
      as: 'acme-dev',
    });
    await upstreamCommit(w.sandbox, { 'docs/setup.md': 'upstream setup\n', 'src/new.py': 'new\n' }, 'docs: theirs');
    const run = await w.sync();
    expect(run.line).toMatchObject({ outcome: 'pr-created', conflicts: ['docs/setup.md'], behind: 0 });
    const head = run.line.syncBranchSha as string;
    expect(await w.sandbox.git(FORK, ['show', `${head}:docs/setup.md`])).toBe('acme setup\n');
    expect(await w.sandbox.git(FORK, ['show', `${head}:src/new.py`])).toBe('new\n');
    expect(await w.sandbox.git(FORK, ['log', '-1', '--format=%B', head])).toContain('docs/setup.md: fork');
    const pr = w.sandbox.pulls(FORK)[0]!;
    expect(pr.labels).not.toContain('conflicts');
    expect(pr.body).toContain('**Conflicts resolved**');
  });

  it('a conflict that needs a person: the branch stays, the PR gets the label and one comment; decided later → pushed, label removed', async () => {
    const w = await branchSyncWorld();
    await upstreamCommit(w.sandbox, { 'src/new.py': 'new\n' }, 'feat: clean');
    const first = await w.sync();
    const head1 = first.line.syncBranchSha as string;
    const number = (first.line.pr as { number: number }).number;
    await w.sandbox.pushCommit(FORK, {
      branch: SYNC_BRANCH,
      files: { 'src/app.py': 'a = 1\nb = ACME\nc = 3\n' },
      message: 'acme: b',
      as: 'acme-dev',
    });
    const ours = (await w.sandbox.branchSha(FORK, SYNC_BRANCH))!;
    const u = await upstreamCommit(w.sandbox, { 'src/app.py': 'a = 1\nb = UPSTREAM\nc = 3\n' }, 'feat: b upstream');

    const waiting = await w.sync();
    expect(waiting.code).toBe(0);
    expect(waiting.line).toMatchObject({
      outcome: 'conflicts',
      upstreamSha: u,
      syncBranchSha: ours,
      behind: 1,
      pr: first.line.pr,
      conflicts: ['src/app.py'],
    });
    expect(await w.sandbox.branchSha(FORK, SYNC_BRANCH)).toBe(ours);
    expect(w.sandbox.pull(FORK, number).labels).toContain('conflicts');
    const notes = () => w.sandbox.comments(FORK, number).filter((c) => c.body.includes('branch-sync:conflicts'));
    expect(notes()).toHaveLength(1);
    expect(notes()[0]!.body).toContain('`src/app.py`');

    const before = w.sandbox.mutatingRequests().length;
    expect((await w.sync()).line).toMatchObject({ outcome: 'conflicts', syncBranchSha: ours });
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);

    // A rule now decides the hunk (a person's Slack choice takes the same path: test/e2e/branch-sync/…-slack).
    await writeFile(
      w.configFile,
      branchSyncConfig().replace("[ { paths: ['docs/**'], take: fork } ]", "[ { paths: ['src/**'], take: upstream } ]"),
    );
    const resolved = await w.sync();
    expect(resolved.line).toMatchObject({
      outcome: 'pr-updated',
      behind: 0,
      conflicts: ['src/app.py'],
      pr: first.line.pr,
    });
    const head = resolved.line.syncBranchSha as string;
    expect(await w.sandbox.git(FORK, ['show', `${head}:src/app.py`])).toBe('a = 1\nb = UPSTREAM\nc = 3\n');
    expect((await w.syncLog())[0]!.split('|')[0]).toBe(`${head} ${ours} ${u}`);
    expect(w.sandbox.pull(FORK, number).labels).not.toContain('conflicts');
    expect(notes()).toHaveLength(1);
    expect(notes()[0]!.body).toContain('resolved');
    expect(head1).not.toBe(head);
  });
});
