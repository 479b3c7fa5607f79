import type { Config } from '../config/schema.js';
import type { JobRecord } from '../ports/jobs.js';
import { ScheduleRounds } from '../jobs/schedule-rounds.js';
import { scheduleWindowMs } from '../jobs/scheduler.js';
import { budgetLinesFrom } from '../jobs/budget-lines.js';
import type { Services } from './services.js';

// The rounds of scheduled checks and the budget they spend, for `start`: a round ends when every
// scheduled pipeline's cron-requested sync has finished; its figures go to /metrics, to
// runtime_facts (for `status` and App Home) and to the log when it does not fit.

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

export function createScheduleRounds(services: Services, config: Config): ScheduleRounds {
  const scheduled = config.pipelines.filter((p) => p.schedule);
  const windows = scheduled.map((p) => scheduleWindowMs(p.schedule!, p.timezone)).filter((ms) => ms > 0);
  const { metrics } = services;
  return new ScheduleRounds({
    pipelines: scheduled.map((p) => p.id),
    windowSeconds: windows.length ? Math.min(...windows) / 1000 : 0,
    clock: services.clock,
    budget: services.budget,
    facts: services.runtimeFacts,
    log: services.log.child({ component: 'scheduler' }),
    onRound: (round) => {
      metrics.scheduleRoundSeconds.set(round.seconds);
      metrics.scheduleRoundRequests.set(round.requests);
      metrics.scheduleRoundFits.set(round.fits ? 1 : 0);
    },
  });
}

/** The runner's listener telling the rounds when a scheduled check ended. */
export function roundListener(rounds: ScheduleRounds): (job: JobRecord) => void {
  return (job) => {
    if (job.kind === 'sync' && job.pipeline && job.requestedBy.kind === 'cron' && FINAL.has(job.state))
      rounds.finished(job.pipeline);
  };
}

/** The budget lines of `status` and App Home, read where every process reads them. */
export function budgetStatus(services: Services): () => string[] {
  return () => budgetLinesFrom(services.runtimeFacts, services.clock.now());
}
