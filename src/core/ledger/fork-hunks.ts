import { createHash } from 'node:crypto';
import { diffLines } from '../resolve/diff.js';
import type { ForkHunk, HunkKind, LedgerFileInput } from './types.js';

// The fork's patch set for one file: the line hunks between the merge base and production.

export const CONTEXT = 2;

export function splitLines(text: string | null): string[] {
  if (text === null || text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function forkHunks(file: LedgerFileInput): ForkHunk[] {
  const base = splitLines(file.base);
  const fork = splitLines(file.fork);
  const basePath = file.basePath ?? null;
  if (file.base === null && file.fork !== null)
    return [hunk(file.path, basePath, 'added-file', 0, 0, [], fork, [], [], 0)];
  if (file.fork === null && file.base !== null) {
    return [hunk(file.path, basePath, 'deleted-file', 1, 0, base, [], [], [], 0)];
  }
  const blocks = diffLines(base, fork);
  blocks.push({ a: base.length, b: fork.length, size: 0 });
  const out: ForkHunk[] = [];
  let a = 0;
  let b = 0;
  for (const block of blocks) {
    if (block.a > a || block.b > b) {
      const kind: HunkKind = 'modified';
      out.push(
        hunk(
          file.path,
          basePath,
          kind,
          a + 1,
          b + 1,
          base.slice(a, block.a),
          fork.slice(b, block.b),
          base.slice(Math.max(0, a - CONTEXT), a),
          base.slice(block.a, block.a + CONTEXT),
          out.length,
        ),
      );
    }
    a = block.a + block.size;
    b = block.b + block.size;
  }
  // A pure rename still is a fork decision: the file must stay at its new path.
  if (out.length === 0 && basePath !== null && basePath !== file.path) {
    out.push(hunk(file.path, basePath, 'renamed-file', 0, 0, [], [], [], [], 0));
  }
  return out;
}

function hunk(
  path: string,
  basePath: string | null,
  kind: HunkKind,
  baseLine: number,
  forkLine: number,
  removed: string[],
  added: string[],
  before: string[],
  after: string[],
  index: number,
): ForkHunk {
  const digest = createHash('sha256')
    .update(JSON.stringify([kind, basePath, removed, added]))
    .digest('hex')
    .slice(0, 8);
  return {
    id: `${path}#${index + 1}@${digest}`,
    path,
    basePath,
    kind,
    baseLine,
    forkLine,
    removed,
    added,
    before,
    after,
  };
}
