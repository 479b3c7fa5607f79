import { isBlank, lineBody } from '../lines.js';
import type { Hunk } from '../types.js';
import type { HunkContext, HunkStrategy, StrategyResult } from './strategy.js';

// Both sides hold the same lines and differ only in where blank lines sit: the same change, laid
// out twice. Upstream's layout is kept, so the next sync meets one fewer difference.

const nonBlank = (lines: readonly string[]) => lines.filter((l) => !isBlank(l)).map(lineBody);

export const blankEqual: HunkStrategy = {
  name: 'blank-equal',
  apply(hunk: Hunk, _ctx: HunkContext): StrategyResult | null {
    const up = nonBlank(hunk.upstream);
    const fork = nonBlank(hunk.fork);
    if (up.length === 0 || up.length !== fork.length || up.some((l, i) => l !== fork[i])) return null;
    return {
      lines: [...hunk.upstream],
      rationale: "upstream and fork hold the same lines and differ only in blank lines: kept upstream's layout",
    };
  },
};
