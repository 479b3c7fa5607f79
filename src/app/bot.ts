import { ledgerFollower } from '../workflows/ledger/ledger-gate.js';
import type { Logger } from 'pino';
import type { ReleaseSyncConfig } from '../config/schema.js';
import { pipelinesOfKind } from '../config/require-pipeline.js';
import { AppError } from '../errors.js';
import { App, SocketModeReceiver } from '@slack/bolt';
import { SyncScheduler } from '../jobs/scheduler.js';
import { budgetStatus, createScheduleRounds, roundListener } from './schedule-parts.js';
import { pollResolveRequests } from '../pipelines/release-sync/resolve-requests-poll.js';
import { startReminders } from '../slack/reminders.js';
import { scheduleAuditPrune } from '../workflows/audit/prune-audit-job.js';
import { planRelease } from '../workflows/release/release-plan.js';
import { dryRunSync } from '../pipelines/release-sync/sync-run.js';
import { CiWatcher } from '../pipelines/release-sync/ci-watcher.js';
import type { Bump } from '../slack/action-ids.js';
import { SlackApp, boltLogger, type BoltParts, type SlackAppOptions } from '../slack/app/slack-app.js';
import { socketShutdown, type SocketShutdown } from '../slack/app/socket-shutdown.js';
import { OutboxDispatcher } from '../slack/outbox/outbox-dispatcher.js';
import { StatusService } from '../slack/status/status-service.js';
import type { ReleasePreview } from '../slack/views/release-modal.js';
import { cardRenderer } from '../slack/views/sync-card.js';
import { SlackStartError } from '../slack/app/slack-start-error.js';
import { SlackIntake } from '../slack/app/slack-intake.js';
import { SocketWatchdog, settleReconnects } from '../slack/app/socket-watchdog.js';
import { TIMED_OUT, withDeadline } from '../deadline.js';
import { type SocketState } from '../web/health-signals.js';
import { outboxDepth } from '../adapters/store/outbox-depth.js';
import { leaderLock } from '../adapters/store/leader-lock.js';
import { presence } from '../adapters/store/presence.js';
import { SqliteDroppedPosts, describeDropped } from '../adapters/store/dropped-posts.js';
import type { Services } from './services.js';

export interface Bot {
  slack: SlackApp;
  dispatcher: OutboxDispatcher;
  scheduler: SyncScheduler;
  ciWatcher: CiWatcher;
  status: StatusService;
  /** Bounded: stops taking work, lets the running step finish (or gives up after stepMs), closes the socket. */
  stop(): Promise<void>;
}

export type BotOptions = Omit<SlackAppOptions, 'botToken' | 'appToken' | 'apiUrl'> & {
  dispatcherIdleMs?: number;
  /** Backoff of failed Slack calls (tests shorten it). */
  dispatcherBackoff?: { baseMs: number; maxMs: number };
  /** How often open sync PRs are read for CI and mergeability (default 60 s). */
  ciWatchIntervalMs?: number;
  /** How long connecting to Slack may take before start gives up (default 10 s). */
  connectMs?: number;
  /** A socket down this long with no reconnect attempt is started again (default 60 s). */
  socketStallMs?: number;
  /** How long stop waits for the running step, then the socket's close (default 20 s, 5 s). */
  stopBounds?: { stepMs?: number; socketMs?: number };
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

/** Bolt in Socket Mode with deferred initialisation: no network call until SlackApp.start(). */
function createBolt(log: Logger, options: SlackAppOptions): BoltParts & { shutdown: SocketShutdown } {
  const logger = boltLogger(log);
  const api = options.apiUrl ? { slackApiUrl: options.apiUrl } : {};
  // Reconnects must outlast an outage: when apps.connections.open runs out of retries the
  // socket client gives up for good (see sdk notes), so they are generous and capped.
  const reconnect = options.reconnectRetry ?? { retries: 10_000, factor: 2, minTimeout: 1_000, maxTimeout: 30_000 };
  const shutdown = socketShutdown();
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger,
    clientPingTimeout: options.clientPingTimeoutMs ?? 5_000,
    installerOptions: {
      clientOptions: { ...api, retryConfig: shutdown.retryConfig(reconnect), fetch: shutdown.fetch },
    },
  });
  // No conversation store: nothing reads it, and it costs every event a lookup.
  const app = new App({
    token: options.botToken,
    appToken: options.appToken,
    socketMode: true,
    receiver,
    logger,
    convoStore: false,
    deferInitialization: true,
    clientOptions: { ...api, retryConfig: { retries: 0 }, timeout: 10_000 },
  });
  return { app, receiver, shutdown };
}

/**
 * Connects to Slack first (both tokens checked), then starts the loops: a start that fails
 * leaves nothing running. Throws SlackStartError naming the token at fault.
 */
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
  const {
    dispatcherIdleMs,
    dispatcherBackoff,
    ciWatchIntervalMs,
    connectMs = 10_000,
    socketStallMs = 60_000,
    stopBounds = {},
    ...slackOptions
  } = options;
  const dropped = new SqliteDroppedPosts(store.db);
  const dispatcher = new OutboxDispatcher({
    store: outbox,
    dropped,
    cards: store.syncCards,
    messages: store.slackMessages,
    chat,
    log,
    clock,
    renderCard: cardRenderer([
      ...pipelinesOfKind(config, 'release-sync'),
      ...pipelinesOfKind(config, 'branch-sync'),
      ...pipelinesOfKind(config, 'mirror'),
    ]),
    ...(dispatcherIdleMs ? { idleMs: dispatcherIdleMs } : {}),
    ...(dispatcherBackoff ? { backoff: dispatcherBackoff } : {}),
    isLeader: leaderLock(store.db, 'slack-outbox'),
  });
  const rounds = createScheduleRounds(services, config);
  const scheduler = new SyncScheduler({
    config,
    queue: runner,
    scheduleState: store.scheduleState,
    clock,
    log: services.log.child({ component: 'scheduler' }),
    rounds,
    budget: () => services.budget?.snapshot() ?? null,
  });
  // Commands and clicks are written here before their ack: Slack never resends an acked request.
  const intake = new SlackIntake(
    store.db,
    clock,
    log.child({ component: 'slack-intake' }),
    presence(store.db, runner.owner),
  );
  intake.prune(new Date(clock.now().getTime() - 24 * 3600_000));
  const status = new StatusService({
    config,
    queue: runner,
    cards: store.syncCards,
    records: services.syncRecords,
    nextRun: (id) => scheduler.nextRun(id),
    now: () => clock.now(),
    storageFault: () => runner.storageFault(),
    budget: budgetStatus(services),
    droppedPosts: (pipeline) => dropped.list(pipeline),
  });
  const bolt = createBolt(log, {
    ...slackOptions,
    botToken: env.SLACK_BOT_TOKEN,
    appToken: env.SLACK_APP_TOKEN,
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
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
      ledgers: services.ledgers,
      intake,
      kindStatus: async (p) => {
        const kind = services.kinds.get(p.kind);
        const lines = kind
          ? kind.describeStatus(await kind.status(p.id))
          : [`${p.id}: this build cannot run ${p.kind} pipelines`];
        return [...lines, ...dropped.list(p.id).map((d) => `  slack: ${describeDropped(d)}`)];
      },
      log,
      observeAck: (type, seconds) => services.metrics.slackAckSeconds.observe({ type }, seconds),
    },
    bolt,
  );
  const { signals } = services;
  for (const state of ['connecting', 'connected', 'reconnecting', 'disconnected'] as const satisfies SocketState[])
    bolt.receiver.client.on(state, () => signals.socketChanged(state));
  signals.sources = {
    overdueSchedules: () => scheduler.overdue(5 * 60_000),
    outbox: () => {
      const depth = outboxDepth(store.db);
      return {
        pending: depth.pending,
        oldestPendingMs: depth.oldestPendingAt ? clock.now().getTime() - Date.parse(depth.oldestPendingAt) : null,
      };
    },
  };
  const ciWatcher = new CiWatcher({
    config,
    github: services.github,
    cards: store.syncCards,
    notifier,
    log,
    queue: runner,
    closures: services.syncRecords,
    // Syncs another process ran (a CLI `sync`) get their card from the durable run record.
    runs: services.syncRecords,
    jobs: runner,
    ledgerFollow: ledgerFollower({ ...services, notifier, cards: store.syncCards }),
    ...(ciWatchIntervalMs ? { intervalMs: ciWatchIntervalMs } : {}),
  });

  const reconnects = settleReconnects(bolt.receiver.client, log, bolt.shutdown);
  try {
    const connected = await withDeadline(slack.start(), connectMs);
    if (connected === TIMED_OUT)
      throw new SlackStartError('SLACK_APP_TOKEN', new Error(`no Socket Mode connection within ${connectMs} ms`));
  } catch (err) {
    await slack.stop(stopBounds.socketMs ?? 5_000);
    intake.close();
    throw err;
  }
  reconnects.connected();
  // Requests acked just before a crash: carried out now, or answered when too old.
  await slack.resume(clock.now());
  const watchdog = new SocketWatchdog(bolt.receiver.client, log, socketStallMs);
  watchdog.start();
  const unsubscribe = [
    notifier.onQueued(() => dispatcher.wake()),
    runner.onChange((job) => notifier.jobChanged(job)),
    runner.onChange(roundListener(rounds)),
  ];
  dispatcher.start();
  runner.start();
  await scheduler.start();
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
      // Listeners first (nothing enqueues into a stopped runner), then what takes work, then the
      // running jobs (back to the queue, leases released), then whatever is left to send.
      watchdog.stop();
      await slack.stop(stopBounds.socketMs ?? 5_000);
      intake.close();
      // A pass in progress may be waiting on GitHub (timeouts and retries of its own): not for long.
      if ((await withDeadline(ciWatcher.stop(), stopBounds.socketMs ?? 5_000)) === TIMED_OUT)
        log.warn('the CI watcher was still reading GitHub; stopping without waiting for it');
      stopAuditPrune();
      clearInterval(pollResolve);
      stopReminders();
      await scheduler.stop();
      if ((await withDeadline(runner.stop(), stopBounds.stepMs ?? 20_000)) === TIMED_OUT)
        log.warn('a running step did not finish in time; its lease runs out and it resumes on the next start');
      // The call in flight (Slack slow or down) is aborted: the loop ends now, its row stays queued.
      const dispatched = dispatcher.stop();
      chat.close?.();
      await withDeadline(dispatched, stopBounds.socketMs ?? 5_000);
      for (const off of unsubscribe) off();
    },
  };
}
