import type { Logger } from 'pino';
import type { Clock } from '../ports.js';
import type { RuntimeFacts } from '../ports/runtime-facts.js';
import { judgeRound } from '../core/schedule/round-fit.js';
import type { RateBudget } from './rate-budget.js';

// A round is every scheduled pipeline checked once: it starts with the first scheduled check
// after the previous round ended and ends when the last of them finishes (succeeded or not). Its
// length and the requests GitHub charged meanwhile are recorded, judged (does it fit its window
// and the budget?), logged when it does not, and kept for `status`, App Home and /metrics.

export interface RoundRecord {
  startedAt: string;
  finishedAt: string;
  seconds: number;
  pipelines: number;
  requests: number;
  windowSeconds: number;
  fits: boolean;
  problems: string[];
}

export const ROUND_FACT = 'schedule-round';

export class ScheduleRounds {
  private open: { startedAt: Date; pending: Set<string>; chargedAtStart: number } | null = null;
  private last: RoundRecord | null = null;

  constructor(
    private readonly deps: {
      /** Ids of the scheduled pipelines. */
      pipelines: readonly string[];
      /** Shortest interval between two ticks of a scheduled pipeline, in seconds. */
      windowSeconds: number;
      clock: Clock;
      budget: RateBudget | null;
      facts?: RuntimeFacts;
      log: Logger;
      onRound?: (round: RoundRecord) => void;
    },
  ) {}

  /** A scheduled check was queued. */
  started(pipeline: string): void {
    if (this.open || !this.deps.pipelines.includes(pipeline)) return;
    this.open = {
      startedAt: this.deps.clock.now(),
      pending: new Set(this.deps.pipelines),
      chargedAtStart: this.deps.budget?.charged ?? 0,
    };
  }

  /** A scheduled check ended (in any final state). */
  finished(pipeline: string): void {
    const open = this.open;
    if (!open || !open.pending.delete(pipeline) || open.pending.size > 0) return;
    this.open = null;
    const now = this.deps.clock.now();
    const budget = this.deps.budget?.snapshot() ?? null;
    const facts = {
      pipelines: this.deps.pipelines.length,
      seconds: (now.getTime() - open.startedAt.getTime()) / 1000,
      requests: (this.deps.budget?.charged ?? 0) - open.chargedAtStart,
      windowSeconds: this.deps.windowSeconds,
      limit: budget?.limit ?? null,
      remaining: budget?.remaining ?? null,
    };
    const fit = judgeRound(facts);
    const round: RoundRecord = {
      startedAt: open.startedAt.toISOString(),
      finishedAt: now.toISOString(),
      seconds: facts.seconds,
      pipelines: facts.pipelines,
      requests: facts.requests,
      windowSeconds: facts.windowSeconds,
      fits: fit.fits,
      problems: fit.fits ? [] : fit.problems,
    };
    this.last = round;
    this.deps.facts?.set(ROUND_FACT, round);
    this.deps.onRound?.(round);
    if (fit.fits)
      this.deps.log.info(
        { seconds: round.seconds, requests: round.requests, pipelines: round.pipelines },
        'round done',
      );
    else
      this.deps.log.warn(
        { seconds: round.seconds, requests: round.requests, pipelines: round.pipelines, problems: round.problems },
        'scheduled round does not fit',
      );
  }

  lastRound(): RoundRecord | null {
    return this.last;
  }
}
