import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type {
  Actor,
  Clock,
  GitHubPort,
  GitPort,
  LlmPort,
  ResolutionMemory,
  ResolverLog,
  SyncNotifier,
  SyncCards,
  SyncRecords,
} from '../../ports.js';
import type { KindResult } from '../pipeline-kind.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';

// Shapes of the branch-sync pipeline (see README.md in this folder for the flow).

export type BranchSyncOutcome = 'up-to-date' | 'pr-created' | 'pr-updated' | 'conflicts' | 'refused' | 'failed';

/** One line of `upstream-sync sync --json` for a branch-sync pipeline (README: "branch-sync"). */
export interface BranchSyncResult extends KindResult {
  kind: 'branch-sync';
  outcome: BranchSyncOutcome;
  /** Upstream branch head this run looked at. */
  upstreamSha: string | null;
  /** Sync branch head after the run (a dry run: as it is now; null when it does not exist yet). */
  syncBranchSha: string | null;
  /** Commits in the sync branch that the target branch lacks (what the PR brings). */
  ahead: number;
  /** Upstream commits not yet in the sync branch (non-zero while conflicts wait or when refused). */
  behind: number;
  pr: { number: number; url: string } | null;
  /** Paths that conflicted merging upstream in this run (decided ones included). */
  conflicts: string[];
  dryRun: boolean;
}

export interface BranchSyncDeps {
  config: Config;
  github: GitHubPort;
  git: GitPort;
  llm: LlmPort | null;
  resolver: ResolutionMemory & ResolverLog;
  notifier: SyncNotifier;
  syncRecords: SyncRecords;
  clock: Clock;
  /** The cards of earlier upstream ranges, superseded when a newer range reaches the same PR. */
  cards?: Pick<SyncCards, 'recent'>;
  /** The fork-patch ledger of each sync (src/workflows/ledger); absent: no ledger is built. */
  ledgers?: LedgerRecords;
}

/** What a run needs from the runner; a dry run supplies one that runs every step inline. */
export interface BranchSyncRun {
  log: Logger;
  dryRun: boolean;
  requestedBy: Actor;
  jobId: number | null;
  silent: boolean;
  signal?: AbortSignal;
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * The resolver's records of a branch-sync pipeline are keyed by the fork and this pseudo PR
 * number: the merge is resolved before any PR may exist (the sync branch does not move until it
 * is), and hunk ids are content-addressed, so a choice survives a PR being opened later.
 */
export const BRANCH_SYNC_RESOLVER_PR = 0;

/** Refs in the fork's cache for the upstream branch (namespaced by upstream repository). */
export function upstreamBranchRef(upstreamRepo: string, branch: string): string {
  return `refs/upstream/${upstreamRepo}/heads/${branch}`;
}
