import { noNewDuplicates } from './lines.js';
import { hunksOf, merge3Lines } from './merge3.js';
import type { Hunk } from './types.js';
import { higherPin } from './strategies/dependency-pin.js';
import { importNames } from './strategies/import-names.js';
import { listItems } from './strategies/list-items.js';
import type { HunkContext, HunkStrategy, StrategyResult } from './strategies/strategy.js';
import { sameIgnoringWhitespace } from './strategies/whitespace.js';

export interface StrategyDecision extends StrategyResult {
  strategy: string;
}

/**
 * In order; the first certain answer wins. Measured on people's merges (`bench conflicts`, hunks
 * landed as decided : not) and left out: block-union 3:11 (people re-space the blank lines between
 * blocks), a finer line or word merge outside manifests and ignore files 13:46 and 16:42, and
 * "keep the side whose change contains the other's" 30:24 (people keep either side there).
 */
export const HUNK_STRATEGIES: readonly HunkStrategy[] = [sameIgnoringWhitespace, higherPin, importNames, listItems];

/**
 * Tries each strategy on the whole hunk; failing that, splits the hunk with a finer merge (changes
 * that only touch both apply) and requires every remaining piece to be decided by a strategy.
 */
export function resolveHunk(
  hunk: Hunk,
  ctx: HunkContext,
  strategies: readonly HunkStrategy[] = HUNK_STRATEGIES,
  options: { refine?: boolean } = {},
): StrategyDecision | null {
  const direct = firstAnswer(hunk, ctx, strategies);
  if (direct || !options.refine) return direct;
  const segments = merge3Lines(hunk.base, hunk.upstream, hunk.fork, { adjacent: 'merge' });
  const pieces = hunksOf(segments);
  if (pieces.length === 1 && segments.length === 1) return null;
  const lines: string[] = [];
  const used: StrategyDecision[] = [];
  for (const s of segments) {
    if (s.kind === 'clean') {
      lines.push(...s.lines);
      continue;
    }
    const answer = firstAnswer(s.hunk, ctx, strategies);
    if (!answer) return null;
    used.push(answer);
    lines.push(...answer.lines);
  }
  // A finer merge that repeats a line more often than either side has it aligned on the wrong
  // anchor (both sides added the same line next to different edits): not certain.
  if (!noNewDuplicates(lines, hunk)) return null;
  const names = [...new Set(used.map((u) => u.strategy))];
  return {
    strategy: ['non-overlapping', ...names].join('+'),
    lines,
    rationale: used.length
      ? `the sides' changes overlap only in part: applied both where they do not overlap; ${used.map((u) => u.rationale).join('; ')}`
      : 'the sides changed neighbouring lines, not the same lines: applied both changes',
  };
}

function firstAnswer(hunk: Hunk, ctx: HunkContext, strategies: readonly HunkStrategy[]): StrategyDecision | null {
  for (const s of strategies) {
    const r = s.apply(hunk, ctx);
    if (r) return { ...r, strategy: s.name };
  }
  return null;
}
