import type { ReleaseSyncConfig } from '../../config/schema.js';
import { AppError } from '../../errors.js';
import type { GitPort, Remote, Signature } from '../../ports.js';
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

/** The refs the API just reported, per remote (full ref → sha), for fetches that may find nothing new. */
export interface KnownRefs {
  upstream: Record<string, string>;
  fork: Record<string, string>;
}

export function knownRefs(input: {
  tag: [string, string | null];
  branches: Array<[string, string | null]>;
}): KnownRefs {
  const upstream: Record<string, string> = {};
  const fork: Record<string, string> = {};
  if (input.tag[1]) upstream[`refs/tags/${input.tag[0]}`] = input.tag[1];
  for (const [branch, sha] of input.branches) if (branch && sha) fork[`refs/heads/${branch}`] = sha;
  return { upstream, fork };
}

/** Fetches the tag and the fork's branches into the fork's cache (incremental) and resolves them. */
export async function fetchHeads(
  git: GitPort,
  inspection: Inspection,
  p: ReleaseSyncConfig,
  input: { tag: string; branch: string | null; mirrorExists: boolean; known?: KnownRefs },
): Promise<SyncHeads> {
  const { upstream, fork } = remotes(inspection);
  const cache = fork.repo;
  await git.checkRefName(input.tag);
  const branches = [p.fork.productionBranch];
  if (p.fork.mirrorBranch && input.mirrorExists) branches.push(p.fork.mirrorBranch);
  if (input.branch) branches.push(input.branch);
  const fetchTag = () =>
    git.fetch(upstream, [`+refs/tags/${input.tag}:${cacheRefs.upstreamTag(input.tag)}`], {
      into: cache,
      ...(input.known ? { known: input.known.upstream } : {}),
    });
  const fetchFork = () =>
    git.fetch(
      fork,
      branches.map((b) => `+refs/heads/${b}:${cacheRefs.forkBranch(b)}`),
      input.known ? { known: input.known.fork } : {},
    );
  if (await git.resolve(cache, cacheRefs.forkBranch(p.fork.productionBranch))) {
    // Warm cache, disjoint refs: the two fetches run side by side.
    await Promise.all([fetchTag(), fetchFork()]);
  } else {
    // Empty cache: one after the other, so the fork's fetch negotiates with the history the
    // first one brought instead of downloading it a second time.
    await fetchTag();
    await fetchFork();
  }
  const refs = [
    cacheRefs.upstreamTag(input.tag),
    cacheRefs.forkBranch(p.fork.productionBranch),
    p.fork.mirrorBranch && input.mirrorExists ? cacheRefs.forkBranch(p.fork.mirrorBranch) : null,
    input.branch ? cacheRefs.forkBranch(input.branch) : null,
  ];
  const wanted = refs.filter((ref): ref is string => ref !== null);
  const shas = await git.resolveAll(cache, wanted);
  const missing = wanted.find((_, i) => !shas[i]);
  if (missing) throw new AppError('not_found', `${missing} is missing after fetch`);
  const sha = (ref: string | null) => (ref === null ? null : (shas[wanted.indexOf(ref)] as string));
  return {
    tagCommit: sha(refs[0]!) as string,
    production: sha(refs[1]!) as string,
    mirror: sha(refs[2] ?? null),
    branch: sha(refs[3] ?? null),
  };
}

/**
 * The tag commit an older sync branch (now at `head`, as the API just said) was built on, for a
 * superseding sync to judge that branch. The tag is read as the cache fetched it when the branch
 * was built, and fetched only when the cache lacks it (a new data dir); the branch is fetched
 * only when the cache does not already hold it at `head` (someone pushed to it). null when
 * either cannot be had.
 */
export async function olderSyncTagCommit(
  git: GitPort,
  inspection: Inspection,
  input: { tag: string; branch: string; head: string },
): Promise<string | null> {
  const { upstream, fork } = remotes(inspection);
  const cache = fork.repo;
  const tagRef = cacheRefs.upstreamTag(input.tag);
  try {
    await git.checkRefName(input.tag);
    await git.fetch(fork, [`+refs/heads/${input.branch}:${cacheRefs.forkBranch(input.branch)}`], {
      known: { [`refs/heads/${input.branch}`]: input.head },
    });
    const held = await git.resolve(cache, tagRef);
    if (held) return held;
    await git.fetch(upstream, [`+refs/tags/${input.tag}:${tagRef}`], { into: cache });
    return await git.resolve(cache, tagRef);
  } catch {
    return null;
  }
}

/** Whether only the bot committed on a sync branch after its tag (so it may be deleted). */
export async function botOwnsBranch(
  git: GitPort,
  cache: string,
  tagCommit: string,
  head: string,
  bot: Signature,
): Promise<boolean> {
  if (!(await git.isAncestor(cache, tagCommit, head))) return false;
  const commits = await git.log(cache, tagCommit, head, { firstParent: true });
  return commits.every((c) => c.authorEmail.toLowerCase() === bot.email.toLowerCase());
}
