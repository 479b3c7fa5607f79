import type { PullRequest } from '../../ports.js';
import { tagOfSyncBranch } from './sync-branch.js';

// A sync PR is recognised by where it goes and comes from, not by its label: head branch matches
// the sync-branch template, base is the production branch, and the head lives in the fork itself
// (a PR from someone else's fork with a look-alike branch name is not ours).

export interface SyncPull {
  number: number;
  htmlUrl: string;
  tag: string;
  headRef: string;
  headSha: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeCommitSha: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SyncPullSettings {
  syncBranch: string;
  productionBranch: string;
  forkRepo: string;
}

export function recognizeSyncPulls(pulls: readonly PullRequest[], settings: SyncPullSettings): SyncPull[] {
  const fork = settings.forkRepo.toLowerCase();
  const out: SyncPull[] = [];
  for (const pr of pulls) {
    if (pr.baseRef !== settings.productionBranch) continue;
    if (!pr.headRepo || pr.headRepo.toLowerCase() !== fork) continue;
    const tag = tagOfSyncBranch(settings.syncBranch, pr.headRef);
    if (!tag) continue;
    out.push({
      number: pr.number,
      htmlUrl: pr.htmlUrl,
      tag,
      headRef: pr.headRef,
      headSha: pr.headSha,
      state: pr.state,
      merged: pr.merged,
      mergeCommitSha: pr.mergeCommitSha,
      createdAt: pr.createdAt,
      updatedAt: pr.updatedAt,
    });
  }
  return out.sort((a, b) => b.number - a.number);
}
