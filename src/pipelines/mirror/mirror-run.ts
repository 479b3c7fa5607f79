import type { Logger } from 'pino';
import type { MirrorConfig } from '../../config/schema.js';
import { decideForce, type MirrorOutcome, type MirrorState } from '../../core/mirror/mirror-state.js';
import { AppError, isAppError } from '../../errors.js';
import type { Actor, AuditLog, AuditOutcome, GitHubPort, GitPort } from '../../ports.js';
import type { KindRunOptions } from '../pipeline-kind.js';
import { backupHead } from './mirror-backup.js';
import { inspectMirror, mirrorRefs, mirrorRemotes, type MirrorRemotes } from './mirror-git.js';
import type { MirrorRuns } from './mirror-runs.js';
import { runMirrorMerge, type MirrorMergeOutcome } from './mirror-merge.js';
import type { MirrorMergeDeps } from './mirror-merge-types.js';
import type { MirrorInspection, MirrorResult, SyncReport } from './mirror-types.js';

// One mirror run: fetch and compare both sides, then the one thing the state allows: nothing
// (up to date), a fast-forward push, or a report of the divergence. A force is a separate,
// explicit request, pushed with a lease on the target head of the last stored report. Every
// effect is a memoized step, and each is safe to repeat: a push of a sha the branch already has
// is accepted, a tag the target already has at the same object is "up to date".

export interface MirrorRunDeps {
  git: GitPort;
  github: GitHubPort;
  runs: MirrorRuns;
  audit: AuditLog;
  log: Logger;
  now(): number;
  /** Merge into target (issue 25): the resolver, LLM and card notifier; absent: --merge is refused. */
  merge?: Omit<MirrorMergeDeps, 'git' | 'github'>;
  /** Records the run's Slack card (outbox); absent without Slack. Never throws for Slack's sake. */
  notify?(input: { result: MirrorResult; state: MirrorState; report: SyncReport | null; targetHtmlUrl: string }): void;
}

export interface MirrorRunInput {
  pipeline: MirrorConfig;
  options: KindRunOptions;
  requestedBy: Actor;
  jobId: number | null;
  dryRun: boolean;
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export async function runMirror(deps: MirrorRunDeps, input: MirrorRunInput): Promise<MirrorResult> {
  const started = deps.now();
  const { pipeline: p, step } = input;
  const remotes = await step('remotes', () => mirrorRemotes(deps.github, p));
  let seen = await step('inspect', () => inspectMirror(deps, p, remotes));
  let outcome: MirrorOutcome;
  let targetShaAfter = seen.targetSha;
  let refused: MirrorResult['refused'];
  let backupRef: string | null = null;
  let merged: MirrorMergeOutcome | null = null;
  // A memoized step, so a resumed run audits once; a dry run audits nothing.
  const audit = (name: string, action: string, outcome: AuditOutcome, details: Record<string, unknown>) =>
    input.dryRun
      ? Promise.resolve()
      : step(name, async () => {
          deps.audit.record({
            actor: input.requestedBy,
            action,
            pipeline: p.id,
            target: `${p.target.repo}:${p.target.branch}`,
            outcome,
            details,
          });
        });
  // The target moved between our fetch and the push: a new report, no push.
  const targetMoved = async (message: string) => {
    const again = await step('reinspect', () => inspectMirror(deps, p, remotes));
    const moved = { reason: 'target-moved', message };
    return { seen: again, targetShaAfter: again.targetSha, outcome: 'refused' as const, refused: moved };
  };

  const wantsForce =
    !input.options.merge &&
    input.options.force === true &&
    (seen.state === 'diverged' || seen.state === 'target-ahead');
  if (wantsForce) {
    const decision = decideForce({
      lastReport: deps.runs.last(p.id),
      targetSha: seen.targetSha,
      branch: p.target.branch,
    });
    await audit('audit-force', 'mirror-force', decision.kind === 'force' ? 'allowed' : 'refused', {
      sourceSha: seen.sourceSha,
      targetSha: seen.targetSha,
      ...(decision.kind === 'refuse' ? { reason: decision.reason } : { lease: decision.lease }),
    });
    if (decision.kind === 'refuse') {
      outcome = 'refused';
      refused = { reason: decision.reason, message: decision.message };
    } else if (input.dryRun) {
      outcome = 'forced';
      targetShaAfter = seen.sourceSha;
    } else {
      // Before any forced update, the head it replaces is kept in the target repository.
      backupRef = await step('backup', () =>
        backupHead(deps.github, {
          repo: p.target.repo,
          branch: p.target.branch,
          sha: decision.lease,
          at: new Date(deps.now()),
        }),
      );
      const verdict = await step('force-push', () =>
        deps.git.forcePushWithLease(remotes.target, {
          branch: p.target.branch,
          sha: seen.sourceSha,
          lease: decision.lease,
        }),
      );
      if (verdict.ok) {
        outcome = 'forced';
        targetShaAfter = seen.sourceSha;
      } else if (!/stale info/.test(verdict.reason ?? '')) {
        // Refused for another reason (branch protection, no permission): a failure, not a race.
        throw new AppError(
          'push_rejected',
          `force push to ${p.target.repo} ${p.target.branch} was rejected: ${verdict.reason ?? 'rejected'}`,
          { details: { branch: p.target.branch } },
        );
      } else {
        // The lease failed: the target moved since the report.
        ({ seen, targetShaAfter, outcome, refused } = await targetMoved(
          `the target ${p.target.branch} moved since the report (${decision.lease.slice(0, 12)}; git: ${verdict.reason ?? 'rejected'}): a new report was made; force again after reading it`,
        ));
      }
    }
  } else if (input.options.merge && !deps.merge) {
    outcome = 'refused';
    refused = {
      reason: 'merge-not-available',
      message: 'merging the source into the target through a PR is not available in this process',
    };
  } else if (input.options.merge && deps.merge) {
    // The target's own commits are kept: the source is merged into a branch and proposed by PR.
    merged = await runMirrorMerge(
      { ...deps.merge, git: deps.git, github: deps.github },
      p,
      {
        log: deps.log,
        dryRun: input.dryRun,
        silent: input.options.silent ?? false,
        requestedBy: input.requestedBy,
        jobId: input.jobId,
        step,
      },
      remotes,
      seen,
    );
    outcome = merged.outcome;
    if (merged.refused) refused = merged.refused;
    await audit('audit-merge', 'mirror-merge', merged.outcome === 'refused' ? 'refused' : 'done', {
      result: merged.outcome,
      sourceSha: seen.sourceSha,
      targetSha: seen.targetSha,
      ...(merged.refused ? { reason: merged.refused.reason } : {}),
      ...(merged.pr ? { pr: merged.pr.number } : {}),
    });
  } else if (seen.state === 'fast-forward') {
    if (input.dryRun) {
      outcome = 'fast-forwarded';
      targetShaAfter = seen.sourceSha;
    } else {
      const pushed = await step('push', () => fastForward(deps.git, remotes, p, seen));
      if (pushed) {
        outcome = 'fast-forwarded';
        targetShaAfter = seen.sourceSha;
      } else {
        ({ seen, targetShaAfter, outcome, refused } = await targetMoved(
          `the target ${p.target.branch} moved while it was being fast-forwarded: a new report was made`,
        ));
      }
    }
  } else {
    outcome = seen.state === 'up-to-date' ? 'up-to-date' : seen.state;
  }

  const tags = input.dryRun
    ? { pushed: seen.tags.push, conflicting: seen.tags.conflicting }
    : await step('tags', () => pushTags(deps.git, remotes, p, seen));

  const result: MirrorResult = {
    pipeline: p.id,
    kind: 'mirror',
    outcome,
    sourceSha: seen.sourceSha,
    targetSha: seen.targetSha,
    targetShaAfter,
    ahead: seen.ahead,
    behind: seen.behind,
    tags,
    report: seen.report
      ? {
          sourceOnly: seen.report.sourceOnly.map(({ sha, subject }) => ({ sha, subject })),
          targetOnly: seen.report.targetOnly.map(({ sha, subject }) => ({ sha, subject })),
          files: seen.report.files,
        }
      : null,
    dryRun: input.dryRun,
    ...(refused ? { refused } : {}),
    ...(backupRef ? { backupRef } : {}),
    ...(merged && merged.outcome !== 'refused'
      ? { pr: merged.pr, mergeBranch: merged.mergeBranch, mergeSha: merged.mergeSha, conflicts: merged.conflicts }
      : {}),
  };
  // How the target stands now: what the next force will be checked against.
  const state = outcome === 'forced' || outcome === 'fast-forwarded' ? 'up-to-date' : seen.state;
  if (!input.dryRun)
    await step('record', async () =>
      deps.runs.record({
        pipeline: p.id,
        jobId: input.jobId,
        outcome,
        state,
        sourceSha: seen.sourceSha,
        targetSha: seen.targetSha,
        targetShaAfter,
        ahead: seen.ahead,
        behind: seen.behind,
        report: seen.report,
        tags,
        requestedBy: input.requestedBy,
        durationMs: Math.max(0, deps.now() - started),
        backupRef,
      }),
    );
  if (!input.dryRun && !input.options.silent && deps.notify) {
    const notify = deps.notify;
    await step('slack-card', async () => {
      try {
        notify({ result, state, report: seen.report, targetHtmlUrl: remotes.targetHtmlUrl });
      } catch (err) {
        deps.log.warn({ err }, 'mirror card not recorded for Slack');
      }
    });
  }
  return result;
}

/** true when pushed (or already there); false when git refused because the target moved. */
async function fastForward(
  git: GitPort,
  remotes: MirrorRemotes,
  p: MirrorConfig,
  seen: MirrorInspection,
): Promise<boolean> {
  try {
    await git.push(remotes.target, { sha: seen.sourceSha, branch: p.target.branch, expected: seen.targetSha });
    return true;
  } catch (err) {
    if (isAppError(err, 'push_rejected')) return false;
    throw err;
  }
}

/** Missing tags are pushed without force; one that appeared on the target meanwhile is a conflict, never moved. */
async function pushTags(
  git: GitPort,
  remotes: MirrorRemotes,
  p: MirrorConfig,
  seen: MirrorInspection,
): Promise<{ pushed: string[]; conflicting: string[] }> {
  const refs = mirrorRefs(p.id);
  const pushed: string[] = [];
  const conflicting = [...seen.tags.conflicting];
  for (const name of seen.tags.push) {
    try {
      const from = `${refs.sourceTags}/${name}`;
      const object = seen.tags.objects[name];
      // The tag object lives in the source's cache; the target's cache names it for the push.
      if (object) await git.updateRef(remotes.cache, from, object);
      await git.pushTag(remotes.target, name, { from });
      pushed.push(name);
    } catch (err) {
      if (!isAppError(err, 'push_rejected')) throw err;
      conflicting.push(name);
    }
  }
  return { pushed, conflicting: conflicting.sort() };
}
