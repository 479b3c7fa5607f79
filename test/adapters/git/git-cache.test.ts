import { access, mkdir, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitCache } from '../../../src/adapters/git/git-cache.js';
import { isAppError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import { runGit } from '../../../src/sandbox/scratch-repo.js';
import { tempDir } from '../../helpers/tmp.js';
import { BOT, gitWorld } from './fixtures.js';

const TAG_REF = 'refs/upstream/tags/v1.0.0-stable';

describe('GitCache: fetch and read', () => {
  it('keeps one bare cache per repository and fetches explicit refspecs into it', async () => {
    const w = await gitWorld();
    await w.git.fetch(w.remotes.upstream, [`+refs/tags/v1.0.0-stable:${TAG_REF}`], { into: w.remotes.fork.repo });
    await w.git.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']);
    const cacheDir = join(w.root, 'data', 'git', 'company', 'project.git');
    await access(join(cacheDir, 'HEAD'));
    expect(await readdir(join(w.root, 'data', 'git'))).toEqual(['company']);

    const tagCommit = await w.git.resolve(w.remotes.fork.repo, TAG_REF);
    expect(tagCommit).toBe((await w.upstream.git(['rev-parse', 'v1.0.0-stable^{commit}'])).trim());
    expect(await w.git.resolve(w.remotes.fork.repo, 'refs/fork/heads/nope')).toBeNull();
    // --no-tags: nothing but what was asked for.
    const refs = await runGit(cacheDir, ['for-each-ref', '--format=%(refname)']);
    expect(refs.trim().split('\n').sort()).toEqual(['refs/fork/heads/carto/main', TAG_REF]);
  });

  it('reads history: log, counts, merge base, changed paths, files', async () => {
    const w = await gitWorld();
    const base = await w.upstream.head();
    await w.upstream.commit({ 'src/app.py': 'a = 1\nb = 20\nc = 3\n' }, 'feat: b is twenty\n\nwith a body');
    await w.upstream.commit({ 'docs/new.md': 'new\n' }, 'docs: add');
    await w.upstream.tag('v1.1.0-stable');
    await w.git.fetch(w.remotes.upstream, [
      '+refs/tags/v1.1.0-stable:refs/upstream/tags/v1.1.0-stable',
      '+refs/heads/main:refs/upstream/heads/main',
    ]);
    const repo = w.remotes.upstream.repo;
    const head = (await w.git.resolve(repo, 'refs/upstream/tags/v1.1.0-stable'))!;

    expect(await w.git.countCommits(repo, base, head)).toBe(2);
    expect(await w.git.isAncestor(repo, base, head)).toBe(true);
    expect(await w.git.isAncestor(repo, head, base)).toBe(false);
    expect(await w.git.mergeBase(repo, base, head)).toBe(base);
    const log = await w.git.log(repo, base, head);
    expect(log.map((c) => c.subject)).toEqual(['docs: add', 'feat: b is twenty']);
    expect(log[1]!.body).toBe('with a body');
    expect(log[1]!.parents).toEqual([base]);
    expect(await w.git.changedPaths(repo, base, head)).toEqual(['docs/new.md', 'src/app.py']);
    expect((await w.git.readFile(repo, head, 'docs/new.md'))!.toString()).toBe('new\n');
    expect(await w.git.readFile(repo, head, 'missing.txt')).toBeNull();
  });

  it('refuses hostile names and paths before starting git', async () => {
    const w = await gitWorld();
    const before = w.git.stats.calls;
    for (const rev of ['--upload-pack=touch /tmp/pwned', 'v1;rm -rf ~', 'a b', 'x..y', '@{-1}']) {
      await expect(w.git.resolve('company/project', rev)).rejects.toMatchObject({ code: 'invalid_ref' });
      await expect(w.git.checkRefName(rev)).rejects.toMatchObject({ code: 'invalid_ref' });
    }
    await expect(
      w.git.fetch({ repo: 'company/project', cloneUrl: 'ext::sh -c touch% /tmp/pwned' }, ['+refs/heads/a:refs/a']),
    ).rejects.toMatchObject({ code: 'validation' });
    await expect(w.git.fetch(w.remotes.fork, ['+refs/heads/a:--upload-pack=x'])).rejects.toMatchObject({
      code: 'invalid_ref',
    });
    await expect(w.git.readFile('company/project', 'refs/heads/main', '../../etc/passwd')).rejects.toMatchObject({
      code: 'validation',
    });
    expect(w.git.stats.calls).toBe(before);
    await expect(w.git.checkRefName('upstream-sync/v1.2.3-stable')).resolves.toBeUndefined();
    expect(w.git.stats.calls).toBe(before + 1);
  });

  it('retries a fetch on server errors and then reports them as transient', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(502).end('bad gateway');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const dataDir = await tempDir();
      const git = new GitCache({
        dataDir,
        logger: silentLogger(),
        attempts: 3,
        sleep: async () => undefined,
        token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/o/r.git`;
      const err = await git
        .fetch({ repo: 'o/r', cloneUrl: url }, ['+refs/heads/main:refs/x/main'])
        .catch((e: unknown) => e);
      expect(isAppError(err, 'unavailable')).toBe(true);
      expect(String((err as Error).message)).not.toContain('ghp_');
      expect(hits).toBe(3);
      // The token never lands in the cache's config.
      expect(await readFile(join(dataDir, 'git', 'o', 'r.git', 'config'), 'utf8')).not.toMatch(
        /ghp_|extraheader|Authorization/i,
      );
    } finally {
      server.close();
    }
  });
});

describe('GitCache: after a kill -9', () => {
  it('clears lock files a killed process left behind, and keeps fresh ones', async () => {
    const w = await gitWorld();
    await w.git.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']);
    const cacheDir = join(w.root, 'data', 'git', 'company', 'project.git');
    const stale = join(cacheDir, 'refs', 'fork', 'heads', 'carto', 'main.lock');
    const graphLock = join(cacheDir, 'objects', 'info', 'commit-graphs', 'commit-graph-chain.lock');
    const fresh = join(cacheDir, 'packed-refs.lock');
    for (const file of [stale, graphLock, fresh]) await writeFile(file, '');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(stale, old, old);
    await utimes(graphLock, old, old);
    await w.fork.commit({ 'x.txt': 'x\n' }, 'more');
    await w.fork.push('origin', ['carto/main']);

    const restarted = new GitCache({ dataDir: join(w.root, 'data'), logger: silentLogger() });
    await restarted.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']).catch(() => undefined);
    await expect(access(stale)).rejects.toThrow();
    await expect(access(graphLock)).rejects.toThrow();
    await access(fresh);
    await rm(fresh);
    await restarted.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']);
    expect(await restarted.resolve('company/project', 'refs/fork/heads/carto/main')).toBe(await w.fork.head());
  });
});

describe('GitCache: commits without a machine identity', () => {
  it('commits as the configured bot even when the machine config names someone else', async () => {
    const w = await gitWorld();
    const home = await tempDir('home-');
    await writeFile(join(home, '.gitconfig'), '[user]\n\tname = Machine Person\n\temail = machine@example.com\n');
    const saved = { HOME: process.env.HOME, GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME };
    process.env.HOME = home;
    process.env.GIT_AUTHOR_NAME = 'Leaked Env';
    try {
      await w.git.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']);
      const head = (await w.git.resolve(w.remotes.fork.repo, 'refs/fork/heads/carto/main'))!;
      const tree = (await runGit(w.fork.dir, ['rev-parse', `${head}^{tree}`])).trim();
      const sha = await w.git.commitTree(w.remotes.fork.repo, {
        tree,
        parents: [head],
        message: 'sync: test',
        author: { ...BOT, date: '2026-03-02T12:00:00Z' },
      });
      const [commit] = await w.git.log(w.remotes.fork.repo, head, sha);
      expect(commit).toMatchObject({
        authorName: BOT.name,
        authorEmail: BOT.email,
        subject: 'sync: test',
        parents: [head],
      });
      const committer = await runGit(join(w.root, 'data', 'git', 'company', 'project.git'), [
        'log',
        '-1',
        '--format=%cn <%ce> %cI',
        sha,
      ]);
      expect(committer.trim()).toBe(`${BOT.name} <${BOT.email}> 2026-03-02T12:00:00+00:00`);
    } finally {
      process.env.HOME = saved.HOME;
      if (saved.GIT_AUTHOR_NAME === undefined) delete process.env.GIT_AUTHOR_NAME;
      else process.env.GIT_AUTHOR_NAME = saved.GIT_AUTHOR_NAME;
    }
  });

  it('refuses an identity that would forge commit headers', async () => {
    const w = await gitWorld();
    await w.git.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']);
    const head = (await w.git.resolve(w.remotes.fork.repo, 'refs/fork/heads/carto/main'))!;
    const tree = (await runGit(w.fork.dir, ['rev-parse', `${head}^{tree}`])).trim();
    await expect(
      w.git.commitTree(w.remotes.fork.repo, {
        tree,
        parents: [head],
        message: 'x',
        author: { name: 'A\ncommitter evil', email: 'a@b' },
      }),
    ).rejects.toMatchObject({ code: 'validation' });
  });
});

describe('GitCache: work trees', () => {
  it('edits files in a temporary work tree, makes a two-parent commit and removes the tree', async () => {
    const w = await gitWorld();
    await w.fork.commit({ 'src/app.py': 'a = 1\nb = FORK\nc = 3\n' }, 'fork change');
    await w.fork.push('origin', ['carto/main']);
    await w.upstream.commit({ 'src/app.py': 'a = 1\nb = UP\nc = 3\n' }, 'upstream change');
    await w.upstream.tag('v1.1.0-stable');
    const repo = w.remotes.fork.repo;
    await w.git.fetch(w.remotes.upstream, ['+refs/tags/v1.1.0-stable:refs/upstream/tags/v1.1.0-stable'], {
      into: repo,
    });
    await w.git.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']);
    const tag = (await w.git.resolve(repo, 'refs/upstream/tags/v1.1.0-stable'))!;
    const prod = (await w.git.resolve(repo, 'refs/fork/heads/carto/main'))!;
    const merge = await w.git.mergeTree(repo, tag, prod);
    expect(merge.conflicts.map((c) => [c.path, c.kind])).toEqual([['src/app.py', 'content']]);

    let seenDir = '';
    const sha = await w.git.withWorktree(repo, tag, async (wt) => {
      seenDir = wt.dir;
      await wt.checkout(merge.tree);
      expect((await wt.readFile('src/app.py'))!.toString()).toContain('<<<<<<<');
      await wt.writeFile('src/app.py', 'a = 1\nb = UP + FORK\nc = 3\n');
      await wt.writeFile('notes/new.txt', 'resolved\n');
      await expect(wt.writeFile('../escape.txt', 'x')).rejects.toMatchObject({ code: 'validation' });
      await expect(wt.writeFile('.git/config', 'x')).rejects.toMatchObject({ code: 'validation' });
      return wt.commit({ message: 'fix: resolve upstream sync conflicts', parents: [tag, prod], author: BOT });
    });
    const [commit] = await w.git.log(repo, null, sha, { limit: 1 });
    expect(commit!.parents).toEqual([tag, prod]);
    expect((await w.git.readFile(repo, sha, 'src/app.py'))!.toString()).toBe('a = 1\nb = UP + FORK\nc = 3\n');
    expect((await w.git.readFile(repo, sha, 'notes/new.txt'))!.toString()).toBe('resolved\n');
    await expect(access(seenDir)).rejects.toThrow();
    const listed = await runGit(join(w.root, 'data', 'git', 'company', 'project.git'), ['worktree', 'list']);
    expect(listed.trim().split('\n')).toHaveLength(1);
  });

  it('removes the work tree when the callback throws', async () => {
    const w = await gitWorld();
    await w.git.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']);
    let seenDir = '';
    await expect(
      w.git.withWorktree(w.remotes.fork.repo, 'refs/fork/heads/carto/main', async (wt) => {
        seenDir = wt.dir;
        await mkdir(join(wt.dir, 'x'));
        throw new Error('resolver crashed');
      }),
    ).rejects.toThrow('resolver crashed');
    await expect(access(seenDir)).rejects.toThrow();
  });
});
