import type { BranchSyncConfig } from '../../config/schema.js';
import { branchSyncMergeMessage } from '../../core/branch-sync/branch-sync-text.js';
import {
  analyseTwoParentMerge,
  commitTwoParentMerge,
  type TwoParentMergeAnalysis,
  type TwoParentMergeInput,
} from '../../workflows/resolve/two-parent-merge.js';
import { BRANCH_SYNC_RESOLVER_PR, type BranchSyncDeps, type BranchSyncRun } from './branch-sync-types.js';

// Merging upstream's head U into the sync branch, on the fork's cache: upstream is the incoming
// side, the sync branch ours (first parent). The merge itself is src/workflows/resolve/two-parent-merge.ts.

export type MergeAnalysis = TwoParentMergeAnalysis;

export interface MergeInput {
  cache: string;
  syncHead: string;
  upstreamSha: string;
  mergeBase: string | null;
  prUrl: string | null;
}

function mergeInput(p: BranchSyncConfig, input: MergeInput): TwoParentMergeInput {
  return {
    cache: input.cache,
    incoming: input.upstreamSha,
    ours: input.syncHead,
    mergeBase: input.mergeBase,
    repo: p.fork.repo,
    pr: BRANCH_SYNC_RESOLVER_PR,
    prUrl: input.prUrl,
    stepPrefix: '',
  };
}

export function analyseMerge(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  run: BranchSyncRun,
  input: MergeInput,
): Promise<MergeAnalysis> {
  return analyseTwoParentMerge(deps, p, run, mergeInput(p, input));
}

/** The two-parent merge commit (sync branch first, U second) by the bot; only when nothing waits. */
export function commitMerge(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  input: MergeInput,
  analysis: MergeAnalysis,
): Promise<string> {
  const message = branchSyncMergeMessage({
    upstreamRepo: p.upstream.repo,
    upstreamBranch: p.upstream.branch,
    upstreamSha: input.upstreamSha,
    syncBranch: p.fork.syncBranch,
    resolved: analysis.resolved,
  });
  return commitTwoParentMerge(deps.git, mergeInput(p, input), analysis, { message, author: deps.config.git.author });
}
