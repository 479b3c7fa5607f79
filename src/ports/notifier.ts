import type { UpstreamNotes } from '../core/sync/upstream-notes.js';
import type { Actor } from './actor.js';
import type { ChecksSummary } from './github.js';
import type { ConflictKind } from './git.js';
import type { PullCardData } from '../core/release/changelog-card.js';
import type { ReleaseCardData } from '../core/release/release-card.js';

// What the workflows tell Slack. One card per sync (pipeline + upstream tag): jobs report the
// stage and facts as they learn them; the notifier stores the merged snapshot in SQLite and
// returns, and the outbox posts or updates the card and thread when Slack answers. A notifier
// never throws because Slack is down, and never waits for Slack.

export type SyncStage =
  | 'queued' // a newer release waits for the open sync PR (blockedBy)
  | 'up-to-date'
  | 'detected'
  | 'mirror-updated'
  | 'pr-open'
  | 'resolving'
  | 'needs-person'
  | 'ci'
  | 'ready'
  | 'merged'
  | 'released'
  | 'failed'
  | 'skipped'
  | 'superseded';

export interface SyncRef {
  pipeline: string;
  /** The upstream tag the sync is for. */
  tag: string;
}

export interface SyncConflictCounts {
  files: number;
  byRule: number;
  byStructure: number;
  byMemory: number;
  byLlm: number;
  byPerson: number;
  /** Files with hunks waiting for a person. */
  waiting: number;
}

export interface SyncFacts {
  /** Production version before the sync, e.g. "1.79.1". */
  fromVersion: string | null;
  /** Upstream version of the tag, e.g. "1.81.12". */
  toVersion: string | null;
  commitsBehind: number | null;
  pr: { number: number; url: string; title: string } | null;
  mergeable: boolean | null;
  conflicts: SyncConflictCounts | null;
  ci: ChecksSummary | null;
  /** queued: the open sync PR this release waits for. */
  blockedBy: { tag: string; pr: number; url: string } | null;
  supersededBy: string | null;
  mergeSha: string | null;
  release: { tag: string; url: string } | null;
  /** failed: what broke, already scrubbed of secrets. */
  error: { code: string; message: string; step: string | null } | null;
  /** failed: the stage it failed in; Retry puts the card back there. */
  failedStage: SyncStage | null;
  /** The job the card's Retry button retries. */
  jobId: number | null;
  requestedBy: Actor | null;
  /** Upstream compare URL (previous stable tag … this tag). */
  compareUrl: string | null;
  /** `sync --silent`: nothing is posted for this sync. */
  silent: boolean;
  /** When the card entered its current stage (reminders count from here); absent on older cards. */
  stageSince?: string;
}

export type SyncUpdate = { stage: SyncStage } & Partial<SyncFacts>;

export interface SyncSnapshot extends SyncRef, SyncFacts {
  stage: SyncStage;
  updatedAt: string;
}

export type ConflictDecider = 'rule' | 'structure' | 'memory' | 'llm' | 'person';

export interface ConflictFileOutcome {
  path: string;
  kind: ConflictKind;
  /** What the file ended up as; `waiting` = some hunks wait for a person. */
  decision: 'upstream' | 'fork' | 'merged' | 'waiting';
  by: ConflictDecider | null;
  reason: string | null;
}

export interface WaitingHunk {
  /** Opaque id the resolver recognises when a person decides (≤ 200 chars). */
  id: string;
  path: string;
  /** 1-based position among the file's hunks. */
  index: number;
  of: number;
  upstream: string;
  fork: string;
  /** Where to look at it on GitHub. */
  url: string | null;
}

export type SyncDetail =
  | { kind: 'conflicts'; files: ConflictFileOutcome[] }
  | { kind: 'waiting'; pr: number; hunks: WaitingHunk[] }
  | { kind: 'failure'; step: string | null; error: { code: string; message: string }; jobId: number | null }
  | { kind: 'ci'; checks: ChecksSummary; url: string | null }
  | { kind: 'note'; text: string }
  | { kind: 'upstream-notes'; notes: UpstreamNotes; customised: string[] }
  | {
      kind: 'reminder';
      stage: SyncStage;
      since: string;
      pr: { number: number; url: string } | null;
      /** Slack user and user-group ids allowed to act. */
      people: string[];
    };

export interface ReleasePublished {
  pipeline: string;
  /** From releaseCardData() in src/core/release/release-card.ts. */
  card: ReleaseCardData;
}

export interface PullMerged {
  pipeline: string;
  /** From pullCardData() in src/core/release/changelog-card.ts. */
  card: PullCardData;
}

export interface SyncNotifier {
  /** Merges `update` into the sync's snapshot; its card is posted once and then updated in place. */
  syncChanged(ref: SyncRef, update: SyncUpdate): Promise<void>;
  /**
   * A reply in the sync's thread. `key` makes it idempotent: a resumed job that sends the same
   * key again posts nothing new.
   */
  syncDetail(ref: SyncRef, detail: SyncDetail, options: { key: string }): Promise<void>;
  /** A release card in the pipeline's channel; a merged sync card moves to `released`. */
  releasePublished(event: ReleasePublished): Promise<void>;
  /** A changelog card for a PR merged into production (when the pipeline's slack.changelog is on). */
  pullMerged(event: PullMerged): Promise<void>;
}

/** For pipelines without Slack, CLI runs and tests that do not look at Slack. */
export const silentNotifier: SyncNotifier = {
  syncChanged: async () => {},
  syncDetail: async () => {},
  releasePublished: async () => {},
  pullMerged: async () => {},
};

/**
 * A person's answer to a hunk the resolver could not decide, from the thread's "Take upstream" /
 * "Take fork" buttons. Carried in the `resolve` job's data as `decisions`.
 */
export interface HunkDecision {
  hunkId: string;
  take: 'upstream' | 'fork';
  by: Actor;
}
