import { pipelineStatus } from './sync-status.js';
import type { SyncDeps } from './sync-types.js';
import type { JobDefinition } from '../../ports/jobs.js';
import { KIND, type RefreshStatusData } from '../../jobs/job-kinds.js';
import { requireReleaseSync } from '../../config/require-pipeline.js';

// Refreshes what `status` shows, in the background: the reply a person gets is built at once
// from what SQLite has, and this job (the same live read as `upstream-sync status`, which saves
// its facts) brings that up to date for the next reply and App Home. Read-only.

export function refreshStatusJob(deps: SyncDeps): JobDefinition<RefreshStatusData, { stale: boolean }> {
  return {
    kind: KIND.refreshStatus,
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
