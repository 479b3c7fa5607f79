import type { ReleaseSyncConfig } from '../../config/schema.js';
import { tagOfSyncBranch } from '../../core/sync/sync-branch.js';
import type { GitHubPort, SyncNotifier, SyncRecords, SyncSnapshot } from '../../ports.js';
import type { JobQueue } from '../../ports/jobs.js';

// A sync the bot did not run (a CLI `sync` while `start` runs: no Slack variables, so no card)
// still gets its card, from the durable sync record, whoever ran the job. Without one the PR could
// never be approved from Slack, and the CI watcher (which follows cards) never looked at it.

export interface AdoptDeps {
  github: Pick<GitHubPort, 'getPull'>;
  notifier: SyncNotifier;
  runs: Pick<SyncRecords, 'lastRun'>;
  queue?: Pick<JobQueue, 'get'>;
}

/**
 * Posts the card for the pipeline's last sync PR when no card shows it. `seen` remembers the PRs
 * already looked at, so a PR costs one GitHub read at most.
 */
export async function adoptSyncPr(
  deps: AdoptDeps,
  p: ReleaseSyncConfig,
  cards: readonly SyncSnapshot[],
  seen: Set<string>,
): Promise<boolean> {
  const run = deps.runs.lastRun(p.id);
  if (!run?.pr || run.dryRun || (run.outcome !== 'pr-created' && run.outcome !== 'pr-exists')) return false;
  const key = `${p.id}#${run.pr.number}`;
  if (seen.has(key)) return false;
  seen.add(key);
  if (cards.some((c) => c.pr?.number === run.pr?.number)) return false;
  // `sync --silent` asked for nothing in Slack; that choice is kept.
  const job = run.jobId !== null && deps.queue ? await deps.queue.get(run.jobId) : null;
  if ((job?.data as { silent?: boolean } | null | undefined)?.silent) return false;
  const pr = await deps.github.getPull(p.fork.repo, run.pr.number);
  const tag = tagOfSyncBranch(p.syncBranch, pr.headRef);
  if (pr.state !== 'open' || !tag) return false;
  await deps.notifier.syncChanged(
    { pipeline: p.id, tag },
    {
      stage: 'pr-open',
      pr: { number: pr.number, url: pr.htmlUrl, title: pr.title },
      fromVersion: run.currentVersion,
      conflicts: null,
      jobId: run.jobId,
      requestedBy: run.requestedBy,
    },
  );
  return true;
}
