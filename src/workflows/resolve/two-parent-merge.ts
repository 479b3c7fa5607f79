import type { Config, ReleaseSyncConfig } from '../../config/schema.js';
import type {
  ConflictFileOutcome,
  GitPort,
  HunkRecord,
  LlmPort,
  ResolutionMemory,
  ResolverLog,
  SyncConflictCounts,
  WaitingHunk,
} from '../../ports.js';
import { askLlm, llmCandidates, type LlmFileResult } from './resolve-llm.js';
import { writeMergeCommit } from './resolve-commit.js';
import { planFiles, recordsOf, type PlannedFile } from './resolve-plan.js';
import { conflictCounts, fileOutcomes, waitingHunks } from './resolve-report.js';
import { withLlm } from './resolve.js';

// A merge made before any PR exists (branch-sync: upstream into the sync branch; mirror: the source
// into a merge branch). `git merge-tree` is asked with the incoming side first so the resolver sees
// its usual sides (stage 2 incoming, stage 3 ours); the commit gets ours as first parent. Conflicts
// go through the same layers as release-sync (rules, strategies, memory, LLM, people); nothing is
// committed until every hunk is decided, and the commit is refused if a conflict marker is left.

export interface TwoParentMergeAnalysis {
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

export interface TwoParentMergeDeps {
  config: Pick<Config, 'llm'>;
  git: GitPort;
  llm: LlmPort | null;
  resolver: ResolutionMemory & ResolverLog;
}

export interface TwoParentMergeRun {
  dryRun: boolean;
  signal?: AbortSignal;
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface TwoParentMergeInput {
  cache: string;
  /** The incoming head (second parent). */
  incoming: string;
  /** Our head (first parent). */
  ours: string;
  mergeBase: string | null;
  /** Where the resolver's records are kept: the repository and its pseudo PR number. */
  repo: string;
  pr: number;
  /** Linked from the waiting hunks, when a PR exists. */
  prUrl: string | null;
  /** Put before every step name, so each kind keeps its own step journal keys. */
  stepPrefix: string;
}

export async function analyseTwoParentMerge(
  deps: TwoParentMergeDeps,
  p: Pick<ReleaseSyncConfig, 'resolution'>,
  run: TwoParentMergeRun,
  input: TwoParentMergeInput,
): Promise<TwoParentMergeAnalysis> {
  const { cache, incoming: u, ours, repo, pr, stepPrefix: at } = input;
  const merged = await deps.git.mergeTree(cache, u, ours, { allowUnrelatedHistories: input.mergeBase === null });
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
    production: ours,
    mergeBase: input.mergeBase,
    conflicts: merged.conflicts,
    repo,
    pr,
  };
  let files = await planFiles(deps.git, deps.resolver, deps.resolver, planInput);
  const llm = await llmLayer(deps, p, run, files, input);
  if (llm.length) {
    await run.step(`${at}record-llm:${u}`, async () => {
      const model = (p.resolution.llm ?? deps.config.llm).model;
      deps.resolver.saveDecisions(repo, pr, u, withLlm(files, llm, model));
      return true;
    });
    files = await planFiles(deps.git, deps.resolver, deps.resolver, planInput);
  }
  const records = recordsOf(files);
  if (!run.dryRun)
    await run.step(`${at}record-decisions:${u}`, async () => {
      deps.resolver.saveDecisions(repo, pr, u, records);
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
  deps: TwoParentMergeDeps,
  p: Pick<ReleaseSyncConfig, 'resolution'>,
  run: TwoParentMergeRun,
  files: PlannedFile[],
  input: TwoParentMergeInput,
): Promise<LlmFileResult[]> {
  const settings = p.resolution.llm ?? deps.config.llm;
  const candidates = llmCandidates(files);
  const llm = deps.llm;
  if (run.dryRun || !candidates.length || !settings.enabled || !llm) return [];
  const { incoming: u, repo, pr, stepPrefix: at } = input;
  const allowed = await run.step(`${at}llm-attempt:${u}`, async () => {
    if (deps.resolver.attempts(repo, pr, u) >= p.resolution.maxAttempts) return false;
    deps.resolver.countAttempt(repo, pr, u);
    return true;
  });
  if (!allowed) return [];
  const results: LlmFileResult[] = [];
  for (const f of candidates)
    results.push(await run.step(`${at}llm:${u}:${f.path}`, () => askLlm(llm, settings, f, run.signal)));
  return results;
}

/** The two-parent merge commit (ours first, incoming second) by the bot; only when nothing waits. */
export async function commitTwoParentMerge(
  git: GitPort,
  input: Pick<TwoParentMergeInput, 'cache' | 'incoming' | 'ours'>,
  analysis: TwoParentMergeAnalysis,
  commit: { message: string; author: Config['git']['author'] },
): Promise<string> {
  const { message, author } = commit;
  const parents: [string, string] = [input.ours, input.incoming];
  if (!analysis.files.length) return git.commitTree(input.cache, { tree: analysis.tree, parents, message, author });
  const made = await writeMergeCommit(git, {
    cache: input.cache,
    mergedTree: analysis.tree,
    head: input.incoming,
    production: input.ours,
    files: analysis.files,
    message,
    author,
    parents,
  });
  return made.sha;
}
