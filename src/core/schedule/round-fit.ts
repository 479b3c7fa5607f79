// Whether a full round of scheduled checks fits: in time (it ended before the next one was due)
// and in GitHub's budget (the requests a round costs, at the rounds an hour the schedules ask
// for, stay under the hourly limit). A round that does not fit is said, never silently absorbed.

export interface RoundFacts {
  pipelines: number;
  seconds: number;
  /** Requests GitHub charged during the round (304s are free). */
  requests: number;
  /** The shortest interval between two ticks of any scheduled pipeline. */
  windowSeconds: number;
  /** The hourly limit GitHub reported; null when no answer said. */
  limit: number | null;
  /** Requests left in the current hour when the round ended; null when unknown. */
  remaining: number | null;
}

export type RoundFit = { fits: true } | { fits: false; problems: string[] };

export function judgeRound(r: RoundFacts): RoundFit {
  const problems: string[] = [];
  if (r.windowSeconds > 0 && r.seconds > r.windowSeconds)
    problems.push(
      `the last round of ${r.pipelines} checks took ${Math.round(r.seconds)} s, longer than the ${Math.round(r.windowSeconds)} s between scheduled checks: checks lag behind their schedule`,
    );
  if (r.limit !== null && r.windowSeconds > 0) {
    const perHour = Math.ceil((r.requests * 3600) / r.windowSeconds);
    if (perHour > r.limit)
      problems.push(
        `a round costs ${r.requests} GitHub requests; every ${Math.round(r.windowSeconds / 60)} min that is ${perHour} an hour, over the limit of ${r.limit}: rounds will wait for the rate limit`,
      );
  }
  if (r.remaining !== null && r.requests > r.remaining)
    problems.push(
      `${r.remaining} GitHub requests are left this hour, fewer than the ${r.requests} the last round cost: the next round will not finish before the limit resets`,
    );
  return problems.length ? { fits: false, problems } : { fits: true };
}
