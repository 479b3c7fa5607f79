import { AppError } from '../../errors.js';
import type { ConflictedPath, GitPort, Remote, Signature, TreeChange } from '../../ports.js';
import type { SyncHeads } from './sync-git.js';
import { cacheRefs } from './sync-types.js';
import { plural } from '../../core/plural.js';

// What the sync writes to the fork: the mirror branch moved to the tag and the new sync branch,
// computed in the cache and then sent in ONE push (one pack, one round trip: the new upstream
// commits travel once even though both branches need them). Both look before they act, so a
// rerun after a crash finds its own earlier push and changes nothing.

export interface MirrorPlan {
  branch: string;
  action: 'unchanged' | 'created' | 'fast-forward' | 'merged';
  sha: string;
  expected: string | null;
  settled: string[];
}

/**
 * The mirror at the exact tag commit, preferring upstream: a fast-forward when the mirror has
 * nothing of its own, else a merge commit (mirror first, tag second) in which every conflicted
 * path (content, modify/delete, rename/delete, file/directory) takes the tag's version. Never a
 * reset: the mirror's own commits stay in its history.
 */
export async function planMirror(
  git: GitPort,
  cache: string,
  input: { branch: string; head: string | null; tag: string; tagCommit: string; author: Signature },
): Promise<MirrorPlan> {
  const base = { branch: input.branch, expected: input.head, settled: [] as string[] };
  if (input.head === null) return { ...base, action: 'created', sha: input.tagCommit };
  if (input.head === input.tagCommit) return { ...base, action: 'unchanged', sha: input.head };
  // The usual case first (a new release ahead of the mirror): one ancestry walk instead of two.
  // Distinct commits cannot each contain the other, so the order changes no answer.
  if (await git.isAncestor(cache, input.head, input.tagCommit))
    return { ...base, action: 'fast-forward', sha: input.tagCommit };
  if (await git.isAncestor(cache, input.tagCommit, input.head))
    return { ...base, action: 'unchanged', sha: input.head };
  const merge = await git.mergeTree(cache, input.head, input.tagCommit);
  const settled = [...new Set(merge.conflicts.flatMap((c) => [c.path, ...c.relatedPaths]))].sort();
  const changes: TreeChange[] = settled.map((path) => ({ path, fromRev: input.tagCommit }));
  const tree = merge.clean ? merge.tree : await git.writeTree(cache, merge.tree, changes);
  const message = [
    `sync: merge ${input.tag} tag`,
    '',
    `Upstream tag: ${input.tag} (${input.tagCommit})`,
    `Strategy: upstream wins; ${plural(settled.length, 'conflicted path')} settled in favour of the tag.`,
    ...settled.slice(0, 200).map((p) => `  ${p}`),
  ].join('\n');
  const sha = await git.commitTree(cache, {
    tree,
    parents: [input.head, input.tagCommit],
    message,
    author: input.author,
  });
  return { ...base, action: 'merged', sha, settled };
}

export interface BranchPlan {
  branch: string;
  head: string;
  /** false: the branch exists and is reused as it is. */
  create: boolean;
  conflicts: ConflictedPath[];
}

/**
 * The sync branch: from the exact tag commit, with the production branch merged into it (two
 * parents, upstream first). With conflicts it stays at the tag and the conflicts are the hand-off.
 * An existing branch is reused, never reset: it may carry a resolver's or a person's commits.
 */
export async function planSyncBranch(
  git: GitPort,
  cache: string,
  input: { branch: string; heads: SyncHeads; tag: string; productionBranch: string; author: Signature },
): Promise<BranchPlan> {
  const { tagCommit, production } = input.heads;
  if (input.heads.branch) return reuse(git, cache, input.branch, input.heads.branch, tagCommit, production);
  const merge = await git.mergeTree(cache, tagCommit, production);
  let head = tagCommit;
  if (merge.clean) {
    const message = `sync: merge ${input.productionBranch} into ${input.tag}\n\nUpstream tag: ${input.tag} (${tagCommit})\nProduction: ${input.productionBranch} (${production})`;
    head = await git.commitTree(cache, {
      tree: merge.tree,
      parents: [tagCommit, production],
      message,
      author: input.author,
    });
  }
  return { branch: input.branch, head, create: true, conflicts: merge.conflicts };
}

async function reuse(
  git: GitPort,
  cache: string,
  branch: string,
  head: string,
  tagCommit: string,
  production: string,
): Promise<BranchPlan> {
  if (head !== tagCommit && !(await git.isAncestor(cache, tagCommit, head))) {
    throw new AppError(
      'conflict',
      `branch ${branch} already exists and is not built on the tag; it is left untouched`,
      { details: { branch } },
    );
  }
  if (await git.isAncestor(cache, production, head)) return { branch, head, create: false, conflicts: [] };
  const merge = await git.mergeTree(cache, head, production);
  return { branch, head, create: false, conflicts: merge.conflicts };
}

/** Pushes what the plans create or move, in one push; adopts a sync branch someone created meanwhile. */
export async function publish(
  git: GitPort,
  fork: Remote,
  input: { mirror: MirrorPlan | null; branch: BranchPlan | null; heads: SyncHeads },
): Promise<BranchPlan | null> {
  const updates = [];
  if (input.mirror && input.mirror.action !== 'unchanged')
    updates.push({ sha: input.mirror.sha, branch: input.mirror.branch, expected: input.mirror.expected });
  if (input.branch?.create) updates.push({ sha: input.branch.head, branch: input.branch.branch, expected: null });
  if (updates.length === 0) return input.branch;
  const results = await git.pushBranches(fork, updates);
  // The cache now knows where the pushed branches are: the next check need not fetch them back.
  for (const u of updates)
    if (results.find((r) => r.branch === u.branch)?.ok)
      await git.updateRef(fork.repo, cacheRefs.forkBranch(u.branch), u.sha);
  const verdict = (branch: string | undefined) => results.find((r) => r.branch === branch);
  const mirrorVerdict = verdict(input.mirror?.branch);
  const branchVerdict = verdict(input.branch?.branch);
  // A refusal by the server (protection, a hook) is an answer: retrying cannot change it.
  const refused = results.filter((r) => !r.ok && r.cause === 'policy');
  if (refused.length > 0) {
    const names = refused.map((r) => r.branch).join(' and ');
    throw new AppError(
      'push_rejected',
      `the server refused the push of ${names} to ${fork.repo} (${refused[0]?.reason}); gave up: a refusal is not retried`,
      { details: { branches: refused.map((r) => r.branch) } },
    );
  }
  if (mirrorVerdict && !mirrorVerdict.ok) {
    // Someone moved the mirror between our fetch and our push: a race; the runner retries the job
    // from a fresh fetch (and says when it gives up).
    throw new AppError(
      'push_rejected',
      `the push of ${mirrorVerdict.branch} to ${fork.repo} was rejected (${mirrorVerdict.reason}): it moved since our fetch`,
      { transient: true, details: { branch: mirrorVerdict.branch } },
    );
  }
  if (!input.branch || !branchVerdict || branchVerdict.ok) return input.branch;
  // The sync branch appeared meanwhile (an earlier attempt, or a person): adopt it, never reset it.
  const cache = fork.repo;
  await git.fetch(fork, [`+refs/heads/${input.branch.branch}:${cacheRefs.forkBranch(input.branch.branch)}`]);
  const theirs = await git.resolve(cache, cacheRefs.forkBranch(input.branch.branch));
  if (!theirs)
    throw new AppError('push_rejected', `the push of ${input.branch.branch} was rejected (${branchVerdict.reason})`, {
      transient: true,
    });
  return reuse(git, cache, input.branch.branch, theirs, input.heads.tagCommit, input.heads.production);
}
