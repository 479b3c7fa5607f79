import { describe, expect, it } from 'vitest';
import { planMirror } from '../../../src/pipelines/release-sync/sync-publish.js';
import { BOT, gitWorld } from '../../adapters/git/fixtures.js';

const REPO = 'company/project';

describe('planMirror', () => {
  it('settles rename/delete and file/directory conflicts in favour of the tag', async () => {
    const w = await gitWorld();
    await w.upstream.commit({ 'out/a.js': 'bundle a\n', 'lib/x.py': 'x\n' }, 'build');
    await w.upstream.push(w.forkBare, ['refs/heads/main:refs/heads/main']);
    await w.fork.git(['fetch', '--quiet', 'origin']);
    await w.fork.checkout('main');
    await w.fork.git(['reset', '--quiet', '--hard', 'origin/main']);
    // The mirror deleted the bundle and grew a file where upstream will put a directory.
    await w.fork.commit({ 'out/a.js': null, 'lib/y': 'mirror file\n' }, 'mirror work');
    await w.fork.push('origin', ['main']);
    await w.upstream.git(['mv', 'out/a.js', 'out/b.js']);
    await w.upstream.commit({ 'lib/y/inner.py': 'upstream dir\n' }, 'rename bundle, add lib/y/');
    await w.upstream.tag('v2.0.0-stable');
    await w.git.fetch(w.remotes.upstream, ['+refs/tags/v2.0.0-stable:refs/upstream/tags/v2.0.0-stable'], {
      into: REPO,
    });
    await w.git.fetch(w.remotes.fork, ['+refs/heads/main:refs/fork/heads/main']);
    const tagCommit = (await w.git.resolve(REPO, 'refs/upstream/tags/v2.0.0-stable'))!;
    const head = (await w.git.resolve(REPO, 'refs/fork/heads/main'))!;

    const plan = await planMirror(w.git, REPO, { branch: 'main', head, tag: 'v2.0.0-stable', tagCommit, author: BOT });
    expect(plan.action).toBe('merged');
    expect(plan.expected).toBe(head);
    expect(plan.settled).toEqual(expect.arrayContaining(['out/a.js', 'out/b.js']));
    const read = async (path: string) => (await w.git.readFile(REPO, plan.sha, path))?.toString() ?? null;
    expect(await read('out/b.js')).toBe('bundle a\n');
    expect(await read('out/a.js')).toBeNull();
    expect(await read('lib/y/inner.py')).toBe('upstream dir\n');
    const [commit] = await w.git.log(REPO, null, plan.sha, { limit: 1 });
    expect(commit!.parents).toEqual([head, tagCommit]);
    expect(commit!.authorName).toBe(BOT.name);
  });

  it('fast-forwards a mirror with nothing of its own and leaves one that has the tag alone', async () => {
    const w = await gitWorld();
    await w.upstream.commit({ 'n.txt': 'n\n' }, 'next');
    await w.upstream.tag('v1.1.0-stable');
    await w.git.fetch(
      w.remotes.upstream,
      [
        '+refs/tags/v1.1.0-stable:refs/upstream/tags/v1.1.0-stable',
        '+refs/tags/v1.0.0-stable:refs/upstream/tags/v1.0.0-stable',
      ],
      { into: REPO },
    );
    const old = (await w.git.resolve(REPO, 'refs/upstream/tags/v1.0.0-stable'))!;
    const tagCommit = (await w.git.resolve(REPO, 'refs/upstream/tags/v1.1.0-stable'))!;
    const walks = w.git.stats.byCommand['merge-base']?.calls ?? 0;
    expect(
      await planMirror(w.git, REPO, { branch: 'main', head: old, tag: 'v1.1.0-stable', tagCommit, author: BOT }),
    ).toMatchObject({ action: 'fast-forward', sha: tagCommit, expected: old });
    // A fast-forward (the usual release) is seen with one ancestry walk.
    expect((w.git.stats.byCommand['merge-base']?.calls ?? 0) - walks).toBe(1);
    expect(
      await planMirror(w.git, REPO, {
        branch: 'main',
        head: tagCommit,
        tag: 'v1.0.0-stable',
        tagCommit: old,
        author: BOT,
      }),
    ).toMatchObject({ action: 'unchanged', sha: tagCommit });
    expect(
      await planMirror(w.git, REPO, { branch: 'main', head: null, tag: 'v1.1.0-stable', tagCommit, author: BOT }),
    ).toMatchObject({ action: 'created', expected: null });
  });
});
