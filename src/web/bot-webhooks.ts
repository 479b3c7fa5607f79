import type { Services } from '../main.js';
import { registerChangelogWebhooks } from '../workflows/release/release-changelog.js';
import type { CiWatcher } from '../pipelines/release-sync/ci-watcher.js';
import { createGitHubWebhooks, type GitHubWebhookReceiver } from './github-webhooks.js';
import type { Metrics } from './metrics.js';
import { registerResolveRequestWebhooks } from './resolve-request-webhooks.js';
import { registerSyncWebhooks } from './sync-webhooks.js';

// The GitHub webhook receiver of `upstream-sync start`, on the bot's web server. Only with
// GITHUB_WEBHOOK_SECRET: an unsigned endpoint would let anyone enqueue work, and without webhooks
// the CI watcher's polling and the weekly sync still do everything, just later.

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

const DELIVERY_MEMORY_MS = 30 * 24 * 3600 * 1000;

export function botWebhooks(
  services: Pick<Services, 'config' | 'env' | 'log' | 'runner' | 'store' | 'clock'>,
  watcher: Pick<CiWatcher, 'checkSoon'>,
  metrics: Metrics,
): GitHubWebhookReceiver | null {
  const secret = services.env.GITHUB_WEBHOOK_SECRET;
  if (!secret) return null;
  const log = services.log.child({ component: 'webhooks' });
  // SQLite remembers delivery ids, so a redelivery after a restart is still recognised. GitHub
  // redelivers for a few days at most; a month of ids is plenty and keeps the table small.
  services.store.webhookDeliveries.prune(new Date(services.clock.now().getTime() - DELIVERY_MEMORY_MS));
  const receiver = createGitHubWebhooks({
    secret,
    deliveries: services.store.webhookDeliveries,
    log,
    metrics,
    path: GITHUB_WEBHOOK_PATH,
  });
  registerChangelogWebhooks(receiver, services.runner, services.config);
  registerSyncWebhooks(receiver, {
    config: services.config,
    queue: services.runner,
    nudge: (pipeline, pr) => watcher.checkSoon(pipeline, pr),
    log,
  });
  registerResolveRequestWebhooks(receiver, {
    config: services.config,
    queue: services.runner,
    audit: services.store.audit,
    log,
    seen: services.store.webhookDeliveries,
  });
  return receiver;
}
