import type { MirrorConfig } from '../../config/schema.js';
import { errorMessage } from '../../errors.js';
import type { GitHubPort, SyncCardReader } from '../../ports.js';
import { MIRROR_MERGE_BRANCH_PREFIX } from './mirror-merge-types.js';
import type { KindStatus } from '../pipeline-kind.js';
import { listBackups } from './mirror-backup.js';
import type { MirrorRuns } from './mirror-runs.js';
import type { MirrorRunRecord } from './mirror-types.js';

// `status` of a mirror: the heads as GitHub has them now, the last stored report (with its age),
// the last 10 runs, the 30-day rates and backups older than the retention. Read-only.

const DAY_MS = 24 * 3600 * 1000;

export interface MirrorStatus extends KindStatus {
  kind: 'mirror';
  source: { repo: string; branch: string; sha: string | null };
  target: { repo: string; branch: string; sha: string | null };
  lastRun: (Omit<MirrorRunRecord, 'id' | 'pipeline'> & { ageSeconds: number }) | null;
  history: Array<{ at: string; outcome: string; ahead: number; behind: number; durationMs: number | null }>;
  last30Days: { runs: number; successRate: number | null; divergenceRate: number | null };
  /** `retentionDays`: the pipeline's backups.retentionDays; older backups are listed, never removed here. */
  backups: { count: number; retentionDays: number; olderThanRetention: string[] };
  /**
   * The merge into target in flight: the open merge PR as GitHub has it now, with its card's stage
   * (as the last job or the CI watcher left it; `pr-open` when no card was kept, e.g. a CLI run
   * without Slack), or a merge whose hunks wait for people (no PR yet); null: none.
   */
  merge: { tag: string; stage: string; pr: { number: number; url: string } | null; since: string | null } | null;
  error?: string;
}

export async function mirrorStatus(
  deps: { github: GitHubPort; runs: MirrorRuns; now: () => Date; cards?: Pick<SyncCardReader, 'recent'> },
  p: MirrorConfig,
): Promise<MirrorStatus> {
  const now = deps.now();
  const recent = deps.runs.recent(p.id, 10);
  const last = recent[0] ?? null;
  let sourceSha: string | null = null;
  let targetSha: string | null = null;
  const retentionDays = p.backups.retentionDays;
  let backups: MirrorStatus['backups'] = { count: 0, retentionDays, olderThanRetention: [] };
  let error: string | undefined;
  let openMerge: { tag: string; pr: { number: number; url: string } } | null = null;
  try {
    [sourceSha, targetSha] = await Promise.all([
      deps.github.getBranchSha(p.source.repo, p.source.branch),
      deps.github.getBranchSha(p.target.repo, p.target.branch),
    ]);
    const pulls = await deps.github.listPulls(p.target.repo, { state: 'open', base: p.target.branch });
    const mine = pulls
      .filter((pr) => pr.headRef.startsWith(MIRROR_MERGE_BRANCH_PREFIX) && pr.headRepo === p.target.repo)
      .sort((a, b) => b.number - a.number)[0];
    if (mine)
      openMerge = {
        tag: mine.headRef.slice('upstream-sync/'.length),
        pr: { number: mine.number, url: mine.htmlUrl },
      };
    const all = await listBackups(deps.github, p.target.repo, p.target.branch);
    const cutoff = now.getTime() - retentionDays * DAY_MS;
    backups = {
      count: all.length,
      retentionDays,
      olderThanRetention: all.filter((b) => b.at !== null && Date.parse(b.at) < cutoff).map((b) => b.ref),
    };
  } catch (err) {
    error = errorMessage(err);
  }
  const outcomes = deps.runs.outcomesSince(p.id, new Date(now.getTime() - 30 * DAY_MS).toISOString());
  const rate = (n: number) => (outcomes.length ? Math.round((n / outcomes.length) * 100) / 100 : null);
  return {
    pipeline: p.id,
    kind: 'mirror',
    state: stateNow(error ? null : { sourceSha, targetSha }, last),
    ...(error ? { stale: true, error } : {}),
    source: { ...p.source, sha: sourceSha },
    target: { ...p.target, sha: targetSha },
    lastRun: last
      ? {
          ...withoutIds(last),
          ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(last.at)) / 1000)),
        }
      : null,
    history: recent.map((r) => ({
      at: r.at,
      outcome: r.outcome,
      ahead: r.ahead,
      behind: r.behind,
      durationMs: r.durationMs,
    })),
    last30Days: {
      runs: outcomes.length,
      successRate: rate(outcomes.filter((o) => o !== 'failed').length),
      divergenceRate: rate(outcomes.filter((o) => o === 'diverged' || o === 'target-ahead').length),
    },
    backups,
    merge: mergeInFlight(deps.cards?.recent(p.id, 10) ?? [], openMerge),
  };
}

function mergeInFlight(
  cards: ReturnType<SyncCardReader['recent']>,
  open: { tag: string; pr: { number: number; url: string } } | null,
): MirrorStatus['merge'] {
  if (open) {
    const card = cards.find((c) => c.tag === open.tag);
    return { tag: open.tag, stage: card?.stage ?? 'pr-open', pr: open.pr, since: card?.stageSince ?? null };
  }
  const waiting = cards.find((c) => c.tag.startsWith('mirror-') && c.stage === 'needs-person' && !c.pr);
  return waiting ? { tag: waiting.tag, stage: waiting.stage, pr: null, since: waiting.stageSince ?? null } : null;
}

function withoutIds(r: MirrorRunRecord): Omit<MirrorRunRecord, 'id' | 'pipeline'> {
  const { id: _id, pipeline: _pipeline, ...rest } = r;
  return rest;
}

/**
 * Equal heads are up to date whatever was stored; heads the last run saw keep its state; heads
 * that moved since are `unchecked` until the next run (no state is claimed that nobody checked).
 */
function stateNow(
  heads: { sourceSha: string | null; targetSha: string | null } | null,
  last: MirrorRunRecord | null,
): string {
  if (!heads) return last?.state ?? 'unknown';
  if (heads.sourceSha && heads.sourceSha === heads.targetSha) return 'up-to-date';
  if (last && last.sourceSha === heads.sourceSha && (last.targetShaAfter ?? last.targetSha) === heads.targetSha)
    return last.state;
  return 'unchecked';
}

export function describeMirrorStatus(s: MirrorStatus): string[] {
  const lines = [
    `${s.pipeline}: mirror ${s.source.repo}@${s.source.branch} → ${s.target.repo}@${s.target.branch}: ${s.state}${s.stale ? ` (GitHub unreadable: ${s.error ?? 'unknown error'}; remembered state)` : ''}`,
  ];
  const r = s.lastRun;
  if (!r) lines.push('  no run yet');
  else {
    lines.push(
      `  last run ${r.at} (${Math.round(r.ageSeconds / 60)} min ago): ${r.outcome}; source ahead ${r.ahead}, behind ${r.behind}${r.backupRef ? `; backup ${r.backupRef}` : ''}`,
    );
    if (r.report && (r.state === 'diverged' || r.state === 'target-ahead')) {
      lines.push(
        `  only on the target (${r.behind}): ${r.report.targetOnly
          .slice(0, 5)
          .map((c) => `${c.sha.slice(0, 7)} ${c.subject}`)
          .join('; ')}`,
      );
      lines.push(
        `  only on the source (${r.ahead}): ${r.report.sourceOnly
          .slice(0, 5)
          .map((c) => `${c.sha.slice(0, 7)} ${c.subject}`)
          .join('; ')}`,
      );
      if (r.report.conflicts.length) lines.push(`  a merge would conflict on: ${r.report.conflicts.join(', ')}`);
    }
    if (r.tags.conflicting.length) lines.push(`  conflicting tags (left alone): ${r.tags.conflicting.join(', ')}`);
  }
  if (s.history.length > 1)
    lines.push(
      `  last ${s.history.length} runs: ${s.history.map((h) => `${h.outcome}${h.durationMs !== null ? ` ${Math.round(h.durationMs / 1000)}s` : ''}`).join(', ')}`,
    );
  const d = s.last30Days;
  if (d.runs)
    lines.push(
      `  30 days: ${d.runs} runs, ${Math.round((d.successRate ?? 0) * 100)}% succeeded, ${Math.round((d.divergenceRate ?? 0) * 100)}% diverged`,
    );
  if (s.merge)
    lines.push(
      `  merge into target ${s.merge.tag}: ${s.merge.stage}${s.merge.since ? ` since ${s.merge.since}` : ''}${s.merge.pr ? `; PR #${s.merge.pr.number} ${s.merge.pr.url}` : ''}`,
    );
  if (s.backups.olderThanRetention.length)
    lines.push(
      `  ${s.backups.olderThanRetention.length} backups older than ${s.backups.retentionDays} days (mirror prune-backups): ${s.backups.olderThanRetention.join(', ')}`,
    );
  return lines;
}
