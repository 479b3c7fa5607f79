import { describe, expect, it } from 'vitest';
import { JITTER_SPREAD, MAX_JITTER_MS, jitterDelayMs, seededFraction } from '../../../src/core/schedule/jitter.js';
import { judgeRound } from '../../../src/core/schedule/round-fit.js';

const HOUR = 3600_000;

describe('jitterDelayMs', () => {
  it('is fixed by the pipeline id: the same on every call, replica and restart', () => {
    expect(jitterDelayMs('litellm', HOUR)).toBe(jitterDelayMs('litellm', HOUR));
    expect(seededFraction('litellm')).toBe(seededFraction('litellm'));
  });

  it('stays inside its share of the window, and never past the cap', () => {
    for (let i = 0; i < 200; i++) {
      const d = jitterDelayMs(`p${i}`, HOUR);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(HOUR * JITTER_SPREAD);
      expect(jitterDelayMs(`p${i}`, 24 * HOUR)).toBeLessThan(MAX_JITTER_MS);
    }
    expect(jitterDelayMs('x', 0)).toBe(0);
    expect(jitterDelayMs('x', Number.NaN)).toBe(0);
  });

  it('spreads 500 pipelines over the window instead of one instant', () => {
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 500; i++)
      buckets[Math.floor((jitterDelayMs(`p${i}`, HOUR) / (HOUR * JITTER_SPREAD)) * 10)] += 1;
    // Every tenth of the spread gets some; none gets more than a quarter.
    for (const n of buckets) {
      expect(n).toBeGreaterThan(10);
      expect(n).toBeLessThan(125);
    }
  });
});

describe('judgeRound', () => {
  const base = { pipelines: 500, seconds: 40, requests: 300, windowSeconds: 3600, limit: 5000, remaining: 4000 };
  it.each([
    ['fits', base, []],
    ['too slow for its window', { ...base, seconds: 4000 }, ['longer than the 3600 s between scheduled checks']],
    [
      'too many requests per hour',
      { ...base, requests: 1500, windowSeconds: 600 },
      ['a round costs 1500 GitHub requests; every 10 min that is 9000 an hour, over the limit of 5000'],
    ],
    ['not enough left this hour', { ...base, remaining: 100 }, ['100 GitHub requests are left this hour']],
    ['limit unknown: judged on time alone', { ...base, limit: null, remaining: null, requests: 99_999 }, []],
  ])('%s', (_name, facts, expected) => {
    const fit = judgeRound(facts);
    if (expected.length === 0) expect(fit).toEqual({ fits: true });
    else {
      expect(fit.fits).toBe(false);
      const problems = fit.fits ? [] : fit.problems;
      expect(problems).toHaveLength(expected.length);
      expected.forEach((text, i) => expect(problems[i]).toContain(text));
    }
  });
});
