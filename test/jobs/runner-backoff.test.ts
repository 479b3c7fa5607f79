import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, retryDelayMs } from '../../src/jobs/backoff.js';

const policy = { baseMs: 1_000, maxMs: 60_000 };

describe('retryDelayMs', () => {
  it.each([
    // attempt, random, retryAfterMs, expected
    [1, 0, undefined, 500],
    [1, 1, undefined, 1_000],
    [2, 0, undefined, 1_000],
    [3, 0.5, undefined, 3_000],
    [7, 1, undefined, 60_000], // 64 s capped at 60 s
    [30, 0, undefined, 30_000], // no overflow far out
    [1, 0, 45_000, 45_000], // the server asked for longer
    [7, 1, 5_000, 60_000], // the server asked for less than the backoff
  ])('attempt %i, random %d, Retry-After %s → %i ms', (attempt, random, retryAfterMs, expected) => {
    expect(retryDelayMs(attempt, policy, () => random, retryAfterMs)).toBe(expected);
  });

  it('starts at a few seconds and never waits more than ten minutes by default', () => {
    expect(retryDelayMs(1, DEFAULT_BACKOFF, () => 1)).toBe(5_000);
    expect(retryDelayMs(50, DEFAULT_BACKOFF, () => 1)).toBe(600_000);
  });
});
