import type { Logger } from 'pino';
import type { GitHubAttempt } from '../adapters/github/github-client.js';
import type { LlmPort } from '../ports/llm.js';
import type { JobRecord } from '../ports/jobs.js';
import type { HealthSignals } from './health-signals.js';
import type { Metrics } from './metrics.js';
import { inviteFix } from '../core/invite-fix.js';

// The hooks main.ts hands to the real clients and the runner: each turns what just happened into
// a metric and, where it matters for readiness, a health signal.

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Jobs by kind and final state; sync outcomes per pipeline; the last successful check. */
export function jobObserver(metrics: Metrics, now: () => Date): (job: JobRecord) => void {
  return (job) => {
    if (!FINAL.has(job.state)) return;
    metrics.jobsFinished.inc({ kind: job.kind, state: job.state });
    if (job.kind !== 'sync' || !job.pipeline) return;
    const outcome = (job.result as { outcome?: string } | null)?.outcome ?? (job.state === 'failed' ? 'failed' : null);
    if (outcome) metrics.syncOutcomes.inc({ pipeline: job.pipeline, outcome });
    if (job.state === 'succeeded' && outcome !== 'failed')
      metrics.lastSuccessfulCheck.set({ pipeline: job.pipeline }, Math.floor(now().getTime() / 1000));
  };
}

/** Step names like `publish:v1.81.0-stable` are labelled by their prefix: one series per step, not per tag. */
export function stepObserver(metrics: Metrics) {
  return (step: { kind: string; name: string; seconds: number; ok: boolean }): void =>
    metrics.stepSeconds.observe(
      { kind: step.kind, step: step.name.split(':')[0] ?? step.name, result: step.ok ? 'ok' : 'error' },
      step.seconds,
    );
}

export function githubObserver(metrics: Metrics, signals: HealthSignals) {
  return (attempt: GitHubAttempt): void => {
    metrics.githubRequests.inc({
      result: attempt.status === null ? 'network' : `${Math.floor(attempt.status / 100)}xx`,
    });
    if (attempt.rateRemaining !== null && Number.isFinite(attempt.rateRemaining))
      metrics.githubRateRemaining.set(attempt.rateRemaining);
    if (attempt.rateLimit != null && Number.isFinite(attempt.rateLimit)) metrics.githubRateLimit.set(attempt.rateLimit);
    if (attempt.rateReset != null && Number.isFinite(attempt.rateReset)) metrics.githubRateReset.set(attempt.rateReset);
    signals.githubAnswered(attempt.status);
  };
}

/**
 * Slack calls by method and outcome. A post refused with not_in_channel is logged at error level
 * once per channel, with the fix, and reported by /readyz until a post there works again.
 */
export function slackObserver(metrics: Metrics, signals: HealthSignals, log: Logger) {
  return (call: { method: string; outcome: string; channel: string | null }): void => {
    metrics.slackCalls.inc({ method: call.method, result: call.outcome });
    if (!call.channel) return;
    if (call.outcome === 'ok') signals.channelWorked(call.channel);
    else if (call.outcome === 'not_in_channel' && signals.notInChannelFailed(call.channel))
      log.error(
        {
          channel: call.channel,
          method: call.method,
          fix: inviteFix(call.channel),
        },
        'the bot is not in the channel: its messages there are dropped until it is invited',
      );
  };
}

export function instrumentLlm(llm: LlmPort, metrics: Metrics): LlmPort {
  return {
    callTool: async (request, signal) => {
      try {
        const result = await llm.callTool(request, signal);
        metrics.llmRequests.inc({ outcome: 'ok' });
        metrics.llmTokens.inc({ direction: 'input' }, result.usage?.inputTokens ?? 0);
        metrics.llmTokens.inc({ direction: 'output' }, result.usage?.outputTokens ?? 0);
        return result;
      } catch (err) {
        metrics.llmRequests.inc({ outcome: 'error' });
        throw err;
      }
    },
  };
}
