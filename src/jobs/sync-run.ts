import type { Logger } from 'pino';
import { errorMessage, isAppError } from '../errors.js';
import type { Actor } from '../ports.js';
import { jobIdentity } from './job-keys.js';
import { runSync } from './sync.js';
import { failedResult } from './sync-result.js';
import type { SyncDeps, SyncJobData, SyncResult } from './sync-types.js';
import type { JobQueue, JobRecord } from './types.js';
import { scrub } from '../redact.js';

// Running syncs on request (CLI now, Slack through the same enqueue): the job goes through the
// queue with the same dedupe key the cron uses, so a tick, a click and a retry at the same moment
// make one job. A dry run needs no durability and runs inline, changing nothing.

export async function dryRunSync(deps: SyncDeps, pipeline: string, log: Logger, requestedBy: Actor): Promise<SyncResult> {
  try {
    return await runSync(deps, { pipeline }, {
      log,
      dryRun: true,
      requestedBy,
      jobId: null,
      step: (_name, fn) => fn(),
      enqueue: () => Promise.reject(new Error('a dry run enqueues nothing')),
    });
  } catch (err) {
    return failedResult(pipeline, true, { code: isAppError(err) ? err.code : 'internal', message: scrub(errorMessage(err)) });
  }
}

export function enqueueSync(queue: JobQueue, data: SyncJobData, requestedBy: Actor): Promise<{ job: JobRecord<SyncJobData>; created: boolean }> {
  return queue.enqueue({ ...jobIdentity.sync(data.pipeline), data, requestedBy });
}

/** The result line for a finished sync job (a failed job gets a `failed` line with its error). */
export function resultOfJob(job: JobRecord, pipeline: string): SyncResult {
  if (job.state === 'succeeded' && job.result) return job.result as SyncResult;
  return failedResult(pipeline, false, job.error ?? { code: 'internal', message: `job ${job.id} ended ${job.state}` });
}
