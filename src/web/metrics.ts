import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// One registry per process (tests create their own). Names follow Prometheus conventions:
// counters end in _total, durations are in seconds.

export interface Metrics {
  registry: Registry;
  jobsFinished: Counter<'kind' | 'state'>;
  syncOutcomes: Counter<'pipeline' | 'outcome'>;
  webhookDeliveries: Counter<'event' | 'result'>;
  slackAckSeconds: Histogram<'type'>;
  slackCalls: Counter<'method' | 'result'>;
  githubRequests: Counter<'result'>;
  githubRateRemaining: Gauge;
  githubRateLimit: Gauge;
  githubRateReset: Gauge;
  /** The last full round of scheduled checks (src/jobs/schedule-rounds.ts). */
  scheduleRoundSeconds: Gauge;
  scheduleRoundRequests: Gauge;
  scheduleRoundFits: Gauge;
  stepSeconds: Histogram<'kind' | 'step' | 'result'>;
  outboxPending: Gauge;
  outboxDropped: Gauge;
  llmRequests: Counter<'outcome'>;
  llmTokens: Counter<'direction'>;
  lastSuccessfulCheck: Gauge<'pipeline'>;
  /** Where the outbox gauges read from at scrape time (set by main.ts once the store is open). */
  readOutbox: { current: (() => { pending: number; dead: number }) | null };
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'upstream_sync_' });
  const registers = [registry];
  const readOutbox: Metrics['readOutbox'] = { current: null };
  return {
    readOutbox,
    registry,
    jobsFinished: new Counter({
      name: 'upstream_sync_jobs_finished_total',
      help: 'Jobs that reached a final state.',
      labelNames: ['kind', 'state'],
      registers,
    }),
    syncOutcomes: new Counter({
      name: 'upstream_sync_sync_outcomes_total',
      help: 'Sync runs by outcome.',
      labelNames: ['pipeline', 'outcome'],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'upstream_sync_webhook_deliveries_total',
      help: 'GitHub webhook deliveries by result.',
      labelNames: ['event', 'result'],
      registers,
    }),
    slackAckSeconds: new Histogram({
      name: 'upstream_sync_slack_ack_seconds',
      help: 'Time from a Slack listener being called to its ack written to the socket.',
      labelNames: ['type'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 3],
      registers,
    }),
    slackCalls: new Counter({
      name: 'upstream_sync_slack_calls_total',
      help: 'Slack Web API calls by result.',
      labelNames: ['method', 'result'],
      registers,
    }),
    githubRequests: new Counter({
      name: 'upstream_sync_github_requests_total',
      help: 'GitHub API requests (each HTTP attempt) by result: the status class (2xx, 4xx, 5xx) or "network".',
      labelNames: ['result'],
      registers,
    }),
    githubRateRemaining: new Gauge({
      name: 'upstream_sync_github_rate_limit_remaining',
      help: 'Requests left in the GitHub rate-limit window, as of the last answer.',
      registers,
    }),
    githubRateLimit: new Gauge({
      name: 'upstream_sync_github_rate_limit_limit',
      help: 'Requests allowed per GitHub rate-limit window, as of the last answer.',
      registers,
    }),
    githubRateReset: new Gauge({
      name: 'upstream_sync_github_rate_limit_reset_timestamp_seconds',
      help: 'When the GitHub rate-limit window resets (Unix time), as of the last answer.',
      registers,
    }),
    scheduleRoundSeconds: new Gauge({
      name: 'upstream_sync_schedule_round_seconds',
      help: 'How long the last full round of scheduled checks took (first queued to last finished).',
      registers,
    }),
    scheduleRoundRequests: new Gauge({
      name: 'upstream_sync_schedule_round_requests',
      help: 'GitHub requests charged to the rate limit during the last full round (304s are free).',
      registers,
    }),
    scheduleRoundFits: new Gauge({
      name: 'upstream_sync_schedule_round_fits',
      help: '1 when the last full round fitted its schedule window and the GitHub budget, 0 when it did not.',
      registers,
    }),
    stepSeconds: new Histogram({
      name: 'upstream_sync_step_duration_seconds',
      help: 'Job step durations (steps that ran; resumed steps are not timed again).',
      labelNames: ['kind', 'step', 'result'],
      buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 1200],
      registers,
    }),
    outboxPending: new Gauge({
      name: 'upstream_sync_outbox_pending',
      help: 'Slack messages waiting in the outbox.',
      registers,
      collect() {
        const c = readOutbox.current?.();
        if (c) this.set(c.pending);
      },
    }),
    outboxDropped: new Gauge({
      name: 'upstream_sync_outbox_dropped',
      help: 'Slack messages given up on (dead rows in the outbox: not_in_channel, channel gone, too old).',
      registers,
      collect() {
        const c = readOutbox.current?.();
        if (c) this.set(c.dead);
      },
    }),
    llmRequests: new Counter({
      name: 'upstream_sync_llm_requests_total',
      help: 'LLM requests by outcome (ok, error).',
      labelNames: ['outcome'],
      registers,
    }),
    llmTokens: new Counter({
      name: 'upstream_sync_llm_tokens_total',
      help: 'LLM tokens by direction (input, output).',
      labelNames: ['direction'],
      registers,
    }),
    lastSuccessfulCheck: new Gauge({
      name: 'upstream_sync_last_successful_check_timestamp_seconds',
      help: 'When a sync job of the pipeline last finished without failing (Unix seconds).',
      labelNames: ['pipeline'],
      registers,
    }),
  };
}
