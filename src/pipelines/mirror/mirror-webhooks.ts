import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../../config/schema.js';
import { pipelinesOfKind } from '../../config/require-pipeline.js';
import { jobIdentity } from '../../jobs/job-kinds.js';
import type { JobQueue } from '../../ports/jobs.js';
import type { GitHubWebhookReceiver } from '../../web/github-webhooks.js';
import type { KindJobData } from '../pipeline-kind.js';

// `after.workflows`: a listed workflow that completed with success on the source branch of the
// source repository starts a mirror run (the same deduplicated sync job as cron and the CLI).
// Any other conclusion, branch, repository or workflow is ignored. The handler only enqueues.

const workflowRun = z.object({
  action: z.string(),
  repository: z.object({ full_name: z.string() }),
  workflow_run: z.object({
    id: z.number().int().optional(),
    name: z.string().nullish(),
    head_branch: z.string().nullish(),
    head_sha: z.string().nullish(),
    conclusion: z.string().nullish(),
    status: z.string().nullish(),
  }),
});

export interface MirrorWebhookDeps {
  config: Config;
  queue: Pick<JobQueue, 'enqueue'>;
  log: Logger;
}

export function registerMirrorWebhooks(receiver: Pick<GitHubWebhookReceiver, 'on'>, deps: MirrorWebhookDeps): void {
  receiver.on('workflow_run.completed', async (event) => {
    const parsed = workflowRun.safeParse(event.payload);
    if (!parsed.success) {
      deps.log.warn({ deliveryId: event.id, event: event.name }, 'webhook payload of an unexpected shape ignored');
      return;
    }
    const { repository, workflow_run: run } = parsed.data;
    if (run.conclusion !== 'success' || !run.name) return;
    for (const p of pipelinesOfKind(deps.config, 'mirror')) {
      if (p.source.repo.toLowerCase() !== repository.full_name.toLowerCase()) continue;
      if (run.head_branch !== p.source.branch || !p.after?.workflows.includes(run.name)) continue;
      deps.log.info(
        { pipeline: p.id, workflow: run.name, runId: run.id },
        'source workflow succeeded: mirror run queued',
      );
      await deps.queue.enqueue<KindJobData>({
        ...jobIdentity.sync(p.id),
        data: { pipeline: p.id },
        requestedBy: { kind: 'webhook', id: 'github', via: `workflow_run:${event.id}` },
      });
    }
  });
}
