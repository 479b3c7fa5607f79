import type { Logger } from 'pino';
import { toJobError } from '../../errors.js';
import type { Actor } from '../../ports.js';
import { syncJobInput, type SyncJobData } from '../../jobs/job-kinds.js';
import { runSync } from './sync.js';
import { failedResult } from './sync-result.js';
import type { SyncDeps, SyncResult } from './sync-types.js';
import type { JobQueue, JobRecord } from '../../ports/jobs.js';

// Running syncs on request (CLI now, Slack through the same enqueue): the job goes through the
// queue with the same dedupe key the cron uses, so a tick, a click and a retry at the same moment
// make one job. A dry run needs no durability and runs inline, changing nothing.

export async function dryRunSync(
  deps: SyncDeps,
  pipeline: string,
  log: Logger,
  requestedBy: Actor,
  tag?: string,
): Promise<SyncResult> {
  try {
    return await runSync(
      deps,
      { pipeline, ...(tag === undefined ? {} : { tag }) },
      {
        log,
        dryRun: true,
        requestedBy,
        jobId: null,
        step: (_name, fn) => fn(),
        enqueue: () => Promise.reject(new Error('a dry run enqueues nothing')),
      },
    );
  } catch (err) {
    return failedResult(pipeline, true, toJobError(err));
  }
}

export function enqueueSync(
  queue: JobQueue,
  data: SyncJobData,
  requestedBy: Actor,
): Promise<{ job: JobRecord<SyncJobData>; created: boolean }> {
  return queue.enqueue(syncJobInput(data, requestedBy));
}

/**
 * The active sync another request found, when it is not the sync this one asked for: a request
 * for a tag is never answered with the outcome of a sync of something else.
 */
export function busyRefusal(active: JobRecord<SyncJobData>, asked: SyncJobData): SyncResult | null {
  if (asked.tag === undefined || active.data.tag === asked.tag) return null;
  const what = active.data.tag === undefined ? 'the newest release' : active.data.tag;
  return {
    pipeline: asked.pipeline,
    outcome: 'refused',
    currentVersion: null,
    latestTag: null,
    pr: null,
    conflicts: [],
    dryRun: false,
    skipped: [],
    requestedTag: asked.tag,
    refused: {
      reason: 'busy',
      message: `a sync of ${asked.pipeline} is already ${active.state} (job ${active.id}, for ${what}); one sync per pipeline at a time: ask for ${asked.tag} again when it has finished`,
    },
  };
}

/** The result line for a finished sync job (a failed job gets a `failed` line with its error). */
export function resultOfJob(job: JobRecord, pipeline: string): SyncResult {
  if (job.state === 'succeeded' && job.result) return job.result as SyncResult;
  return failedResult(pipeline, false, job.error ?? { code: 'internal', message: `job ${job.id} ended ${job.state}` });
}
