import type { BranchSyncConfig } from '../../config/schema.js';
import type { ConflictFileOutcome, HunkRecord, SyncConflictCounts, WaitingHunk } from '../../ports.js';
import { branchSyncMergeMessage } from '../../core/branch-sync/branch-sync-text.js';
import { planFiles, recordsOf, type PlannedFile } from '../../workflows/resolve/resolve-plan.js';
import { conflictCounts, fileOutcomes, waitingHunks } from '../../workflows/resolve/resolve-report.js';
import { askLlm, llmCandidates, type LlmFileResult } from '../../workflows/resolve/resolve-llm.js';
import { writeMergeCommit } from '../../workflows/resolve/resolve-commit.js';
import { withLlm } from '../../workflows/resolve/resolve.js';
import { BRANCH_SYNC_RESOLVER_PR, type BranchSyncDeps, type BranchSyncRun } from './branch-sync-types.js';

// Merging upstream's head U into the sync branch, on the fork's cache. `git merge-tree` is asked
// with upstream first so the resolver sees its usual sides (stage 2 upstream, stage 3 fork); the
// commit gets the sync branch as first parent and U as second. Conflicts go through the same
// layers as release-sync (rules, strategies, memory, LLM, people); nothing is committed until
// every hunk is decided, and the commit is refused if a conflict marker is left.

export interface MergeAnalysis {
  tree: string;
  files: PlannedFile[];
  /** Paths that conflicted, decided or not. */
  conflicts: string[];
  waiting: WaitingHunk[];
  records: HunkRecord[];
  counts: SyncConflictCounts;
  /** Per file: what it became and which layer decided (the Slack thread shows them). */
  outcomes: ConflictFileOutcome[];
  /** How each decided path was decided, for the commit message and the PR body. */
  resolved: Array<{ path: string; how: string }>;
}

export interface MergeInput {
  cache: string;
  syncHead: string;
  upstreamSha: string;
  mergeBase: string | null;
  prUrl: string | null;
}

export async function analyseMerge(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  run: BranchSyncRun,
  input: MergeInput,
): Promise<MergeAnalysis> {
  const { cache, syncHead, upstreamSha: u } = input;
  const merged = await deps.git.mergeTree(cache, u, syncHead, { allowUnrelatedHistories: input.mergeBase === null });
  if (merged.clean)
    return {
      tree: merged.tree,
      files: [],
      conflicts: [],
      waiting: [],
      outcomes: [],
      records: [],
      counts: conflictCounts([]),
      resolved: [],
    };
  const planInput = {
    pipeline: p,
    cache,
    head: u,
    production: syncHead,
    mergeBase: input.mergeBase,
    conflicts: merged.conflicts,
    repo: p.fork.repo,
    pr: BRANCH_SYNC_RESOLVER_PR,
  };
  let files = await planFiles(deps.git, deps.resolver, deps.resolver, planInput);
  const llm = await llmLayer(deps, p, run, files, u);
  if (llm.length) {
    await run.step(`record-llm:${u}`, async () => {
      const model = (p.resolution.llm ?? deps.config.llm).model;
      deps.resolver.saveDecisions(p.fork.repo, BRANCH_SYNC_RESOLVER_PR, u, withLlm(files, llm, model));
      return true;
    });
    files = await planFiles(deps.git, deps.resolver, deps.resolver, planInput);
  }
  const records = recordsOf(files);
  if (!run.dryRun)
    await run.step(`record-decisions:${u}`, async () => {
      deps.resolver.saveDecisions(p.fork.repo, BRANCH_SYNC_RESOLVER_PR, u, records);
      return records.length;
    });
  const outcomes = fileOutcomes(files);
  return {
    tree: merged.tree,
    files,
    conflicts: files.map((f) => f.path),
    waiting: waitingHunks(files, input.prUrl),
    records,
    counts: conflictCounts(files),
    outcomes,
    resolved: outcomes
      .filter((o) => o.decision !== 'waiting')
      .map((o) => ({
        path: o.path,
        how: `${o.decision}${o.by ? ` by ${o.by}` : ''}${o.reason ? ` (${o.reason})` : ''}`,
      })),
  };
}

async function llmLayer(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  run: BranchSyncRun,
  files: PlannedFile[],
  u: string,
): Promise<LlmFileResult[]> {
  const settings = p.resolution.llm ?? deps.config.llm;
  const candidates = llmCandidates(files);
  const llm = deps.llm;
  if (run.dryRun || !candidates.length || !settings.enabled || !llm) return [];
  const pr = BRANCH_SYNC_RESOLVER_PR;
  const allowed = await run.step(`llm-attempt:${u}`, async () => {
    if (deps.resolver.attempts(p.fork.repo, pr, u) >= p.resolution.maxAttempts) return false;
    deps.resolver.countAttempt(p.fork.repo, pr, u);
    return true;
  });
  if (!allowed) return [];
  const results: LlmFileResult[] = [];
  for (const f of candidates)
    results.push(await run.step(`llm:${u}:${f.path}`, () => askLlm(llm, settings, f, run.signal)));
  return results;
}

/** The two-parent merge commit (sync branch first, U second) by the bot; only when nothing waits. */
export async function commitMerge(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  input: MergeInput,
  analysis: MergeAnalysis,
): Promise<string> {
  const author = deps.config.git.author;
  const message = branchSyncMergeMessage({
    upstreamRepo: p.upstream.repo,
    upstreamBranch: p.upstream.branch,
    upstreamSha: input.upstreamSha,
    syncBranch: p.fork.syncBranch,
    resolved: analysis.resolved,
  });
  const parents: [string, string] = [input.syncHead, input.upstreamSha];
  if (!analysis.files.length)
    return deps.git.commitTree(input.cache, { tree: analysis.tree, parents, message, author });
  const made = await writeMergeCommit(deps.git, {
    cache: input.cache,
    mergedTree: analysis.tree,
    head: input.upstreamSha,
    production: input.syncHead,
    files: analysis.files,
    message,
    author,
    parents,
  });
  return made.sha;
}
