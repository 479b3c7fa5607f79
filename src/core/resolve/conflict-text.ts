import { splitLines } from './lines.js';
import { parentsToSides, sideOfParent, sidesToParents, type ParentOrder } from './sides.js';
import type { Hunk, Segment } from './types.js';

// diff3-style conflict text (`git merge-file --diff3`), read and written. Reading needs the
// labels: a bare "=======" line is ordinary Markdown, so only the full marker set counts.

export interface ConflictLabels {
  first: string;
  base: string;
  second: string;
}

/**
 * Parses diff3 conflict text (`git merge-file --diff3 -L first -L base -L second`) into segments;
 * `order` says which parent is upstream. Null when a conflict block is not closed.
 */
export function parseConflictText(text: string, labels: ConflictLabels, order: ParentOrder): Segment[] | null {
  const open = `<<<<<<< ${labels.first}`;
  const mid = `||||||| ${labels.base}`;
  const close = `>>>>>>> ${labels.second}`;
  const lines = splitLines(text);
  const segments: Segment[] = [];
  let clean: string[] = [];
  let index = 0;
  let upPos = 0;
  let i = 0;
  const marker = (line: string | undefined, m: string) => line !== undefined && line.replace(/\r?\n$/, '') === m;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (!marker(line, open)) {
      clean.push(line);
      upPos++;
      i++;
      continue;
    }
    const first: string[] = [];
    const base: string[] = [];
    const second: string[] = [];
    i++;
    while (i < lines.length && !marker(lines[i], mid)) first.push(lines[i++] as string);
    i++;
    while (i < lines.length && !marker(lines[i], '=======')) base.push(lines[i++] as string);
    i++;
    while (i < lines.length && !marker(lines[i], close)) second.push(lines[i++] as string);
    if (i >= lines.length) return null;
    i++;
    if (clean.length) segments.push({ kind: 'clean', lines: clean });
    clean = [];
    const sides = parentsToSides(order, { first, second });
    segments.push({
      kind: 'conflict',
      hunk: {
        index: index++,
        upstream: sides.upstream,
        base,
        fork: sides.fork,
        upstreamLine: upPos + 1,
        first: sideOfParent(order, 'first'),
      },
    });
    upPos += sides.upstream.length;
  }
  if (clean.length) segments.push({ kind: 'clean', lines: clean });
  return segments;
}

/** Lines that look like any conflict marker, whatever the label. */
export const MARKER_RE = /^(<{7}|>{7}|\|{7})( |$)|^={7}$/m;

export function hasConflictMarkers(text: string): boolean {
  return MARKER_RE.test(text.replace(/\r\n/g, '\n'));
}

/** Writes segments back as diff3 text, parents in `order`; unresolved hunks keep their markers. */
export function formatConflictText(segments: readonly Segment[], labels: ConflictLabels, order: ParentOrder): string {
  const nl = (s: string) => (s.endsWith('\n') || s === '' ? s : `${s}\n`);
  let out = '';
  for (const s of segments) {
    if (s.kind === 'clean') out += s.lines.join('');
    else {
      const h: Hunk = s.hunk;
      const p = sidesToParents(order, { upstream: h.upstream, fork: h.fork });
      out += `<<<<<<< ${labels.first}\n${nl(p.first.join(''))}||||||| ${labels.base}\n${nl(h.base.join(''))}=======\n${nl(p.second.join(''))}>>>>>>> ${labels.second}\n`;
    }
  }
  return out;
}
