import { pipelineStatus } from './sync-status.js';
import type { SyncDeps } from './sync-types.js';
import type { EnqueueInput, JobDefinition } from '../../ports/jobs.js';
import type { Actor } from '../../ports.js';
import { requireReleaseSync } from '../../config/require-pipeline.js';

// Refreshes what `status` shows, in the background: the reply a person gets is built at once
// from what SQLite has, and this job (the same live read as `upstream-sync status`, which saves
// its facts) brings that up to date for the next reply and App Home. Read-only.

export const REFRESH_STATUS_KIND = 'refresh-status';

export interface RefreshStatusData {
  pipeline: string;
}

export function refreshStatusInput(pipeline: string, requestedBy: Actor): EnqueueInput<RefreshStatusData> {
  return {
    kind: REFRESH_STATUS_KIND,
    pipeline,
    dedupeKey: `refresh-status:${pipeline}`,
    data: { pipeline },
    requestedBy,
    maxAttempts: 1,
  };
}

export function refreshStatusJob(deps: SyncDeps): JobDefinition<RefreshStatusData, { stale: boolean }> {
  return {
    kind: REFRESH_STATUS_KIND,
    maxAttempts: 1,
    handler: async (ctx) => {
      const p = requireReleaseSync(deps.config, ctx.job.data.pipeline);
      // pipelineStatus keeps the last good facts when GitHub cannot be read and marks them stale.
      // The next run is not saved: the running scheduler answers that live.
      const status = await pipelineStatus(deps, p, null);
      return { stale: status.stale };
    },
  };
}
