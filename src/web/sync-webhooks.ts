import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config, ReleaseSyncConfig } from '../config/schema.js';
import { tagOfSyncBranch } from '../core/sync/sync-branch.js';
import type { JobQueue } from '../ports/jobs.js';
import type { Actor } from '../ports.js';
import type { GitHubWebhookReceiver } from './github-webhooks.js';
import { enqueueLearn, enqueueRecheck, learnJobInput, recheckJobInput } from '../jobs/job-kinds.js';
import { pipelinesOfKind } from '../config/require-pipeline.js';

// What GitHub tells us about sync PRs, turned into work. GitHub waits about ten seconds for an
// answer and retries deliveries it thinks failed, so a handler only enqueues a job or asks the CI
// watcher for an early pass; the GitHub and git work happens in the jobs. Polling still does all
// of this without webhooks, only later.

export interface SyncWebhookDeps {
  config: Config;
  queue: Pick<JobQueue, 'enqueue' | 'list'>;
  /** An early CI-watcher pass over one sync PR, or every sync PR of the pipeline. Must return at once. */
  nudge(pipeline: string, pr?: number): void;
  log: Logger;
}

// Only the fields used, checked once here: a payload of another shape is logged and ignored.
const repository = z.object({ full_name: z.string() });
const closedPull = z.object({
  repository,
  pull_request: z.object({
    number: z.number().int().positive(),
    merged: z.boolean().nullish(),
    merge_commit_sha: z.string().nullish(),
    head: z.object({ ref: z.string(), repo: z.object({ full_name: z.string() }).nullish() }),
    base: z.object({ ref: z.string() }),
  }),
});
const push = z.object({ repository, ref: z.string(), after: z.string(), deleted: z.boolean().optional() });
const headBranch = z.object({ head_branch: z.string().nullish() });
const checkSuite = z.object({ repository, check_suite: headBranch });
const checkRun = z.object({ repository, check_run: z.object({ check_suite: headBranch.nullish() }) });
const workflowRun = z.object({ repository, workflow_run: headBranch });
const status = z.object({ repository, branches: z.array(z.object({ name: z.string() })).optional() });

const NO_COMMIT = /^0+$/;

function forksOf(config: Config, repo: string): ReleaseSyncConfig[] {
  return pipelinesOfKind(config, 'release-sync').filter((p) => p.fork.repo.toLowerCase() === repo.toLowerCase());
}

function parsed<T>(schema: z.ZodType<T>, event: { id: string; name: string; payload: unknown }, log: Logger): T | null {
  const result = schema.safeParse(event.payload);
  if (!result.success)
    log.warn(
      { deliveryId: event.id, event: event.name, issues: result.error.issues.slice(0, 3) },
      'webhook payload of an unexpected shape ignored',
    );
  return result.success ? result.data : null;
}

const webhookActor = (event: { id: string; name: string }): Actor => ({
  kind: 'webhook',
  id: 'github',
  via: `${event.name}:${event.id}`,
});

/** A sync PR closed: merged → learn from it; either way its card moves (merged / skipped) through the CI watcher. */
async function onPullClosed(
  deps: SyncWebhookDeps,
  event: { id: string; name: string; payload: unknown },
): Promise<void> {
  const body = parsed(closedPull, event, deps.log);
  if (!body) return;
  const pr = body.pull_request;
  for (const p of forksOf(deps.config, body.repository.full_name)) {
    const fromFork = pr.head.repo?.full_name.toLowerCase() === p.fork.repo.toLowerCase();
    if (pr.base.ref !== p.fork.productionBranch || !fromFork || !tagOfSyncBranch(p.syncBranch, pr.head.ref)) continue;
    if (pr.merged && pr.merge_commit_sha)
      await enqueueLearn(deps.queue, learnJobInput(p, pr.number, pr.merge_commit_sha, webhookActor(event)));
    deps.nudge(p.id, pr.number);
  }
}

/** Production moved: open sync PRs may conflict now (§33–34); the recheck job finds out. */
async function onPush(deps: SyncWebhookDeps, event: { id: string; name: string; payload: unknown }): Promise<void> {
  const body = parsed(push, event, deps.log);
  if (!body || body.deleted || NO_COMMIT.test(body.after)) return;
  for (const p of forksOf(deps.config, body.repository.full_name)) {
    if (body.ref === `refs/heads/${p.fork.productionBranch}`)
      await enqueueRecheck(deps.queue, recheckJobInput(p, body.after, webhookActor(event)));
  }
}

/** CI reported on a branch: when it may be a sync branch's head, the watcher looks now. */
function onCi(deps: SyncWebhookDeps, repo: string, branches: string[] | null): void {
  for (const p of forksOf(deps.config, repo)) {
    // No branch named (a status on a commit no branch points at): look anyway, it costs two reads per sync PR.
    if (branches === null || branches.some((b) => tagOfSyncBranch(p.syncBranch, b))) deps.nudge(p.id);
  }
}

export function registerSyncWebhooks(receiver: Pick<GitHubWebhookReceiver, 'on'>, deps: SyncWebhookDeps): void {
  receiver.on('pull_request.closed', (event) => onPullClosed(deps, event));
  receiver.on('push', (event) => onPush(deps, event));
  receiver.on('check_suite.completed', async (event) => {
    const body = parsed(checkSuite, event, deps.log);
    if (body)
      onCi(deps, body.repository.full_name, body.check_suite.head_branch ? [body.check_suite.head_branch] : null);
  });
  receiver.on('check_run.completed', async (event) => {
    const body = parsed(checkRun, event, deps.log);
    const branch = body?.check_run.check_suite?.head_branch;
    if (body) onCi(deps, body.repository.full_name, branch ? [branch] : null);
  });
  // An Actions run finished: its failed jobs are what the CI fixer reads.
  receiver.on('workflow_run.completed', async (event) => {
    const body = parsed(workflowRun, event, deps.log);
    const branch = body?.workflow_run.head_branch;
    if (body) onCi(deps, body.repository.full_name, branch ? [branch] : null);
  });
  receiver.on('status', async (event) => {
    const body = parsed(status, event, deps.log);
    if (body) onCi(deps, body.repository.full_name, body.branches?.map((b) => b.name) ?? null);
  });
}
