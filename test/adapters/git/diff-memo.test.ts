import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiffMemo } from '../../../src/adapters/git/diff-memo.js';
import { GitCache } from '../../../src/adapters/git/git-cache.js';
import { silentLogger } from '../../../src/log.js';
import { tempDir } from '../../helpers/tmp.js';
import { gitWorld } from './fixtures.js';

// The warm sync diffs the same fork point against the same production head as the sync before
// it: what git printed for two full shas is reused, in the process and after a restart.

describe('GitCache: diffs between two commits are remembered', () => {
  it('answers a repeated changedPaths / diffFiles of full shas without git, across a restart', async () => {
    const w = await gitWorld();
    const base = await w.upstream.head();
    await w.upstream.commit({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, 'a and b');
    await w.upstream.git(['mv', 'a.txt', 'moved.txt']);
    await w.upstream.commit({ 'c.txt': 'c\n' }, 'move a, add c');
    const head = await w.upstream.head();
    await w.git.fetch(w.remotes.upstream, ['+refs/heads/main:refs/upstream/heads/main']);
    const repo = w.remotes.upstream.repo;

    const paths = await w.git.changedPaths(repo, base, head);
    const entries = await w.git.diffFiles(repo, base, head);
    expect(paths.sort()).toEqual(['b.txt', 'c.txt', 'moved.txt']);
    expect(entries.map((e) => `${e.status} ${e.path}`).sort()).toEqual([
      'added b.txt',
      'added c.txt',
      'added moved.txt',
    ]);
    const calls = w.git.stats.calls;
    expect(await w.git.changedPaths(repo, base, head)).toEqual(paths);
    expect(await w.git.diffFiles(repo, base, head)).toEqual(entries);
    expect(w.git.stats.calls).toBe(calls);
    // The other direction is another question.
    expect((await w.git.diffFiles(repo, head, base)).map((e) => e.status)).toEqual(['deleted', 'deleted', 'deleted']);
    expect(w.git.stats.calls).toBe(calls + 1);

    const restarted = new GitCache({ dataDir: join(w.root, 'data'), logger: silentLogger() });
    await restarted.resolve(repo, 'refs/upstream/heads/main');
    const opened = restarted.stats.calls;
    expect(await restarted.changedPaths(repo, base, head)).toEqual(paths);
    expect(await restarted.diffFiles(repo, base, head)).toEqual(entries);
    expect(restarted.stats.calls).toBe(opened);

    // Ref names move, so they always ask git.
    expect(await restarted.changedPaths(repo, base, 'refs/upstream/heads/main')).toEqual(paths);
    expect(restarted.stats.calls).toBe(opened + 1);
    const dir = join(w.root, 'data', 'git', 'upstream', 'project.git', 'upstream-sync-diffs');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('remembers nothing when git cannot answer (a commit the cache lacks)', async () => {
    const w = await gitWorld();
    await w.git.fetch(w.remotes.upstream, ['+refs/heads/main:refs/upstream/heads/main']);
    const repo = w.remotes.upstream.repo;
    const head = (await w.git.resolve(repo, 'refs/upstream/heads/main'))!;
    await w.upstream.commit({ 'later.txt': 'l\n' }, 'later');
    const later = await w.upstream.head();
    await expect(w.git.changedPaths(repo, head, later)).rejects.toThrow();
    await w.git.fetch(w.remotes.upstream, ['+refs/heads/main:refs/upstream/heads/main']);
    expect(await w.git.changedPaths(repo, head, later)).toEqual(['later.txt']);
  });
});

describe('DiffMemo on disk', () => {
  it('keeps the 256 newest answers and clears temporary files a killed process left', async () => {
    const dir = await tempDir('diff-memo-');
    const memo = new DiffMemo(dir);
    const sha = (n: number) => n.toString(16).padStart(40, '0');
    const files = join(dir, 'upstream-sync-diffs');
    await memo.set('names', sha(0), sha(1), Buffer.from('a\0'));
    const stale = join(files, `names-${sha(7)}-${sha(8)}.123.tmp`);
    const fresh = join(files, `names-${sha(7)}-${sha(9)}.456.tmp`);
    await writeFile(stale, 'torn');
    await writeFile(fresh, 'being written');
    const hoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(stale, hoursAgo, hoursAgo);
    await utimes(join(files, `names-${sha(0)}-${sha(1)}`), hoursAgo, hoursAgo);
    for (let i = 2; i < 258; i++) await memo.set('names', sha(0), sha(i), Buffer.from(`${i}\0`));

    const left = await readdir(files);
    expect(left).not.toContain(`names-${sha(7)}-${sha(8)}.123.tmp`);
    expect(left).toContain(`names-${sha(7)}-${sha(9)}.456.tmp`);
    expect(left.filter((n) => !n.endsWith('.tmp'))).toHaveLength(256);
    // The oldest answer went first; a new process reads the rest from disk.
    expect(left).not.toContain(`names-${sha(0)}-${sha(1)}`);
    expect((await new DiffMemo(dir).get('names', sha(0), sha(257)))?.toString()).toBe('257\0');
  });
});
