import type { BranchSyncConfig } from '../../config/schema.js';
import { AppError } from '../../errors.js';
import type { GitHubPort, GitPort, PullRequest, Remote } from '../../ports.js';
import { cacheRefs } from '../release-sync/sync-types.js';
import { upstreamBranchRef } from './branch-sync-types.js';

// The read half of a branch-sync run: where things are now. Fetches upstream's branch, the
// target and the sync branch into the fork's persistent cache and finds the one open PR from the
// sync branch into the target. Changes nothing on GitHub.

export interface Look {
  fork: Remote & { htmlUrl: string };
  upstream: Remote & { htmlUrl: string };
  /** Upstream branch head U. */
  upstreamSha: string;
  target: string;
  /** The sync branch on GitHub; null when it does not exist yet. */
  syncHead: string | null;
  pr: { number: number; url: string; labels: string[] } | null;
}

export async function findSyncPull(github: GitHubPort, p: BranchSyncConfig): Promise<PullRequest | null> {
  const open = await github.listPulls(p.fork.repo, { state: 'open', base: p.fork.targetBranch });
  const fork = p.fork.repo.toLowerCase();
  return open.find((pr) => pr.headRef === p.fork.syncBranch && pr.headRepo?.toLowerCase() === fork) ?? null;
}

export async function look(github: GitHubPort, git: GitPort, p: BranchSyncConfig): Promise<Look> {
  await Promise.all([p.upstream.branch, p.fork.syncBranch, p.fork.targetBranch].map((b) => git.checkRefName(b)));
  // The branch heads as the API reports them (conditional reads: free when unchanged), so a fetch
  // finding the cache already at those heads is skipped without a request.
  const [forkInfo, upstreamInfo, syncExists, pr, targetSha, upstreamHead] = await Promise.all([
    github.getRepo(p.fork.repo),
    github.getRepo(p.upstream.repo),
    github.getBranchSha(p.fork.repo, p.fork.syncBranch),
    findSyncPull(github, p),
    github.getBranchSha(p.fork.repo, p.fork.targetBranch),
    github.getBranchSha(p.upstream.repo, p.upstream.branch),
  ]);
  const forkKnown: Record<string, string> = {};
  if (targetSha) forkKnown[`refs/heads/${p.fork.targetBranch}`] = targetSha;
  if (syncExists) forkKnown[`refs/heads/${p.fork.syncBranch}`] = syncExists;
  const fork = { repo: p.fork.repo, cloneUrl: forkInfo.cloneUrl, htmlUrl: forkInfo.htmlUrl };
  const upstream = { repo: p.upstream.repo, cloneUrl: upstreamInfo.cloneUrl, htmlUrl: upstreamInfo.htmlUrl };
  const cache = p.fork.repo;
  const upRef = upstreamBranchRef(p.upstream.repo, p.upstream.branch);
  const branches = syncExists ? [p.fork.targetBranch, p.fork.syncBranch] : [p.fork.targetBranch];
  // The fork first: upstream's fetch then negotiates with the history the fork already brought.
  await git.fetch(
    fork,
    branches.map((b) => `+refs/heads/${b}:${cacheRefs.forkBranch(b)}`),
    { known: forkKnown },
  );
  await git.fetch(upstream, [`+refs/heads/${p.upstream.branch}:${upRef}`], {
    into: cache,
    known: upstreamHead ? { [`refs/heads/${p.upstream.branch}`]: upstreamHead } : {},
  });
  const must = async (rev: string, what: string) => {
    const sha = await git.resolve(cache, rev);
    if (!sha) throw new AppError('not_found', `${what} is missing after fetch`);
    return sha;
  };
  const [upstreamSha, target, syncHead] = await Promise.all([
    must(upRef, `${p.upstream.repo} branch ${p.upstream.branch}`),
    must(cacheRefs.forkBranch(p.fork.targetBranch), `${p.fork.repo} branch ${p.fork.targetBranch}`),
    syncExists ? must(cacheRefs.forkBranch(p.fork.syncBranch), `${p.fork.repo} branch ${p.fork.syncBranch}`) : null,
  ]);
  return {
    fork,
    upstream,
    upstreamSha,
    target,
    syncHead,
    pr: pr ? { number: pr.number, url: pr.htmlUrl, labels: pr.labels } : null,
  };
}
