import type { EnqueueInput, EnqueueResult, JobKindName, JobRecord, JobState } from './jobs.js';

// What the runner needs from persistence. The SQLite implementation is
// src/adapters/store/sqlite-job-store.ts; every method is one transaction. Methods that act on a
// running job take the lease owner and do nothing (false / null) when the lease is no longer
// theirs: a runner that lost its lease can never overwrite the work of the one that took over.

export interface JobError {
  code: string;
  message: string;
}

export interface ClaimOptions {
  owner: string;
  /** Kinds this runner has handlers for; jobs of other kinds stay queued for another process. */
  kinds: readonly JobKindName[];
  leaseMs: number;
  now: Date;
  /**
   * Jobs this runner is running now: never claimed again by it, even when a stalled event loop let
   * their lease run out before a heartbeat (the same owner would run a second attempt beside the first).
   */
  running?: readonly number[];
}

export interface JobListQuery {
  pipeline?: string;
  kind?: JobKindName;
  states?: JobState[];
  limit?: number;
}

export interface JobStore {
  enqueue<D>(input: EnqueueInput<D>, defaults: { maxAttempts: number }, now: Date): EnqueueResult<D>;
  get(id: number): JobRecord | null;
  list(query: JobListQuery): JobRecord[];
  /**
   * Atomically leases the next job that is due (or whose lease expired) and none of whose locks is
   * held by another running job. Expired jobs that used up their attempts are failed instead.
   */
  claim(options: ClaimOptions): JobRecord | null;
  renewLease(id: number, owner: string, leaseMs: number, now: Date): boolean;
  /** Distinct owners of running jobs whose lease has not expired at `now`. */
  leaseOwners(now: Date): string[];
  /** Ends every lease `owner` holds as of `now` (its process is known to be gone); claim() resumes the jobs. */
  expireLeases(owner: string, now: Date): number;
  /** The memoized result of a finished step, or null when the step has not finished. */
  getStep(id: number, name: string): { result: unknown } | null;
  recordStep(id: number, owner: string, name: string, result: unknown, now: Date): boolean;
  complete(id: number, owner: string, result: unknown, now: Date): JobRecord | null;
  /** Back to the queue: after a transient error (with backoff) or when the runner stops (attempt refunded). */
  requeue(
    id: number,
    owner: string,
    input: { runAfter: Date; error: JobError | null; refundAttempt: boolean },
    now: Date,
  ): JobRecord | null;
  finish(id: number, owner: string, state: 'failed' | 'cancelled', error: JobError, now: Date): JobRecord | null;
  /** Failed or cancelled → queued with fresh attempts; finished steps stay recorded. */
  retry(id: number, now: Date): JobRecord;
  /** Whether a job of these kinds is running anywhere, or queued and due before `horizon`. */
  hasPending(kinds: readonly JobKindName[], horizon: Date): boolean;
}
