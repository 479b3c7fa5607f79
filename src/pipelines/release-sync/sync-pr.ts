import type { Logger } from 'pino';
import type { ReleaseSyncConfig } from '../../config/schema.js';
import { renderTemplate } from '../../core/template.js';
import { SYNC_PR_MARKER, supersededComment } from '../../core/sync/pr-body.js';
import type { SyncPull } from '../../core/sync/sync-pulls.js';
import type { GitHubPort, PullRequest } from '../../ports.js';

// The GitHub half of a sync. Look first, then create: a resumed job finds the PR it opened
// before it was killed instead of opening a second one.

export const CONFLICT_LABEL = 'conflicts';
export const CLEAN_LABEL = 'clean-merge';

export async function findOpenPull(
  github: GitHubPort,
  p: ReleaseSyncConfig,
  branch: string,
): Promise<PullRequest | null> {
  const open = await github.listPulls(p.fork.repo, { state: 'open', base: p.fork.productionBranch });
  const fork = p.fork.repo.toLowerCase();
  return open.find((pr) => pr.headRef === branch && pr.headRepo?.toLowerCase() === fork) ?? null;
}

export async function ensurePull(
  github: GitHubPort,
  log: Logger,
  p: ReleaseSyncConfig,
  input: { branch: string; tag: string; version: string; body: string; conflicted: boolean },
): Promise<{ pr: PullRequest; created: boolean }> {
  let pr = await findOpenPull(github, p, input.branch);
  const created = pr === null;
  if (!pr) {
    const title = renderTemplate(p.pr.title, { tag: input.tag, version: input.version, pipeline: p.id });
    pr = await github.createPull(p.fork.repo, {
      title,
      head: input.branch,
      base: p.fork.productionBranch,
      body: input.body,
    });
  }
  // Labels, reviewers and assignees are idempotent on GitHub: a resumed job sets them again safely.
  const number = pr.number;
  const labels = [...p.pr.labels, input.conflicted ? CONFLICT_LABEL : CLEAN_LABEL].filter(
    (l) => !pr.labels.includes(l),
  );
  const author = pr.user?.toLowerCase();
  const reviewers = [...new Set([...p.pr.reviewers, ...(input.conflicted ? p.pr.conflictReviewers : [])])].filter(
    (r) => r.toLowerCase() !== author,
  );
  // Reviewers and assignees are a courtesy: GitHub refuses logins that are not collaborators, and
  // that must not fail a sync whose PR is already open.
  const courtesy = (what: string, call: () => Promise<void>) =>
    call().catch((err: unknown) => log.warn({ err, pr: number, what }, 'could not set PR people'));
  await Promise.all([
    labels.length > 0 ? github.addLabels(p.fork.repo, number, labels) : null,
    reviewers.length > 0 || p.pr.teamReviewers.length > 0
      ? courtesy('reviewers', () =>
          github.requestReviewers(p.fork.repo, number, { reviewers, teamReviewers: p.pr.teamReviewers }),
        )
      : null,
    p.pr.assignees.length > 0
      ? courtesy('assignees', () => github.addAssignees(p.fork.repo, number, p.pr.assignees))
      : null,
  ]);
  return { pr, created };
}

/** Comments on and closes an older sync PR; says whether its branch may be deleted. */
export async function closeSuperseded(
  github: GitHubPort,
  p: ReleaseSyncConfig,
  input: { old: SyncPull; newTag: string; newPrUrl: string; branchDeleted: boolean; branchKeptReason?: string },
): Promise<void> {
  const comments = await github.listComments(p.fork.repo, input.old.number);
  if (!comments.some((c) => c.body.includes(`${SYNC_PR_MARKER}:superseded`))) {
    const body = supersededComment({
      oldTag: input.old.tag,
      newTag: input.newTag,
      newPrUrl: input.newPrUrl,
      branchDeleted: input.branchDeleted,
      ...(input.branchKeptReason ? { branchKeptReason: input.branchKeptReason } : {}),
    });
    await github.createComment(p.fork.repo, input.old.number, body);
  }
  const current = await github.getPull(p.fork.repo, input.old.number);
  if (current.state === 'open') await github.updatePull(p.fork.repo, input.old.number, { state: 'closed' });
}
