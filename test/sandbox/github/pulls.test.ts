import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { ScratchRepo } from '../../../src/sandbox/scratch-repo.js';
import { tempDir } from '../../helpers/tmp.js';
import { seedLitellm, startGitHub } from './fixture.js';

const FORK = 'CartoDB/litellm';

async function syncPr(options: { conflict: boolean }) {
  const { sandbox, github } = await startGitHub();
  const seed = await seedLitellm(sandbox);
  // The sync branch starts at the upstream tag commit, in the fork.
  await sandbox.git(FORK, [
    'fetch',
    '--quiet',
    sandbox.barePath('BerriAI/litellm'),
    'refs/tags/v1.81.0-stable:refs/tags/v1.81.0-stable',
  ]);
  await sandbox.createBranch(FORK, 'upstream-sync/v1.81.0-stable', 'v1.81.0-stable');
  if (options.conflict) {
    await sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'pyproject.toml': 'version = "1.80.0+carto"\n' },
      message: 'carto edits pyproject',
      as: 'carto-dev',
    });
  }
  const pr = await github.createPull(FORK, {
    title: '🔄 Upstream Sync: LiteLLM v1.81.0-stable',
    head: 'upstream-sync/v1.81.0-stable',
    base: 'carto/main',
    body: 'body',
  });
  return { sandbox, github, seed, pr };
}

describe('pull requests in the stand-in', () => {
  it('computes mergeable from the real repositories: clean', async () => {
    const { github, pr, seed } = await syncPr({ conflict: false });
    expect(pr).toMatchObject({
      state: 'open',
      headRef: 'upstream-sync/v1.81.0-stable',
      headSha: seed.v2,
      headRepo: FORK,
      baseRef: 'carto/main',
    });
    const got = await github.getPull(FORK, pr.number);
    expect(got).toMatchObject({ mergeable: true, mergeableState: 'clean', merged: false });
  });

  it('computes mergeable from the real repositories: conflicting', async () => {
    const { github, pr } = await syncPr({ conflict: true });
    expect(await github.getPull(FORK, pr.number)).toMatchObject({ mergeable: false, mergeableState: 'dirty' });
    const err = await github.mergePull(FORK, pr.number, { sha: pr.headSha }).catch((e: unknown) => e);
    expect(isAppError(err, 'conflict')).toBe(true);
    expect((err as Error).message).toMatch(/merge pull request #1 on CartoDB\/litellm.*405.*not mergeable/);
  });

  it('reports mergeable as unknown while "GitHub is computing it"', async () => {
    const { sandbox, github, pr } = await syncPr({ conflict: false });
    sandbox.mergeableUnknown(FORK, pr.number, 2);
    expect((await github.getPull(FORK, pr.number)).mergeable).toBeNull();
    expect((await github.getPull(FORK, pr.number)).mergeableState).toBe('unknown');
    expect((await github.getPull(FORK, pr.number)).mergeable).toBe(true);
  });

  it('can make every new or pushed pull request start "unknown", as GitHub does', async () => {
    const { sandbox, github } = await startGitHub({ unknownMergeableReads: 1 });
    const seed = await seedLitellm(sandbox);
    await sandbox.createBranch(FORK, 'upstream-sync/v1.81.0-stable', seed.v2);
    const pr = await github.createPull(FORK, {
      title: 't',
      head: 'upstream-sync/v1.81.0-stable',
      base: 'carto/main',
      body: '',
    });
    expect(pr.mergeable).toBeNull();
    expect((await github.getPull(FORK, pr.number)).mergeable).toBeNull();
    expect((await github.getPull(FORK, pr.number)).mergeable).toBe(true);
    await sandbox.pushCommit(FORK, {
      branch: 'upstream-sync/v1.81.0-stable',
      files: { 'more.txt': 'x\n' },
      message: 'more',
    });
    expect((await github.getPull(FORK, pr.number)).mergeable).toBeNull();
    expect((await github.getPull(FORK, pr.number)).mergeable).toBe(true);
  });

  it('merges with a two-parent merge commit, records the method, advances the base with compare-and-swap', async () => {
    const { sandbox, github, pr, seed } = await syncPr({ conflict: false });
    const { sha } = await github.mergePull(FORK, pr.number, {
      sha: pr.headSha,
      commitTitle: 'Merge upstream v1.81.0-stable',
    });
    const parents = (await sandbox.git(FORK, ['rev-list', '--parents', '-n', '1', sha])).trim().split(' ').slice(1);
    expect(parents).toEqual([seed.cartoMain, seed.v2]);
    expect(await sandbox.branchSha(FORK, 'carto/main')).toBe(sha);
    expect(sandbox.merges).toEqual([
      expect.objectContaining({ number: pr.number, method: 'merge', ok: true, by: sandbox.login }),
    ]);
    const mergeRequest = sandbox.requests.find((r) => r.route === 'PUT /repos/:owner/:repo/pulls/:number/merge');
    expect(mergeRequest?.body).toMatchObject({ merge_method: 'merge', sha: pr.headSha });
    expect(await github.getPull(FORK, pr.number)).toMatchObject({ state: 'closed', merged: true, mergeCommitSha: sha });
    expect((await sandbox.git(FORK, ['log', '-1', '--format=%s', sha])).trim()).toBe('Merge upstream v1.81.0-stable');
  });

  it('refuses a merge when the head moved since the caller looked (409)', async () => {
    const { sandbox, github, pr } = await syncPr({ conflict: false });
    await sandbox.pushCommit(FORK, {
      branch: 'upstream-sync/v1.81.0-stable',
      files: { 'late.txt': 'x\n' },
      message: 'late push',
    });
    const err = await github.mergePull(FORK, pr.number, { sha: pr.headSha }).catch((e: unknown) => e);
    expect(isAppError(err, 'conflict')).toBe(true);
    expect(sandbox.merges[0]).toMatchObject({ ok: false, status: 409 });
    expect((await github.getPull(FORK, pr.number)).state).toBe('open');
  });

  it('records a person squash-merging so an invariant test can see history was flattened', async () => {
    const { sandbox, pr } = await syncPr({ conflict: false });
    const { sha } = await sandbox.mergePullAs(FORK, pr.number, 'careless-human', { method: 'squash' });
    expect(sandbox.merges.map((m) => m.method)).toEqual(['squash']);
    expect((await sandbox.git(FORK, ['rev-list', '--parents', '-n', '1', sha])).trim().split(' ')).toHaveLength(2);
  });

  it('answers 422 for a duplicate pull request and for a missing head branch', async () => {
    const { github } = await syncPr({ conflict: false });
    const dup = await github
      .createPull(FORK, { title: 'again', head: 'upstream-sync/v1.81.0-stable', base: 'carto/main', body: '' })
      .catch((e: unknown) => e);
    expect(isAppError(dup, 'validation')).toBe(true);
    expect((dup as Error).message).toMatch(/A pull request already exists for CartoDB:upstream-sync\/v1.81.0-stable/);
    const missing = await github
      .createPull(FORK, { title: 'x', head: 'no-such-branch', base: 'carto/main', body: '' })
      .catch((e: unknown) => e);
    expect(isAppError(missing, 'validation')).toBe(true);
  });

  it('lists with state/base/head filters and closes', async () => {
    const { sandbox, github, pr } = await syncPr({ conflict: false });
    expect((await github.listPulls(FORK, { state: 'open', base: 'carto/main' })).map((p) => p.number)).toEqual([
      pr.number,
    ]);
    expect(await github.listPulls(FORK, { state: 'open', base: 'main' })).toEqual([]);
    await github.updatePull(FORK, pr.number, { state: 'closed', title: 'closed by bot' });
    expect(await github.listPulls(FORK, { state: 'open' })).toEqual([]);
    expect((await github.listPulls(FORK, { state: 'closed' }))[0]).toMatchObject({
      title: 'closed by bot',
      merged: false,
    });
    expect(sandbox.pull(FORK, pr.number).state).toBe('closed');
  });

  it('opens a pull request from a fork into upstream (owner:branch head)', async () => {
    const { sandbox, github } = await startGitHub();
    const seed = await seedLitellm(sandbox);
    const pr = await github.createPull('BerriAI/litellm', {
      title: 'from fork',
      head: 'CartoDB:carto/main',
      base: 'main',
      body: '',
    });
    expect(pr).toMatchObject({ headRepo: FORK, headRef: 'carto/main', headSha: seed.cartoMain });
    expect((await github.getPull('BerriAI/litellm', pr.number)).mergeable).toBe(true);
  });
});

describe('branch protection and races', () => {
  it('refuses direct pushes and ref updates to a protected branch; merging the PR still works', async () => {
    const { sandbox, github, pr } = await syncPr({ conflict: false });
    await sandbox.protectBranch(FORK, 'carto/main');
    const before = await sandbox.branchSha(FORK, 'carto/main');
    const clone = await ScratchRepo.clone(sandbox.authenticatedCloneUrl(FORK), `${await tempDir()}/clone`);
    await clone.checkout('carto/main');
    await clone.commit({ 'direct.txt': 'x\n' }, 'direct push');
    await expect(clone.push('origin', ['carto/main'])).rejects.toThrow(
      /GH006: Protected branch update failed for refs\/heads\/carto\/main/,
    );
    const viaApi = await github.octokit.rest.git
      .updateRef({ owner: 'CartoDB', repo: 'litellm', ref: 'heads/carto/main', sha: pr.headSha, force: true })
      .catch((e: { status: number }) => e);
    expect((viaApi as { status: number }).status).toBe(422);
    expect(await sandbox.branchSha(FORK, 'carto/main')).toBe(before);
    const { sha } = await github.mergePull(FORK, pr.number, { sha: pr.headSha });
    expect(await sandbox.branchSha(FORK, 'carto/main')).toBe(sha);
  });

  it('blocks the merge until required checks pass on the head', async () => {
    const { sandbox, github, pr } = await syncPr({ conflict: false });
    await sandbox.protectBranch(FORK, 'carto/main', { requiredChecks: ['lint', 'features-check'] });
    await sandbox.setCheckRun(FORK, pr.headSha, { name: 'lint', conclusion: 'failure' });
    expect(await github.getPull(FORK, pr.number)).toMatchObject({ mergeable: true, mergeableState: 'blocked' });
    const blocked = await github.mergePull(FORK, pr.number, { sha: pr.headSha }).catch((e: unknown) => e);
    expect(isAppError(blocked, 'conflict')).toBe(true);
    expect((blocked as Error).message).toMatch(/Required status check "lint" is expected/);
    await sandbox.setCheckRun(FORK, pr.headSha, { name: 'lint', conclusion: 'success' });
    await sandbox.setStatus(FORK, pr.headSha, { context: 'features-check', state: 'success' });
    expect((await github.getPull(FORK, pr.number)).mergeableState).toBe('clean');
    await github.mergePull(FORK, pr.number, { sha: pr.headSha });
  });

  it('lets exactly one of two racing merges through', async () => {
    const { sandbox, github, pr } = await syncPr({ conflict: false });
    const results = await Promise.allSettled([
      github.mergePull(FORK, pr.number, { sha: pr.headSha }),
      sandbox.mergePullAs(FORK, pr.number, 'mateo-di'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const tip = await sandbox.branchSha(FORK, 'carto/main');
    expect(sandbox.merges.filter((m) => m.ok).map((m) => m.sha)).toEqual([tip]);
    expect((await sandbox.git(FORK, ['rev-list', '--count', 'carto/main'])).trim()).toBe('4');
  });
});
