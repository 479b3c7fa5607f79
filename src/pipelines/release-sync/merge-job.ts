import type { Config } from '../../config/schema.js';
import { MIRROR_MERGE_BRANCH_PREFIX } from '../mirror/mirror-merge-types.js';
import { prBase, prRepo, type PrPipeline } from '../sync-pr-target.js';
import { AppError } from '../../errors.js';
import { KIND, learnJobInput, type MergeJobData } from '../../jobs/job-kinds.js';
import type { JobDefinition } from '../../ports/jobs.js';
import type { AuditLog, ChecksSummary, GitHubPort, PullRequest, SyncNotifier } from '../../ports.js';
import { pipelineById } from '../../config/require-pipeline.js';
import type { LedgerGate } from '../../workflows/ledger/ledger-gate.js';

// "Approve & merge": the production branch changes only through a PR merged with a merge commit
// (invariant 1; GitHubPort.mergePull cannot squash or rebase). The card only offers the button
// when CI is green and the PR mergeable, but that was then: this job asks GitHub again, merges
// exactly the head it checked (`sha`), and says why when it refuses.

/**
 * Kinds whose sync PR is merged by "Approve & merge": release-sync into production, branch-sync
 * into its target, a mirror's merge PR into the target branch.
 */
export type MergeablePipeline = PrPipeline;

export type MergeJobResult = { merged: true; sha: string; already: boolean } | { merged: false; reason: string };

/** Why this PR must not be merged now, or null when it may. */
export function mergeRefusal(p: MergeablePipeline, pr: PullRequest, checks: ChecksSummary): string | null {
  const base = prBase(p);
  if (pr.state !== 'open') return `PR #${pr.number} is closed.`;
  if (pr.baseRef !== base) return `PR #${pr.number} targets ${pr.baseRef}, not ${base}.`;
  if (p.kind === 'branch-sync' && pr.headRef !== p.fork.syncBranch)
    return `PR #${pr.number} is not from the sync branch ${p.fork.syncBranch}.`;
  if (p.kind === 'mirror' && (!pr.headRef.startsWith(MIRROR_MERGE_BRANCH_PREFIX) || pr.headRepo !== p.target.repo))
    return `PR #${pr.number} is not a merge into target (its branch is not ${MIRROR_MERGE_BRANCH_PREFIX}… in ${p.target.repo}).`;
  if (pr.mergeable === null)
    return `GitHub is still working out whether PR #${pr.number} merges cleanly; try again in a minute.`;
  if (!pr.mergeable)
    return `PR #${pr.number} does not merge cleanly into ${base} (${pr.mergeableState ?? 'conflicts'}).`;
  if (checks.state === 'failure')
    return `CI is failing on PR #${pr.number}: ${checks.failing.slice(0, 5).join(', ')}${checks.failing.length > 5 ? ', …' : ''}.`;
  if (checks.state === 'pending')
    return `CI is still running on PR #${pr.number} (${checks.pending.length} of ${checks.total} pending).`;
  if (checks.state === 'none') return `No CI has reported on PR #${pr.number}; it is merged only after green checks.`;
  return null;
}

export interface MergeJobDeps {
  config: Config;
  github: GitHubPort;
  notifier: SyncNotifier;
  audit: AuditLog;
  /** The fork-patch ledger and feature guards (src/workflows/ledger); absent: not checked. */
  ledgerGate?: LedgerGate;
}

export function mergeJob(deps: MergeJobDeps): JobDefinition<MergeJobData, MergeJobResult> {
  return {
    kind: KIND.merge,
    maxAttempts: 3,
    handler: async (ctx) => {
      const { data, requestedBy } = ctx.job;
      const p = pipelineById(deps.config, data.pipeline);
      if (!p || (p.kind !== 'release-sync' && p.kind !== 'branch-sync' && p.kind !== 'mirror'))
        throw new AppError('usage', `pipeline ${JSON.stringify(data.pipeline)} has no sync PR to merge`);
      const repo = prRepo(p);
      const result = await ctx.step('merge', async (): Promise<MergeJobResult> => {
        const pr = await deps.github.getPull(repo, data.pr);
        if (pr.merged) return { merged: true, sha: pr.mergeCommitSha ?? pr.headSha, already: true };
        const reason = mergeRefusal(p, pr, await deps.github.getChecks(repo, pr.headSha));
        if (reason) return { merged: false, reason };
        // A mirror's merge PR has no fork-patch ledger (it keeps the whole target as first parent).
        const ledgerReason = deps.ledgerGate && p.kind !== 'mirror' ? await deps.ledgerGate(p, pr) : null;
        if (ledgerReason) return { merged: false, reason: ledgerReason };
        const merged = await deps.github.mergePull(repo, pr.number, {
          sha: pr.headSha,
          commitTitle: `Merge pull request #${pr.number} from ${pr.headRef}`,
        });
        return { merged: true, sha: merged.sha, already: false };
      });
      const ref = { pipeline: p.id, tag: data.tag };
      const target = `pr:${repo}#${data.pr}`;
      // Audited before Slack hears of it: whoever sees the card can find the record.
      await ctx.step(
        'audit',
        async () =>
          deps.audit.record({
            actor: requestedBy,
            action: 'approve',
            pipeline: p.id,
            target,
            outcome: result.merged ? 'done' : 'refused',
            details: result.merged ? { sha: result.sha } : { reason: result.reason },
          }).id,
      );
      if (result.merged) {
        // What landed becomes resolution memory; a step, so a resumed merge job enqueues it once.
        // (branch-sync remembers its resolutions when its merge commit is made: nothing to learn here.)
        if (p.kind === 'release-sync')
          await ctx.step(
            'learn',
            async () => (await ctx.enqueue(learnJobInput(p, data.pr, result.sha, requestedBy))).job.id,
          );
        await deps.notifier.syncChanged(ref, { stage: 'merged', mergeSha: result.sha });
      } else {
        await deps.notifier.syncDetail(
          ref,
          { kind: 'note', text: `Not merged: ${result.reason}` },
          { key: `merge-refused:${ctx.job.id}` },
        );
      }
      return result;
    },
  };
}
