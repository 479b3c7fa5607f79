import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Config, PipelineConfig } from '../config/schema.js';
import type { Clock, ScheduleState } from '../ports.js';
import { syncJobInput } from './job-kinds.js';
import type { JobQueue } from '../ports/jobs.js';
import { jitterDelayMs } from '../core/schedule/jitter.js';
import type { ScheduleRounds } from './schedule-rounds.js';
import type { BudgetSnapshot } from './rate-budget.js';

/** Share of the hourly limit kept for people: below it, scheduled checks wait for the reset. */
export const BUDGET_RESERVE = 0.05;

// One node-cron task per scheduled pipeline, in the pipeline's time zone (UTC by default). A tick
// only enqueues the sync job; its dedupe key makes a tick, a Slack click and a CLI run at the same
// moment one job. schedule_state remembers the last scheduled time handled, so a run missed while
// the bot was down is caught up exactly once at start. A tick's enqueue waits a fixed offset
// seeded by the pipeline id (core/schedule/jitter.ts), so pipelines sharing a schedule spread over
// its window instead of asking GitHub all at once; the tick counts as handled when it enqueues, so
// a restart during the wait catches it up.

const MINUTE = 60_000;
/** How far back a missed run is looked for (covers monthly schedules). */
const CATCH_UP_WINDOW_MS = 35 * 24 * 60 * MINUTE;

export interface SchedulerDeps {
  config: Config;
  queue: JobQueue;
  scheduleState: ScheduleState;
  clock: Clock;
  log: Logger;
  /** Runs `fn` after `ms` (tests pass their own); default setTimeout. */
  timer?: (ms: number, fn: () => void) => { cancel(): void };
  /** What GitHub last said of the budget (src/jobs/rate-budget.ts). */
  budget?: () => BudgetSnapshot | null;
  /** Told when a scheduled check is queued (rounds and their budget). */
  rounds?: ScheduleRounds;
}

const realTimer = (ms: number, fn: () => void) => {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return { cancel: () => clearTimeout(t) };
};

/** Shortest time between two ticks of a cron expression (looked at over its next few ticks). */
export function scheduleWindowMs(schedule: string, timezone: string): number {
  const task = cron.createTask(schedule, () => undefined, { timezone });
  try {
    const runs = task.getNextRuns(4).map((d) => d.getTime());
    let min = Infinity;
    for (let i = 1; i < runs.length; i++) min = Math.min(min, runs[i]! - runs[i - 1]!);
    return Number.isFinite(min) ? min : 0;
  } finally {
    void task.destroy();
  }
}

/** The latest minute in (after, upTo] at which `matches` is true, scanning backwards; null if none. */
export function lastFireTime(matches: (date: Date) => boolean, after: Date, upTo: Date): Date | null {
  const floor = Math.max(after.getTime(), upTo.getTime() - CATCH_UP_WINDOW_MS);
  for (let t = Math.floor(upTo.getTime() / MINUTE) * MINUTE; t > floor; t -= MINUTE) {
    const date = new Date(t);
    if (matches(date)) return date;
  }
  return null;
}

export class SyncScheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly waiting = new Map<string, { cancel(): void }>();

  constructor(private readonly deps: SchedulerDeps) {}

  /** Schedules every pipeline with a `schedule`, after catching up runs missed while stopped. */
  async start(): Promise<void> {
    for (const p of this.deps.config.pipelines) {
      if (!p.schedule || this.tasks.has(p.id)) continue;
      const task = cron.createTask(p.schedule, (ctx) => this.fire(p, ctx.date), {
        timezone: p.timezone,
        name: `sync:${p.id}`,
        noOverlap: true,
      });
      this.tasks.set(p.id, task);
      await this.catchUp(p, task);
      await task.start();
      this.deps.log.info(
        { pipeline: p.id, schedule: p.schedule, timezone: p.timezone, next: task.getNextRun()?.toISOString() ?? null },
        'schedule started',
      );
    }
  }

  async stop(): Promise<void> {
    for (const wait of this.waiting.values()) wait.cancel();
    this.waiting.clear();
    for (const task of this.tasks.values()) await task.destroy();
    this.tasks.clear();
  }

  /**
   * Pipelines whose scheduled run is more than `graceMs` overdue (a tick that never came: the
   * scheduler is not running). Readiness reports them.
   */
  overdue(graceMs: number): string[] {
    const upTo = new Date(this.deps.clock.now().getTime() - graceMs);
    const late: string[] = [];
    for (const [id, task] of this.tasks) {
      const last = this.deps.scheduleState.get(id)?.lastScheduledAt;
      if (last && lastFireTime((d) => task.match(d), new Date(last), upTo)) late.push(id);
    }
    return late;
  }

  /** Next scheduled run of a pipeline, for `status`. */
  nextRun(pipeline: string): Date | null {
    return this.tasks.get(pipeline)?.getNextRun() ?? null;
  }

  /** Delay of a pipeline's check after a tick at `at`: its seeded share of the window to the next tick. */
  delayFor(p: PipelineConfig, at: Date): number {
    const next = this.tasks.get(p.id)?.getNextRun();
    const windowMs = next ? next.getTime() - at.getTime() : p.schedule ? scheduleWindowMs(p.schedule, p.timezone) : 0;
    return jitterDelayMs(p.id, windowMs);
  }

  /** A cron tick: the check is queued after the pipeline's seeded delay (at once when it is 0). */
  fire(p: PipelineConfig, scheduledAt: Date): Promise<void> {
    const delay = this.delayFor(p, scheduledAt);
    if (delay <= 0) return this.tick(p, scheduledAt);
    this.waiting.get(p.id)?.cancel();
    return new Promise((resolve) => {
      const wait = (this.deps.timer ?? realTimer)(delay, () => {
        this.waiting.delete(p.id);
        void this.tick(p, scheduledAt).then(resolve);
      });
      this.waiting.set(p.id, wait);
    });
  }

  /** What a cron tick does: record the tick, then enqueue (deduplicated) the pipeline's sync. */
  async tick(p: PipelineConfig, scheduledAt: Date): Promise<void> {
    const at = new Date(Math.floor(scheduledAt.getTime() / MINUTE) * MINUTE).toISOString();
    this.deps.scheduleState.set(p.id, { lastScheduledAt: at });
    try {
      const holdUntil = this.budgetHold();
      const { job, created } = await this.deps.queue.enqueue({
        ...syncJobInput({ pipeline: p.id }, { kind: 'cron', id: p.id, via: at }),
        ...(holdUntil ? { runAfter: holdUntil } : {}),
      });
      this.deps.scheduleState.set(p.id, { lastRunAt: this.deps.clock.now().toISOString() });
      if (created) this.deps.rounds?.started(p.id);
      if (holdUntil)
        this.deps.log.warn(
          { pipeline: p.id, jobId: job.id, runAfter: holdUntil },
          'GitHub budget nearly spent: scheduled check held until the rate limit resets',
        );
      this.deps.log.info({ pipeline: p.id, jobId: job.id, created, scheduledAt: at }, 'scheduled sync');
    } catch (err) {
      this.deps.log.error({ err, pipeline: p.id }, 'could not enqueue the scheduled sync');
    }
  }

  /**
   * When the budget GitHub last reported is nearly spent (under BUDGET_RESERVE of the limit), a
   * scheduled check waits for the reset instead of failing on the limit: people's own requests
   * (a click, a CLI run) keep what is left.
   */
  private budgetHold(): string | null {
    const b = this.deps.budget?.();
    if (!b || b.remaining === null || b.limit === null || !b.resetAt) return null;
    if (b.remaining >= b.limit * BUDGET_RESERVE) return null;
    return Date.parse(b.resetAt) > this.deps.clock.now().getTime() ? b.resetAt : null;
  }

  private async catchUp(p: PipelineConfig, task: ScheduledTask): Promise<void> {
    const now = this.deps.clock.now();
    const last = this.deps.scheduleState.get(p.id)?.lastScheduledAt;
    if (!last) {
      // First start: nothing was missed; remember from when on we are responsible.
      this.deps.scheduleState.set(p.id, {
        lastScheduledAt: new Date(Math.floor(now.getTime() / MINUTE) * MINUTE).toISOString(),
      });
      return;
    }
    const missed = lastFireTime((d) => task.match(d), new Date(last), now);
    if (!missed) return;
    this.deps.log.info(
      { pipeline: p.id, missed: missed.toISOString() },
      'catching up a scheduled sync missed while stopped',
    );
    await this.tick(p, missed);
  }
}
