import { createHash } from 'node:crypto';
import type { RememberedShape } from '../../ports.js';
import type { Hunk } from './types.js';

export type { RememberedShape } from '../../ports.js';

// Resolution memory is keyed by what the conflict looks like, not by where it is: the same three
// texts come back at every sync of a fork, often at other line numbers or in a moved file. Line
// endings and trailing whitespace are normalized away; anything else is part of the key.

function normalize(lines: readonly string[]): string {
  return lines.map((l) => l.replace(/[ \t\r]*\n?$/, '')).join('\n');
}

export function hunkKey(hunk: Pick<Hunk, 'base' | 'upstream' | 'fork'>): string {
  const h = createHash('sha256');
  for (const part of [hunk.base, hunk.upstream, hunk.fork]) {
    const text = normalize(part);
    // Length-prefixed, so no choice of text can make two different triples collide by concatenation.
    h.update(`${text.length}:`).update(text);
  }
  return h.digest('hex');
}

export function shapeOf(hunk: Pick<Hunk, 'upstream' | 'fork'>, resolved: string): RememberedShape {
  const up = hunk.upstream.join('');
  const fork = hunk.fork.join('');
  if (resolved === up) return 'upstream';
  if (resolved === fork) return 'fork';
  if (resolved === up + fork) return 'upstream+fork';
  if (resolved === fork + up) return 'fork+upstream';
  return 'text';
}

export function replay(hunk: Pick<Hunk, 'upstream' | 'fork'>, shape: RememberedShape, text: string): string {
  const up = hunk.upstream.join('');
  const fork = hunk.fork.join('');
  switch (shape) {
    case 'upstream':
      return up;
    case 'fork':
      return fork;
    case 'upstream+fork':
      return up + fork;
    case 'fork+upstream':
      return fork + up;
    default:
      return text;
  }
}
