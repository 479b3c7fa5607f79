import { describe, expect, it } from 'vitest';
import { seedLitellm, startGitHub } from '../../sandbox/github/fixture.js';

// Every GitHubPort method through the real Octokit client against the stand-in.

const UP = 'BerriAI/litellm';
const FORK = 'CartoDB/litellm';

async function setup() {
  const { sandbox, github } = await startGitHub();
  const seed = await seedLitellm(sandbox);
  await sandbox.createBranch(FORK, 'upstream-sync/v1.81.0-stable', seed.v2);
  const pr = await github.createPull(FORK, {
    title: 'sync',
    head: 'upstream-sync/v1.81.0-stable',
    base: 'carto/main',
    body: 'body',
    draft: false,
  });
  return { sandbox, github, seed, pr };
}

describe('GitHubAdapter against the stand-in', () => {
  it('reads repositories, releases, files, branches, tags and comparisons', async () => {
    const { sandbox, github, seed } = await setup();
    expect(await github.getRepo(FORK)).toEqual({
      fullName: FORK,
      cloneUrl: `${sandbox.url}/CartoDB/litellm.git`,
      htmlUrl: `${sandbox.url}/CartoDB/litellm`,
      defaultBranch: 'main',
      fork: true,
      parent: UP,
    });
    const releases = await github.listReleases(UP);
    expect(releases.map((r) => [r.tag, r.draft, r.prerelease, r.publishedAt])).toEqual([
      ['v1.81.0-stable', false, false, '2026-02-01T00:00:00Z'],
      ['v1.80.0-stable', false, false, '2026-01-01T00:00:00Z'],
    ]);
    expect(await github.getReleaseByTag(UP, 'v1.80.0-stable')).toMatchObject({
      tag: 'v1.80.0-stable',
      name: 'v1.80.0-stable',
    });
    expect(await github.getReleaseByTag(UP, 'v9.9.9')).toBeNull();
    expect(await github.getFileText(FORK, 'carto_feature.py', 'carto/main')).toBe('x = 1\n');
    expect(await github.getFileText(FORK, 'missing.py', 'carto/main')).toBeNull();
    expect(await github.getFileText(FORK, 'carto_feature.py', 'no-such-ref')).toBeNull();
    expect(await github.getBranchSha(FORK, 'carto/main')).toBe(seed.cartoMain);
    expect(await github.getBranchSha(FORK, 'nope')).toBeNull();
    expect(await github.listTags(UP)).toEqual([
      { name: 'v1.81.0-stable', sha: seed.v2 },
      { name: 'v1.80.0-stable', sha: seed.v1 },
    ]);

    const cmp = await github.compare(FORK, 'carto/main', 'upstream-sync/v1.81.0-stable');
    expect(cmp).toMatchObject({ aheadBy: 1, behindBy: 1, status: 'diverged' });
    expect(cmp.commits.map((c) => c.sha)).toEqual([seed.v2]);
    expect(cmp.files).toEqual([
      { path: 'pyproject.toml', status: 'modified', additions: 1, deletions: 1, previousPath: null },
    ]);
    expect((await github.compare(FORK, 'main', 'main')).status).toBe('identical');
    expect((await github.listCommitsBetween(FORK, 'main', 'carto/main')).map((c) => c.message)).toEqual([
      'feat: carto feature',
    ]);
  });

  it('maps commit authors to logins for registered users', async () => {
    const { sandbox, github } = await startGitHub();
    sandbox.registerUser({ login: 'mateo-di', name: 'Mateo', email: 'mateo@carto.com' });
    await sandbox.createRepo(FORK);
    await sandbox.pushCommit(FORK, { branch: 'main', files: { a: '1' }, message: 'base' });
    await sandbox.pushCommit(FORK, { branch: 'main', files: { a: '2' }, message: 'fix: by mateo', as: 'mateo-di' });
    await sandbox.pushCommit(FORK, {
      branch: 'main',
      files: { a: '3' },
      message: 'feat: by a stranger',
      as: 'stranger',
    });
    const commits = await github.listCommitsBetween(FORK, 'main~2', 'main');
    expect(commits.map((c) => [c.message, c.authorLogin, c.authorEmail])).toEqual([
      ['fix: by mateo', 'mateo-di', 'mateo@carto.com'],
      ['feat: by a stranger', null, 'stranger@users.noreply.sandbox.test'],
    ]);
  });

  it('lists every commit between two refs across pages of the comparison', async () => {
    const { sandbox, github } = await startGitHub();
    await sandbox.createRepo(FORK);
    await sandbox.pushCommit(FORK, { branch: 'main', files: { n: '0' }, message: 'base' });
    await sandbox.pushCommits(
      FORK,
      'carto/main',
      Array.from({ length: 130 }, (_, i) => ({ files: { n: String(i + 1) }, message: `commit ${i + 1}` })),
      { from: 'main' },
    );
    const commits = await github.listCommitsBetween(FORK, 'main', 'carto/main');
    expect(commits.map((c) => c.message)).toEqual(Array.from({ length: 130 }, (_, i) => `commit ${i + 1}`));
    expect(sandbox.requests.filter((r) => r.route === 'GET /repos/:owner/:repo/compare/*basehead')).toHaveLength(2);
  });

  it('lists organization members over several pages', async () => {
    const { sandbox, github } = await startGitHub();
    const logins = Array.from({ length: 130 }, (_, i) => `member-${String(i).padStart(3, '0')}`);
    sandbox.setOrgMembers('CartoDB', logins);
    expect(await github.listOrgMembers('CartoDB')).toEqual(logins);
    expect(sandbox.requests.filter((r) => r.route === 'GET /orgs/:org/members')).toHaveLength(2);
  });

  it('creates, gets, lists and updates pull requests, with their commits and files', async () => {
    const { github, pr, seed } = await setup();
    expect(pr).toMatchObject({
      number: 1,
      title: 'sync',
      body: 'body',
      state: 'open',
      merged: false,
      headRef: 'upstream-sync/v1.81.0-stable',
      headSha: seed.v2,
      headRepo: FORK,
      baseRef: 'carto/main',
      labels: [],
      user: 'upstream-sync-bot',
    });
    expect(pr.htmlUrl).toMatch(/\/CartoDB\/litellm\/pull\/1$/);
    expect((await github.listPulls(FORK, { state: 'open' })).map((p) => p.number)).toEqual([1]);
    const updated = await github.updatePull(FORK, 1, { title: 'new title', body: 'new body' });
    expect(updated).toMatchObject({ title: 'new title', body: 'new body', state: 'open' });
    expect((await github.listPullCommits(FORK, 1)).map((c) => c.sha)).toEqual([seed.v2]);
    expect(await github.listPullFiles(FORK, 1)).toEqual([
      { path: 'pyproject.toml', status: 'modified', additions: 1, deletions: 1, previousPath: null },
    ]);
  });

  it('labels, reviewers, assignees and comments', async () => {
    const { sandbox, github, pr } = await setup();
    await github.addLabels(FORK, pr.number, ['upstream-sync', 'automated']);
    await github.addLabels(FORK, pr.number, ['automated']);
    expect((await github.getPull(FORK, pr.number)).labels).toEqual(['upstream-sync', 'automated']);
    await github.removeLabel(FORK, pr.number, 'automated');
    await github.removeLabel(FORK, pr.number, 'never-there');
    expect((await github.getPull(FORK, pr.number)).labels).toEqual(['upstream-sync']);

    await github.requestReviewers(FORK, pr.number, { reviewers: ['mateo-di'], teamReviewers: ['litellm-maintainers'] });
    await github.addAssignees(FORK, pr.number, ['mateo-di']);
    expect(sandbox.pull(FORK, pr.number)).toMatchObject({
      requestedReviewers: ['mateo-di'],
      requestedTeams: ['litellm-maintainers'],
      assignees: ['mateo-di'],
    });

    const comment = await github.createComment(FORK, pr.number, '<!-- upstream-sync:thread -->\nstarted');
    expect(comment).toMatchObject({ body: '<!-- upstream-sync:thread -->\nstarted', user: 'upstream-sync-bot' });
    const edited = await github.updateComment(FORK, comment.id, 'finished');
    expect(edited).toMatchObject({ id: comment.id, body: 'finished' });
    for (let i = 0; i < 104; i++) sandbox.commentAs(FORK, pr.number, 'someone', `comment ${i}`);
    const all = await github.listComments(FORK, pr.number);
    expect(all).toHaveLength(105);
    expect(all[0]).toMatchObject({ id: comment.id, body: 'finished' });
  });

  it('merges with merge_method "merge" only', async () => {
    const { sandbox, github, pr } = await setup();
    const { sha } = await github.mergePull(FORK, pr.number, {
      sha: pr.headSha,
      commitTitle: 'Merge sync',
      commitMessage: 'details',
    });
    expect(await github.getBranchSha(FORK, 'carto/main')).toBe(sha);
    expect(sandbox.merges.map((m) => m.method)).toEqual(['merge']);
    expect(sandbox.mutatingRequests().find((r) => r.path.endsWith('/merge'))?.body).toEqual({
      merge_method: 'merge',
      sha: pr.headSha,
      commit_title: 'Merge sync',
      commit_message: 'details',
    });
  });

  it('summarizes check runs and commit statuses', async () => {
    const { sandbox, github, pr } = await setup();
    expect(await github.getChecks(FORK, pr.headSha)).toEqual({ state: 'none', total: 0, failing: [], pending: [] });
    await sandbox.setCheckRun(FORK, pr.headSha, { name: 'docker', status: 'in_progress' });
    await sandbox.setCheckRun(FORK, pr.headSha, { name: 'lint', conclusion: 'success' });
    await sandbox.setStatus(FORK, pr.headSha, { context: 'features-check', state: 'success' });
    expect(await github.getChecks(FORK, pr.headSha)).toEqual({
      state: 'pending',
      total: 3,
      failing: [],
      pending: ['docker'],
    });
    await sandbox.setCheckRun(FORK, pr.headSha, { name: 'docker', conclusion: 'failure' });
    await sandbox.setStatus(FORK, pr.headSha, { context: 'features-check', state: 'pending' });
    expect(await github.getChecks(FORK, 'upstream-sync/v1.81.0-stable')).toEqual({
      state: 'failure',
      total: 3,
      failing: ['docker'],
      pending: ['features-check'],
    });
    await sandbox.setCheckRun(FORK, pr.headSha, { name: 'docker', conclusion: 'success' });
    await sandbox.setStatus(FORK, pr.headSha, { context: 'features-check', state: 'success' });
    expect(await github.getChecks(FORK, pr.headSha)).toEqual({ state: 'success', total: 3, failing: [], pending: [] });
  });

  it('creates releases, deletes branches, dispatches workflows and repository events', async () => {
    const { sandbox, github, seed } = await setup();
    const release = await github.createRelease(FORK, {
      tag: 'v1.80.0-carto.1.0.0',
      name: 'v1.80.0-carto.1.0.0',
      body: 'notes',
      targetCommitish: 'carto/main',
    });
    expect(release).toMatchObject({ tag: 'v1.80.0-carto.1.0.0', draft: false, prerelease: false, body: 'notes' });
    expect((await sandbox.git(FORK, ['rev-parse', 'v1.80.0-carto.1.0.0^{commit}'])).trim()).toBe(seed.cartoMain);

    await github.deleteBranch(FORK, 'upstream-sync/v1.81.0-stable');
    await github.deleteBranch(FORK, 'upstream-sync/v1.81.0-stable');
    expect(await github.getBranchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBeNull();
    // GitHub closes a pull request whose head branch is deleted.
    expect(sandbox.pull(FORK, 1).state).toBe('closed');

    await github.dispatchWorkflow(FORK, 'carto-ghcr-deploy.yaml', 'carto/main', { tag: 'v1.80.0-carto.1.0.0' });
    await github.dispatchRepository(FORK, 'upstream_sync_ready', { version: 'v1.81.0-stable' });
    expect(sandbox.dispatches.map((d) => [d.kind, d.name, d.ref, d.payload])).toEqual([
      ['workflow', 'carto-ghcr-deploy.yaml', 'carto/main', { tag: 'v1.80.0-carto.1.0.0' }],
      ['repository', 'upstream_sync_ready', null, { version: 'v1.81.0-stable' }],
    ]);
    sandbox.assertNoUnexpectedRequests();
  });
});
