import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'upstream_sync_' });
  const registers = [registry];
  return {
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
      help: 'Time from receiving a Slack interaction to acking it.',
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
      help: 'GitHub API requests by result.',
      labelNames: ['result'],
      registers,
    }),
  };
}
