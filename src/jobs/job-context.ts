import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { JobStore } from '../ports/job-store.js';
import type { EnqueueInput, EnqueueResult, JobContext, JobRecord } from '../ports/jobs.js';

export interface ContextDeps {
  store: JobStore;
  owner: string;
  now: () => Date;
  enqueue: <E>(input: EnqueueInput<E>) => Promise<EnqueueResult<E>>;
  onStep?: (step: { kind: string; name: string; seconds: number; ok: boolean }) => void;
  onStepStart?: (step: { kind: string; name: string }) => void;
}

/**
 * The context a handler runs with. step() is the durability boundary: a step's result is written
 * only while this runner still holds the lease, and a resumed job reads it instead of running the
 * step again. The first run returns the stored (JSON round-tripped, scrubbed) value too, so a
 * handler sees the same thing whether or not it was resumed.
 */
export function createJobContext<D>(
  job: JobRecord<D>,
  log: Logger,
  signal: AbortSignal,
  deps: ContextDeps,
): JobContext<D> {
  const used = new Set<string>();
  return {
    job,
    log,
    signal,
    enqueue: deps.enqueue,
    async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
      if (used.has(name))
        throw new AppError(
          'internal',
          `step "${name}" ran twice in job ${job.id}: step names must be unique within a job`,
        );
      used.add(name);
      const done = deps.store.getStep(job.id, name);
      if (done) {
        log.debug({ step: name }, 'step already done');
        return done.result as T;
      }
      signal.throwIfAborted();
      log.debug({ step: name }, 'step started');
      deps.onStepStart?.({ kind: job.kind, name });
      const started = performance.now();
      const observe = (ok: boolean): void =>
        deps.onStep?.({ kind: job.kind, name, seconds: (performance.now() - started) / 1000, ok });
      let value: T;
      try {
        value = await fn();
      } catch (err) {
        observe(false);
        throw err;
      }
      observe(true);
      if (!deps.store.recordStep(job.id, deps.owner, name, value, deps.now())) {
        throw new AppError('lease_lost', `job ${job.id} lost its lease during step "${name}"`);
      }
      log.debug({ step: name }, 'step done');
      return deps.store.getStep(job.id, name)?.result as T;
    },
  };
}
