import type { Signature, GitPort, TreeChange } from '../../ports.js';
import { AppError } from '../../errors.js';
import { hasConflictMarkers } from '../../core/resolve/conflict-text.js';
import type { PlannedFile } from './resolve-plan.js';

// Completing the merge once every hunk is decided: the decided contents on top of the tree git
// merged, a check that no conflict marker is left anywhere the merge touched, and the two-parent
// merge commit (the sync branch first, production second), which is then pushed without force.

export function treeChanges(files: readonly PlannedFile[], revs: { head: string; production: string }): TreeChange[] {
  return files.map((f): TreeChange => {
    if (f.versions === null) {
      const take = f.resolution.outcomes[0]?.text;
      if (take !== 'upstream' && take !== 'fork') throw new AppError('internal', `no side chosen for ${f.path}`);
      return { path: f.path, fromRev: take === 'upstream' ? revs.head : revs.production };
    }
    const content = f.resolution.result?.content;
    if (content === undefined) throw new AppError('internal', `${f.path} is not fully decided`);
    return content === null ? { path: f.path, delete: true } : { path: f.path, content: Buffer.from(content, 'utf8') };
  });
}

const MAX_SCAN_BYTES = 2_000_000;

/** Paths the merge changed that now hold conflict markers neither side had: the merge is not done. */
export async function leftoverMarkers(
  git: GitPort,
  cache: string,
  tree: string,
  revs: { head: string; production: string },
): Promise<string[]> {
  const bad: string[] = [];
  for (const path of await git.changedPaths(cache, revs.head, tree)) {
    const blob = await git.readFile(cache, tree, path);
    if (!blob || blob.length > MAX_SCAN_BYTES || blob.includes(0)) continue;
    if (!hasConflictMarkers(blob.toString('utf8'))) continue;
    const before = await Promise.all([
      git.readFile(cache, revs.head, path),
      git.readFile(cache, revs.production, path),
    ]);
    if (!before.some((b) => b && hasConflictMarkers(b.toString('utf8')))) bad.push(path);
  }
  return bad;
}

export async function writeMergeCommit(
  git: GitPort,
  input: {
    cache: string;
    mergedTree: string;
    head: string;
    production: string;
    files: readonly PlannedFile[];
    message: string;
    author: Signature;
    /** Parent order when it is not [head, production] (branch-sync: the sync branch first, upstream second). */
    parents?: [string, string];
  },
): Promise<{ tree: string; sha: string }> {
  const revs = { head: input.head, production: input.production };
  const tree = await git.writeTree(input.cache, input.mergedTree, treeChanges(input.files, revs));
  const left = await leftoverMarkers(git, input.cache, tree, revs);
  if (left.length)
    throw new AppError('validation', `conflict markers remain in ${left.join(', ')}; nothing was committed`, {
      details: { paths: left },
    });
  const sha = await git.commitTree(input.cache, {
    tree,
    parents: input.parents ?? [input.head, input.production],
    message: input.message,
    author: input.author,
  });
  return { tree, sha };
}
