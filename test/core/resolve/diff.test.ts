import { describe, expect, it } from 'vitest';
import { diffLines } from '../../../src/core/resolve/diff.js';

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
    }
  }
  return dp[0]![0]!;
}

/** Deterministic pseudo-random numbers, so a failure always reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('diffLines', () => {
  it.each([
    { a: [], b: [], common: 0 },
    { a: ['x'], b: [], common: 0 },
    { a: ['a', 'b', 'c'], b: ['a', 'b', 'c'], common: 3 },
    { a: ['a', 'b', 'c'], b: ['a', 'x', 'c'], common: 2 },
    { a: ['a', 'b', 'c', 'd'], b: ['b', 'd'], common: 2 },
  ])('finds a longest common subsequence ($common lines)', ({ a, b, common }) => {
    const blocks = diffLines(a, b);
    expect(blocks.reduce((n, m) => n + m.size, 0)).toBe(common);
    for (const m of blocks) expect(a.slice(m.a, m.a + m.size)).toEqual(b.slice(m.b, m.b + m.size));
  });

  it('matches a dynamic-programming LCS on random inputs, with increasing, valid blocks', () => {
    const next = rng(42);
    for (let round = 0; round < 300; round++) {
      const gen = () =>
        Array.from({ length: Math.floor(next() * 30) }, () => String.fromCharCode(97 + Math.floor(next() * 4)));
      const a = gen();
      const b = gen();
      const blocks = diffLines(a, b);
      expect(blocks.reduce((n, m) => n + m.size, 0)).toBe(lcsLength(a, b));
      let lastA = -1;
      let lastB = -1;
      for (const m of blocks) {
        expect(m.a).toBeGreaterThan(lastA);
        expect(m.b).toBeGreaterThan(lastB);
        expect(a.slice(m.a, m.a + m.size)).toEqual(b.slice(m.b, m.b + m.size));
        lastA = m.a + m.size - 1;
        lastB = m.b + m.size - 1;
      }
    }
  });
});
