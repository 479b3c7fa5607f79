import type { Actor } from './actor.js';

// Store: small repositories over SQLite (src/adapters/store). Synchronous, because better-sqlite3
// is and a local write has nothing to wait for. Everything written is scrubbed of secrets.

export type AuditOutcome = 'allowed' | 'refused' | 'done' | 'failed';

export interface AuditEntry {
  id: number;
  at: string;
  actor: Actor;
  /** e.g. "approve", "release", "sync", "job.retry". */
  action: string;
  pipeline: string | null;
  /** What was acted on, e.g. "pr:CartoDB/litellm#12", "tag:v1.2.3", "job:42". */
  target: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown> | null;
}

export interface AuditLog {
  record(entry: {
    actor: Actor;
    action: string;
    pipeline?: string | null;
    target?: string | null;
    outcome: AuditOutcome;
    details?: Record<string, unknown>;
  }): AuditEntry;
  /** Newest first. `since` is an ISO time (inclusive); `actor` matches the actor's id. */
  list(query?: AuditQuery): AuditEntry[];
  /** Deletes rows older than `before` (the retention prune) and says what went. */
  prune(before: Date): AuditPruneResult;
}

export interface AuditQuery {
  pipeline?: string;
  action?: string;
  actor?: string;
  since?: string;
  limit?: number;
}

export interface AuditPruneResult {
  removed: number;
  before: string;
  /** The oldest and newest `at` among the removed rows; null when nothing was removed. */
  oldest: string | null;
  newest: string | null;
  /** Removed rows counted per action, e.g. { approve: 3, sync: 12 }. */
  byAction: Record<string, number>;
}

export interface SlackMessageRef {
  pipeline: string;
  /** What the message is about, e.g. the sync's upstream tag. */
  key: string;
  /** e.g. "sync-card", "release-card". */
  kind: string;
  channel: string;
  ts: string;
  threadTs: string | null;
  state: string | null;
  updatedAt: string;
}

export interface SlackMessages {
  get(pipeline: string, key: string, kind: string): SlackMessageRef | null;
  upsert(ref: Omit<SlackMessageRef, 'updatedAt'>): SlackMessageRef;
  list(query?: { pipeline?: string; kind?: string }): SlackMessageRef[];
}

export interface WebhookDeliveries {
  /** true the first time a delivery id is seen, false for a redelivery. */
  recordOnce(deliveryId: string, event: string): boolean;
  /** Forgets a delivery whose handling failed, so GitHub's redelivery of it is processed. */
  forget(deliveryId: string): void;
}

export interface ScheduleStateRecord {
  pipeline: string;
  lastRunAt: string | null;
  lastScheduledAt: string | null;
}

export interface ScheduleState {
  get(pipeline: string): ScheduleStateRecord | null;
  /** Sets the given fields, keeps the others. */
  set(pipeline: string, patch: { lastRunAt?: string | null; lastScheduledAt?: string | null }): ScheduleStateRecord;
}
