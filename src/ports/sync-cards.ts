import type { Actor } from './actor.js';
import type { ChecksSummary } from './github.js';

// A sync's lifecycle: one record per sync (pipeline + upstream tag) holding its current stage and
// the facts learned so far (versions, PR, conflicts, CI, merge, release, failure). This is domain
// state: the CI watcher, the buttons, the commands and `status` read it here; Slack only renders it.
// Writers go through the SyncNotifier (./notifier.ts), which saves here and queues the card for
// Slack. Stored in SQLite by src/adapters/store/sync-cards-store.ts (table `slack_cards`,
// migration 004: the name predates this port and stays). Synchronous like the rest of the store.

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
  /**
   * The fork-patch ledger of the sync branch head: dropped fork hunks nobody accepted and failing
   * feature guards (either blocks Approve & merge), and drops people accepted (absent on older cards).
   */
  ledgerBlock?: { dropped: number; guardsFailing: number; accepted?: number } | null;
  /** The CI fixer's state on this sync PR (src/workflows/fix-ci); absent until CI first fails. */
  ciFix?: CiFixFact | null;
}

/** What the card says about the CI fixer. */
export interface CiFixFact {
  /**
   * off: disabled or no LLM; running: an attempt is under way; pushed: attempt n of `of` pushed;
   * refused: the patch was refused (reason); exhausted: the bounds stop it; pre-existing: the
   * failure was red before the sync (no fix); llm-unavailable: the LLM did not answer.
   */
  state: 'off' | 'running' | 'pushed' | 'refused' | 'exhausted' | 'pre-existing' | 'llm-unavailable';
  n: number;
  of: number;
  /** The head commit the state is about. */
  headSha: string | null;
  /** Refusal or stop reason code (e.g. path-denied, same-file); null otherwise. */
  reason: string | null;
  message: string | null;
  commitSha: string | null;
  /** The failing checks the fixer looked at. */
  failing: string[];
  /** When this state was reached. */
  at: string;
}

export type SyncUpdate = { stage: SyncStage } & Partial<SyncFacts>;

export interface SyncSnapshot extends SyncRef, SyncFacts {
  stage: SyncStage;
  updatedAt: string;
}

/** The stored record: the newest snapshot, its version, and the version Slack last showed. */
export interface SyncCard {
  snapshot: SyncSnapshot;
  version: number;
  /** Advanced by the outbox once Slack shows `version`; a card with sentVersion < version is still to send. */
  sentVersion: number;
}

export interface SyncCards {
  get(ref: SyncRef): SyncCard | null;
  /** Newest first. */
  recent(pipeline: string, limit?: number): SyncSnapshot[];
  /**
   * Merges the defined fields of `update` into the sync's snapshot (a new sync starts from empty
   * facts) and bumps its version. `then` runs inside the same transaction, so what it writes (the
   * outbox's card row) lands together with the snapshot or not at all. Returns the stage before.
   */
  save(
    ref: SyncRef,
    update: SyncUpdate,
    options: { now: Date; then?: (card: SyncCard) => void },
  ): { card: SyncCard; previousStage: SyncStage | null };
  /** Slack shows `version` now; never moves backwards. */
  markSent(ref: SyncRef, version: number): void;
}

/** What readers of a sync's state (CI watcher, buttons, commands, status) need. */
export type SyncCardReader = Pick<SyncCards, 'get' | 'recent'>;

/** A new card's facts before any update names them (the store's first snapshot, status's stand-in for a PR without a card). */
export const EMPTY_SYNC_FACTS: Omit<SyncSnapshot, 'pipeline' | 'tag' | 'stage' | 'updatedAt'> = {
  fromVersion: null,
  toVersion: null,
  commitsBehind: null,
  pr: null,
  mergeable: null,
  conflicts: null,
  ci: null,
  blockedBy: null,
  supersededBy: null,
  mergeSha: null,
  release: null,
  error: null,
  failedStage: null,
  jobId: null,
  requestedBy: null,
  compareUrl: null,
  silent: false,
};

/** Stages after which nothing more happens to a sync without a person. */
export const FINAL_STAGES: readonly SyncStage[] = ['up-to-date', 'released', 'skipped', 'superseded'];
