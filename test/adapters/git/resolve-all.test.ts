import { describe, expect, it } from 'vitest';
import { BOT, gitWorld } from './fixtures.js';

describe('GitCache.resolveAll', () => {
  it('resolves several revisions in one git process, peeling annotated tags, null for what is missing', async () => {
    const w = await gitWorld();
    const repo = w.remotes.upstream.repo;
    await w.git.fetch(w.remotes.upstream, [
      '+refs/heads/main:refs/upstream/heads/main',
      '+refs/tags/v1.0.0-stable:refs/upstream/tags/v1.0.0-stable',
    ]);
    const head = await w.upstream.head();
    const calls = w.git.stats.calls;
    expect(
      await w.git.resolveAll(repo, [
        'refs/upstream/tags/v1.0.0-stable',
        'refs/upstream/heads/nope',
        'refs/upstream/heads/main',
        head,
      ]),
    ).toEqual([head, null, head, head]);
    expect(w.git.stats.calls).toBe(calls + 1);
    // Each answer is the one resolve gives.
    expect(await w.git.resolve(repo, 'refs/upstream/tags/v1.0.0-stable')).toBe(head);
    expect(await w.git.resolveAll(repo, [])).toEqual([]);
    await expect(w.git.resolveAll(repo, ['refs/x\nrefs/y'])).rejects.toThrow(/refusing revision/);
  });
});

describe('GitCache: a commit it makes', () => {
  it('is known to contain its parents without a walk', async () => {
    const w = await gitWorld();
    const repo = w.remotes.upstream.repo;
    await w.git.fetch(w.remotes.upstream, ['+refs/heads/main:refs/upstream/heads/main']);
    const parent = (await w.git.resolve(repo, 'refs/upstream/heads/main'))!;
    const tree = (await w.git.writeTree(repo, parent, [{ path: 'new.txt', content: 'n\n' }]))!;
    const sha = await w.git.commitTree(repo, { tree, parents: [parent], message: 'child', author: BOT });
    const walks = w.git.stats.byCommand['merge-base']?.calls ?? 0;
    expect(await w.git.isAncestor(repo, parent, sha)).toBe(true);
    expect(w.git.stats.byCommand['merge-base']?.calls ?? 0).toBe(walks);
    // The other direction still asks git.
    expect(await w.git.isAncestor(repo, sha, parent)).toBe(false);
    expect(w.git.stats.byCommand['merge-base']?.calls ?? 0).toBe(walks + 1);
  });
});
