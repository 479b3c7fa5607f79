export interface BackoffPolicy {
  /** Delay after the first failed attempt, before jitter. */
  baseMs: number;
  /** Cap on the exponential delay. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 10 * 60_000 };

/**
 * Delay before retrying after attempt `attempt` (1-based) failed with a transient error:
 * exponential and capped, with "equal jitter" (half fixed, half random) so processes that failed
 * together do not retry together. A server's Retry-After wins when it asks for longer.
 */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
