import type { Logger } from 'pino';
import type { BranchSyncConfig } from '../../config/schema.js';
import type { GitHubPort, GitPort } from '../../ports.js';
import {
  BRANCH_SYNC_CONFLICTS_MARKER,
  MAX_LISTED_COMMITS,
  renderBranchSyncBody,
} from '../../core/branch-sync/branch-sync-text.js';
import { CONFLICT_LABEL } from '../release-sync/sync-pr.js';
import { findSyncPull, type Look } from './look.js';

// The one PR from the sync branch into the target. Found by head and base (labels or not), so a
// resumed or repeated run finds the PR it (or a person) opened instead of opening a second.

export async function pullBody(
  git: GitPort,
  p: BranchSyncConfig,
  seen: Look,
  input: { syncHead: string; resolved: ReadonlyArray<{ path: string; how: string }> },
): Promise<string> {
  const cache = p.fork.repo;
  const u = seen.upstreamSha;
  // Upstream commits the PR brings: in U (already merged into the sync branch), not in the target.
  const [count, commits, base] = await Promise.all([
    git.countCommits(cache, seen.target, u),
    git.log(cache, seen.target, u, { limit: MAX_LISTED_COMMITS }),
    git.mergeBase(cache, seen.target, u),
  ]);
  const compareUrl = base
    ? `${seen.upstream.htmlUrl}/compare/${base}...${u}`
    : `${seen.fork.htmlUrl}/compare/${encodeURIComponent(p.fork.targetBranch)}...${encodeURIComponent(p.fork.syncBranch)}`;
  return renderBranchSyncBody({
    pipeline: p.id,
    upstreamRepo: p.upstream.repo,
    upstreamBranch: p.upstream.branch,
    upstreamSha: u,
    forkRepo: p.fork.repo,
    syncBranch: p.fork.syncBranch,
    targetBranch: p.fork.targetBranch,
    count,
    commits: commits.map((c) => ({ sha: c.sha, subject: c.subject })),
    compareUrl,
    resolved: input.resolved,
  });
}

/** Opens the PR when there is none (then labels and reviewers), or rewrites the body of the open one. */
export async function ensureSyncPull(
  github: GitHubPort,
  log: Logger,
  p: BranchSyncConfig,
  body: string,
): Promise<{ number: number; url: string; created: boolean; labels: string[] }> {
  let pr = await findSyncPull(github, p);
  const created = pr === null;
  if (!pr) {
    pr = await github.createPull(p.fork.repo, {
      title: p.pr.title,
      head: p.fork.syncBranch,
      base: p.fork.targetBranch,
      body,
    });
  } else if (pr.body !== body) {
    pr = await github.updatePull(p.fork.repo, pr.number, { body });
  }
  const number = pr.number;
  const labels = p.pr.labels.filter((l) => !pr.labels.includes(l));
  const author = pr.user?.toLowerCase();
  const reviewers = p.pr.reviewers.filter((r) => r.toLowerCase() !== author);
  // Reviewers and assignees are a courtesy: GitHub refuses logins that are not collaborators,
  // and that must not fail a sync. Asked for once, when the PR is opened (or its opening resumed).
  const courtesy = (what: string, call: () => Promise<void>) =>
    call().catch((err: unknown) => log.warn({ err, pr: number, what }, 'could not set PR people'));
  await Promise.all([
    labels.length ? github.addLabels(p.fork.repo, number, labels) : null,
    created && (reviewers.length || p.pr.teamReviewers.length)
      ? courtesy('reviewers', () =>
          github.requestReviewers(p.fork.repo, number, { reviewers, teamReviewers: p.pr.teamReviewers }),
        )
      : null,
    created && p.pr.assignees.length
      ? courtesy('assignees', () => github.addAssignees(p.fork.repo, number, p.pr.assignees))
      : null,
  ]);
  return { number, url: pr.htmlUrl, created, labels: [...new Set([...pr.labels, ...labels])] };
}

/** The `conflicts` label and the one comment naming the paths (updated in place, never repeated). */
export async function markConflicts(
  github: GitHubPort,
  p: BranchSyncConfig,
  pr: { number: number; labels: string[] },
  comment: string,
): Promise<void> {
  if (!pr.labels.includes(CONFLICT_LABEL)) await github.addLabels(p.fork.repo, pr.number, [CONFLICT_LABEL]);
  await upsertConflictComment(github, p, pr.number, comment);
}

/** Once the merge is pushed: the label goes, and the comment says it is resolved. */
export async function clearConflicts(
  github: GitHubPort,
  p: BranchSyncConfig,
  pr: { number: number; labels: string[] },
  comment: string,
): Promise<void> {
  if (pr.labels.includes(CONFLICT_LABEL)) await github.removeLabel(p.fork.repo, pr.number, CONFLICT_LABEL);
  const mine = await conflictComment(github, p, pr.number);
  if (mine && mine.body !== comment) await github.updateComment(p.fork.repo, mine.id, comment);
}

async function conflictComment(github: GitHubPort, p: BranchSyncConfig, pr: number) {
  return (await github.listComments(p.fork.repo, pr))
    .filter((c) => c.body.startsWith(BRANCH_SYNC_CONFLICTS_MARKER))
    .at(-1);
}

async function upsertConflictComment(github: GitHubPort, p: BranchSyncConfig, pr: number, body: string): Promise<void> {
  const mine = await conflictComment(github, p, pr);
  if (!mine) await github.createComment(p.fork.repo, pr, body);
  else if (mine.body !== body) await github.updateComment(p.fork.repo, mine.id, body);
}
