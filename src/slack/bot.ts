import type { ReleaseSyncConfig } from '../config/schema.js';
import { pollResolveRequests } from '../pipelines/release-sync/resolve-requests-poll.js';
import { startReminders } from './reminders.js';
import { pipelinesOfKind } from '../config/require-pipeline.js';
import { AppError } from '../errors.js';
import { SyncScheduler } from '../jobs/scheduler.js';
import { scheduleAuditPrune } from '../workflows/audit/prune-audit-job.js';
import { planRelease } from '../workflows/release/release-plan.js';
import { dryRunSync } from '../pipelines/release-sync/sync-run.js';
import type { Services } from '../main.js';
import type { Bump } from './action-ids.js';
import { SlackApp, type SlackAppOptions } from './app/slack-app.js';
import { CiWatcher } from '../pipelines/release-sync/ci-watcher.js';
import { OutboxDispatcher } from './outbox/outbox-dispatcher.js';
import { StatusService } from './status/status-service.js';
import type { ReleasePreview } from './views/release-modal.js';
import { cardRenderer } from './views/sync-card.js';

// `upstream-sync start`: on top of main.ts's services, the long-running parts: the Bolt app, the
// outbox dispatcher, the scheduler and the job runner. Stopping takes them down in the reverse
// order, so no listener enqueues into a stopped runner.

export interface Bot {
  slack: SlackApp;
  dispatcher: OutboxDispatcher;
  scheduler: SyncScheduler;
  ciWatcher: CiWatcher;
  status: StatusService;
  stop(): Promise<void>;
}

export type BotOptions = Omit<SlackAppOptions, 'botToken' | 'appToken' | 'apiUrl'> & {
  dispatcherIdleMs?: number;
  /** Backoff of failed Slack calls (tests shorten it). */
  dispatcherBackoff?: { baseMs: number; maxMs: number };
  /** How often open sync PRs are read for CI and mergeability (default 60 s). */
  ciWatchIntervalMs?: number;
};

async function releasePreview(services: Services, p: ReleaseSyncConfig, bump: Bump): Promise<ReleasePreview> {
  const result = await planRelease(services, { pipeline: p.id, bump });
  if (result.kind === 'released')
    throw new AppError(
      'conflict',
      `${p.fork.productionBranch} is already released as ${result.tag}; merge something first`,
    );
  const plan = result.plan;
  return {
    pipeline: p.id,
    bump,
    nextTag: plan.tag,
    previousTag: plan.previous?.tag ?? null,
    upstream: plan.upstream,
    commitCount: plan.commitCount,
    notes: plan.notes,
    warnings: plan.warnings,
  };
}

export async function startBot(services: Services, options: BotOptions = {}): Promise<Bot> {
  const { config, env, runner, store, clock } = services;
  const { chat, authorizer, outbox, notifier } = services.slack;
  if (!chat || !authorizer || !env.SLACK_BOT_TOKEN || !env.SLACK_APP_TOKEN) {
    throw new AppError(
      'config_invalid',
      'SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…) must be set to start the bot',
    );
  }
  const log = services.log.child({ component: 'slack' });
  const { dispatcherIdleMs: _idle, dispatcherBackoff: _backoff, ciWatchIntervalMs, ...slackOptions } = options;
  const dispatcher = new OutboxDispatcher({
    store: outbox,
    cards: store.syncCards,
    messages: store.slackMessages,
    chat,
    log,
    clock,
    renderCard: cardRenderer(pipelinesOfKind(config, 'release-sync')),
    ...(options.dispatcherIdleMs ? { idleMs: options.dispatcherIdleMs } : {}),
    ...(options.dispatcherBackoff ? { backoff: options.dispatcherBackoff } : {}),
  });
  const scheduler = new SyncScheduler({
    config,
    queue: runner,
    scheduleState: store.scheduleState,
    clock,
    log: services.log.child({ component: 'scheduler' }),
  });
  const status = new StatusService({
    config,
    queue: runner,
    cards: store.syncCards,
    records: services.syncRecords,
    nextRun: (id) => scheduler.nextRun(id),
    now: () => clock.now(),
  });
  const slack = new SlackApp(
    {
      config,
      queue: runner,
      chat,
      authorizer,
      audit: store.audit,
      cards: store.syncCards,
      messages: store.slackMessages,
      status,
      records: services.syncRecords,
      notifier,
      planRelease: (p, bump) => releasePreview(services, p, bump),
      check: (p, by) => dryRunSync(services, p.id, log, by),
      hunks: services.resolver,
      kindStatus: async (p) => {
        const kind = services.kinds.get(p.kind);
        return kind
          ? kind.describeStatus(await kind.status(p.id))
          : [`${p.id}: this build cannot run ${p.kind} pipelines`];
      },
      log,
    },
    {
      ...slackOptions,
      botToken: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
    },
  );
  const ciWatcher = new CiWatcher({
    config,
    github: services.github,
    cards: store.syncCards,
    notifier,
    log,
    queue: runner,
    closures: services.syncRecords,
    ...(ciWatchIntervalMs ? { intervalMs: ciWatchIntervalMs } : {}),
  });
  const unsubscribe = [notifier.onQueued(() => dispatcher.wake()), runner.onChange((job) => notifier.jobChanged(job))];

  dispatcher.start();
  runner.start();
  await scheduler.start();
  await slack.start();
  ciWatcher.start();
  const pollResolve = setInterval(
    () =>
      void pollResolveRequests({
        config,
        queue: runner,
        audit: store.audit,
        log,
        github: services.github,
        cards: store.syncCards,
        seen: store.webhookDeliveries,
        now: () => clock.now(),
      }).catch((err: unknown) => log.warn({ err }, 'polling resolve requests failed')),
    5 * 60_000,
  );
  pollResolve.unref();
  const stopReminders = startReminders({
    config,
    cards: store.syncCards,
    notifier,
    clock,
    log: log.child({ component: 'reminders' }),
  });
  const stopAuditPrune = scheduleAuditPrune(runner, log);
  log.info({ pipelines: config.pipelines.map((p) => p.id) }, 'bot started');
  return {
    slack,
    dispatcher,
    scheduler,
    ciWatcher,
    status,
    stop: async () => {
      await slack.stop();
      await ciWatcher.stop();
      stopAuditPrune();
      await scheduler.stop();
      await runner.stop();
      await dispatcher.stop();
      stopReminders();
      clearInterval(pollResolve);
      for (const off of unsubscribe) off();
    },
  };
}
