import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config, ReleaseSyncConfig } from './config/schema.js';
import { pipelinesOfKind } from './config/require-pipeline.js';
import type { Env } from './config/env.js';
import { SECRET_ENV } from './config/env.js';
import { AppError, errorMessage, isAppError } from './errors.js';
import { readFileSync } from 'node:fs';
import { appCredentials, staticToken, type GitHubCredentials } from './adapters/github/github-credentials.js';
import {
  silentNotifier,
  systemClock,
  type Clock,
  type GitHubPort,
  type GitPort,
  type LlmPort,
  type SyncNotifier,
  type SyncRecords,
} from './ports.js';
import { registerSecrets } from './redact.js';
import { probeDataDir } from './adapters/store/data-dir-problem.js';
import { openStore, type Store } from './adapters/store/open-store.js';
import { GitCache } from './adapters/git/git-cache.js';
import { readOnlyGit } from './adapters/git/read-only-git.js';
import { createGitHubAdapter } from './adapters/github/github-adapter.js';
import type { GitHubClientTuning } from './adapters/github/github-client.js';
import { readOnlyGitHub } from './adapters/github/read-only-github.js';
import { JobRunner } from './jobs/runner.js';
import { SqliteSyncRecords } from './adapters/store/sync-store.js';
import { SqliteLedgerRecords } from './adapters/store/ledger-store.js';
import type { LedgerRecords } from './ports/ledger-records.js';
import { registerSyncJob } from './pipelines/release-sync/sync.js';
import { registerReleaseJob } from './workflows/release/release.js';
import { changelogJob } from './workflows/release/release-changelog.js';
import { registerResolveJob } from './workflows/resolve/resolve.js';
import { allowSlackWith } from './workflows/resolve/resolve-gate.js';
import { SqliteResolverStore } from './adapters/store/resolver-store.js';
import { createAnthropicLlm } from './adapters/llm/anthropic-llm.js';
import type { SlackServices } from './slack/slack-services.js';
import { WebChat, type WebChatOptions } from './slack/web-chat.js';
import { Authorizer } from './slack/authorizer.js';
import { OutboxStore } from './slack/outbox/outbox-store.js';
import { SlackNotifier } from './slack/slack-notifier.js';
import { pruneAuditJob } from './workflows/audit/prune-audit-job.js';
import { registerMergeJob, registerRefreshStatusJob, registerSkipJob } from './pipelines/release-sync/register.js';
import { learnJob } from './workflows/resolve/learn-job.js';
import type { KindModules, PipelineKindModule } from './pipelines/pipeline-kind.js';
import { dispatchKind } from './pipelines/dispatch/dispatch-kind.js';
import { SqliteDispatchRecords } from './adapters/store/dispatch-store.js';
import { recheckJob } from './pipelines/release-sync/recheck-job.js';
import { branchSyncKind } from './pipelines/branch-sync/branch-sync-kind.js';
import { App, SocketModeReceiver } from '@slack/bolt';
import { SyncScheduler } from './jobs/scheduler.js';
import { pollResolveRequests } from './pipelines/release-sync/resolve-requests-poll.js';
import { startReminders } from './slack/reminders.js';
import { scheduleAuditPrune } from './workflows/audit/prune-audit-job.js';
import { planRelease } from './workflows/release/release-plan.js';
import { dryRunSync } from './pipelines/release-sync/sync-run.js';
import { CiWatcher } from './pipelines/release-sync/ci-watcher.js';
import type { Bump } from './slack/action-ids.js';
import { SlackApp, boltLogger, type SlackAppOptions } from './slack/app/slack-app.js';
import { OutboxDispatcher } from './slack/outbox/outbox-dispatcher.js';
import { StatusService } from './slack/status/status-service.js';
import type { ReleasePreview } from './slack/views/release-modal.js';
import { cardRenderer } from './slack/views/sync-card.js';
import { SlackStartError } from './slack/app/slack-start-error.js';
import { SlackIntake } from './slack/app/slack-intake.js';
import { SocketWatchdog, settleReconnects } from './slack/app/socket-watchdog.js';
import { TIMED_OUT, withDeadline } from './deadline.js';
import { createMetrics, type Metrics } from './web/metrics.js';
import { startWebServer, type WebServer } from './web/server.js';
import { createGitHubWebhooks } from './web/github-webhooks.js';
import { DELIVERY_MEMORY_MS, GITHUB_WEBHOOK_PATH, registerBotWebhooks } from './web/bot-webhooks.js';
import { pipelineRepos, type GitHubProbe } from './preflight/github-checks.js';
import { HealthSignals, type HealthSignalsOptions, type SocketState } from './web/health-signals.js';
import { Liveness } from './web/liveness.js';
import { githubObserver, instrumentLlm, jobObserver, slackObserver, stepObserver } from './web/instrument.js';
import { outboxDepth } from './adapters/store/outbox-depth.js';
import type { SlackProbe } from './preflight/slack-checks.js';
import { mirrorKind } from './pipelines/mirror/mirror-kind.js';
import { registerMirrorRollbackJob } from './pipelines/mirror/mirror-rollback-job.js';

// The composition root: the only place real clients, loops and servers are built (the services
// every command shares, then for `start` the Bolt app, outbox dispatcher, scheduler, CI watcher,
// web server and webhooks). Everything else receives narrow dependencies. Other modules extend
// Services and createServices surgically: add a field, build it below from what is already here,
// register job handlers in registerJobs.

export interface ServicesInput {
  config: Config;
  env: Env;
  logger: Logger;
  clock?: Clock;
  /** --dry-run: GitHub refuses every mutating call before a request is made, git never pushes. */
  dryRun?: boolean;
  /** Tests and benchmarks may hand in a port instead (e.g. one that counts requests). */
  github?: GitHubPort;
  notifier?: SyncNotifier;
  /** Runner tuning: the CLI uses a short lease so a killed run is taken over quickly. */
  runner?: { pollMs?: number; leaseMs?: number; owner?: string; backoff?: { baseMs: number; maxMs: number } };
  /** Register only these job kinds (the CLI runs syncs, not the resolver); default: all. */
  jobKinds?: readonly string[];
  /** `start` hands in the registry /metrics serves; other processes get one nobody reads. */
  metrics?: Metrics;
  /** GitHub client tuning (`status` asks once, briefly: it answers from SQLite when GitHub does not). */
  githubTuning?: Partial<GitHubClientTuning>;
  /** CLI progress: told when each job step starts and ends. */
  progress?: (step: { kind: string; name: string; seconds?: number; ok?: boolean }) => void;
  /** The clock GitHub App installation tokens expire by (tests move it; default Date.now). */
  githubTokenNow?: () => number;
  /** Readiness tuning: grace of a reconnecting socket, the clock (tests). */
  health?: HealthSignalsOptions;
  /**
   * How long a database call may wait for another process's write lock (better-sqlite3 waits
   * synchronously, blocking the event loop). `start` keeps it short: Slack acks must not wait.
   */
  busyTimeoutMs?: number;
}

export interface Services {
  config: Config;
  env: Env;
  log: Logger;
  clock: Clock;
  dataDir: string;
  dryRun: boolean;
  store: Store;
  github: GitHubPort;
  git: GitPort & { readonly stats: { calls: number } };
  runner: JobRunner;
  notifier: SyncNotifier;
  /** Sync bookkeeping in SQLite: skip list, synced tags, runs, status facts (migration 002). */
  syncRecords: SyncRecords;
  /** Fork-patch ledgers per sync and accepted drops (migration 020). */
  ledgers: LedgerRecords;
  /** Slack Web API client, authorizer, outbox and card notifier (src/slack). */
  slack: SlackServices;
  /** Resolution memory, decision log, people's choices and attempts of the conflict resolver (migration 003). */
  resolver: SqliteResolverStore;
  /** The Anthropic port; null when ANTHROPIC_API_KEY is not set (hunks then go to people). */
  llm: LlmPort | null;
  /** Checks Slack people against the allow-lists (the release job uses it too); null without Slack. */
  authorizer: SlackServices['authorizer'];
  /** Prometheus metrics every part reports into (served by `start` on /metrics). */
  metrics: Metrics;
  /** What /readyz answers from (socket state, GitHub answers, not_in_channel, …). */
  signals: HealthSignals;
  /** The pipeline kinds other than release-sync, by kind (src/pipelines/<kind>/). */
  kinds: KindModules;
  /** HTTP requests made to GitHub so far (benchmarks); null when the port does not count. */
  githubRequests(): number | null;
  close(): Promise<void>;
}

export function createServices(input: ServicesInput): Services {
  const { config, env, logger } = input;
  registerSecrets(SECRET_ENV.map((name) => env[name]));
  const clock = input.clock ?? systemClock;
  const dataDir = env.UPSTREAM_SYNC_DATA_DIR;
  const dryRun = input.dryRun ?? false;

  const store = openStore(dataDir, {
    clock,
    ...(input.busyTimeoutMs !== undefined ? { busyTimeoutMs: input.busyTimeoutMs } : {}),
  });
  const metrics = input.metrics ?? createMetrics({ defaultMetrics: false });
  metrics.readOutbox.current = () => outboxDepth(store.db);
  const signals = new HealthSignals(input.health);
  let counted: { requests: number } | null = null;
  let github = input.github;
  const credentials = githubCredentials(env, config, input.githubTokenNow);
  if (!github) {
    if (!credentials)
      throw new AppError(
        'config_invalid',
        'GITHUB_TOKEN is not set (nor GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY): the bot needs GitHub credentials to read releases and open pull requests',
      );
    const adapter = createGitHubAdapter({
      token: env.GITHUB_TOKEN && !env.GITHUB_APP_ID ? env.GITHUB_TOKEN : () => credentials.token(),
      baseUrl: env.GITHUB_API_URL,
      log: logger.child({ component: 'github' }),
      onResponse: githubObserver(metrics, signals),
      ...(input.githubTuning ? { tuning: input.githubTuning } : {}),
    });
    counted = adapter;
    github = adapter;
  }
  if (dryRun) github = readOnlyGitHub(github);

  const cache = new GitCache({
    dataDir,
    logger: logger.child({ component: 'git' }),
    // Asked before every fetch and push: an App's installation token is replaced before it expires.
    token: credentials ? () => credentials.token() : undefined,
  });
  const git = dryRun ? readOnlyGit(cache) : cache;
  const runner = new JobRunner({
    store: store.jobs,
    log: logger.child({ component: 'runner' }),
    clock,
    audit: store.audit,
    onStep: (step) => {
      stepObserver(metrics)(step);
      input.progress?.(step);
    },
    ...(input.progress ? { onStepStart: input.progress } : {}),
    storageProbe: () => probeDataDir(dataDir),
    storageLabel: `the data directory ${dataDir}`,
    ...(input.runner ?? {}),
  });
  const offJobs = runner.onChange(jobObserver(metrics, () => clock.now()));
  const slackLog = logger.child({ component: 'slack' });
  const slack = createSlackParts({
    config,
    env,
    store,
    log: slackLog,
    clock,
    onCall: slackObserver(metrics, signals, slackLog),
  });
  const llm = env.ANTHROPIC_API_KEY ? createAnthropicLlm(config.llm, env, logger.child({ component: 'llm' })) : null;
  const services: Services = {
    config,
    env,
    log: logger,
    clock,
    dataDir,
    dryRun,
    store,
    github,
    git,
    runner,
    notifier: input.notifier ?? (slack.chat ? slack.notifier : silentNotifier),
    slack,
    authorizer: slack.authorizer,
    syncRecords: new SqliteSyncRecords(store.db, clock),
    ledgers: new SqliteLedgerRecords(store.db, clock),
    resolver: new SqliteResolverStore(store.db, clock),
    llm: llm ? instrumentLlm(llm, metrics) : null,
    metrics,
    signals,
    kinds: new Map(),
    githubRequests: () => (counted ? counted.requests : null),
    close: async () => {
      await runner.stop();
      offJobs();
      metrics.readOutbox.current = null;
      store.close();
    },
  };
  services.kinds = new Map(KIND_MODULES.map((build) => build(services)).map((m) => [m.kind, m]));
  registerJobs(services, input.jobKinds);
  return services;
}

/** Every pipeline kind besides release-sync: one line per kind (its folder is src/pipelines/<kind>/). */
const KIND_MODULES: Array<(services: Services) => PipelineKindModule> = [
  branchSyncKind as (services: Services) => PipelineKindModule,
  mirrorKind as (services: Services) => PipelineKindModule,
  (services) =>
    dispatchKind({ ...services, dispatchRecords: new SqliteDispatchRecords(services.store.db, services.clock) }),
];

/** Every job kind this process can run: one line per workflow. */
const JOB_REGISTRARS: Record<string, (services: Services) => void> = {
  sync: (services) => registerSyncJob(services.runner, services, services.kinds),
  release: (services) => registerReleaseJob(services.runner, services),
  changelog: (services) => services.runner.register(changelogJob(services)),
  resolve: (services) =>
    registerResolveJob(services.runner, {
      ...services,
      audit: services.store.audit,
      allowSlack: allowSlackWith(services.authorizer, services.config),
    }),
  learn: (services) => services.runner.register(learnJob(services)),
  recheck: (services) => services.runner.register(recheckJob(services)),
  merge: registerMergeJob,
  skip: registerSkipJob,
  'refresh-status': registerRefreshStatusJob,
  'prune-audit': (services) =>
    services.runner.register(pruneAuditJob({ ...services, audit: services.store.audit, log: services.log })),
  'mirror-rollback': registerMirrorRollbackJob,
};

export function registerJobs(services: Services, kinds?: readonly string[]): void {
  for (const [kind, register] of Object.entries(JOB_REGISTRARS)) {
    if (!kinds || kinds.includes(kind)) register(services);
  }
}

/** Where a repository's git cache lives (for people reading logs and docs). */
export function cachePath(dataDir: string, repo: string): string {
  return join(dataDir, 'git', `${repo}.git`);
}

/**
 * The Slack parts every process shares: the Web API client, the authorizer (the release job checks
 * Slack people with it too) and the notifier that writes cards to the outbox. Any process with
 * SLACK_BOT_TOKEN records cards, a CLI `sync` included; the process running `start` sends them.
 */
function createSlackParts(input: {
  config: Config;
  env: Env;
  store: Store;
  log: Logger;
  clock: Clock;
  onCall: WebChatOptions['onCall'];
}): SlackServices {
  const { config, env, store, log, clock } = input;
  const chat = env.SLACK_BOT_TOKEN
    ? new WebChat({
        token: env.SLACK_BOT_TOKEN,
        ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
        log,
        onCall: input.onCall,
      })
    : null;
  const outbox = new OutboxStore(store.db);
  return {
    chat,
    authorizer: chat ? new Authorizer(config, (group) => chat.usergroupMembers(group), clock) : null,
    outbox,
    notifier: new SlackNotifier({ config, cards: store.syncCards, outbox, log, clock }),
  };
}

// ---- `start`: the long-running parts --------------------------------------------------------

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
function createBolt(log: Logger, options: SlackAppOptions): { app: App; receiver: SocketModeReceiver } {
  const logger = boltLogger(log);
  const api = options.apiUrl ? { slackApiUrl: options.apiUrl } : {};
  // Reconnects must outlast an outage: when apps.connections.open runs out of retries the
  // socket client gives up for good (see sdk notes), so they are generous and capped.
  const reconnect = options.reconnectRetry ?? { retries: 10_000, factor: 2, minTimeout: 1_000, maxTimeout: 30_000 };
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger,
    clientPingTimeout: options.clientPingTimeoutMs ?? 5_000,
    installerOptions: { clientOptions: { ...api, retryConfig: reconnect } },
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
  return { app, receiver };
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
  const dispatcher = new OutboxDispatcher({
    store: outbox,
    cards: store.syncCards,
    messages: store.slackMessages,
    chat,
    log,
    clock,
    renderCard: cardRenderer([...pipelinesOfKind(config, 'release-sync'), ...pipelinesOfKind(config, 'branch-sync')]),
    ...(dispatcherIdleMs ? { idleMs: dispatcherIdleMs } : {}),
    ...(dispatcherBackoff ? { backoff: dispatcherBackoff } : {}),
  });
  const scheduler = new SyncScheduler({
    config,
    queue: runner,
    scheduleState: store.scheduleState,
    clock,
    log: services.log.child({ component: 'scheduler' }),
  });
  // Commands and clicks are written here before their ack: Slack never resends an acked request.
  const intake = new SlackIntake(store.db, clock, log.child({ component: 'slack-intake' }));
  intake.prune(new Date(clock.now().getTime() - 24 * 3600_000));
  const status = new StatusService({
    config,
    queue: runner,
    cards: store.syncCards,
    records: services.syncRecords,
    nextRun: (id) => scheduler.nextRun(id),
    now: () => clock.now(),
    storageFault: () => runner.storageFault(),
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
      intake,
      kindStatus: async (p) => {
        const kind = services.kinds.get(p.kind);
        return kind
          ? kind.describeStatus(await kind.status(p.id))
          : [`${p.id}: this build cannot run ${p.kind} pipelines`];
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
    ...(ciWatchIntervalMs ? { intervalMs: ciWatchIntervalMs } : {}),
  });

  const reconnects = settleReconnects(bolt.receiver.client, log);
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
  const unsubscribe = [notifier.onQueued(() => dispatcher.wake()), runner.onChange((job) => notifier.jobChanged(job))];
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
      await ciWatcher.stop();
      stopAuditPrune();
      clearInterval(pollResolve);
      stopReminders();
      await scheduler.stop();
      if ((await withDeadline(runner.stop(), stopBounds.stepMs ?? 20_000)) === TIMED_OUT)
        log.warn('a running step did not finish in time; its lease runs out and it resumes on the next start');
      await withDeadline(dispatcher.stop(), stopBounds.socketMs ?? 5_000);
      for (const off of unsubscribe) off();
    },
  };
}

export interface RunningApp {
  services: Services;
  bot: Bot;
  web: WebServer;
  metrics: Metrics;
  stop(): Promise<void>;
}

/**
 * `upstream-sync start`: services, the bot, and the web server (/healthz, /readyz, /metrics, and
 * with GITHUB_WEBHOOK_SECRET the webhook receiver). Whatever fails closes what was opened.
 */
export async function startApp(input: ServicesInput & { bot?: BotOptions }): Promise<RunningApp> {
  const metrics = input.metrics ?? createMetrics();
  const services = createServices({ ...input, metrics });
  const opened: Array<() => Promise<void>> = [() => services.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of opened.reverse()) {
      try {
        await close();
      } catch (err) {
        services.log.warn({ err }, 'closing failed');
      }
    }
  };
  try {
    const bot = await startBot(services, input.bot);
    opened.push(() => bot.stop());
    const liveness = new Liveness(() => services.store.db.prepare('SELECT 1').get());
    opened.push(async () => liveness.close());
    const web = await startWebServer({
      host: input.config.web.host,
      port: input.config.web.port,
      log: services.log.child({ component: 'web' }),
      metrics,
      ...(input.env.GITHUB_WEBHOOK_SECRET ? { webhooks: buildWebhooks(services, bot, metrics) } : {}),
      health: () => liveness.report(),
      ready: () => {
        // A full or read-only disk: jobs wait until the database can be written again.
        const report = services.signals.readiness();
        const fault = services.runner.storageFault();
        const storage = fault
          ? { ok: false, detail: `${fault.message} (since ${fault.since}); jobs wait until it can be written` }
          : { ok: true, detail: 'writable' };
        return { ok: report.ok && storage.ok, checks: { ...report.checks, storage } };
      },
    });
    opened.push(() => web.close());
    return { services, bot, web, metrics, stop: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

function buildWebhooks(services: Services, bot: Bot, metrics: Metrics) {
  const log = services.log.child({ component: 'webhooks' });
  // SQLite remembers delivery ids, so a redelivery after a restart is still recognised.
  services.store.webhookDeliveries.prune(new Date(services.clock.now().getTime() - DELIVERY_MEMORY_MS));
  const receiver = createGitHubWebhooks({
    secret: services.env.GITHUB_WEBHOOK_SECRET as string,
    deliveries: services.store.webhookDeliveries,
    log,
    metrics,
    path: GITHUB_WEBHOOK_PATH,
  });
  registerBotWebhooks(receiver, {
    config: services.config,
    queue: services.runner,
    log,
    watcher: bot.ciWatcher,
    audit: services.store.audit,
    seen: services.store.webhookDeliveries,
  });
  return receiver;
}

// ---- preflight probes (doctor and start): plain requests, no retries, bounded ----------------

const PROBE_TIMEOUT_MS = 10_000;

export function createProbes(env: Env, config: Config): { github: GitHubProbe | null; slack: SlackProbe | null } {
  let credentials: GitHubCredentials | null;
  let refused: unknown = null;
  try {
    credentials = githubCredentials(env, config);
  } catch (err) {
    credentials = null;
    refused = err;
  }
  const github: GitHubProbe | null =
    credentials || refused
      ? {
          credential: credentials?.describe ?? 'the GitHub App',
          get: async (path) => {
            if (!credentials) throw refused;
            let token: string;
            try {
              token = await credentials.token();
            } catch (err) {
              // An App that cannot get an installation token: its id, key or installation is wrong.
              throw isAppError(err)
                ? err
                : new AppError('config_invalid', `${credentials.describe}: ${errorMessage(err)}`);
            }
            const res = await fetch(new URL(path.replace(/^\//, ''), env.GITHUB_API_URL.replace(/\/?$/, '/')), {
              headers: {
                authorization: `Bearer ${token}`,
                accept: 'application/vnd.github+json',
                'user-agent': 'upstream-sync',
              },
              signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
            });
            const text = await res.text();
            let data: unknown;
            try {
              data = text ? JSON.parse(text) : null;
            } catch {
              data = text;
            }
            return { status: res.status, data, headers: Object.fromEntries(res.headers.entries()) };
          },
        }
      : null;
  const tokens = { bot: env.SLACK_BOT_TOKEN, app: env.SLACK_APP_TOKEN };
  const slack: SlackProbe | null =
    tokens.bot || tokens.app
      ? {
          call: async (token, method, params = {}) => {
            const res = await fetch(new URL(method, env.SLACK_API_URL ?? 'https://slack.com/api/'), {
              method: 'POST',
              headers: {
                authorization: `Bearer ${tokens[token] ?? ''}`,
                'content-type': 'application/x-www-form-urlencoded',
              },
              body: new URLSearchParams(params).toString(),
              signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
            });
            if (!res.ok) throw new Error(`HTTP ${res.status}`);
            return (await res.json()) as Record<string, unknown>;
          },
        }
      : null;
  return { github, slack };
}

/**
 * GitHub credentials from the environment: a GitHub App (GITHUB_APP_ID + private key) wins over
 * GITHUB_TOKEN; null when neither is set. `tokenNow` is the clock App tokens expire by (tests).
 */
export function githubCredentials(env: Env, config: Config, tokenNow?: () => number): GitHubCredentials | null {
  if (env.GITHUB_APP_ID) {
    let key = env.GITHUB_APP_PRIVATE_KEY;
    if (!key && env.GITHUB_APP_PRIVATE_KEY_FILE) {
      try {
        key = readFileSync(env.GITHUB_APP_PRIVATE_KEY_FILE, 'utf8');
      } catch (err) {
        throw new AppError(
          'config_invalid',
          `GITHUB_APP_PRIVATE_KEY_FILE ${env.GITHUB_APP_PRIVATE_KEY_FILE} cannot be read (${errorMessage(err)})`,
        );
      }
    }
    if (!key)
      throw new AppError(
        'config_invalid',
        'GITHUB_APP_ID is set but neither GITHUB_APP_PRIVATE_KEY nor GITHUB_APP_PRIVATE_KEY_FILE: download the private key from the App settings',
      );
    registerSecrets([key]);
    const first = config.pipelines[0];
    return appCredentials({
      appId: env.GITHUB_APP_ID,
      privateKey: key.replace(/\\n/g, '\n'),
      ...(env.GITHUB_APP_INSTALLATION_ID ? { installationId: Number(env.GITHUB_APP_INSTALLATION_ID) } : {}),
      ...(first ? { lookupRepo: pipelineRepos(first).push[0] ?? pipelineRepos(first).read } : {}),
      baseUrl: env.GITHUB_API_URL,
      ...(tokenNow ? { now: tokenNow } : {}),
    });
  }
  return env.GITHUB_TOKEN ? staticToken(env.GITHUB_TOKEN) : null;
}
