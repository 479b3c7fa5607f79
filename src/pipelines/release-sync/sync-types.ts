import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type { Actor, Clock, GitHubPort, GitPort, SyncNotifier, SyncOutcome, SyncRecords } from '../../ports.js';
import type { TagRefusalReason } from '../../core/sync/requested-tag.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';
import type { EnqueueInput, EnqueueResult } from '../../ports/jobs.js';

// Shared shapes of the release-sync pipeline (this folder). Its job data is SyncJobData in
// src/jobs/job-kinds.ts.

export interface SyncDeps {
  config: Config;
  github: GitHubPort;
  git: GitPort;
  syncRecords: SyncRecords;
  notifier: SyncNotifier;
  clock: Clock;
  /** The fork-patch ledger of each sync (migration 020); absent: no ledger is built. */
  ledgers?: LedgerRecords;
}

/** Why a sync did nothing for the tag asked for: the plan refused it, or another sync is running. */
export interface SyncRefusal {
  reason: TagRefusalReason | 'busy';
  message: string;
}

/** One line of `upstream-sync sync --json`. */
export interface SyncResult {
  pipeline: string;
  outcome: SyncOutcome;
  currentVersion: string | null;
  latestTag: string | null;
  pr: { number: number; url: string } | null;
  conflicts: string[];
  dryRun: boolean;
  skipped: Array<{ tag: string; reason: string }>;
  /** Present when a tag was asked for. */
  requestedTag?: string;
  /** Present with outcome `refused`. */
  refused?: SyncRefusal;
  error?: { code: string; message: string };
}

/** What the sync needs from the job runner; a dry run supplies a trivial one. */
export interface SyncRun {
  log: Logger;
  dryRun: boolean;
  requestedBy: Actor;
  jobId: number | null;
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  enqueue<E>(input: EnqueueInput<E>): Promise<EnqueueResult<E>>;
}

/** Refs in the fork's cache: upstream tags and fork branches live in their own namespaces. */
export const cacheRefs = {
  upstreamTag: (tag: string) => `refs/upstream/tags/${tag}`,
  forkBranch: (branch: string) => `refs/fork/heads/${branch}`,
};
