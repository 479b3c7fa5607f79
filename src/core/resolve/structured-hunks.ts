import { noNewDuplicates, splitLines } from './lines.js';
import { dataFormatOf, matchesMerge, mergeDocuments } from './structured.js';
import type { FileVersions, Hunk, HunkOutcome, Segment } from './types.js';

// The data-file layer: when JSON, YAML or TOML documents merge key by key without a collision,
// the hunks still waiting are filled with whichever arrangement of the two sides parses to
// exactly that merge. Only arrangements that keep both sides' lines count (a merge that needs one
// side's lines dropped means that side's edit is redundant or contested, and people settle those
// for reasons a parser cannot see). When several arrangements fit (key order is not meaning),
// the side git's markers put first comes first, as in every other union.

const MAX_OPEN_HUNKS = 6;

function arrangements(h: Hunk): string[] {
  const up = h.upstream.join('');
  const fork = h.fork.join('');
  return h.first === 'fork' ? [fork + up, up + fork] : [up + fork, fork + up];
}

export function mergeDataHunks(v: FileVersions, segments: readonly Segment[], outcomes: HunkOutcome[]): void {
  const format = dataFormatOf(v.path);
  const open = outcomes.filter((o) => o.layer === null);
  if (!format || open.length === 0 || open.length > MAX_OPEN_HUNKS || v.upstream === null || v.fork === null) return;
  const merged = mergeDocuments(v.base ?? '', v.upstream, v.fork, format);
  if (!merged) return;
  const hunks = new Map(segments.flatMap((s) => (s.kind === 'conflict' ? [[s.hunk.index, s.hunk] as const] : [])));
  // A side with nothing but blank lines makes "both sides" the other side alone.
  if (
    open.some((o) =>
      [hunks.get(o.hunk)?.upstream ?? [], hunks.get(o.hunk)?.fork ?? []].some((lines) =>
        lines.every((l) => l.trim() === ''),
      ),
    )
  )
    return;
  const fixed = new Map(outcomes.filter((o) => o.layer !== null).map((o) => [o.hunk, o.text ?? '']));
  let chosen: string[] | null = null;
  for (let n = 0; n < 2 ** open.length; n++) {
    const pick = new Map<number, string>();
    let k = n;
    for (const o of open) {
      pick.set(o.hunk, arrangements(hunks.get(o.hunk) as Hunk)[k % 2] as string);
      k = Math.floor(k / 2);
    }
    const text = segments
      .map((s) => (s.kind === 'clean' ? s.lines.join('') : (fixed.get(s.hunk.index) ?? pick.get(s.hunk.index))))
      .join('');
    if (matchesMerge(text, format, merged)) {
      chosen = open.map((o) => pick.get(o.hunk) as string);
      break;
    }
  }
  const only = chosen;
  if (!only) return;
  // Comments are invisible to the parser: a union that repeats a line, or brings back a base line
  // one side removed (a commented-out block the other side kept), is not the merge.
  if (
    open.some(
      (o, i) =>
        !noNewDuplicates(splitLines(only[i] as string), hunks.get(o.hunk) as Hunk) ||
        revivesRemovedLine(splitLines(only[i] as string), hunks.get(o.hunk) as Hunk),
    )
  )
    return;
  open.forEach((o, i) => {
    Object.assign(o, {
      layer: 'structure',
      by: 'key-merge',
      rationale: `${format.toUpperCase()} merged key by key: the sides changed different keys, and this is the one arrangement that parses to the merge`,
      confidence: 1,
      text: only[i],
    });
  });
}

function revivesRemovedLine(lines: readonly string[], h: Hunk): boolean {
  const has = (xs: readonly string[], l: string) => xs.some((x) => x.trim() === l);
  return h.base.some((b) => {
    const l = b.trim();
    return l !== '' && (!has(h.upstream, l) || !has(h.fork, l)) && has(lines, l);
  });
}
