import type { MirrorConfig } from '../../config/schema.js';
import { branchSyncMergeMessage } from '../../core/branch-sync/branch-sync-text.js';
import {
  analyseTwoParentMerge,
  commitTwoParentMerge,
  type TwoParentMergeAnalysis,
  type TwoParentMergeInput,
} from '../../workflows/resolve/two-parent-merge.js';
import type { MirrorMergeDeps, MirrorMergeRun } from './mirror-merge-types.js';
import { MIRROR_RESOLVER_PR } from './mirror-merge-types.js';

// Merging the source head S into the merge branch (made from the target head), on the target's
// cache: the source is the incoming side (upstream to the resolver), the merge branch ours (first
// parent), so the target's history is the first-parent line. The merge itself is
// src/workflows/resolve/two-parent-merge.ts; its steps are prefixed `merge-`.

export type MirrorMergeAnalysis = TwoParentMergeAnalysis;

export interface MirrorMergeInput {
  cache: string;
  /** The merge branch head (the target head it was made from, until the merge is pushed). */
  branchHead: string;
  sourceSha: string;
  mergeBase: string | null;
  branch: string;
}

function mergeInput(p: MirrorConfig, input: MirrorMergeInput): TwoParentMergeInput {
  return {
    cache: input.cache,
    incoming: input.sourceSha,
    ours: input.branchHead,
    mergeBase: input.mergeBase,
    repo: p.target.repo,
    pr: MIRROR_RESOLVER_PR,
    prUrl: null,
    stepPrefix: 'merge-',
  };
}

export function analyseMirrorMerge(
  deps: MirrorMergeDeps,
  p: MirrorConfig,
  run: MirrorMergeRun,
  input: MirrorMergeInput,
): Promise<MirrorMergeAnalysis> {
  return analyseTwoParentMerge(deps, p, run, mergeInput(p, input));
}

/** The two-parent merge commit (merge branch first, the source head second); only when nothing waits. */
export function commitMirrorMerge(
  deps: MirrorMergeDeps,
  p: MirrorConfig,
  input: MirrorMergeInput,
  analysis: MirrorMergeAnalysis,
): Promise<string> {
  const message = branchSyncMergeMessage({
    upstreamRepo: p.source.repo,
    upstreamBranch: p.source.branch,
    upstreamSha: input.sourceSha,
    syncBranch: input.branch,
    resolved: analysis.resolved,
  });
  return commitTwoParentMerge(deps.git, mergeInput(p, input), analysis, { message, author: deps.config.git.author });
}
