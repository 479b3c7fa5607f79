import type { Logger } from 'pino';
import type { Actor } from '../ports.js';

// The contract between the durable job runner (src/jobs/runner.ts) and the workflows that run on
// it (sync, resolve, release, …). A job is a row in SQLite; its handler is re-entrant: every
// externally visible effect happens inside ctx.step(), whose result is memoized, and every step
// is itself idempotent (it looks before it creates), so a job killed at any point and resumed by
// another process ends in the same state as one that never stopped.

/**
 * A job kind as the runner sees it: any registered name (tests register their own). The kinds this
 * app runs are the closed union `JobKind` in src/jobs/job-kinds.ts, with their data and inputs.
 */
export type JobKindName = string;

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const ACTIVE_STATES: readonly JobState[] = ['queued', 'running'];

export interface JobRecord<D = unknown, R = unknown> {
  id: number;
  kind: JobKindName;
  pipeline: string | null;
  /** Unique among active (queued/running) jobs: a second enqueue with the same key returns the first job. */
  dedupeKey: string;
  /** Keys no two running jobs may share, e.g. `pipeline:litellm`, `pr:CartoDB/litellm#12`. */
  locks: string[];
  state: JobState;
  data: D;
  result: R | null;
  attempts: number;
  maxAttempts: number;
  /** Error of the last failed attempt (scrubbed of secrets). */
  error: { code: string; message: string } | null;
  requestedBy: Actor;
  leaseOwner: string | null;
  leaseUntil: string | null;
  runAfter: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface EnqueueInput<D = unknown> {
  kind: JobKindName;
  pipeline?: string | null;
  dedupeKey: string;
  locks?: string[];
  data: D;
  requestedBy: Actor;
  maxAttempts?: number;
  /** ISO time before which the job is not started. */
  runAfter?: string;
}

export interface EnqueueResult<D = unknown> {
  job: JobRecord<D>;
  /** false when an active job with the same dedupe key already existed (and was returned). */
  created: boolean;
}

export interface JobContext<D = unknown> {
  job: JobRecord<D>;
  /** Child logger bound to { jobId, pipeline, kind }. */
  log: Logger;
  /** Aborted when the runner stops or the lease is lost. */
  signal: AbortSignal;
  /**
   * Runs `fn` at most once to completion per job: a resumed job gets the recorded result without
   * running it again. The result must be JSON-serializable. Names must be unique within a job.
   */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Enqueues a follow-up job (deduplicated as usual). */
  enqueue<E>(input: EnqueueInput<E>): Promise<EnqueueResult<E>>;
}

export type JobHandler<D = unknown, R = unknown> = (ctx: JobContext<D>) => Promise<R>;

export interface JobDefinition<D = unknown, R = unknown> {
  kind: JobKindName;
  handler: JobHandler<D, R>;
  /** Attempts before the job is marked failed (transient errors only are retried). Default 5. */
  maxAttempts?: number;
}

/** What the CLI, Slack and the scheduler see of the runner. */
export interface JobQueue {
  enqueue<D>(input: EnqueueInput<D>): Promise<EnqueueResult<D>>;
  get(id: number): Promise<JobRecord | null>;
  /** Resolves when the job reaches succeeded, failed or cancelled. */
  waitFor(id: number, options?: { timeoutMs?: number }): Promise<JobRecord>;
  /** Puts a failed job back in the queue; finished steps are not run again. */
  retry(id: number, actor: Actor): Promise<JobRecord>;
  list(query: { pipeline?: string; kind?: JobKindName; states?: JobState[]; limit?: number }): Promise<JobRecord[]>;
}
