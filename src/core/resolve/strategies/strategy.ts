import type { Hunk } from '../types.js';

// A deterministic strategy answers only when it is certain; anything else is null and the hunk
// moves on to the next layer. A wrong answer costs far more than no answer.

export interface HunkContext {
  path: string;
  /** Up to a few clean lines before and after the hunk, for strategies that read the surroundings. */
  before: readonly string[];
  after: readonly string[];
}

export interface StrategyResult {
  lines: string[];
  rationale: string;
}

export interface HunkStrategy {
  name: string;
  apply(hunk: Hunk, ctx: HunkContext): StrategyResult | null;
}
