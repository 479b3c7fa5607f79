import { splitLines } from '../lines.js';
import type { Segment } from '../types.js';
import { cherryPicks, forkOwnChanges, short, type PathHistory, type UpstreamVersion } from './upstream-history.js';

// The history layer, "stale fork side": when the fork's text is text upstream itself once had,
// the fork was carrying old upstream text, and upstream's newer side is right. Upstream direction
// only: text found in upstream's past never argues for the fork. It is not infallible: a fork that
// cherry-picked an upstream commit, or keeps an older upstream version of a file it customises on
// purpose, looks the same, so there a person decides and is told why.

export type StaleVerdict =
  | { kind: 'none' }
  /** The signal matched, but the match may be the fork's intent: a person decides. */
  | { kind: 'blocked'; reason: string; from: 'whole-file' | 'hunks' }
  | { kind: 'whole-file'; commit: string }
  /** Hunk index → the upstream commit whose version holds the fork's hunk with its context. */
  | { kind: 'hunks'; matches: Map<number, string> };

export interface StaleInput {
  fork: string | null;
  segments: readonly Segment[];
  history: PathHistory | null | undefined;
  /** A path rule matched the file (take merge): the rule's word stands, never overridden. */
  rule: string | null;
}

/** Lines of context on each side a hunk must carry to count as found in an upstream version. */
const CONTEXT = 3;
const MIN_NON_BLANK = 3;

const norm = (lines: readonly string[]) => lines.map((l) => l.replace(/\r?\n$/, ''));

function contains(hay: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

function wholeFileMatch(fork: string, h: PathHistory): UpstreamVersion | undefined {
  return h.upstream.find((v) => (h.forkBlob !== null && v.blob === h.forkBlob) || (v.text !== null && v.text === fork));
}

function hunkMatches(segments: readonly Segment[], versions: readonly UpstreamVersion[]): Map<number, string> {
  const texts = versions
    .filter((v) => v.text !== null)
    .map((v) => ({ commit: v.commit, lines: norm(splitLines(v.text as string)) }));
  const out = new Map<number, string>();
  if (texts.length === 0) return out;
  segments.forEach((s, i) => {
    if (s.kind !== 'conflict') return;
    const prev = segments[i - 1];
    const next = segments[i + 1];
    const before = prev?.kind === 'clean' ? prev.lines.slice(-CONTEXT) : [];
    const after = next?.kind === 'clean' ? next.lines.slice(0, CONTEXT) : [];
    const fork = norm(s.hunk.fork);
    if (fork.join('\n') === norm(s.hunk.upstream).join('\n')) return;
    const needle = [...norm(before), ...fork, ...norm(after)];
    if (needle.filter((l) => l.trim() !== '').length < MIN_NON_BLANK) return;
    const hit = texts.find((t) => contains(t.lines, needle));
    if (hit) out.set(s.hunk.index, hit.commit);
  });
  return out;
}

export function staleForkSide(input: StaleInput): StaleVerdict {
  const h = input.history;
  if (!h || input.fork === null || h.upstream.length === 0) return { kind: 'none' };
  const whole = wholeFileMatch(input.fork, h);
  const hunks = whole ? new Map<number, string>() : hunkMatches(input.segments, h.upstream);
  if (!whole && hunks.size === 0) return { kind: 'none' };
  const where = whole
    ? `the fork's file is upstream's version at ${short(whole.commit)}`
    : `fork text of ${hunks.size} hunk(s) is in upstream's history (${[...new Set(hunks.values())].map(short).join(', ')})`;
  const from = whole ? ('whole-file' as const) : ('hunks' as const);
  const own = forkOwnChanges(h);
  if (own.length)
    return {
      kind: 'blocked',
      from,
      reason: `${where}, but the fork changed this file on purpose since the merge base (${own.map((c) => short(c.commit)).join(', ')}): a person decides`,
    };
  const picks = cherryPicks(h);
  if (picks.length)
    return {
      kind: 'blocked',
      from,
      reason: `${where}, but the fork cherry-picked upstream commits on this file (${picks.map((c) => short(c.commit)).join(', ')}), which explains the match: a person decides`,
    };
  if (input.rule)
    return {
      kind: 'blocked',
      from,
      reason: `${where}, but rule ${input.rule} says to merge it hunk by hunk: a person decides`,
    };
  return whole ? { kind: 'whole-file', commit: whole.commit } : { kind: 'hunks', matches: hunks };
}
