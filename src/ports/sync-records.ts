import type { Actor } from './actor.js';

// Sync records (src/adapters/store/sync-store.ts, migration 002): what the sync remembers between
// runs. Synchronous like the rest of the store.

export type SyncOutcome = 'up-to-date' | 'pr-created' | 'pr-exists' | 'queued' | 'superseded' | 'refused' | 'failed';

export interface SkipEntry {
  pipeline: string;
  tag: string;
  /** person: skipped from Slack or the CLI; pr-closed: its sync PR was closed without merging. */
  reason: 'person' | 'pr-closed';
  prNumber: number | null;
  by: Actor | null;
  note: string | null;
  at: string;
}

export interface SyncedTag {
  pipeline: string;
  tag: string;
  version: string;
  prNumber: number | null;
  mergeSha: string | null;
  at: string;
}

export interface SyncRunRecord {
  id: number;
  pipeline: string;
  jobId: number | null;
  dryRun: boolean;
  outcome: SyncOutcome;
  currentVersion: string | null;
  latestTag: string | null;
  pr: { number: number; url: string } | null;
  conflicts: string[];
  skipped: Array<{ tag: string; reason: string }>;
  error: { code: string; message: string } | null;
  requestedBy: Actor;
  finishedAt: string;
}

export interface SyncRecords {
  /** Puts a tag on the skip list (again, if it was unskipped). */
  skip(
    pipeline: string,
    tag: string,
    input: { reason: SkipEntry['reason']; prNumber?: number | null; by?: Actor | null; note?: string | null },
  ): SkipEntry;
  /** Takes a tag off the skip list; false when it was not on it. */
  unskip(pipeline: string, tag: string, by: Actor): boolean;
  activeSkips(pipeline: string): SkipEntry[];
  /** Sync PRs whose closure is already accounted for: any skip row's PR and PRs the bot closed. */
  handledClosures(pipeline: string): Set<number>;
  /** Sync PRs the bot closed when superseding them (their cards say `superseded`). */
  botClosedPulls(pipeline: string): Set<number>;
  recordBotClosed(pipeline: string, repo: string, number: number, tag: string): void;
  /** Idempotent per (pipeline, tag). */
  recordSynced(entry: Omit<SyncedTag, 'at'>): void;
  /** The synced tag with the highest version. */
  lastSynced(pipeline: string): SyncedTag | null;
  /** Idempotent per job: a resumed job gets the first record back. */
  recordRun(run: Omit<SyncRunRecord, 'id' | 'finishedAt'>): SyncRunRecord;
  lastRun(pipeline: string, options?: { includeDryRuns?: boolean }): SyncRunRecord | null;
  saveFacts(pipeline: string, facts: Record<string, unknown>): void;
  facts(pipeline: string): { facts: Record<string, unknown>; updatedAt: string } | null;
}
