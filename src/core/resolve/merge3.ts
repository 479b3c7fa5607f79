import { diffLines, type MatchBlock } from './diff.js';
import { sameLines, splitLines } from './lines.js';
import type { Hunk, Segment } from './types.js';

// A line-based three-way merge. With git's rule (the default) two changes conflict when the base
// regions they replace overlap or touch. The `adjacent: 'merge'` mode, used only inside a hunk
// git already reported, lets changes that merely touch both apply: an insertion next to a
// replaced line, two neighbouring lines each changed by one side. Identical changes never conflict.

interface Change {
  side: 'up' | 'fork';
  baseStart: number;
  baseEnd: number;
  start: number;
  end: number;
}

export interface Merge3Options {
  adjacent?: 'conflict' | 'merge';
}

function changes(side: Change['side'], blocks: MatchBlock[], baseLength: number, sideLength: number): Change[] {
  const out: Change[] = [];
  let bPos = 0;
  let sPos = 0;
  for (const m of [...blocks, { a: baseLength, b: sideLength, size: 0 }]) {
    if (m.a > bPos || m.b > sPos) out.push({ side, baseStart: bPos, baseEnd: m.a, start: sPos, end: m.b });
    bPos = m.a + m.size;
    sPos = m.b + m.size;
  }
  return out;
}

function joins(group: Change[], hi: number, c: Change, adjacent: 'conflict' | 'merge'): boolean {
  if (adjacent === 'conflict') return c.baseStart <= hi;
  if (c.baseStart < hi) return true;
  // Touching only: a conflict when both sides insert at the very same point.
  const insertion = c.baseStart === c.baseEnd;
  return (
    insertion && c.baseStart === hi && group.some((g) => g.side !== c.side && g.baseStart === hi && g.baseEnd === hi)
  );
}

export function merge3(baseText: string, upstreamText: string, forkText: string, options?: Merge3Options): Segment[] {
  return merge3Lines(splitLines(baseText), splitLines(upstreamText), splitLines(forkText), options);
}

export function merge3Lines(base: string[], up: string[], fork: string[], options: Merge3Options = {}): Segment[] {
  const adjacent = options.adjacent ?? 'conflict';
  const all = [
    ...changes('up', diffLines(base, up), base.length, up.length),
    ...changes('fork', diffLines(base, fork), base.length, fork.length),
  ].sort((x, y) => x.baseStart - y.baseStart || x.baseEnd - y.baseEnd || (x.side === 'up' ? -1 : 1));
  const segments: Segment[] = [];
  const pushClean = (lines: string[]) => {
    if (lines.length === 0) return;
    const last = segments[segments.length - 1];
    if (last?.kind === 'clean') last.lines.push(...lines);
    else segments.push({ kind: 'clean', lines: [...lines] });
  };
  // Offsets between base and side positions after each side's latest change.
  const shift = { up: 0, fork: 0 };
  let hunkIndex = 0;
  let basePos = 0;
  let k = 0;
  while (k < all.length) {
    const group: Change[] = [all[k++] as Change];
    const lo = (group[0] as Change).baseStart;
    let hi = (group[0] as Change).baseEnd;
    while (k < all.length && joins(group, hi, all[k] as Change, adjacent)) {
      const c = all[k++] as Change;
      group.push(c);
      hi = Math.max(hi, c.baseEnd);
    }
    pushClean(base.slice(basePos, lo));
    const region = (side: Change['side'], lines: string[]): { lines: string[]; used: boolean } => {
      const mine = group.filter((c) => c.side === side);
      if (mine.length === 0) return { lines: base.slice(lo, hi), used: false };
      const start = lo + shift[side];
      const last = mine[mine.length - 1] as Change;
      shift[side] = last.end - last.baseEnd;
      return { lines: lines.slice(start, hi + shift[side]), used: true };
    };
    const u = region('up', up);
    const f = region('fork', fork);
    if (!f.used) pushClean(u.lines);
    else if (!u.used) pushClean(f.lines);
    else if (sameLines(u.lines, f.lines)) pushClean(u.lines);
    else {
      const hunk: Hunk = {
        index: hunkIndex++,
        base: base.slice(lo, hi),
        upstream: u.lines,
        fork: f.lines,
        upstreamLine: lo + shift.up - (u.lines.length - (hi - lo)) + 1,
      };
      segments.push({ kind: 'conflict', hunk });
    }
    basePos = hi;
  }
  pushClean(base.slice(basePos));
  return segments;
}

export function hunksOf(segments: readonly Segment[]): Hunk[] {
  return segments.flatMap((s) => (s.kind === 'conflict' ? [s.hunk] : []));
}
