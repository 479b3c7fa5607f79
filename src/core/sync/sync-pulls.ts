import type { PullRequest } from '../../ports.js';
import { refNameProblem } from '../refs.js';
import { renderTemplate, templateToRegExp } from '../template.js';

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

export function syncBranchName(template: string, tag: string, version: string): string {
  const name = renderTemplate(template, { tag, version });
  const problem = refNameProblem(name);
  if (problem) throw new Error(`sync branch name ${JSON.stringify(name)} ${problem}`);
  return name;
}

/** The tag a sync branch was made for, or null when the branch is not a sync branch. */
export function tagOfSyncBranch(template: string, branch: string): string | null {
  const re = templateToRegExp(template, { tag: '[^\\s]+?', version: '[^\\s]+?' });
  return re.exec(branch)?.groups?.tag ?? null;
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
