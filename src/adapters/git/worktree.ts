import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Signature, Worktree } from '../../ports.js';
import type { GitExec } from './git-exec.js';
import { identityEnv } from './identity.js';
import { assertRepoPath, assertRev } from './git-names.js';

// A detached `git worktree` on the bare cache, alive only for one callback. Files are edited
// through this object so that every path is checked (no `..`, nothing inside .git); the commit is
// made with commit-tree and explicit parents, so no branch in the cache ever moves.
export async function runInWorktree<T>(
  exec: GitExec,
  cacheDir: string,
  workRoot: string,
  rev: string,
  fn: (worktree: Worktree) => Promise<T>,
): Promise<T> {
  const dir = join(workRoot, randomUUID());
  await exec.run(['worktree', 'add', '--quiet', '--detach', '--force', dir, `${rev}^{commit}`], { cwd: cacheDir });
  const git = (args: string[], input?: string, env?: Record<string, string>) =>
    exec.run(args, { cwd: dir, input, env: { GIT_LITERAL_PATHSPECS: '1', ...env } });
  const file = (path: string) => join(dir, assertRepoPath(path));

  const writeTree = async (): Promise<string> => {
    await git(['add', '--all', '--', '.']);
    return (await git(['write-tree'])).stdout.toString('utf8').trim();
  };

  const worktree: Worktree = {
    dir,
    async readFile(path) {
      return readFile(file(path)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'EISDIR') return null;
        throw err;
      });
    },
    async writeFile(path, content) {
      await mkdir(dirname(file(path)), { recursive: true });
      await writeFile(file(path), content);
    },
    async removeFile(path) {
      await rm(file(path), { recursive: true, force: true });
    },
    async checkout(treeish) {
      await git(['read-tree', '--reset', '-u', `${assertRev(treeish)}^{tree}`]);
    },
    writeTree,
    async commit(input: { message: string; parents: string[]; author: Signature }) {
      const tree = await writeTree();
      const args = ['commit-tree', tree];
      for (const parent of input.parents) args.push('-p', assertRev(parent));
      args.push('-F', '-');
      return (await git(args, input.message, identityEnv(input.author))).stdout.toString('utf8').trim();
    },
  };

  try {
    return await fn(worktree);
  } finally {
    await exec.run(['worktree', 'remove', '--force', dir], { cwd: cacheDir, okCodes: [0, 128] });
    await rm(dir, { recursive: true, force: true });
    await exec.run(['worktree', 'prune'], { cwd: cacheDir });
  }
}
