import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitCache } from '../../../src/adapters/git/git-cache.js';
import { silentLogger } from '../../../src/log.js';
import { runGit } from '../../../src/sandbox/scratch-repo.js';
import { gitWorld } from './fixtures.js';

describe('GitCache: merge bases of two commits are remembered', () => {
  it('answers a repeated merge-base / is-ancestor of full shas without git, across a restart', async () => {
    const w = await gitWorld();
    const base = await w.upstream.head();
    await w.upstream.commit({ 'a.txt': 'a\n' }, 'a');
    const head = await w.upstream.head();
    await w.git.fetch(w.remotes.upstream, ['+refs/heads/main:refs/upstream/heads/main']);
    const repo = w.remotes.upstream.repo;

    expect(await w.git.mergeBase(repo, base, head)).toBe(base);
    expect(await w.git.isAncestor(repo, base, head)).toBe(true);
    expect(await w.git.isAncestor(repo, head, base)).toBe(false);
    const calls = w.git.stats.calls;
    expect(await w.git.mergeBase(repo, base, head)).toBe(base);
    expect(await w.git.isAncestor(repo, base, head)).toBe(true);
    expect(await w.git.isAncestor(repo, head, base)).toBe(false);
    expect(w.git.stats.calls).toBe(calls);

    // A new process on the same data dir reuses the answers (after opening the cache).
    const restarted = new GitCache({ dataDir: join(w.root, 'data'), logger: silentLogger() });
    await restarted.resolve(repo, 'refs/upstream/heads/main');
    const opened = restarted.stats.calls;
    expect(await restarted.mergeBase(repo, base, head)).toBe(base);
    expect(await restarted.isAncestor(repo, head, base)).toBe(false);
    expect(restarted.stats.calls).toBe(opened);

    // Ref names move, so they always ask git.
    expect(await restarted.mergeBase(repo, 'refs/upstream/heads/main', base)).toBe(base);
    expect(restarted.stats.calls).toBe(opened + 1);
  });

  it('does not remember "cannot tell" for a commit the cache lacks, and skips a torn line', async () => {
    const w = await gitWorld();
    await w.git.fetch(w.remotes.upstream, ['+refs/heads/main:refs/upstream/heads/main']);
    const repo = w.remotes.upstream.repo;
    const head = (await w.git.resolve(repo, 'refs/upstream/heads/main'))!;
    await w.upstream.commit({ 'b.txt': 'b\n' }, 'b');
    const later = await w.upstream.head();
    expect(await w.git.isAncestor(repo, head, later)).toBe(false); // not fetched yet: unknown
    await w.git.fetch(w.remotes.upstream, ['+refs/heads/main:refs/upstream/heads/main']);
    expect(await w.git.isAncestor(repo, head, later)).toBe(true);

    const file = join(w.root, 'data', 'git', 'upstream', 'project.git', 'upstream-sync-ancestry');
    expect(await readFile(file, 'utf8')).toContain(`anc ${head} ${later} 0`);
    await writeFile(file, `base ${head} ${later} ${later.slice(0, 7)}`);
    const restarted = new GitCache({ dataDir: join(w.root, 'data'), logger: silentLogger() });
    expect(await restarted.mergeBase(repo, head, later)).toBe(head);
  });
});

describe('GitCache: commit-graph after fetch', () => {
  it('writes a commit-graph layer covering what each fetch brought', async () => {
    const w = await gitWorld();
    await w.git.fetch(w.remotes.upstream, ['+refs/heads/main:refs/upstream/heads/main']);
    await w.upstream.commit({ 'c.txt': 'c\n' }, 'c');
    const later = await w.upstream.head();
    await w.git.fetch(w.remotes.upstream, ['+refs/heads/main:refs/upstream/heads/main']);
    const cacheDir = join(w.root, 'data', 'git', 'upstream', 'project.git');
    const chain = await readFile(join(cacheDir, 'objects', 'info', 'commit-graphs', 'commit-graph-chain'), 'utf8');
    expect(chain.trim().split('\n').length).toBeGreaterThanOrEqual(1);
    // Every commit the cache holds, the new one included, is in the graph: verify reads them all.
    await runGit(cacheDir, ['commit-graph', 'verify', '--shallow']);
    const listed = await runGit(cacheDir, ['-c', 'core.commitGraph=true', 'rev-list', '--all']);
    expect(listed.split('\n')).toContain(later);
  });
});
