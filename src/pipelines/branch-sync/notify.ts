import type { BranchSyncConfig } from '../../config/schema.js';
import type { BranchSyncDeps, BranchSyncResult, BranchSyncRun } from './branch-sync-types.js';
import type { Look } from './look.js';
import type { MergeAnalysis } from './merge-upstream.js';

// What a run leaves for `status` and App Home (facts in SQLite, with the time they were true)
// and for Slack. Never fails a run: Slack and bookkeeping come after the work (invariant 10).

export interface BranchSyncFacts {
  kind: 'branch-sync';
  outcome: BranchSyncResult['outcome'];
  upstreamSha: string | null;
  syncBranchSha: string | null;
  ahead: number;
  behind: number;
  pr: { number: number; url: string } | null;
  conflicts: string[];
  checkedAt: string;
}

export async function notifyBranchSync(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  run: BranchSyncRun,
  _seen: Look,
  input: { result: BranchSyncResult; base: string; analysis: MergeAnalysis | null },
): Promise<void> {
  if (run.dryRun) return;
  const r = input.result;
  try {
    const facts: BranchSyncFacts = {
      kind: 'branch-sync',
      outcome: r.outcome,
      upstreamSha: r.upstreamSha,
      syncBranchSha: r.syncBranchSha,
      ahead: r.ahead,
      behind: r.behind,
      pr: r.pr,
      conflicts: r.conflicts,
      checkedAt: deps.clock.now().toISOString(),
    };
    deps.syncRecords.saveFacts(p.id, { ...facts });
  } catch (err) {
    run.log.warn({ err }, 'branch-sync facts not saved');
  }
}
