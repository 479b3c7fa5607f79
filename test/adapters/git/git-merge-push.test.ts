import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGit } from '../../../src/sandbox/scratch-repo.js';
import { BOT, gitWorld, type GitWorld } from './fixtures.js';

const REPO = 'company/project';

async function fetchAll(w: GitWorld, tag: string): Promise<{ tag: string; prod: string }> {
  await w.git.fetch(w.remotes.upstream, [`+refs/tags/${tag}:refs/upstream/tags/${tag}`], { into: REPO });
  await w.git.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']);
  return {
    tag: (await w.git.resolve(REPO, `refs/upstream/tags/${tag}`))!,
    prod: (await w.git.resolve(REPO, 'refs/fork/heads/carto/main'))!,
  };
}

describe('GitCache: merge-tree', () => {
  it('lists every conflicted path with its kind and stages, without a work tree', async () => {
    const w = await gitWorld();
    await w.upstream.commit(
      {
        'base/del.txt': 'x\n',
        'base/ren.txt': 'r\n',
        'd/x': '1\n',
        'img.bin': Buffer.from([0, 1, 2]).toString('latin1'),
      },
      'more base',
    );
    await w.upstream.push(w.forkBare, ['refs/heads/main:refs/heads/carto/main']);
    await w.fork.git(['pull', '--quiet', '--ff-only', 'origin', 'carto/main']);
    // upstream side
    await w.upstream.commit(
      {
        'src/app.py': 'a = 1\nb = UP\nc = 3\n',
        'base/del.txt': 'changed upstream\n',
        'base/ren.txt': null,
        'base/ren-up.txt': 'r\n',
        'add.txt': 'up\n',
        'd/x': null,
        'clean.txt': 'only upstream\n',
      },
      'upstream work',
    );
    await rm(join(w.upstream.dir, 'd'), { recursive: true });
    await w.upstream.commit({ d: 'now a file\n' }, 'd becomes a file');
    await w.upstream.tag('v1.1.0-stable');
    // fork side
    await w.fork.commit(
      {
        'src/app.py': 'a = 1\nb = FORK\nc = 3\n',
        'base/del.txt': null,
        'base/ren.txt': null,
        'add.txt': 'fork\n',
        'd/y': '2\n',
      },
      'fork work',
    );
    await w.fork.push('origin', ['carto/main']);
    const { tag, prod } = await fetchAll(w, 'v1.1.0-stable');

    const result = await w.git.mergeTree(REPO, tag, prod);
    expect(result.clean).toBe(false);
    // git moves the file out of the directory's way under a name derived from the side's revision.
    const kinds = Object.fromEntries(
      result.conflicts.map((c) => [c.path.replace(/^d~[0-9a-f]{40}$/, 'd~<rev>'), c.kind]),
    );
    expect(kinds).toEqual({
      'add.txt': 'add/add',
      'base/del.txt': 'modify/delete',
      'base/ren-up.txt': 'rename/delete',
      'd~<rev>': 'file/directory',
      'src/app.py': 'content',
    });
    const del = result.conflicts.find((c) => c.path === 'base/del.txt')!;
    // Stage 2 is the first side (upstream, merged into); the fork deleted it, so there is no stage 3.
    expect(del.stages.map((s) => s.stage)).toEqual([1, 2]);
    expect(result.conflicts.find((c) => c.path === 'base/ren-up.txt')!.relatedPaths).toEqual(['base/ren.txt']);
    expect(result.conflicts.find((c) => c.path === 'src/app.py')!.message).toMatch(/Merge conflict in src\/app.py/);
    // The tree exists and carries markers; clean paths merged.
    expect((await w.git.readFile(REPO, result.tree, 'src/app.py'))!.toString()).toMatch(
      /<<<<<<< [0-9a-f]+\nb = UP\n=======\nb = FORK\n>>>>>>> /,
    );
    expect((await w.git.readFile(REPO, result.tree, 'clean.txt'))!.toString()).toBe('only upstream\n');
  });

  it('reports a clean merge with its tree', async () => {
    const w = await gitWorld();
    await w.upstream.commit({ 'up.txt': 'u\n' }, 'up');
    await w.upstream.tag('v1.1.0-stable');
    await w.fork.commit({ 'carto.txt': 'c\n' }, 'carto');
    await w.fork.push('origin', ['carto/main']);
    const { tag, prod } = await fetchAll(w, 'v1.1.0-stable');
    const result = await w.git.mergeTree(REPO, tag, prod);
    expect(result).toMatchObject({ clean: true, conflicts: [] });
    const merge = await w.git.commitTree(REPO, {
      tree: result.tree,
      parents: [tag, prod],
      message: 'merge',
      author: BOT,
    });
    expect(await w.git.changedPaths(REPO, tag, merge)).toEqual(['carto.txt']);
  });
});

describe('GitCache: writeTree', () => {
  it('applies content, deletions and whole paths from another revision', async () => {
    const w = await gitWorld();
    await w.upstream.commit(
      { 'dir/a.txt': 'A\n', 'dir/b.txt': 'B\n', 'keep.txt': 'k\n', 'script.sh': '#!/bin/sh\n' },
      'files',
    );
    await w.upstream.git(['update-index', '--chmod=+x', 'script.sh']);
    await w.upstream.git(['commit', '--quiet', '-m', 'exec']);
    await w.upstream.tag('v1.1.0-stable');
    const { tag, prod } = await fetchAll(w, 'v1.1.0-stable');
    const tree = await w.git.writeTree(REPO, prod, [
      { path: 'README.md', content: 'changed\n' },
      { path: 'src/app.py', delete: true },
      { path: 'dir', fromRev: tag },
      { path: 'script.sh', fromRev: tag },
      { path: 'never-there.txt', fromRev: tag },
    ]);
    const listing = await runGit(w.fork.dir, ['ls-tree', '-r', '--name-only', tree]).catch(async () => {
      // The tree lives in the cache, not in the fork clone.
      return runGit(`${w.root}/data/git/company/project.git`, ['ls-tree', '-r', '--name-only', tree]);
    });
    expect(listing.trim().split('\n')).toEqual(['README.md', 'dir/a.txt', 'dir/b.txt', 'script.sh']);
    expect((await w.git.readFile(REPO, tree, 'README.md'))!.toString()).toBe('changed\n');
    const mode = await runGit(`${w.root}/data/git/company/project.git`, ['ls-tree', tree, 'script.sh']);
    expect(mode.startsWith('100755')).toBe(true);
  });

  it('replaces a directory with a file and the other way round', async () => {
    const w = await gitWorld();
    const { prod } = await fetchAll(w, 'v1.0.0-stable');
    const tree = await w.git.writeTree(REPO, prod, [
      { path: 'src', content: 'src is a file now\n' },
      { path: 'README.md/inner.txt', content: 'README.md is a directory now\n' },
    ]);
    expect((await w.git.readFile(REPO, tree, 'src'))!.toString()).toBe('src is a file now\n');
    expect((await w.git.readFile(REPO, tree, 'README.md/inner.txt'))!.toString()).toBe(
      'README.md is a directory now\n',
    );
    expect(await w.git.readFile(REPO, tree, 'src/app.py')).toBeNull();
  });
});

describe('GitCache: push without force', () => {
  it('creates only when absent, fast-forwards only from the expected value, and repeats idempotently', async () => {
    const w = await gitWorld();
    const { tag, prod } = await fetchAll(w, 'v1.0.0-stable');
    const tree = (await runGit(`${w.root}/data/git/company/project.git`, ['rev-parse', `${prod}^{tree}`])).trim();
    const c1 = await w.git.commitTree(REPO, { tree, parents: [prod], message: 'one', author: BOT });
    const c2 = await w.git.commitTree(REPO, { tree, parents: [c1], message: 'two', author: BOT });
    const other = await w.git.commitTree(REPO, { tree, parents: [prod], message: 'other', author: BOT });
    const remoteHead = async (b: string) => (await runGit(w.forkBare, ['rev-parse', `refs/heads/${b}`])).trim();

    await w.git.push(w.remotes.fork, { sha: c1, branch: 'upstream-sync/v1.0.0-stable', expected: null });
    expect(await remoteHead('upstream-sync/v1.0.0-stable')).toBe(c1);
    // Same sha again (a retry after a lost response): fine.
    await w.git.push(w.remotes.fork, { sha: c1, branch: 'upstream-sync/v1.0.0-stable', expected: null });
    // Creating over an existing, different branch: refused.
    await expect(
      w.git.push(w.remotes.fork, { sha: other, branch: 'upstream-sync/v1.0.0-stable', expected: null }),
    ).rejects.toMatchObject({ code: 'push_rejected' });
    // Not a descendant: refused before anything is sent.
    await expect(
      w.git.push(w.remotes.fork, { sha: other, branch: 'upstream-sync/v1.0.0-stable', expected: c1 }),
    ).rejects.toMatchObject({ code: 'push_rejected' });
    // Stale expectation (someone else moved the branch): refused.
    await expect(
      w.git.push(w.remotes.fork, { sha: c2, branch: 'upstream-sync/v1.0.0-stable', expected: prod }),
    ).rejects.toMatchObject({ code: 'push_rejected' });
    await w.git.push(w.remotes.fork, { sha: c2, branch: 'upstream-sync/v1.0.0-stable', expected: c1 });
    expect(await remoteHead('upstream-sync/v1.0.0-stable')).toBe(c2);
    expect(await remoteHead('carto/main')).toBe(prod);
    expect(tag).toBe(prod);
  });
});

describe('GitCache: several branches in one push', () => {
  it('gives a verdict per branch: one accepted, one refused by its lease', async () => {
    const w = await gitWorld();
    const { prod } = await fetchAll(w, 'v1.0.0-stable');
    const tree = (await runGit(`${w.root}/data/git/company/project.git`, ['rev-parse', `${prod}^{tree}`])).trim();
    const next = await w.git.commitTree(REPO, { tree, parents: [prod], message: 'next', author: BOT });
    const calls = w.git.stats.calls;
    const results = await w.git.pushBranches(w.remotes.fork, [
      { sha: next, branch: 'main', expected: prod },
      { sha: next, branch: 'carto/main', expected: 'f'.repeat(40) },
      { sha: next, branch: 'upstream-sync/v1', expected: null },
    ]);
    expect(results).toEqual([
      { branch: 'main', ok: true, reason: null },
      { branch: 'carto/main', ok: false, reason: expect.stringContaining('does not descend'), cause: 'race' },
      { branch: 'upstream-sync/v1', ok: true, reason: null },
    ]);
    // One ancestry check for the refused lease (the commit made here is known to descend from
    // prod without one), one push.
    expect(w.git.stats.calls - calls).toBe(2);
    expect(
      (await runGit(w.forkBare, ['rev-parse', 'refs/heads/main', 'refs/heads/upstream-sync/v1'])).trim().split('\n'),
    ).toEqual([next, next]);
    expect((await runGit(w.forkBare, ['rev-parse', 'refs/heads/carto/main'])).trim()).toBe(prod);
  });
});

describe('GitCache: annotated tags', () => {
  it('creates, lists and pushes an annotated tag; never moves an existing one', async () => {
    const w = await gitWorld();
    const { prod } = await fetchAll(w, 'v1.0.0-stable');
    const tagSha = await w.git.createTag(REPO, {
      name: 'v1.0.0-carto.1.0.0',
      sha: prod,
      message: 'Release v1.0.0-carto.1.0.0',
      tagger: { ...BOT, date: '2026-03-02T12:00:00Z' },
    });
    expect(await w.git.createTag(REPO, { name: 'v1.0.0-carto.1.0.0', sha: prod, message: 'again', tagger: BOT })).toBe(
      tagSha,
    );
    const details = await w.git.listTagDetails(REPO);
    expect(details).toEqual([
      {
        name: 'v1.0.0-carto.1.0.0',
        sha: tagSha,
        commit: prod,
        annotated: true,
        tagger: { name: BOT.name, email: BOT.email, date: '2026-03-02T12:00:00+00:00' },
        message: 'Release v1.0.0-carto.1.0.0',
      },
    ]);
    expect(await w.git.listTags(REPO, { mergedInto: prod })).toEqual(['v1.0.0-carto.1.0.0']);
    await w.git.pushTag(w.remotes.fork, 'v1.0.0-carto.1.0.0');
    expect((await runGit(w.forkBare, ['rev-parse', 'refs/tags/v1.0.0-carto.1.0.0'])).trim()).toBe(tagSha);

    await runGit(w.forkBare, ['tag', '-f', 'v9-carto', prod]);
    const tree = (await runGit(w.forkBare, ['rev-parse', `${prod}^{tree}`])).trim();
    const other = await w.git.commitTree(REPO, { tree, parents: [prod], message: 'x', author: BOT });
    await w.git.createTag(REPO, { name: 'v9-carto', sha: other, message: 'mine', tagger: BOT });
    await expect(w.git.pushTag(w.remotes.fork, 'v9-carto')).rejects.toMatchObject({ code: 'push_rejected' });
    await expect(
      w.git.createTag(REPO, { name: 'v9-carto', sha: prod, message: 'moved', tagger: BOT }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});
