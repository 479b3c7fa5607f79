import type { UpstreamNotes } from '../core/sync/upstream-notes.js';
import type { Actor } from './actor.js';
import type { ChecksSummary } from './github.js';
import type { ConflictKind } from './git.js';
import type { PullCardData, ReleaseCardData } from './release-cards.js';
import type { SyncRef, SyncStage, SyncUpdate } from './sync-cards.js';
import type { HunkFate } from '../core/ledger/types.js';

// What the workflows tell Slack. One card per sync (pipeline + upstream tag): jobs report the
// stage and facts as they learn them; the notifier stores the merged snapshot through the
// SyncCards port (./sync-cards.ts) and returns, and the outbox posts or updates the card and
// thread when Slack answers. A notifier never throws because Slack is down, and never waits for Slack.

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

/** A dropped fork hunk as the thread shows it (src/slack/views/ledger-thread.ts). */
export interface LedgerDropView {
  id: string;
  path: string;
  detail: string;
  /** The fork's change, as `-`/`+` lines. */
  diff: string;
  /** Who accepted the drop, when someone did. */
  accepted: { by: Actor; at: string } | null;
}

/** The fork-patch ledger of one sync branch head, for the card's thread (refreshed on every rebuild). */
export interface LedgerDetail {
  kind: 'ledger';
  pr: number | null;
  headSha: string;
  counts: Record<HunkFate, number>;
  dropped: LedgerDropView[];
  guardsFailing: { feature: string; failures: string[] }[];
  /** Conflicted files not classified yet. */
  pending: number;
}

export type SyncDetail =
  | LedgerDetail
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
  /**
   * One run of a pipeline of another kind (dispatch, …) worth telling people about: posted once
   * per `key` in the pipeline's channel, rendered by that kind's view.
   */
  kindRun?(event: KindRunEvent): Promise<void>;
}

export interface KindRunEvent {
  pipeline: string;
  /** Idempotency: the same key is posted once (e.g. the processed commit range). */
  key: string;
  /** The kind's result (its JSON line); the kind's view reads its own fields. */
  result: { outcome: string; [field: string]: unknown };
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
