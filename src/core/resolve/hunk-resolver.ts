import { diffLines } from './diff.js';
import { noNewDuplicates } from './lines.js';
import { hunksOf, merge3Lines } from './merge3.js';
import type { Hunk, Segment } from './types.js';
import { blankEqual } from './strategies/blank-equal.js';
import { blockUnion } from './strategies/block-union.js';
import { higherPin } from './strategies/dependency-pin.js';
import { importNames } from './strategies/import-names.js';
import { isLineListFile, itemKey, listItems } from './strategies/list-items.js';
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
export const HUNK_STRATEGIES: readonly HunkStrategy[] = [
  blankEqual,
  sameIgnoringWhitespace,
  higherPin,
  importNames,
  listItems,
  blockUnion,
];

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
  // Insertions at one point come out in git's marker order: the side the markers put first leads.
  const segments =
    hunk.first === 'fork'
      ? swapSides(merge3Lines(hunk.base, hunk.fork, hunk.upstream, { adjacent: 'merge' }))
      : merge3Lines(hunk.base, hunk.upstream, hunk.fork, { adjacent: 'merge' });
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
  if (dropsKeyOneSided(lines, hunk, ctx.path)) return null;
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

/**
 * Whether the merge drops a dependency or config key (a pin, a manifest entry, an ignore pattern)
 * that one side removed outright (nothing in its place) and the other side still has. People
 * often reverse such a deletion (the other side's code may still need the key); only a second
 * signal, the other side dropping or replacing it too, makes it certain.
 */
export function dropsKeyOneSided(lines: readonly string[], hunk: Hunk, path: string): boolean {
  const keyOf = (l: string) => itemKey(l, path);
  const keys = (xs: readonly string[]) => new Set(xs.map(keyOf).filter((k): k is string => k !== null));
  const kept = keys(lines);
  // In an ignore file a pattern written in place of another is an edit; in a manifest a package
  // is its name, and a name gone is a dependency gone, whatever took its line.
  const lineList = isLineListFile(path);
  for (const [side, other] of [
    [hunk.upstream, hunk.fork],
    [hunk.fork, hunk.upstream],
  ] as const) {
    const otherKeys = keys(other);
    const removed = lineList ? pureDeletions(hunk.base, side) : hunk.base.map((_, i) => i);
    for (const i of removed) {
      const k = keyOf(hunk.base[i] as string);
      if (k !== null && !kept.has(k) && otherKeys.has(k)) return true;
    }
  }
  return false;
}

function swapSides(segments: Segment[]): Segment[] {
  return segments.map((s) =>
    s.kind === 'clean'
      ? s
      : { kind: 'conflict', hunk: { ...s.hunk, upstream: s.hunk.fork, fork: s.hunk.upstream, first: 'fork' } },
  );
}

/** Indexes of base lines the side removed with nothing written in their place. */
function pureDeletions(base: readonly string[], side: readonly string[]): number[] {
  const out: number[] = [];
  let a = 0;
  let b = 0;
  for (const m of [...diffLines(base, side), { a: base.length, b: side.length, size: 0 }]) {
    if (m.b === b) for (let i = a; i < m.a; i++) out.push(i);
    a = m.a + m.size;
    b = m.b + m.size;
  }
  return out;
}
