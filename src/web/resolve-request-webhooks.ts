import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config, ReleaseSyncConfig } from '../config/schema.js';
import { pipelinesOfKind } from '../config/require-pipeline.js';
import { checkActor, resolveAllowList } from '../core/resolve/gate.js';
import { tagOfSyncBranch } from '../core/sync/sync-branch.js';
import type { JobQueue } from '../ports/jobs.js';
import type { Actor, AuditLog } from '../ports.js';
import { resolveJobInput } from '../jobs/job-kinds.js';
import type { GitHubWebhookReceiver } from './github-webhooks.js';

// `resolve` asked for from GitHub: a `/upstream-sync resolve` comment on a sync PR, or the
// `upstream-sync:resolve` label put on one, by a login listed as `github:<login>` in the resolve
// allow-list. The actor is the GitHub user; the job's gate checks the PR and audits it again.

export const RESOLVE_COMMAND = '/upstream-sync resolve';
export const RESOLVE_LABEL = 'upstream-sync:resolve';

export interface ResolveRequestDeps {
  config: Config;
  queue: Pick<JobQueue, 'enqueue'>;
  audit: Pick<AuditLog, 'record'>;
  log: Logger;
  /** Remembers handled comments, so the webhook and the poller act on each comment once. */
  seen?: { recordOnce(id: string, event: string): boolean };
}

/** The key one comment is handled under, by the webhook or the poller, whichever comes first. */
export function commentKey(repo: string, commentId: number): string {
  return `resolve-comment:${repo.toLowerCase()}#${commentId}`;
}

const login = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/);
const repository = z.object({ full_name: z.string() });
const comment = z.object({
  repository,
  issue: z.object({ number: z.number().int().positive(), pull_request: z.object({}).passthrough().nullish() }),
  comment: z.object({
    id: z.number().int().positive().optional(),
    body: z.string().max(65_536),
    user: z.object({ login, type: z.string().optional() }),
  }),
});
const labeled = z.object({
  repository,
  label: z.object({ name: z.string() }).nullish(),
  sender: z.object({ login, type: z.string().optional() }),
  pull_request: z.object({
    number: z.number().int().positive(),
    head: z.object({ ref: z.string() }),
    base: z.object({ ref: z.string() }),
  }),
});

function forksOf(config: Config, repo: string): ReleaseSyncConfig[] {
  return pipelinesOfKind(config, 'release-sync').filter((p) => p.fork.repo.toLowerCase() === repo.toLowerCase());
}

export async function request(deps: ResolveRequestDeps, p: ReleaseSyncConfig, pr: number, actor: Actor): Promise<void> {
  const verdict = checkActor(actor, resolveAllowList(p, deps.config.access.resolve));
  const target = `pr:${p.fork.repo}#${pr}`;
  if (!verdict?.ok) {
    const reason = verdict && !verdict.ok ? verdict.reason : 'not a GitHub user';
    deps.audit.record({ actor, action: 'resolve', pipeline: p.id, target, outcome: 'refused', details: { reason } });
    deps.log.info({ pipeline: p.id, pr, login: actor.id }, 'resolve from GitHub refused');
    return;
  }
  await deps.queue.enqueue(resolveJobInput(p, pr, actor));
}

/** The comment's first line is the command; anything after it is free text for people. */
export function isResolveCommand(body: string): boolean {
  return body.trim().split('\n')[0]?.trim().toLowerCase() === RESOLVE_COMMAND;
}

export function registerResolveRequestWebhooks(
  receiver: Pick<GitHubWebhookReceiver, 'on'>,
  deps: ResolveRequestDeps,
): void {
  receiver.on('issue_comment.created', async (event) => {
    const body = comment.safeParse(event.payload);
    if (!body.success || !body.data.issue.pull_request || !isResolveCommand(body.data.comment.body)) return;
    // The bot's own comments quote commands in their help text; bots never trigger it.
    if (body.data.comment.user.type === 'Bot') return;
    const repo = body.data.repository.full_name;
    const id = body.data.comment.id;
    if (id !== undefined && deps.seen && !deps.seen.recordOnce(commentKey(repo, id), 'issue_comment')) return;
    const actor: Actor = { kind: 'github', id: body.data.comment.user.login, via: `${event.name}:${event.id}` };
    for (const p of forksOf(deps.config, repo)) await request(deps, p, body.data.issue.number, actor);
  });
  receiver.on('pull_request.labeled', async (event) => {
    const body = labeled.safeParse(event.payload);
    if (!body.success || body.data.label?.name !== RESOLVE_LABEL || body.data.sender.type === 'Bot') return;
    const pr = body.data.pull_request;
    const actor: Actor = { kind: 'github', id: body.data.sender.login, via: `${event.name}:${event.id}` };
    for (const p of forksOf(deps.config, body.data.repository.full_name)) {
      if (pr.base.ref !== p.fork.productionBranch || !tagOfSyncBranch(p.syncBranch, pr.head.ref)) continue;
      await request(deps, p, pr.number, actor);
    }
  });
}
