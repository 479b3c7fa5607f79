import { splitLines } from './fork-hunks.js';
import type { ForkHunk } from './types.js';

// "Restore fork side" for one dropped fork hunk: the sync result's file with that hunk applied
// again, placed by the merge-base context the fork's change had. Pure: the job reads the files,
// writes the commit and pushes it. Only the hunk's own lines change; the rest of the file (upstream's
// edits, other hunks) stays as the sync result has it.

export type RestoredFile =
  { ok: true; path: string; content: string | null; alsoDelete: string | null } | { ok: false; reason: string };

function findBlock(lines: readonly string[], block: readonly string[], from = 0): number[] {
  if (block.length === 0) return [];
  const out: number[] = [];
  for (let i = from; i + block.length <= lines.length; i++) {
    let j = 0;
    while (j < block.length && lines[i + j] === block[j]) j++;
    if (j === block.length) out.push(i);
  }
  return out;
}

function join(lines: readonly string[], trailingNewline: boolean): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}${trailingNewline ? '\n' : ''}`;
}

/** Where in `result` the hunk goes: [start, end) of the lines it replaces, or null. */
function place(h: ForkHunk, result: readonly string[]): [number, number] | null {
  const { before, removed, after } = h;
  const unique = (hits: number[]): number | null => (hits.length === 1 ? (hits[0] as number) : null);
  // The lines the fork replaced are back, with their context: replace exactly them.
  const full = unique(findBlock(result, [...before, ...removed, ...after]));
  if (full !== null) return [full + before.length, full + before.length + removed.length];
  if (removed.length > 0) {
    const withLead = before.length ? unique(findBlock(result, [...before.slice(-1), ...removed])) : null;
    if (withLead !== null) return [withLead + 1, withLead + 1 + removed.length];
    const withTrail = after.length ? unique(findBlock(result, [...removed, ...after.slice(0, 1)])) : null;
    if (withTrail !== null) return [withTrail, withTrail + removed.length];
    const alone = removed.length >= 2 ? unique(findBlock(result, removed)) : null;
    if (alone !== null) return [alone, alone + removed.length];
  }
  // A pure insertion (or the replaced lines are gone too): between its context lines.
  if (before.length === 0 && h.baseLine <= 1) return [0, 0];
  const lead = before.length ? unique(findBlock(result, before)) : null;
  if (lead !== null) return [lead + before.length, lead + before.length];
  const trail = after.length ? unique(findBlock(result, after)) : null;
  if (trail !== null) return [trail, trail];
  if (after.length === 0 && before.length > 0) {
    const tail = findBlock(result, before.slice(-1));
    if (tail.length === 1 && (tail[0] as number) === result.length - 1) return [result.length, result.length];
  }
  return null;
}

/**
 * The file to write so `h` is applied again. `result` is the sync branch's text of `h.path` (and of
 * `h.basePath` for a rename), `fork` the production text of `h.path`.
 */
export function restoreHunk(
  h: ForkHunk,
  files: { result: string | null; resultAtBasePath?: string | null; fork: string | null },
): RestoredFile {
  switch (h.kind) {
    case 'deleted-file':
      return { ok: true, path: h.path, content: null, alsoDelete: null };
    case 'added-file':
      if (files.fork === null) return { ok: false, reason: `${h.path} is not in production any more` };
      return { ok: true, path: h.path, content: files.result ?? files.fork, alsoDelete: null };
    case 'renamed-file': {
      const moved = files.resultAtBasePath ?? files.fork;
      if (moved === null || moved === undefined) return { ok: false, reason: `${h.path} has no content to restore` };
      return { ok: true, path: h.path, content: moved, alsoDelete: h.basePath };
    }
    case 'modified': {
      // The whole file is gone from the sync result: production's file is the fork's side.
      if (files.result === null) {
        if (files.fork === null) return { ok: false, reason: `${h.path} is missing on both sides` };
        return { ok: true, path: h.path, content: files.fork, alsoDelete: null };
      }
      const lines = splitLines(files.result);
      const at = place(h, lines);
      if (!at)
        return {
          ok: false,
          reason: `the context of hunk ${h.id} is not in the sync result (upstream rewrote it); restore it by hand`,
        };
      const next = [...lines.slice(0, at[0]), ...h.added, ...lines.slice(at[1])];
      const trailing = files.result.endsWith('\n') || files.result === '';
      return { ok: true, path: h.path, content: join(next, trailing), alsoDelete: null };
    }
  }
}
