import { splitLines } from './lines.js';
import type { Segment } from './types.js';

// What a person (or the bot) finally committed for each hunk, read back from the landed file: the
// clean text between hunks is found in order, and whatever sits between two clean runs is the
// resolution of the hunk between them. When the landed file changed clean text too, the hunks
// cannot be told apart and nothing is learned.

function indexOf(hay: readonly string[], needle: readonly string[], from: number): number {
  if (needle.length === 0) return from;
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** One resolved text per hunk, in order, or null when the landed file does not line up. */
export function landedResolutions(segments: readonly Segment[], landed: string): string[] | null {
  const lines = splitLines(landed);
  const out: string[] = [];
  let pos = 0;
  let pending = false;
  for (const [i, s] of segments.entries()) {
    // A clean run of blank lines between two hunks can be matched almost anywhere: the split
    // between the two resolutions would be a guess.
    if (s.kind === 'clean' && i > 0 && i < segments.length - 1 && s.lines.every((l) => l.trim() === '')) return null;
    if (s.kind === 'conflict') {
      if (pending) return null;
      pending = true;
      continue;
    }
    const at = indexOf(lines, s.lines, pos);
    if (at < 0) return null;
    if (pending) {
      out.push(lines.slice(pos, at).join(''));
      pending = false;
    } else if (at !== pos) return null;
    pos = at + s.lines.length;
  }
  if (pending) out.push(lines.slice(pos).join(''));
  else if (pos !== lines.length) return null;
  return out;
}
