import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitWorld } from './fixtures.js';

// A model's patch applied in the bare cache with a private index: the resulting tree, git's reason
// when it does not apply, and nothing written outside the object store.

const patch = (removed: string, added: string) =>
  `--- a/src/app.py\n+++ b/src/app.py\n@@ -1,3 +1,3 @@\n a = 1\n-${removed}\n+${added}\n c = 3\n`;

describe('GitCache.applyPatch', () => {
  it('applies to a commit without a work tree, and says why when it does not apply', async () => {
    const w = await gitWorld();
    await w.git.fetch(w.remotes.fork, ['+refs/heads/carto/main:refs/fork/heads/carto/main']);
    const head = (await w.git.resolve(w.remotes.fork.repo, 'refs/fork/heads/carto/main'))!;
    const cacheDir = join(w.root, 'data', 'git', 'company', 'project.git');
    const before = (await readdir(cacheDir)).sort();

    const ok = await w.git.applyPatch(w.remotes.fork.repo, head, patch('b = 2', 'b = 20'));
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const commit = await w.git.commitTree(w.remotes.fork.repo, {
      tree: ok.tree,
      parents: [head],
      message: 'fix(ci): b',
      author: { name: 'Bot', email: 'bot@example.com' },
    });
    expect((await w.git.readFile(w.remotes.fork.repo, commit, 'src/app.py'))!.toString()).toBe(
      'a = 1\nb = 20\nc = 3\n',
    );

    const stale = await w.git.applyPatch(w.remotes.fork.repo, head, patch('b = 99', 'b = 20'));
    expect(stale).toMatchObject({ ok: false });
    expect(stale.ok ? '' : stale.reason).toContain('patch does not apply');

    const escape = await w.git.applyPatch(
      w.remotes.fork.repo,
      head,
      '--- a/../outside.txt\n+++ b/../outside.txt\n@@ -0,0 +1 @@\n+pwned\n',
    );
    expect(escape.ok).toBe(false);
    // No index, work tree or stray file left in the cache (the ancestry memo of the commit made is the cache's own).
    expect((await readdir(cacheDir)).filter((name) => name !== 'upstream-sync-ancestry').sort()).toEqual(before);
    expect(await readdir(w.root)).not.toContain('outside.txt');
  });
});
