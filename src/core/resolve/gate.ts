import type { Actor, PullRequest } from '../../ports.js';
import { tagOfSyncBranch } from '../sync/sync-branch.js';

// Who may start the resolver, and on which PRs. The resolver pushes to a branch, so it runs only
// on the pipeline's own sync PRs: head from the sync-branch pattern in the fork itself (never a
// fork of it), base the production branch, the sync label present; and only for the bot, the
// operator at the CLI, or people on the `resolve` allow-list.

export type GateResult = { ok: true } | { ok: false; reason: string };

/** The parts of a pipeline's settings the gate reads (a release-sync pipeline's config fits). */
export interface PullGateSettings {
  syncBranch: string;
  fork: { repo: string; productionBranch: string };
  /** The first label is the sync label. */
  pr: { labels: readonly string[] };
  access?: { resolve?: readonly string[] | undefined } | undefined;
}

export function isSyncBranch(p: Pick<PullGateSettings, 'syncBranch'>, branch: string): boolean {
  return tagOfSyncBranch(p.syncBranch, branch) !== null;
}

export function checkPull(p: PullGateSettings, pr: PullRequest): GateResult {
  if (pr.state !== 'open') return { ok: false, reason: `PR #${pr.number} is ${pr.merged ? 'merged' : 'closed'}` };
  if (pr.baseRef !== p.fork.productionBranch)
    return {
      ok: false,
      reason: `PR #${pr.number} targets ${pr.baseRef}, not the production branch ${p.fork.productionBranch}`,
    };
  if (!isSyncBranch(p, pr.headRef))
    return {
      ok: false,
      reason: `PR #${pr.number} comes from ${pr.headRef}, which is not a sync branch (${p.syncBranch})`,
    };
  if (!pr.headRepo || pr.headRepo.toLowerCase() !== p.fork.repo.toLowerCase()) {
    return {
      ok: false,
      reason: `PR #${pr.number} comes from ${pr.headRepo ?? 'a deleted repository'}, not from ${p.fork.repo}: the resolver never pushes to forks`,
    };
  }
  const label = p.pr.labels[0];
  if (label && !pr.labels.includes(label))
    return { ok: false, reason: `PR #${pr.number} does not carry the sync label "${label}"` };
  return { ok: true };
}

/** The `resolve` allow-list that applies to a pipeline (a pipeline list replaces the top-level one). */
export function resolveAllowList(
  p: Pick<PullGateSettings, 'access'>,
  topLevel: readonly string[] | undefined,
): readonly string[] | null {
  return p.access?.resolve ?? topLevel ?? null;
}

/**
 * Decides for actors that need no Slack lookup: the bot, the CLI operator, GitHub users by login.
 * Returns null for Slack users, whose groups only Slack can expand.
 */
export function checkActor(actor: Actor, list: readonly string[] | null): GateResult | null {
  switch (actor.kind) {
    case 'bot':
      return { ok: true };
    case 'cli':
      // The operator runs with the bot's own credentials; the CLI is as trusted as the config file.
      return { ok: true };
    case 'github': {
      const login = actor.id.toLowerCase();
      const listed = (list ?? []).some((p) => p.toLowerCase() === `github:${login}`);
      return listed ? { ok: true } : { ok: false, reason: `GitHub user ${actor.id} is not on the resolve allow-list` };
    }
    case 'slack':
      return null;
    default:
      return { ok: false, reason: `${actor.kind} requests may not start the resolver` };
  }
}
