import type { Config, ReleaseSyncConfig } from '../../config/schema.js';
import { AppError, isAppError } from '../../errors.js';
import { waitingHunksId } from './waiting-hunks-id.js';
import type {
  AuditLog,
  Clock,
  ConflictFileOutcome,
  GitHubPort,
  GitPort,
  LlmPort,
  Remote,
  ResolutionMemory,
  ResolverLog,
  SyncNotifier,
  SyncRef,
  WaitingHunk,
} from '../../ports.js';
import { decisionLogComment, mergeCommitMessage } from '../../core/resolve/decision-log.js';
import { tagOfSyncBranch } from '../../core/sync/sync-branch.js';
import { KIND, type ResolveJobData } from '../../jobs/job-kinds.js';
import { askLlm, llmCandidates, type LlmFileResult } from './resolve-llm.js';
import { runGate, type AllowSlackResolve } from './resolve-gate.js';
import { planFiles, recordsOf, type PlannedFile } from './resolve-plan.js';
import { historyFor } from './git-upstream-history.js';
import { conflictCounts, fileOutcomes, upsertComment, waitingHunks } from './resolve-report.js';
import { writeMergeCommit } from './resolve-commit.js';
import { cacheRefs } from '../../pipelines/release-sync/sync-types.js';
import type { JobContext, JobDefinition } from '../../ports/jobs.js';
import { plural } from '../../core/plural.js';
import { isReleaseSync, pipelineById } from '../../config/require-pipeline.js';

// The conflict resolver on the durable runner (kind `resolve`, one per PR: dedupe
// `resolve:<repo>#<pr>`, lock `pr:<repo>#<pr>`). Gate, fetch, merge-tree, then the layers: path
// rules, deterministic strategies, memory, the LLM (validated), people. Only when every hunk is
// decided is the two-parent merge commit written and pushed, never forced. Every effect is a
// step; the analysis in between is recomputed from git and SQLite, which it does not change.

export type ResolveOutcome = 'refused' | 'clean' | 'waiting' | 'resolved' | 'stale';

export interface ResolveJobResult {
  outcome: ResolveOutcome;
  pr: number;
  message: string;
  headSha: string | null;
  commit: string | null;
  mergeable: boolean | null;
  files: ConflictFileOutcome[];
  waiting: WaitingHunk[];
}

export interface ResolveDeps {
  config: Config;
  github: GitHubPort;
  git: GitPort;
  llm: LlmPort | null;
  resolver: ResolutionMemory & ResolverLog;
  audit: AuditLog;
  notifier: SyncNotifier;
  allowSlack: AllowSlackResolve;
  clock: Clock;
  /** Waits between mergeability checks after the push (GitHub computes it in the background). */
  recheckDelaysMs?: readonly number[];
}

function syncRef(p: ReleaseSyncConfig, headRef: string): SyncRef | null {
  const tag = tagOfSyncBranch(p.syncBranch, headRef);
  return tag ? { pipeline: p.id, tag } : null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export async function runResolve(ctx: JobContext<ResolveJobData>, deps: ResolveDeps): Promise<ResolveJobResult> {
  const d = ctx.job.data;
  const base = { pr: d.pr, headSha: null, commit: null, mergeable: null, files: [], waiting: [] };
  const p = pipelineById(deps.config, d.pipeline);
  if (!p || !isReleaseSync(p) || p.fork.repo !== d.repo)
    return { ...base, outcome: 'refused', message: `pipeline ${d.pipeline} with fork ${d.repo} is not configured` };
  const cache = p.fork.repo;

  const gate = await ctx.step('gate', async () => {
    const g = await runGate(deps, p, d.pr, ctx.job.requestedBy);
    return g.ok
      ? { ok: true as const, headRef: g.pr.headRef, url: g.pr.htmlUrl }
      : { ok: false as const, reason: g.reason };
  });
  if (!gate.ok) {
    ctx.log.warn({ pr: d.pr, reason: gate.reason }, 'resolver refused');
    return { ...base, outcome: 'refused', message: `refused: ${gate.reason}` };
  }
  await ctx.step('choices', async () => {
    for (const decision of d.decisions ?? []) deps.resolver.recordChoice(p.fork.repo, d.pr, decision);
    return d.decisions?.length ?? 0;
  });

  const heads = await ctx.step('fetch', () => fetchPull(deps, p, gate.headRef));
  const merged = await ctx.step('merge', () => deps.git.mergeTree(cache, heads.head, heads.production));
  const ref = syncRef(p, gate.headRef);
  if (merged.clean) {
    return {
      ...base,
      headSha: heads.head,
      outcome: 'clean',
      message: `PR #${d.pr} merges cleanly: nothing to resolve`,
    };
  }

  const planInput = {
    pipeline: p,
    cache,
    head: heads.head,
    production: heads.production,
    mergeBase: heads.mergeBase,
    conflicts: merged.conflicts,
    repo: p.fork.repo,
    pr: d.pr,
    history: historyFor(deps.git, cache, heads),
  };
  let files = await planFiles(deps.git, deps.resolver, deps.resolver, planInput);
  const llm = await llmLayer(ctx, deps, p, files, heads.head);
  if (llm.results.length) {
    await ctx.step('record-llm', async () => {
      deps.resolver.saveDecisions(
        p.fork.repo,
        d.pr,
        heads.head,
        withLlm(files, llm.results, (p.resolution.llm ?? deps.config.llm).model),
      );
      return true;
    });
    files = await planFiles(deps.git, deps.resolver, deps.resolver, planInput);
  }
  const records = recordsOf(files);
  const paths = files.map((f) => f.path);
  // The run on this head; resolvedSha once its merge commit is pushed.
  const recordRun = (resolvedSha: string | null) =>
    deps.resolver.recordRun({
      pipeline: p.id,
      repo: p.fork.repo,
      pr: d.pr,
      headSha: heads.head,
      productionSha: heads.production,
      mergeBase: heads.mergeBase,
      paths,
      resolvedSha,
      at: deps.clock.now().toISOString(),
    });
  await ctx.step('record', async () => {
    deps.resolver.saveDecisions(p.fork.repo, d.pr, heads.head, records);
    recordRun(null);
    return records.length;
  });

  const waiting = waitingHunks(files, gate.url);
  const outcomes = fileOutcomes(files);
  const counts = conflictCounts(files);
  if (waiting.length) {
    await ctx.step('comment-waiting', () =>
      upsertComment(
        deps.github,
        p.fork.repo,
        d.pr,
        decisionLogComment({ pr: d.pr, headSha: heads.head, records, waiting, note: llm.note }),
      ),
    );
    if (ref) {
      await ctx.step('notify-waiting', async () => {
        await deps.notifier.syncChanged(ref, { stage: 'needs-person', conflicts: counts });
        await deps.notifier.syncDetail(
          ref,
          { kind: 'waiting', pr: d.pr, hunks: waiting },
          {
            key: `waiting:${p.fork.repo}#${d.pr}:${waitingHunksId(waiting)}`,
          },
        );
        return true;
      });
    }
    return {
      ...base,
      headSha: heads.head,
      outcome: 'waiting',
      files: outcomes,
      waiting,
      message: `${plural(waiting.length, 'hunk')} on PR #${d.pr} wait for a person`,
    };
  }

  const commit = await ctx.step('commit', async () => {
    const made = await writeMergeCommit(deps.git, {
      cache,
      mergedTree: merged.tree,
      head: heads.head,
      production: heads.production,
      files,
      message: mergeCommitMessage(d.pr, records),
      author: deps.config.git.author,
    });
    return made.sha;
  });
  const pushed = await ctx.step('push', async () => {
    try {
      await deps.git.push(heads.remote, { sha: commit, branch: gate.headRef, expected: heads.head });
      return true;
    } catch (err) {
      if (isAppError(err, 'push_rejected')) return false;
      throw err;
    }
  });
  if (!pushed) {
    return {
      ...base,
      headSha: heads.head,
      outcome: 'stale',
      files: outcomes,
      message: `${gate.headRef} moved while resolving; run the resolver again on the new head`,
    };
  }
  const mergeable = await ctx.step('recheck', async () => {
    for (const ms of deps.recheckDelaysMs ?? [1000, 2000, 4000, 8000]) {
      const pr = await deps.github.getPull(p.fork.repo, d.pr);
      if (pr.headSha === commit && pr.mergeable !== null) return pr.mergeable;
      await sleep(ms, ctx.signal);
    }
    return null;
  });
  await ctx.step('record-resolved', async () => {
    recordRun(commit);
    return true;
  });
  const note =
    mergeable === false
      ? 'GitHub still reports conflicts after the push; production moved meanwhile, so the resolver will run again on the new head.'
      : null;
  await ctx.step('comment-done', () =>
    upsertComment(
      deps.github,
      p.fork.repo,
      d.pr,
      decisionLogComment({ pr: d.pr, headSha: heads.head, records, waiting: [], commit, note }),
    ),
  );
  if (ref) {
    await ctx.step('notify-done', async () => {
      await deps.notifier.syncChanged(ref, { stage: 'ci', conflicts: counts, mergeable });
      await deps.notifier.syncDetail(
        ref,
        { kind: 'conflicts', files: outcomes },
        { key: `conflicts:${p.fork.repo}#${d.pr}:${commit}` },
      );
      return true;
    });
  }
  return {
    ...base,
    headSha: heads.head,
    outcome: 'resolved',
    commit,
    mergeable,
    files: outcomes,
    message: `PR #${d.pr}: ${plural(records.length, 'hunk')} resolved in ${commit.slice(0, 12)}`,
  };
}

export interface PullHeads {
  remote: Remote;
  head: string;
  production: string;
  mergeBase: string | null;
}

/** Fetches the sync branch and production into the fork's cache and resolves both. */
export async function fetchPull(
  deps: Pick<ResolveDeps, 'github' | 'git'>,
  p: ReleaseSyncConfig,
  headRef: string,
): Promise<PullHeads> {
  const cache = p.fork.repo;
  const info = await deps.github.getRepo(p.fork.repo);
  const remote: Remote = { repo: p.fork.repo, cloneUrl: info.cloneUrl };
  await deps.git.checkRefName(headRef);
  await deps.git.fetch(
    remote,
    [headRef, p.fork.productionBranch].map((b) => `+refs/heads/${b}:${cacheRefs.forkBranch(b)}`),
  );
  const head = await deps.git.resolve(cache, cacheRefs.forkBranch(headRef));
  const production = await deps.git.resolve(cache, cacheRefs.forkBranch(p.fork.productionBranch));
  if (!head || !production)
    throw new AppError('not_found', `${headRef} or ${p.fork.productionBranch} is missing after fetch`);
  return { remote, head, production, mergeBase: await deps.git.mergeBase(cache, head, production) };
}

async function llmLayer(
  ctx: JobContext<ResolveJobData>,
  deps: ResolveDeps,
  p: ReleaseSyncConfig,
  files: PlannedFile[],
  head: string,
): Promise<{ results: LlmFileResult[]; note: string | null }> {
  const settings = p.resolution.llm ?? deps.config.llm;
  const candidates = llmCandidates(files);
  if (!candidates.length || !settings.enabled || !deps.llm) return { results: [], note: null };
  const attempt = await ctx.step('attempt', async () => {
    const used = deps.resolver.attempts(p.fork.repo, ctx.job.data.pr, head);
    if (used >= p.resolution.maxAttempts) return { allowed: false, used };
    return { allowed: true, used: deps.resolver.countAttempt(p.fork.repo, ctx.job.data.pr, head) };
  });
  if (!attempt.allowed)
    return {
      results: [],
      note: `The LLM was not asked: ${attempt.used} resolver attempts on this head already (limit ${p.resolution.maxAttempts}).`,
    };
  const llm = deps.llm;
  const results: LlmFileResult[] = [];
  for (const f of candidates) results.push(await ctx.step(`llm:${f.path}`, () => askLlm(llm, settings, f, ctx.signal)));
  const down = results.find((r) => r.unavailable);
  return { results, note: down ? `${down.unavailable}: the hunks it was asked about wait for a person.` : null };
}

/** The decision log with the LLM's answers merged in (accepted ones decide, refused ones are marked asked). */
export function withLlm(files: readonly PlannedFile[], results: readonly LlmFileResult[], model: string) {
  const refused = results.flatMap((r) =>
    r.refused.map((x) => ({ path: r.path, hunk: x.hunk, reason: `LLM answer refused: ${x.reason}`, by: model })),
  );
  const rows = recordsOf(files, refused);
  for (const r of results) {
    for (const a of r.accepted) {
      const row = rows.find((x) => x.path === r.path && x.hunk === a.hunk);
      if (row)
        Object.assign(row, {
          layer: 'llm',
          by: a.by,
          rationale: a.rationale,
          confidence: a.confidence,
          text: a.text ?? null,
        });
    }
  }
  return rows;
}

export function registerResolveJob(
  runner: { register(definition: JobDefinition<ResolveJobData, ResolveJobResult>): unknown },
  deps: ResolveDeps,
): void {
  runner.register({ kind: KIND.resolve, handler: (ctx) => runResolve(ctx, deps) });
}
