import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { JobQueue } from '../ports/jobs.js';
import { registerChangelogWebhooks } from '../workflows/release/release-changelog.js';
import type { CiWatcher } from '../pipelines/release-sync/ci-watcher.js';
import type { GitHubWebhookReceiver } from './github-webhooks.js';
import { registerResolveRequestWebhooks } from './resolve-request-webhooks.js';
import { registerSyncWebhooks } from './sync-webhooks.js';

// What the GitHub webhook receiver of `upstream-sync start` does with deliveries (the receiver is
// built in main.ts, only with GITHUB_WEBHOOK_SECRET: an unsigned endpoint would let anyone
// enqueue work, and without webhooks the CI watcher's polling and the weekly sync still do
// everything, just later).

export const GITHUB_WEBHOOK_PATH = '/webhooks/github';

/** Events the GitHub webhook must send; anything else is acknowledged and ignored. */
export const GITHUB_WEBHOOK_EVENTS = [
  'pull_request',
  'push',
  'check_suite',
  'check_run',
  'status',
  'release',
  'issue_comment',
] as const;

/** GitHub redelivers for a few days at most; a month of delivery ids is plenty and keeps the table small. */
export const DELIVERY_MEMORY_MS = 30 * 24 * 3600 * 1000;

export function registerBotWebhooks(
  receiver: GitHubWebhookReceiver,
  deps: {
    config: Config;
    queue: JobQueue;
    log: Logger;
    watcher: Pick<CiWatcher, 'checkSoon'>;
    audit: Parameters<typeof registerResolveRequestWebhooks>[1]['audit'];
    seen: Parameters<typeof registerResolveRequestWebhooks>[1]['seen'];
  },
): void {
  registerChangelogWebhooks(receiver, deps.queue, deps.config);
  registerSyncWebhooks(receiver, {
    config: deps.config,
    queue: deps.queue,
    nudge: (pipeline, pr) => deps.watcher.checkSoon(pipeline, pr),
    log: deps.log,
  });
  registerResolveRequestWebhooks(receiver, {
    config: deps.config,
    queue: deps.queue,
    audit: deps.audit,
    log: deps.log,
    seen: deps.seen,
  });
}
