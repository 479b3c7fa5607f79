import type { Logger } from 'pino';
import { AppError, isAppError, isTransient, toJobError } from '../errors.js';
import { systemClock, type Actor, type AuditLog, type Clock } from '../ports.js';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff.js';
import { createJobContext } from './job-context.js';
import type { JobError, JobListQuery, JobStore } from '../ports/job-store.js';
import { newLeaseOwner, ownerIsGone } from './lease-owner.js';
import type { EnqueueInput, EnqueueResult, JobDefinition, JobQueue, JobRecord } from '../ports/jobs.js';
import { Waker } from './waker.js';
import { isDatabaseBusy, retryWhileBusy, storageFaultOf, type StorageFault } from './storage-fault.js';

export interface RunnerOptions {
  store: JobStore;
  log: Logger;
  clock?: Clock;
  /** Names this runner in leases; default `<hostname>:<pid>:<random>` (see lease-owner.ts). */
  owner?: string;
  /** A job whose lease is not renewed for this long is taken over by another runner. */
  leaseMs?: number;
  heartbeatMs?: number;
  /** How often to look for work when nothing wakes the runner (other processes enqueue too). */
  pollMs?: number;
  /** Jobs run at once by this runner (locks still keep conflicting jobs apart). */
  concurrency?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  defaultMaxAttempts?: number;
  /** Records retries asked for by people. */
  audit?: AuditLog;
  /** Told how long each step that ran (not a resumed one) took, and whether it succeeded (metrics). */
  onStep?: (step: { kind: string; name: string; seconds: number; ok: boolean }) => void;
  /** Told when a step starts (CLI progress lines). */
  onStepStart?: (step: { kind: string; name: string }) => void;
  /**
   * Throws while the disk under the database is still full (main.ts writes a small file next to
   * it). Polled while a storage fault is recorded; the fault clears once it passes.
   */
  storageProbe?: () => void;
  /** Names the storage in fault messages, e.g. "the data directory /var/lib/upstream-sync". */
  storageLabel?: string;
}

export interface RunUntilIdleOptions {
  /** Queued jobs due later than this (e.g. backing off) do not keep the runner busy. Default 5 min. */
  horizonMs?: number;
  timeoutMs?: number;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

function enqueueProblem(input: EnqueueInput<unknown>): string | null {
  if (!input.kind) return 'kind is empty';
  if (!input.dedupeKey) return 'dedupeKey is empty';
  if (input.locks?.some((lock) => !lock)) return 'a lock key is empty';
  if (input.maxAttempts !== undefined && !(Number.isInteger(input.maxAttempts) && input.maxAttempts >= 1))
    return 'maxAttempts must be a positive integer';
  if (input.runAfter !== undefined && Number.isNaN(Date.parse(input.runAfter)))
    return `runAfter "${input.runAfter}" is not a date`;
  if (input.data === undefined) return 'data is undefined (use null)';
  return null;
}
type AnyDefinition = JobDefinition<never, unknown>;

class BookkeepingFailed extends Error {
  constructor(cause: unknown) {
    super('the end of a job could not be recorded', { cause });
  }
}

/**
 * Durable job runner over a JobStore (SQLite in production). Several runners, in one process or
 * many, may share a database: every claim is one IMMEDIATE transaction and every write about a
 * running job checks the lease owner.
 */
export class JobRunner implements JobQueue {
  readonly owner: string;
  private readonly store: JobStore;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly defaultMaxAttempts: number;
  private readonly audit: AuditLog | undefined;
  private readonly onStep: RunnerOptions['onStep'];
  private readonly onStepStart: RunnerOptions['onStepStart'];
  private readonly definitions = new Map<string, AnyDefinition>();
  private readonly running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  private readonly listeners = new Set<(job: JobRecord) => void>();
  private readonly waker = new Waker();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private fault: StorageFault | null = null;
  /** Jobs this runner ran but could not record the end of: waitFor() must not wait for them. */
  private readonly unsettled = new Set<number>();
  private readonly storageProbe: (() => void) | undefined;
  private readonly storageLabel: string | undefined;

  constructor(options: RunnerOptions) {
    this.store = options.store;
    this.log = options.log;
    this.clock = options.clock ?? systemClock;
    this.owner = options.owner ?? newLeaseOwner();
    this.leaseMs = options.leaseMs ?? 60_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(1, Math.floor(this.leaseMs / 3));
    this.pollMs = options.pollMs ?? 1_000;
    this.concurrency = options.concurrency ?? 4;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.defaultMaxAttempts = options.defaultMaxAttempts ?? 5;
    this.audit = options.audit;
    this.onStep = options.onStep;
    this.onStepStart = options.onStepStart;
    this.storageProbe = options.storageProbe;
    this.storageLabel = options.storageLabel;
  }

  register<D, R>(definition: JobDefinition<D, R>): this {
    if (this.definitions.has(definition.kind))
      throw new AppError('internal', `a handler for job kind "${definition.kind}" is already registered`);
    this.definitions.set(definition.kind, definition as unknown as AnyDefinition);
    return this;
  }

  async enqueue<D>(input: EnqueueInput<D>): Promise<EnqueueResult<D>> {
    const problem = enqueueProblem(input);
    if (problem) throw new AppError('validation', `cannot enqueue a ${input.kind || 'job'}: ${problem}`);
    const maxAttempts = this.definitions.get(input.kind)?.maxAttempts ?? this.defaultMaxAttempts;
    const result = this.store.enqueue(input, { maxAttempts }, this.clock.now());
    if (result.created)
      this.log.info(
        { jobId: result.job.id, kind: input.kind, pipeline: input.pipeline ?? null, dedupeKey: input.dedupeKey },
        'job queued',
      );
    this.waker.wake();
    return result;
  }

  async get(id: number): Promise<JobRecord | null> {
    return this.store.get(id);
  }

  async list(query: JobListQuery): Promise<JobRecord[]> {
    return this.store.list(query);
  }

  async retry(id: number, actor: Actor): Promise<JobRecord> {
    const job = this.store.retry(id, this.clock.now());
    this.audit?.record({
      actor,
      action: 'job.retry',
      pipeline: job.pipeline,
      target: `job:${id}`,
      outcome: 'done',
      details: { kind: job.kind },
    });
    this.log.info({ jobId: id, kind: job.kind, pipeline: job.pipeline, by: actor }, 'job re-queued');
    this.waker.wake();
    return job;
  }

  /** Set while the database or the disk under it cannot be written; /readyz and status show it. */
  storageFault(): StorageFault | null {
    return this.fault;
  }

  /**
   * Resolves when the job ends. Rejects with `disk_full` when this runner cannot write the
   * database: a job it cannot settle would otherwise be waited for forever (a CLI never exits).
   */
  async waitFor(id: number, options: { timeoutMs?: number } = {}): Promise<JobRecord> {
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    for (;;) {
      if (this.unsettled.has(id) || (this.fault && this.loop)) {
        throw new AppError('disk_full', this.fault?.message ?? `job ${id} ended but its end could not be recorded`);
      }
      const job = this.store.get(id);
      if (!job) throw new AppError('not_found', `job ${id} does not exist`);
      if (TERMINAL.has(job.state)) return job;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new AppError('timeout', `job ${id} is still ${job.state}`, { details: { jobId: id, state: job.state } });
      await this.waker.sleep(Math.min(this.pollMs, left));
    }
  }

  /** Called after every state change this runner makes (started, re-queued, finished). */
  onChange(listener: (job: JobRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.poll();
  }

  /** Aborts running jobs (they go back to the queue, the attempt refunded) and waits for them to settle. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const { controller } of this.running.values())
      controller.abort(new AppError('cancelled', 'the runner is stopping'));
    this.waker.wake();
    await this.loop;
    await Promise.all([...this.running.values()].map((r) => r.done));
    this.loop = null;
  }

  /** Runs jobs until none of a registered kind is running anywhere or due within the horizon. */
  async runUntilIdle(options: RunUntilIdleOptions = {}): Promise<void> {
    if (this.loop) throw new AppError('internal', 'runUntilIdle() cannot run while the runner is started');
    this.stopping = false;
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    const horizonMs = options.horizonMs ?? 5 * 60_000;
    for (;;) {
      this.fill();
      const horizon = new Date(this.clock.now().getTime() + horizonMs);
      if (this.running.size === 0 && !this.store.hasPending([...this.definitions.keys()], horizon)) return;
      if (Date.now() >= deadline) throw new AppError('timeout', 'jobs are still pending');
      await this.waker.sleep(this.pollMs);
    }
  }

  private async poll(): Promise<void> {
    while (!this.stopping) {
      try {
        if (this.fault) this.probeStorage();
        this.fill();
      } catch (err) {
        if (!this.storageFailed(err)) this.log.error({ err }, 'claiming a job failed');
      }
      await this.waker.sleep(this.pollMs);
    }
  }

  /** True when `err` is a storage fault (recorded, logged once); false for any other error. */
  private storageFailed(err: unknown): boolean {
    const fault = storageFaultOf(err, this.storageLabel);
    if (!fault) return false;
    if (!this.fault) {
      this.fault = { message: fault.message, since: this.clock.now().toISOString() };
      this.log.error({ err }, 'the database cannot be written (disk full?); jobs wait until it can');
    }
    this.waker.wake();
    return true;
  }

  /** Throws (the fault stays) until the probe passes; without a probe, the next settled job clears it. */
  private probeStorage(): void {
    if (!this.storageProbe) return;
    this.storageProbe();
    this.storageRecovered();
  }

  private storageRecovered(): void {
    if (!this.fault) return;
    this.log.info({ since: this.fault.since }, 'the database can be written again; jobs resume');
    this.fault = null;
  }

  private fill(): void {
    this.expireDeadOwners();
    while (!this.stopping && this.running.size < this.concurrency) {
      const job = this.store.claim({
        owner: this.owner,
        kinds: [...this.definitions.keys()],
        leaseMs: this.leaseMs,
        now: this.clock.now(),
        running: [...this.running.keys()],
      });
      if (!job) return;
      const controller = new AbortController();
      const done = this.execute(job, controller)
        .catch((err: unknown) => {
          // Left running in the database: its lease runs out and it is claimed again once writes work.
          if (this.storageFailed(err)) this.unsettled.add(job.id);
          else this.log.error({ err, jobId: job.id }, 'job bookkeeping failed');
        })
        .finally(() => {
          this.running.delete(job.id);
          this.waker.wake();
        });
      this.running.set(job.id, { controller, done });
    }
  }

  /**
   * Jobs leased by a process of this host that no longer exists (killed, crashed, restarted) are
   * resumed now rather than a lease later. One indexed query over running jobs and a signal-0
   * probe per owner, so it runs on every poll.
   */
  private expireDeadOwners(): void {
    const now = this.clock.now();
    for (const owner of this.store.leaseOwners(now)) {
      if (owner === this.owner || !ownerIsGone(owner)) continue;
      const jobs = this.store.expireLeases(owner, now);
      if (jobs > 0) this.log.warn({ owner, jobs }, 'lease owner process is gone; its jobs resume now');
    }
  }

  private async execute(job: JobRecord, controller: AbortController): Promise<void> {
    const definition = this.definitions.get(job.kind) as AnyDefinition;
    const log = this.log.child({ jobId: job.id, pipeline: job.pipeline, kind: job.kind });
    log.info({ attempt: job.attempts, maxAttempts: job.maxAttempts }, 'job started');
    this.notify(job);
    const heartbeat = setInterval(() => this.heartbeat(job.id, controller, log), this.heartbeatMs);
    let settled: JobRecord | null;
    try {
      const ctx = createJobContext(job, log, controller.signal, {
        store: this.store,
        owner: this.owner,
        now: () => this.clock.now(),
        enqueue: (input) => this.enqueue(input),
        ...(this.onStep ? { onStep: this.onStep } : {}),
        ...(this.onStepStart ? { onStepStart: this.onStepStart } : {}),
      });
      const result = await definition.handler(ctx as never);
      try {
        settled = await retryWhileBusy(() => this.store.complete(job.id, this.owner, result, this.clock.now()));
      } catch (err) {
        // The work is done but its end cannot be written: not a failure of the job. It stays
        // running; its lease runs out and it is claimed (and, being idempotent, ends) later.
        if (storageFaultOf(err)) throw new BookkeepingFailed(err);
        throw err;
      }
      if (settled) log.info('job succeeded');
    } catch (err) {
      if (err instanceof BookkeepingFailed) throw err.cause;
      if (storageFaultOf(err)) this.storageFailed(err);
      settled = this.settleError(job, err, controller.signal, log);
    } finally {
      clearInterval(heartbeat);
    }
    if (settled) {
      this.storageRecovered();
      this.notify(settled);
    } else log.warn('job lease lost; another runner owns the job now');
  }

  private heartbeat(id: number, controller: AbortController, log: Logger): void {
    try {
      if (!this.store.renewLease(id, this.owner, this.leaseMs, this.clock.now())) {
        controller.abort(new AppError('lease_lost', `job ${id} lost its lease`));
      }
    } catch (err) {
      // A busy database is not a lost lease: the next beat tries again before the lease runs out.
      log.warn({ err }, 'lease renewal failed');
    }
  }

  private settleError(job: JobRecord, err: unknown, signal: AbortSignal, log: Logger): JobRecord | null {
    const now = this.clock.now();
    if (isAppError(signal.reason, 'lease_lost') || isAppError(err, 'lease_lost')) return null;
    if (this.stopping && signal.aborted) {
      log.info('job released: the runner is stopping');
      return this.store.requeue(job.id, this.owner, { runAfter: now, error: null, refundAttempt: true }, now);
    }
    const error: JobError = toJobError(err);
    if (isAppError(err, 'cancelled')) {
      log.info({ err }, 'job cancelled');
      return this.store.finish(job.id, this.owner, 'cancelled', error, now);
    }
    if ((isTransient(err) || isDatabaseBusy(err)) && job.attempts < job.maxAttempts) {
      const delayMs = retryDelayMs(
        job.attempts,
        this.backoff,
        this.random,
        isAppError(err) ? err.retryAfterMs : undefined,
      );
      log.warn({ err, attempt: job.attempts, retryInMs: delayMs }, 'job failed; will retry');
      return this.store.requeue(
        job.id,
        this.owner,
        { runAfter: new Date(now.getTime() + delayMs), error, refundAttempt: false },
        now,
      );
    }
    log.error({ err, attempt: job.attempts }, 'job failed');
    // The last word on a job that kept failing for a passing reason says it stopped trying.
    if (isTransient(err) && job.attempts > 1)
      error.message = `gave up after ${job.attempts} attempts: ${error.message}`;
    return this.store.finish(job.id, this.owner, 'failed', error, now);
  }

  private notify(job: JobRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(job);
      } catch (err) {
        this.log.warn({ err, jobId: job.id }, 'job listener failed');
      }
    }
  }
}
