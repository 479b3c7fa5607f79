import type { MirrorConfig } from '../../config/schema.js';
import { AppError } from '../../errors.js';
import type { Actor, AuditLog, GitHubPort, GitPort } from '../../ports.js';
import { backupHead, backupPrefix, listBackups } from './mirror-backup.js';
import { mirrorRefs, mirrorRemotes } from './mirror-git.js';

// `mirror rollback` (issue 25): the target branch back to a backup, pushed with a lease on the
// head it replaces, which is itself backed up first. Each part is safe to repeat: a backup of the
// same head is reused, and a target already at the backup is `up-to-date`.

export interface RollbackResult {
  pipeline: string;
  kind: 'mirror';
  action: 'rollback';
  outcome: 'rolled-back' | 'up-to-date' | 'refused' | 'failed';
  /** The backup restored. */
  to: string | null;
  toSha: string | null;
  targetSha: string | null;
  targetShaAfter: string | null;
  /** Where the replaced head is kept (a real rollback only). */
  backupRef: string | null;
  dryRun: boolean;
  refused?: { reason: string; message: string };
  error?: { code: string; message: string };
}

export async function rollbackMirror(
  deps: { git: GitPort; github: GitHubPort; audit: AuditLog; now: () => Date },
  input: { pipeline: MirrorConfig; to?: string; dryRun: boolean; requestedBy: Actor },
): Promise<RollbackResult> {
  const p = input.pipeline;
  const base = {
    pipeline: p.id,
    kind: 'mirror' as const,
    action: 'rollback' as const,
    dryRun: input.dryRun,
  };
  const prefix = backupPrefix(p.target.branch);
  if (input.to !== undefined && !input.to.startsWith(prefix))
    throw new AppError('usage', `--to must name a backup of ${p.target.branch}: a ref under ${prefix}`);
  const backups = await listBackups(deps.github, p.target.repo, p.target.branch);
  const chosen = input.to === undefined ? backups[0] : backups.find((b) => b.ref === input.to);
  const current = await deps.github.getBranchSha(p.target.repo, p.target.branch);
  if (!chosen) {
    return {
      ...base,
      outcome: 'refused',
      to: input.to ?? null,
      toSha: null,
      targetSha: current,
      targetShaAfter: current,
      backupRef: null,
      refused: {
        reason: 'no-backup',
        message: input.to
          ? `there is no backup ${input.to} in ${p.target.repo}`
          : `there is no backup of ${p.target.branch} in ${p.target.repo} to roll back to`,
      },
    };
  }
  const answer = { ...base, to: chosen.ref, toSha: chosen.sha, targetSha: current };
  if (current === chosen.sha) return { ...answer, outcome: 'up-to-date', targetShaAfter: current, backupRef: null };
  if (current === null) throw new AppError('not_found', `the target branch ${p.target.branch} does not exist`);
  if (input.dryRun) return { ...answer, outcome: 'rolled-back', targetShaAfter: chosen.sha, backupRef: null };

  const remotes = await mirrorRemotes(deps.github, p);
  const restore = `${mirrorRefs(p.id).target}-rollback`;
  await deps.git.fetch(remotes.target, [`+${chosen.ref}:${restore}`], { into: remotes.cache });
  const backupRef = await backupHead(deps.github, {
    repo: p.target.repo,
    branch: p.target.branch,
    sha: current,
    at: deps.now(),
  });
  const verdict = await deps.git.forcePushWithLease(remotes.target, {
    branch: p.target.branch,
    sha: chosen.sha,
    lease: current,
  });
  const ok = verdict.ok;
  deps.audit.record({
    actor: input.requestedBy,
    action: 'mirror-rollback',
    pipeline: p.id,
    target: `${p.target.repo}:${p.target.branch}`,
    outcome: ok ? 'done' : 'refused',
    details: {
      to: chosen.ref,
      toSha: chosen.sha,
      lease: current,
      backupRef,
      ...(ok ? {} : { reason: verdict.reason }),
    },
  });
  if (ok) return { ...answer, outcome: 'rolled-back', targetShaAfter: chosen.sha, backupRef };
  if (!/stale info/.test(verdict.reason ?? ''))
    throw new AppError('push_rejected', `rollback of ${p.target.branch} was rejected: ${verdict.reason ?? 'rejected'}`);
  return {
    ...answer,
    outcome: 'refused',
    targetShaAfter: null,
    backupRef,
    refused: {
      reason: 'target-moved',
      message: `the target ${p.target.branch} moved from ${current.slice(0, 12)} while rolling back: nothing was changed; look again`,
    },
  };
}

export interface PruneResult {
  pipeline: string;
  kind: 'mirror';
  action: 'prune-backups';
  olderThanDays: number;
  pruned: string[];
  kept: number;
  dryRun: boolean;
}

/** Deletes backups of the target branch older than `olderThanDays` (only when asked). */
export async function pruneBackups(
  deps: { github: GitHubPort; audit: AuditLog; now: () => Date },
  input: { pipeline: MirrorConfig; olderThanDays: number; dryRun: boolean; requestedBy: Actor },
): Promise<PruneResult> {
  const p = input.pipeline;
  const cutoff = deps.now().getTime() - input.olderThanDays * 24 * 3600 * 1000;
  const backups = await listBackups(deps.github, p.target.repo, p.target.branch);
  const old = backups.filter((b) => b.at !== null && Date.parse(b.at) < cutoff).map((b) => b.ref);
  if (!input.dryRun) {
    for (const ref of old) await deps.github.deleteRef(p.target.repo, ref);
    if (old.length)
      deps.audit.record({
        actor: input.requestedBy,
        action: 'mirror-prune-backups',
        pipeline: p.id,
        target: p.target.repo,
        outcome: 'done',
        details: { pruned: old },
      });
  }
  return {
    pipeline: p.id,
    kind: 'mirror',
    action: 'prune-backups',
    olderThanDays: input.olderThanDays,
    pruned: old,
    kept: backups.length - old.length,
    dryRun: input.dryRun,
  };
}
