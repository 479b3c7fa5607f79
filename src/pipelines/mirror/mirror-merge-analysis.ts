import type { MirrorConfig } from '../../config/schema.js';
import { branchSyncMergeMessage } from '../../core/branch-sync/branch-sync-text.js';
import type { ConflictFileOutcome, HunkRecord, SyncConflictCounts, WaitingHunk } from '../../ports.js';
import { writeMergeCommit } from '../../workflows/resolve/resolve-commit.js';
import { askLlm, llmCandidates, type LlmFileResult } from '../../workflows/resolve/resolve-llm.js';
import { planFiles, recordsOf, type PlannedFile } from '../../workflows/resolve/resolve-plan.js';
import { conflictCounts, fileOutcomes, waitingHunks } from '../../workflows/resolve/resolve-report.js';
import { withLlm } from '../../workflows/resolve/resolve.js';
import type { MirrorMergeDeps, MirrorMergeRun } from './mirror-merge-types.js';
import { MIRROR_RESOLVER_PR } from './mirror-merge-types.js';

// Merging the source head S into the merge branch (made from the target head), on the target's
// cache. `git merge-tree` is asked with the source first so the resolver sees its usual sides
// (upstream = the source, fork = the target); the commit gets the merge branch as first parent and
// S as second, so the target's history is the first-parent line. Conflicts go through the same
// layers as the other kinds (rules, strategies, memory, LLM, people); nothing is committed until
// every hunk is decided, and the commit is refused if a conflict marker is left.

export interface MirrorMergeAnalysis {
  tree: string;
  files: PlannedFile[];
  conflicts: string[];
  waiting: WaitingHunk[];
  records: HunkRecord[];
  counts: SyncConflictCounts;
  outcomes: ConflictFileOutcome[];
  resolved: Array<{ path: string; how: string }>;
}

export interface MirrorMergeInput {
  cache: string;
  /** The merge branch head (the target head it was made from, until the merge is pushed). */
  branchHead: string;
  sourceSha: string;
  mergeBase: string | null;
  branch: string;
}

export async function analyseMirrorMerge(
  deps: MirrorMergeDeps,
  p: MirrorConfig,
  run: MirrorMergeRun,
  input: MirrorMergeInput,
): Promise<MirrorMergeAnalysis> {
  const { cache, branchHead, sourceSha: s } = input;
  const merged = await deps.git.mergeTree(cache, s, branchHead, { allowUnrelatedHistories: input.mergeBase === null });
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
  const repo = p.target.repo;
  const planInput = {
    pipeline: p,
    cache,
    head: s,
    production: branchHead,
    mergeBase: input.mergeBase,
    conflicts: merged.conflicts,
    repo,
    pr: MIRROR_RESOLVER_PR,
  };
  let files = await planFiles(deps.git, deps.resolver, deps.resolver, planInput);
  const llm = await llmLayer(deps, p, run, files, s);
  if (llm.length) {
    await run.step(`merge-record-llm:${s}`, async () => {
      const model = (p.resolution.llm ?? deps.config.llm).model;
      deps.resolver.saveDecisions(repo, MIRROR_RESOLVER_PR, s, withLlm(files, llm, model));
      return true;
    });
    files = await planFiles(deps.git, deps.resolver, deps.resolver, planInput);
  }
  const records = recordsOf(files);
  if (!run.dryRun)
    await run.step(`merge-record-decisions:${s}`, async () => {
      deps.resolver.saveDecisions(repo, MIRROR_RESOLVER_PR, s, records);
      return records.length;
    });
  const outcomes = fileOutcomes(files);
  return {
    tree: merged.tree,
    files,
    conflicts: files.map((f) => f.path),
    waiting: waitingHunks(files, null),
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
  deps: MirrorMergeDeps,
  p: MirrorConfig,
  run: MirrorMergeRun,
  files: PlannedFile[],
  s: string,
): Promise<LlmFileResult[]> {
  const settings = p.resolution.llm ?? deps.config.llm;
  const candidates = llmCandidates(files);
  const llm = deps.llm;
  if (run.dryRun || !candidates.length || !settings.enabled || !llm) return [];
  const repo = p.target.repo;
  const allowed = await run.step(`merge-llm-attempt:${s}`, async () => {
    if (deps.resolver.attempts(repo, MIRROR_RESOLVER_PR, s) >= p.resolution.maxAttempts) return false;
    deps.resolver.countAttempt(repo, MIRROR_RESOLVER_PR, s);
    return true;
  });
  if (!allowed) return [];
  const results: LlmFileResult[] = [];
  for (const f of candidates) results.push(await run.step(`merge-llm:${s}:${f.path}`, () => askLlm(llm, settings, f)));
  return results;
}

/** The two-parent merge commit (merge branch first, the source head second); only when nothing waits. */
export async function commitMirrorMerge(
  deps: MirrorMergeDeps,
  p: MirrorConfig,
  input: MirrorMergeInput,
  analysis: MirrorMergeAnalysis,
): Promise<string> {
  const author = deps.config.git.author;
  const message = branchSyncMergeMessage({
    upstreamRepo: p.source.repo,
    upstreamBranch: p.source.branch,
    upstreamSha: input.sourceSha,
    syncBranch: input.branch,
    resolved: analysis.resolved,
  });
  const parents: [string, string] = [input.branchHead, input.sourceSha];
  if (!analysis.files.length)
    return deps.git.commitTree(input.cache, { tree: analysis.tree, parents, message, author });
  const made = await writeMergeCommit(deps.git, {
    cache: input.cache,
    mergedTree: analysis.tree,
    head: input.sourceSha,
    production: input.branchHead,
    files: analysis.files,
    message,
    author,
    parents,
  });
  return made.sha;
}
