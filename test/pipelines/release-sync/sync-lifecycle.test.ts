import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORK, syncWorld } from './harness.js';

describe('one sync PR at a time', () => {
  it('queue: a newer release while a PR is open is reported, nothing opened, the mirror still advances', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    const first = await w.sync();
    const newer = await w.release('1.82.0');
    const before = w.sandbox.mutatingRequests().length;
    const result = await w.sync();
    expect(result).toMatchObject({ outcome: 'queued', latestTag: 'v1.82.0-stable', pr: first.pr });
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.82.0-stable')).toBeNull();
    // Only the mirror moved: one git push (advertisement + pack), no REST write.
    expect(
      w.sandbox
        .mutatingRequests()
        .slice(before)
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(['GET /CartoDB/litellm.git/info/refs', 'POST /CartoDB/litellm.git/git-receive-pack']);
    expect(await w.sandbox.branchSha(FORK, 'main')).toBe(newer);
    expect(w.notes.at(-1)).toMatchObject({
      ref: { tag: 'v1.82.0-stable' },
      update: { stage: 'queued', blockedBy: { tag: 'v1.81.0-stable', pr: first.pr!.number } },
    });
  });

  it('supersede: the older PR is closed with a comment, its bot-only branch deleted, the newer one opened', async () => {
    const w = await syncWorld({ pipeline: { whenNewerReleaseWhilePrOpen: 'supersede' } });
    await w.release('1.81.0');
    const first = await w.sync();
    await w.release('1.82.0');
    const result = await w.sync();
    expect(result).toMatchObject({ outcome: 'superseded', latestTag: 'v1.82.0-stable' });
    expect(result.pr!.number).not.toBe(first.pr!.number);
    const old = w.sandbox.pull(FORK, first.pr!.number);
    expect(old.state).toBe('closed');
    expect(old.merged).toBe(false);
    expect(
      w.sandbox
        .comments(FORK, old.number)
        .map((c) => c.body)
        .join('\n'),
    ).toContain(`Superseded by ${result.pr!.url}`);
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBeNull();
    expect(w.sandbox.pull(FORK, result.pr!.number).state).toBe('open');
    // The bot's own closure is not a refusal: nothing lands on the skip list.
    expect(w.services.syncRecords.activeSkips('litellm')).toEqual([]);
  });

  it('supersede keeps a branch a person pushed to', async () => {
    const w = await syncWorld({ pipeline: { whenNewerReleaseWhilePrOpen: 'supersede' } });
    await w.release('1.81.0');
    await w.sync();
    const human = await w.sandbox.pushCommit(FORK, {
      branch: 'upstream-sync/v1.81.0-stable',
      files: { 'fix.py': 'x\n' },
      message: 'fix: by hand',
      as: 'carto-dev',
    });
    await w.release('1.82.0');
    const result = await w.sync();
    expect(result.outcome).toBe('superseded');
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBe(human);
  });

  it('never resets an existing sync branch that carries human commits', async () => {
    const w = await syncWorld();
    const tagSha = await w.release('1.81.0');
    await w.sandbox.git(FORK, [
      'fetch',
      '--quiet',
      w.sandbox.barePath('BerriAI/litellm'),
      'refs/tags/v1.81.0-stable:refs/heads/upstream-sync/v1.81.0-stable',
    ]);
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBe(tagSha);
    const human = await w.sandbox.pushCommit(FORK, {
      branch: 'upstream-sync/v1.81.0-stable',
      files: { 'wip.py': 'x\n' },
      message: 'wip',
      as: 'carto-dev',
    });
    const result = await w.sync();
    expect(result.outcome).toBe('pr-created');
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBe(human);
  });

  it('a sync PR closed without merging is not proposed again until unskipped', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    const first = await w.sync();
    await w.sandbox.closePullAs(FORK, first.pr!.number, 'carto-dev');
    const after = await w.sync();
    expect(after).toMatchObject({ outcome: 'up-to-date', pr: null });
    expect(w.services.syncRecords.activeSkips('litellm').map((s) => [s.tag, s.reason, s.prNumber])).toEqual([
      ['v1.81.0-stable', 'pr-closed', first.pr!.number],
    ]);
    expect(await w.sync()).toMatchObject({ outcome: 'up-to-date' });
    expect(w.services.syncRecords.unskip('litellm', 'v1.81.0-stable', { kind: 'cli', id: 'ana' })).toBe(true);
    const again = await w.sync();
    expect(again.outcome).toBe('pr-created');
    expect(again.pr!.number).not.toBe(first.pr!.number);
  });

  it('a merged sync PR counts as synced', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    const first = await w.sync();
    await w.sandbox.mergePullAs(FORK, first.pr!.number, 'mateo-di');
    expect(await w.sync()).toMatchObject({
      outcome: 'up-to-date',
      currentVersion: '1.81.0',
      latestTag: 'v1.81.0-stable',
    });
    expect(w.services.syncRecords.lastSynced('litellm')).toMatchObject({
      tag: 'v1.81.0-stable',
      version: '1.81.0',
      prNumber: first.pr!.number,
    });
  });
});

describe('which release', () => {
  it('ignores decoys and orders 1.10 above 1.9', async () => {
    const w = await syncWorld();
    await w.release('1.81.9');
    await w.release('1.81.10');
    await w.release('1.81.11', {}, { tag: 'v1.81.11-stable.patch.1' });
    await w.release('1.81.12', {}, { tag: 'v1.81.12-stable-draft' });
    await w.release('1.81.13', {}, { tag: 'v1.81.13-rc1', prerelease: true });
    await w.release('1.81.14', {}, { prerelease: true });
    await w.release('1.81.15', {}, { draft: true });
    await w.release('1.82.0', {}, { tag: 'v1.82.0-nightly' });
    const result = await w.sync();
    expect(result).toMatchObject({ outcome: 'pr-created', latestTag: 'v1.81.10-stable', skipped: [] });
  });

  it('reads every page of releases: a stable release behind 150 newer nightlies is found', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    await w.sandbox.addReleases(
      'BerriAI/litellm',
      Array.from({ length: 150 }, (_, i) => ({
        tag: `v1.82.0-nightly.${i}`,
        prerelease: i % 2 === 0,
        publishedAt: new Date(Date.parse('2026-03-01T00:00:00Z') + i * 60_000).toISOString(),
      })),
    );
    expect(await w.sync()).toMatchObject({ outcome: 'pr-created', latestTag: 'v1.81.0-stable' });
  });

  it('skips a release a person skipped and proposes the next newest', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    await w.release('1.82.0');
    w.services.syncRecords.skip('litellm', 'v1.82.0-stable', { reason: 'person', by: { kind: 'cli', id: 'ana' } });
    expect(await w.sync()).toMatchObject({ outcome: 'pr-created', latestTag: 'v1.81.0-stable' });
  });

  it('reports hostile tags as skipped, never runs them, and syncs the good release', async () => {
    const w = await syncWorld({
      pipeline: { upstream: { repo: 'BerriAI/litellm', tagPattern: 'v(?<version>\\d+\\.\\d+\\.\\d+)' } },
    });
    await w.release('1.81.0');
    const hostile = [
      '--upload-pack=touch /tmp/pwned',
      'v1.99.0-stable;touch pwned',
      'v1.98.0 stable',
      'v1.97..0-stable',
    ];
    for (const [i, tag] of hostile.entries()) {
      const record = await w.sandbox.addRelease('BerriAI/litellm', { tag: `placeholder-${i}` });
      await w.github.octokit.rest.repos.updateRelease({
        owner: 'BerriAI',
        repo: 'litellm',
        release_id: record.id,
        tag_name: tag,
      });
    }
    const result = await w.sync();
    expect(result.outcome).toBe('pr-created');
    expect(result.latestTag).toBe('v1.81.0-stable');
    expect(result.skipped.map((s) => s.tag).sort()).toEqual([...hostile].sort());
    expect(result.skipped.every((s) => s.reason.startsWith('unsafe tag name'))).toBe(true);
  });

  it('waits minReleaseAge hours after publication', async () => {
    const w = await syncWorld({ pipeline: { minReleaseAge: 24 } });
    await w.release('1.81.0', {}, { publishedAt: new Date(Date.now() - 3_600_000).toISOString() });
    expect(await w.sync()).toMatchObject({ outcome: 'up-to-date', latestTag: 'v1.80.0-stable' });
  });
});

describe('mirror branch', () => {
  it('merges the tag into a mirror with commits of its own, upstream winning every conflict, never a reset', async () => {
    const w = await syncWorld();
    // CARTO's main once took upstream's moving branch: it has commits the tags do not.
    const own = await w.sandbox.pushCommit(FORK, {
      branch: 'main',
      files: { 'litellm/app.py': 'a = 1\nb = MAIN\nc = 3\n', 'README.md': null, 'only-main.txt': 'm\n' },
      message: 'merge upstream main',
      as: 'carto-dev',
    });
    const tagSha = await w.release('1.81.0', {
      'litellm/app.py': 'a = 1\nb = TAG\nc = 3\n',
      'README.md': 'litellm, changed upstream\n',
    });
    await w.sync();
    const mirror = (await w.sandbox.branchSha(FORK, 'main'))!;
    const git = (args: string[]) => w.sandbox.git(FORK, args);
    expect((await git(['log', '-1', '--format=%P', mirror])).trim().split(' ')).toEqual([own, tagSha]);
    expect((await git(['log', '-1', '--format=%s|%an', mirror])).trim()).toBe(
      'sync: merge v1.81.0-stable tag|Cartofante',
    );
    // content conflict and modify/delete both settled with the tag's version; main's own file stays.
    expect(await git(['show', `${mirror}:litellm/app.py`])).toBe('a = 1\nb = TAG\nc = 3\n');
    expect(await git(['show', `${mirror}:README.md`])).toBe('litellm, changed upstream\n');
    expect(await git(['show', `${mirror}:only-main.txt`])).toBe('m\n');
    expect(await git(['merge-base', '--is-ancestor', own, mirror]).then(() => true)).toBe(true);
  });
});

describe('credentials', () => {
  it('never writes the token into the git cache', async () => {
    const w = await syncWorld();
    await w.release('1.81.0');
    await w.sync();
    const cache = join(w.services.dataDir, 'git', 'CartoDB', 'litellm.git');
    for (const file of ['config', 'packed-refs', 'FETCH_HEAD']) {
      const text = await readFile(join(cache, file), 'utf8').catch(() => '');
      expect(text).not.toContain(w.sandbox.token);
      expect(text).not.toMatch(/extraheader|authorization/i);
    }
    // Every git request to the stand-in authenticated (it answers 401 otherwise).
    expect(w.sandbox.requests.filter((r) => r.kind !== 'rest' && r.status === 401)).toEqual([]);
  });
});
