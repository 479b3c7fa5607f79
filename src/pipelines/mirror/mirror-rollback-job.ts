import { requirePipeline } from '../../config/require-pipeline.js';
import { pipelineLock } from '../../jobs/job-kinds.js';
import type { Services } from '../../main.js';
import type { Actor } from '../../ports.js';
import type { EnqueueInput } from '../../ports/jobs.js';
import { rollbackMirror, type RollbackResult } from './mirror-rollback.js';

// The card's Roll back button: the same rollback as `mirror rollback`, as a job (Slack is answered
// at once; the job holds the pipeline lock, so it never runs beside a mirror sync of the pipeline).

export const MIRROR_ROLLBACK_KIND = 'mirror-rollback';

export interface MirrorRollbackJobData {
  pipeline: string;
}

export function mirrorRollbackJobInput(pipeline: string, by: Actor): EnqueueInput<MirrorRollbackJobData> {
  return {
    kind: MIRROR_ROLLBACK_KIND,
    pipeline,
    dedupeKey: `${MIRROR_ROLLBACK_KIND}:${pipeline}`,
    locks: [pipelineLock(pipeline)],
    data: { pipeline },
    requestedBy: by,
    maxAttempts: 1,
  };
}

export function registerMirrorRollbackJob(services: Services): void {
  services.runner.register<MirrorRollbackJobData, RollbackResult>({
    kind: MIRROR_ROLLBACK_KIND,
    maxAttempts: 1,
    handler: (ctx) =>
      ctx.step('rollback', () =>
        rollbackMirror(
          { git: services.git, github: services.github, audit: services.store.audit, now: () => services.clock.now() },
          {
            pipeline: requirePipeline(services.config, ctx.job.data.pipeline, 'mirror'),
            dryRun: false,
            requestedBy: ctx.job.requestedBy,
          },
        ),
      ),
  });
}
