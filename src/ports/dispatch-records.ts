// What a dispatch pipeline remembers (src/pipelines/dispatch): the last source commit processed,
// each delivery made, and the deliveries still failing (retried by the next run, alone).

export type DeliveryResult = 'dispatched' | 'pr-created' | 'pr-updated' | 'unchanged' | 'failed';

export interface DeliveryRecord {
  subscriber: string;
  feature: string;
  mode: 'dispatch' | 'pull-request';
  result: DeliveryResult;
  pr: { number: number; url: string } | null;
  error: string | null;
  /** Changed source paths under the feature that caused the delivery. */
  changedPaths: string[];
}

export interface PendingDelivery {
  subscriber: string;
  feature: string;
  mode: 'dispatch' | 'pull-request';
  changedPaths: string[];
  error: string;
  /** When it first failed (ISO). */
  since: string;
}

export interface DispatchRecords {
  lastProcessed(pipeline: string): { sha: string; at: string } | null;
  setLastProcessed(pipeline: string, sha: string): void;
  /** The delivery already made for this commit, subscriber and feature, if any. */
  delivery(pipeline: string, toSha: string, subscriber: string, feature: string): DeliveryRecord | null;
  /** Stores a delivery; a failed one becomes pending, a successful one clears the pending entry. */
  record(pipeline: string, range: { from: string | null; to: string }, delivery: DeliveryRecord): void;
  pending(pipeline: string): PendingDelivery[];
}
