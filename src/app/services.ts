import { join } from 'node:path';
import { TIMED_OUT, withDeadline } from '../deadline.js';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Env } from '../config/env.js';
import { SECRET_ENV } from '../config/env.js';
import { AppError } from '../errors.js';
import {
  silentNotifier,
  systemClock,
  type Clock,
  type GitHubPort,
  type GitPort,
  type LlmPort,
  type SyncNotifier,
  type SyncRecords,
} from '../ports.js';
import { registerSecrets } from '../redact.js';
import { probeDataDir } from '../adapters/store/data-dir-problem.js';
import type { Store } from '../adapters/store/open-store.js';
import { openConfiguredStore } from './open-configured-store.js';
import { GitCache } from '../adapters/git/git-cache.js';
import { readOnlyGit } from '../adapters/git/read-only-git.js';
import { createGitHubAdapter } from '../adapters/github/github-adapter.js';
import type { GitHubClientTuning } from '../adapters/github/github-client.js';
import { readOnlyGitHub } from '../adapters/github/read-only-github.js';
import { JobRunner } from '../jobs/runner.js';
import { SqliteSyncRecords } from '../adapters/store/sync-store.js';
import { SqliteHttpCache } from '../adapters/store/http-cache-store.js';
import { SqliteRuntimeFacts } from '../adapters/store/runtime-facts-store.js';
import type { RuntimeFacts } from '../ports/runtime-facts.js';
import { RateBudget } from '../jobs/rate-budget.js';
import { SqliteLedgerRecords } from '../adapters/store/ledger-store.js';
import type { LedgerRecords } from '../ports/ledger-records.js';
import { restoreJob } from '../workflows/ledger/restore-job.js';
import { registerSyncJob } from '../pipelines/release-sync/sync.js';
import { registerReleaseJob } from '../workflows/release/release.js';
import { changelogJob } from '../workflows/release/release-changelog.js';
import { registerResolveJob } from '../workflows/resolve/resolve.js';
import { allowSlackWith } from '../workflows/resolve/resolve-gate.js';
import { SqliteResolverStore } from '../adapters/store/resolver-store.js';
import { createAnthropicLlm } from '../adapters/llm/anthropic-llm.js';
import type { SlackServices } from '../slack/slack-services.js';
import { pruneAuditJob } from '../workflows/audit/prune-audit-job.js';
import { registerMergeJob, registerRefreshStatusJob, registerSkipJob } from '../pipelines/release-sync/register.js';
import { learnJob } from '../workflows/resolve/learn-job.js';
import type { KindModules, PipelineKindModule } from '../pipelines/pipeline-kind.js';
import { dispatchKind } from '../pipelines/dispatch/dispatch-kind.js';
import { SqliteDispatchRecords } from '../adapters/store/dispatch-store.js';
import { recheckJob } from '../pipelines/release-sync/recheck-job.js';
import { branchSyncKind } from '../pipelines/branch-sync/branch-sync-kind.js';
import { createMetrics, type Metrics } from '../web/metrics.js';
import { HealthSignals, type HealthSignalsOptions } from '../web/health-signals.js';
import { githubObserver, instrumentLlm, jobObserver, slackObserver, stepObserver } from '../web/instrument.js';
import { outboxDepth } from '../adapters/store/outbox-depth.js';
import { mirrorKind } from '../pipelines/mirror/mirror-kind.js';
import { registerMirrorRollbackJob } from '../pipelines/mirror/mirror-rollback-job.js';
import { createSlackParts } from './slack-parts.js';
import { SqliteCiFixRecords } from '../adapters/store/ci-fix-store.js';
import { createGitHubCi } from '../adapters/github/github-ci.js';
import type { CiGitHubPort } from '../ports/ci-github.js';
import { ciFixJob } from '../workflows/fix-ci/fix-ci-job.js';
import { githubCredentials } from './probes.js';
import { repoOfUrl } from '../adapters/github/github-credentials.js';
import { gitWithProgress, githubWithProgress } from '../adapters/with-progress.js';
import type { ProgressSink } from '../ports/progress.js';

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
  runner?: {
    pollMs?: number;
    leaseMs?: number;
    owner?: string;
    backoff?: { baseMs: number; maxMs: number };
    /** Jobs run at once (default 4); the scale bench runs more. */
    concurrency?: number;
  };
  /** Register only these job kinds (the CLI runs syncs, not the resolver); default: all. */
  jobKinds?: readonly string[];
  /** `start` hands in the registry /metrics serves; other processes get one nobody reads. */
  metrics?: Metrics;
  /** GitHub client tuning (`status` asks once, briefly: it answers from SQLite when GitHub does not). */
  githubTuning?: Partial<GitHubClientTuning>;
  /** CLI progress: told when each job step, and each fetch, merge, push and pull request in it, starts and ends. */
  progress?: ProgressSink;
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
  /** GitHub's rate limit as its answers report it (null when a port was handed in). */
  budget: RateBudget | null;
  /** Facts `start` observes and every process shows (budget, last round): migration 023. */
  runtimeFacts: RuntimeFacts;
  /** The CI fixer's attempts and grants (migration 119). */
  ciFixes: SqliteCiFixRecords;
  /** Failed checks and Actions job logs (the CI fixer); null without GitHub credentials. */
  ci: CiGitHubPort | null;
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

  const store = openConfiguredStore(config, dataDir, {
    clock,
    ...(input.busyTimeoutMs !== undefined ? { busyTimeoutMs: input.busyTimeoutMs } : {}),
  });
  const metrics = input.metrics ?? createMetrics({ defaultMetrics: false });
  metrics.readOutbox.current = () => outboxDepth(store.db);
  const signals = new HealthSignals(input.health);
  let counted: { requests: number } | null = null;
  const runtimeFacts = new SqliteRuntimeFacts(store.db, clock);
  let budget: RateBudget | null = null;
  let github = input.github;
  const credentials = githubCredentials(env, config, input.githubTokenNow);
  if (!github) {
    if (!credentials)
      throw new AppError(
        'config_invalid',
        'GITHUB_TOKEN is not set (nor GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY): the bot needs GitHub credentials to read releases and open pull requests',
      );
    budget = new RateBudget(clock, env.GITHUB_APP_ID ? `GitHub App ${env.GITHUB_APP_ID}` : 'token', runtimeFacts);
    const adapter = createGitHubAdapter({
      token: env.GITHUB_TOKEN && !env.GITHUB_APP_ID ? env.GITHUB_TOKEN : (repo) => credentials.token(repo),
      baseUrl: env.GITHUB_API_URL,
      log: logger.child({ component: 'github' }),
      onResponse: observeBoth(githubObserver(metrics, signals), budget.observe.bind(budget)),
      conditionalCache: new SqliteHttpCache(store.db, clock),
      ...(input.githubTuning ? { tuning: input.githubTuning } : {}),
    });
    counted = adapter;
    github = adapter;
  }
  if (dryRun) github = readOnlyGitHub(github);
  if (input.progress) github = githubWithProgress(github, input.progress);

  const cache = new GitCache({
    dataDir,
    logger: logger.child({ component: 'git' }),
    // Asked before every fetch and push: an App's installation token (for the remote's repository)
    // is replaced before it expires.
    token: credentials ? (url) => credentials.token(repoOfUrl(url)) : undefined,
  });
  const git = withGitProgress(dryRun ? readOnlyGit(cache) : cache, input.progress);
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
    ...(config.store ? { leaseMs: config.store.leaseSeconds * 1000 } : {}),
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
    budget,
    runtimeFacts,
    ciFixes: new SqliteCiFixRecords(store.db, clock),
    ci: credentials
      ? createGitHubCi({
          token: env.GITHUB_TOKEN && !env.GITHUB_APP_ID ? env.GITHUB_TOKEN : () => credentials.token(),
          baseUrl: env.GITHUB_API_URL,
          ...(input.githubTuning ? { tuning: input.githubTuning } : {}),
        })
      : null,
    githubRequests: () => (counted ? counted.requests : null),
    close: async () => {
      // Bounded like bot.stop(): a step that ignores its abort signal must not keep the process up.
      if ((await withDeadline(runner.stop(), 20_000)) === TIMED_OUT)
        logger.warn('a running step did not finish in time; its lease runs out and it resumes on the next start');
      offJobs();
      metrics.readOutbox.current = null;
      store.close();
    },
  };
  services.kinds = new Map(KIND_MODULES.map((build) => build(services)).map((m) => [m.kind, m]));
  registerJobs(services, input.jobKinds);
  return services;
}

function observeBoth<T>(a: (x: T) => void, b: (x: T) => void): (x: T) => void {
  return (x) => {
    a(x);
    b(x);
  };
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
  'ledger-restore': (services) =>
    services.runner.register(restoreJob({ ...services, audit: services.store.audit, cards: services.store.syncCards })),
  'ci-fix': (services) =>
    services.runner.register(ciFixJob({ ...services, cards: services.store.syncCards, ciFixes: services.ciFixes })),
};

export function registerJobs(services: Services, kinds?: readonly string[]): void {
  for (const [kind, register] of Object.entries(JOB_REGISTRARS)) {
    if (!kinds || kinds.includes(kind)) register(services);
  }
}

function withGitProgress<T extends GitPort>(git: T, progress: ProgressSink | undefined): T {
  return progress ? gitWithProgress(git, progress) : git;
}

/** Where a repository's git cache lives (for people reading logs and docs). */
export function cachePath(dataDir: string, repo: string): string {
  return join(dataDir, 'git', `${repo}.git`);
}
