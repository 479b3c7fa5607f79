import type { Config, ReleaseSyncConfig } from '../../config/schema.js';
import type { Actor, GitHubPort, GitPort, PullRequest, SyncNotifier } from '../../ports.js';
import { commentUpdated, updateSyncBranch } from './recheck-update.js';
import { checkPull } from '../../core/resolve/gate.js';
import { conflictsDetectedComment, hasConflictsDetectedComment } from '../../core/sync/conflicts-detected-comment.js';
import { tagOfSyncBranch } from '../../core/sync/sync-branch.js';
import { KIND, resolveJobInput, type RecheckJobData } from '../../jobs/job-kinds.js';
import type { JobContext, JobDefinition } from '../../ports/jobs.js';
import { requireReleaseSync } from '../../config/require-pipeline.js';

// A push to production can make an open sync PR conflict (a hotfix touching lines the sync also
// changes). The `push` webhook only enqueues this job; it re-reads every open sync PR and, for one
// that now conflicts, takes off the ready label, says so on the PR once, moves the card back and
// hands the PR to the resolver as the bot. One job per production commit (a push arriving while
// an earlier recheck runs is not folded into it and lost); the pipeline lock runs them one at a
// time and after any sync or resolver at work, so each reads what they left.

/** GitHub computes mergeability in the background after a push: ask again this often (CARTO: 3 × 10 s). */
export const MERGEABLE_RETRY_MS: readonly number[] = [10_000, 10_000, 10_000];

export interface RecheckedPull {
  pr: number;
  mergeable: boolean | null;
  /** `updated`: production merged cleanly into the sync branch, which was pushed. */
  action: 'none' | 'resolve' | 'unknown' | 'updated';
}

export interface RecheckJobDeps {
  config: Config;
  github: GitHubPort;
  notifier: SyncNotifier;
  /** With git, a sync PR that still merges is brought up to date with production; without, left alone. */
  git?: GitPort;
  /** Waits between reads while GitHub reports mergeable null; default MERGEABLE_RETRY_MS. */
  mergeableRetryMs?: readonly number[];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** The PR once GitHub knows whether it merges, or as last read (mergeable null) when it never said. */
async function readMergeable(
  deps: RecheckJobDeps,
  repo: string,
  number: number,
  signal: AbortSignal,
): Promise<PullRequest> {
  let pr = await deps.github.getPull(repo, number);
  for (const ms of deps.mergeableRetryMs ?? MERGEABLE_RETRY_MS) {
    if (pr.mergeable !== null || pr.state !== 'open') break;
    await sleep(ms, signal);
    signal.throwIfAborted();
    pr = await deps.github.getPull(repo, number);
  }
  return pr;
}

async function recheckPull(
  ctx: JobContext<RecheckJobData>,
  deps: RecheckJobDeps,
  p: ReleaseSyncConfig,
  number: number,
): Promise<RecheckedPull> {
  const repo = p.fork.repo;
  const pr = await readMergeable(deps, repo, number, ctx.signal);
  if (pr.state !== 'open') return { pr: number, mergeable: null, action: 'none' };
  if (pr.mergeable === null) {
    // Left for the next push or a person: the CI watcher still shows what GitHub says meanwhile.
    ctx.log.warn({ pr: number }, 'GitHub did not say whether the sync PR merges; not rechecked');
    return { pr: number, mergeable: null, action: 'unknown' };
  }
  if (pr.mergeable) return bringUpToDate(ctx, deps, p, pr);

  await ctx.step(`conflicts:${number}`, async () => {
    const ready = p.pr.readyLabel;
    const removedLabel = ready && pr.labels.includes(ready) ? ready : null;
    if (removedLabel) await deps.github.removeLabel(repo, number, removedLabel);
    const bodies = (await deps.github.listComments(repo, number)).map((c) => c.body);
    if (hasConflictsDetectedComment(bodies, pr.headSha)) return { commented: false };
    const body = conflictsDetectedComment({
      headSha: pr.headSha,
      productionBranch: p.fork.productionBranch,
      productionSha: ctx.job.data.productionSha,
      removedLabel,
    });
    await deps.github.createComment(repo, number, body);
    return { commented: true };
  });
  // The bot asks: the resolver's gate lets the bot through, and no person has to be on the list.
  const bot: Actor = { kind: 'bot', id: `recheck:${p.id}` };
  await ctx.step(`resolve:${number}`, async () => (await ctx.enqueue(resolveJobInput(p, number, bot))).job.id);
  const tag = tagOfSyncBranch(p.syncBranch, pr.headRef);
  // Off `ready` at once: the card must not offer Approve & merge on a PR that cannot merge.
  if (tag) await deps.notifier.syncChanged({ pipeline: p.id, tag }, { stage: 'resolving', mergeable: false });
  return { pr: number, mergeable: false, action: 'resolve' };
}

/** Production merged into a sync PR that still merges: pushed, said once on the PR and on the card. */
async function bringUpToDate(
  ctx: JobContext<RecheckJobData>,
  deps: RecheckJobDeps,
  p: ReleaseSyncConfig,
  pr: PullRequest,
): Promise<RecheckedPull> {
  const git = deps.git;
  const none: RecheckedPull = { pr: pr.number, mergeable: true, action: 'none' };
  if (!git) return none;
  const outcome = await ctx.step(`update:${pr.number}`, () => updateSyncBranch({ ...deps, git }, p, pr));
  if (!outcome.updated) return none;
  await ctx.step(`updated-comment:${pr.number}`, async () => {
    const ready = p.pr.readyLabel;
    // The new head has not been tested: the label that lets deployments pick the PR comes off.
    if (ready && pr.labels.includes(ready)) await deps.github.removeLabel(p.fork.repo, pr.number, ready);
    return { commented: await commentUpdated(deps.github, p, pr.number, outcome) };
  });
  const tag = tagOfSyncBranch(p.syncBranch, pr.headRef);
  if (tag) {
    const ref = { pipeline: p.id, tag };
    await deps.notifier.syncChanged(ref, { stage: 'ci', mergeable: true });
    await deps.notifier.syncDetail(
      ref,
      {
        kind: 'note',
        text: `${p.fork.productionBranch} moved to ${outcome.production.slice(0, 12)}: merged into the sync branch (new head ${outcome.head.slice(0, 12)}); CI runs again.`,
      },
      { key: `production-merged:${outcome.production}` },
    );
  }
  return { pr: pr.number, mergeable: true, action: 'updated' };
}

export function recheckJob(deps: RecheckJobDeps): JobDefinition<RecheckJobData, { pulls: RecheckedPull[] }> {
  return {
    kind: KIND.recheck,
    maxAttempts: 5,
    handler: async (ctx) => {
      const p = requireReleaseSync(deps.config, ctx.job.data.pipeline);
      const open = await deps.github.listPulls(p.fork.repo, { state: 'open', base: p.fork.productionBranch });
      // The resolver's own gate: sync branch, from the fork itself, carrying the sync label.
      const pulls: RecheckedPull[] = [];
      for (const pr of open.filter((x) => checkPull(p, x).ok)) pulls.push(await recheckPull(ctx, deps, p, pr.number));
      return { pulls };
    },
  };
}
