import type { PipelineConfig } from '../config/schema.js';
import { AppError, isAppError } from '../errors.js';
import type { ConflictedPath, GitPort, Remote, Signature, TreeChange } from '../ports.js';
import type { Inspection } from './sync-inspect.js';
import { cacheRefs } from './sync-types.js';

// The git half of a sync, on the fork's persistent cache. Each function looks before it acts, so
// running it again after a crash finds its own earlier work instead of repeating it.

export interface SyncHeads {
  tagCommit: string;
  production: string;
  mirror: string | null;
  branch: string | null;
}

export function remotes(inspection: Inspection): { upstream: Remote; fork: Remote } {
  return {
    upstream: { repo: inspection.upstream.repo, cloneUrl: inspection.upstream.cloneUrl },
    fork: { repo: inspection.fork.repo, cloneUrl: inspection.fork.cloneUrl },
  };
}

/** Fetches the tag and the fork's branches into the fork's cache (incremental) and resolves them. */
export async function fetchHeads(
  git: GitPort,
  inspection: Inspection,
  p: PipelineConfig,
  input: { tag: string; branch: string | null; mirrorExists: boolean },
): Promise<SyncHeads> {
  const { upstream, fork } = remotes(inspection);
  const cache = fork.repo;
  await git.checkRefName(input.tag);
  await git.fetch(upstream, [`+refs/tags/${input.tag}:${cacheRefs.upstreamTag(input.tag)}`], { into: cache });
  const branches = [p.fork.productionBranch];
  if (p.fork.mirrorBranch && input.mirrorExists) branches.push(p.fork.mirrorBranch);
  if (input.branch) branches.push(input.branch);
  await git.fetch(fork, branches.map((b) => `+refs/heads/${b}:${cacheRefs.forkBranch(b)}`));
  const must = async (rev: string) => {
    const sha = await git.resolve(cache, rev);
    if (!sha) throw new AppError('not_found', `${rev} is missing after fetch`);
    return sha;
  };
  return {
    tagCommit: await must(cacheRefs.upstreamTag(input.tag)),
    production: await must(cacheRefs.forkBranch(p.fork.productionBranch)),
    mirror: p.fork.mirrorBranch && input.mirrorExists ? await must(cacheRefs.forkBranch(p.fork.mirrorBranch)) : null,
    branch: input.branch ? await must(cacheRefs.forkBranch(input.branch)) : null,
  };
}

export type MirrorResult = { action: 'unchanged' | 'created' | 'fast-forward' | 'merged'; sha: string; settled: string[] };

/**
 * Brings the mirror branch to the exact tag commit, preferring upstream: a fast-forward when the
 * mirror has nothing of its own, else a merge commit (mirror first, tag second) in which every
 * conflicted path — content, modify/delete, rename/delete, file/directory — takes the tag's version.
 * Never a reset: the mirror's own commits stay in its history.
 */
export async function advanceMirror(
  git: GitPort,
  fork: Remote,
  input: { branch: string; head: string | null; tag: string; tagCommit: string; author: Signature; dryRun: boolean },
): Promise<MirrorResult> {
  const cache = fork.repo;
  let result: MirrorResult;
  if (input.head === null) {
    result = { action: 'created', sha: input.tagCommit, settled: [] };
  } else if (input.head === input.tagCommit || (await git.isAncestor(cache, input.tagCommit, input.head))) {
    return { action: 'unchanged', sha: input.head, settled: [] };
  } else if (await git.isAncestor(cache, input.head, input.tagCommit)) {
    result = { action: 'fast-forward', sha: input.tagCommit, settled: [] };
  } else {
    const merge = await git.mergeTree(cache, input.head, input.tagCommit);
    const settled = [...new Set(merge.conflicts.flatMap((c) => [c.path, ...c.relatedPaths]))].sort();
    const changes: TreeChange[] = settled.map((path) => ({ path, fromRev: input.tagCommit }));
    const tree = merge.clean ? merge.tree : await git.writeTree(cache, merge.tree, changes);
    const message = [
      `sync: merge ${input.tag} tag`,
      '',
      `Upstream tag: ${input.tag} (${input.tagCommit})`,
      `Strategy: upstream wins; ${settled.length} conflicted path${settled.length === 1 ? '' : 's'} settled in favour of the tag.`,
      ...settled.slice(0, 200).map((p) => `  ${p}`),
    ].join('\n');
    const sha = await git.commitTree(cache, { tree, parents: [input.head, input.tagCommit], message, author: input.author });
    result = { action: 'merged', sha, settled };
  }
  if (!input.dryRun) await git.push(fork, { sha: result.sha, branch: input.branch, expected: input.head });
  return result;
}

export interface BranchResult {
  branch: string;
  head: string;
  created: boolean;
  conflicts: ConflictedPath[];
}

/**
 * The sync branch: created from the exact tag commit, then the production branch merged into it
 * (two parents, upstream first). With conflicts, the tag-based branch is pushed as is and the
 * conflicts are the hand-off. An existing branch is reused, never reset: it may carry a
 * resolver's or a person's commits.
 */
export async function ensureSyncBranch(
  git: GitPort,
  fork: Remote,
  input: { branch: string; heads: SyncHeads; tag: string; productionBranch: string; author: Signature; dryRun: boolean },
): Promise<BranchResult> {
  const cache = fork.repo;
  const { tagCommit, production } = input.heads;
  if (input.heads.branch) return reuse(git, cache, input.branch, input.heads.branch, tagCommit, production);

  const merge = await git.mergeTree(cache, tagCommit, production);
  let head = tagCommit;
  if (merge.clean) {
    const message = `sync: merge ${input.productionBranch} into ${input.tag}\n\nUpstream tag: ${input.tag} (${tagCommit})\nProduction: ${input.productionBranch} (${production})`;
    head = await git.commitTree(cache, { tree: merge.tree, parents: [tagCommit, production], message, author: input.author });
  }
  if (input.dryRun) return { branch: input.branch, head, created: true, conflicts: merge.conflicts };
  try {
    await git.push(fork, { sha: head, branch: input.branch, expected: null });
  } catch (err) {
    if (!isAppError(err, 'push_rejected')) throw err;
    // Someone (an earlier attempt of this job, or a person) created it meanwhile: adopt theirs.
    await git.fetch(fork, [`+refs/heads/${input.branch}:${cacheRefs.forkBranch(input.branch)}`]);
    const theirs = await git.resolve(cache, cacheRefs.forkBranch(input.branch));
    if (!theirs) throw err;
    return reuse(git, cache, input.branch, theirs, tagCommit, production);
  }
  return { branch: input.branch, head, created: true, conflicts: merge.conflicts };
}

async function reuse(git: GitPort, cache: string, branch: string, head: string, tagCommit: string, production: string): Promise<BranchResult> {
  if (head !== tagCommit && !(await git.isAncestor(cache, tagCommit, head))) {
    throw new AppError('conflict', `branch ${branch} already exists and is not built on the tag; it is left untouched`, { details: { branch } });
  }
  if (await git.isAncestor(cache, production, head)) return { branch, head, created: false, conflicts: [] };
  const merge = await git.mergeTree(cache, head, production);
  return { branch, head, created: false, conflicts: merge.conflicts };
}

/** Whether only the bot committed on a sync branch after its tag (so it may be deleted). */
export async function botOwnsBranch(git: GitPort, cache: string, tagCommit: string, head: string, bot: Signature): Promise<boolean> {
  if (!(await git.isAncestor(cache, tagCommit, head))) return false;
  const commits = await git.log(cache, tagCommit, head, { firstParent: true });
  return commits.every((c) => c.authorEmail.toLowerCase() === bot.email.toLowerCase());
}
