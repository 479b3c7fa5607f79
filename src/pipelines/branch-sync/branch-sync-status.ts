import type { BranchSyncConfig } from '../../config/schema.js';
import { errorMessage, isAppError } from '../../errors.js';
import { scrub } from '../../redact.js';
import type { KindStatus } from '../pipeline-kind.js';
import type { BranchSyncDeps } from './branch-sync-types.js';
import { look } from './look.js';
import { ledgerWarnings } from '../release-sync/status-ledger.js';
import type { BranchSyncFacts } from './notify.js';

// `status` of a branch-sync pipeline: read live (API and an incremental fetch into the cache;
// nothing changes on GitHub), with the last run as remembered (and when). When GitHub cannot be
// read, the last run's facts are shown, marked stale, with the time they were true.

export interface BranchSyncStatus extends KindStatus {
  kind: 'branch-sync';
  state: 'up-to-date' | 'pr-open' | 'behind' | 'conflicts' | 'unknown';
  upstreamSha: string | null;
  syncBranchSha: string | null;
  /** Commits in the sync branch the target lacks. */
  ahead: number | null;
  /** Upstream commits not yet in the sync branch. */
  behind: number | null;
  pr: { number: number; url: string } | null;
  lastRun: { outcome: string; at: string; conflicts: string[] } | null;
  /** When these facts were read (now, or the last run's time when stale). */
  asOf: string;
  stale: boolean;
  error?: { code: string; message: string };
  /** The open PR's fork-patch ledger blocks Approve & merge: why, and how old the ledger is. */
  ledger?: string[];
}

export async function branchSyncStatus(deps: BranchSyncDeps, p: BranchSyncConfig): Promise<BranchSyncStatus> {
  const saved = deps.syncRecords.facts(p.id)?.facts as Partial<BranchSyncFacts> | undefined;
  const last = saved?.kind === 'branch-sync' ? (saved as BranchSyncFacts) : null;
  const lastRun = last ? { outcome: last.outcome, at: last.checkedAt, conflicts: last.conflicts } : null;
  try {
    const seen = await look(deps.github, deps.git, p);
    const cache = p.fork.repo;
    const head = seen.syncHead ?? seen.target;
    const [ahead, behind] = await Promise.all([
      seen.syncHead ? deps.git.countCommits(cache, seen.target, seen.syncHead) : 0,
      deps.git.countCommits(cache, head, seen.upstreamSha),
    ]);
    const waiting = last?.outcome === 'conflicts' && last.upstreamSha === seen.upstreamSha;
    const state = behind > 0 ? (waiting ? 'conflicts' : 'behind') : seen.pr ? 'pr-open' : 'up-to-date';
    const ledger = ledgerWarnings(deps.ledgers, p.id, seen.pr?.number ?? null, deps.clock.now());
    return {
      ...(ledger.length ? { ledger } : {}),
      pipeline: p.id,
      kind: 'branch-sync',
      state,
      upstreamSha: seen.upstreamSha,
      syncBranchSha: seen.syncHead,
      ahead,
      behind,
      pr: seen.pr ? { number: seen.pr.number, url: seen.pr.url } : null,
      lastRun,
      asOf: deps.clock.now().toISOString(),
      stale: false,
    };
  } catch (err) {
    return {
      pipeline: p.id,
      kind: 'branch-sync',
      state: 'unknown',
      upstreamSha: last?.upstreamSha ?? null,
      syncBranchSha: last?.syncBranchSha ?? null,
      ahead: last?.ahead ?? null,
      behind: last?.behind ?? null,
      pr: last?.pr ?? null,
      lastRun,
      asOf: last?.checkedAt ?? deps.clock.now().toISOString(),
      stale: true,
      error: { code: isAppError(err) ? err.code : 'internal', message: scrub(errorMessage(err)) },
    };
  }
}

export function describeBranchSyncStatus(s: BranchSyncStatus): string[] {
  const sha = (x: string | null) => (x ? x.slice(0, 12) : 'none');
  const lines = [
    `${s.pipeline} (branch-sync): ${s.state}${s.stale ? ` (stale: facts as of ${s.asOf})` : ''}`,
    `  upstream ${sha(s.upstreamSha)}; sync branch ${sha(s.syncBranchSha)}; ${s.ahead ?? '?'} ahead of the target, ${s.behind ?? '?'} behind upstream`,
    `  PR: ${s.pr ? `#${s.pr.number} ${s.pr.url}` : 'none open'}`,
  ];
  if (s.lastRun)
    lines.push(
      `  last run: ${s.lastRun.outcome} at ${s.lastRun.at}${s.lastRun.conflicts.length ? `; conflicted: ${s.lastRun.conflicts.join(', ')}` : ''}`,
    );
  for (const l of s.ledger ?? []) lines.push(`  ⛔ ${l}`);
  if (s.error) lines.push(`  error ${s.error.code}: ${s.error.message}`);
  return lines;
}
