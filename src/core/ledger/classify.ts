import { forkHunks, splitLines } from './fork-hunks.js';
import { isTrivial, LineIndex, normalize } from './line-index.js';
import {
  HUNK_FATES,
  type ForkHunk,
  type HunkFate,
  type Ledger,
  type LedgerEntry,
  type LedgerFileInput,
} from './types.js';

// Classifies every fork hunk against the sync result: kept (still applied), absorbed (upstream
// applies it too, so the fork's patch is redundant), adapted (present in altered form) or dropped
// (gone, and upstream does not have it). A deletion the fork made counts: a file it deleted that
// comes back is dropped.

interface Side {
  exists: boolean;
  index: LineIndex;
  normalized: LineIndex | null;
}

function side(text: string | null): Side {
  return { exists: text !== null, index: new LineIndex(splitLines(text)), normalized: null };
}

function normalizedIndex(s: Side): LineIndex {
  s.normalized ??= new LineIndex(s.index.lines.map(normalize));
  return s.normalized;
}

function addedPresent(h: ForkHunk, s: Side): boolean {
  if (h.added.length === 0) return true;
  if (!s.index.contains(h.added)) return false;
  if (h.added.some((l) => !isTrivial(l))) return true;
  // Only blank lines or brackets: they must sit next to their context to count.
  const lead = h.before.slice(-1);
  const trail = h.after.slice(0, 1);
  if (lead.length === 0 && trail.length === 0) return true;
  return s.index.contains([...lead, ...h.added]) || s.index.contains([...h.added, ...trail]);
}

function removedBack(h: ForkHunk, s: Side): boolean {
  if (h.removed.length === 0) return false;
  if (s.index.contains([...h.before, ...h.removed, ...h.after])) return true;
  const substantial = h.removed.filter((l) => !isTrivial(l)).length;
  if (substantial === 0) return false;
  if (substantial >= 2 && s.index.contains(h.removed)) return true;
  // One side of the context is enough: upstream may have edited the other.
  const lead = h.before.slice(-1);
  const trail = h.after.slice(0, 1);
  return (
    (lead.length > 0 && s.index.contains([...lead, ...h.removed])) ||
    (trail.length > 0 && s.index.contains([...h.removed, ...trail]))
  );
}

function applied(h: ForkHunk, s: Side): boolean {
  switch (h.kind) {
    case 'deleted-file':
      return !s.exists;
    case 'renamed-file':
      return s.exists;
    default:
      return s.exists && addedPresent(h, s) && !removedBack(h, s);
  }
}

/** How an unapplied hunk still shows in `s`, or null when it does not. */
function adaptation(h: ForkHunk, s: Side): string | null {
  if (!s.exists || h.kind === 'deleted-file' || h.kind === 'renamed-file') return null;
  const substantial = h.added.filter((l) => !isTrivial(l));
  if (substantial.length > 0 && normalizedIndex(s).contains(h.added.map(normalize))) {
    return removedBack(h, s)
      ? `fork lines present with whitespace changed, but the ${h.removed.length} line(s) they replaced are back`
      : 'fork lines present with whitespace or indentation changed';
  }
  if (h.added.length > 0 && addedPresent(h, s) && removedBack(h, s)) {
    return `fork lines present, but the ${h.removed.length} line(s) they replaced are back`;
  }
  if (substantial.length > 0) {
    const found = normalizedIndex(s).present(substantial.map(normalize));
    if (found * 2 >= substantial.length)
      return `${found} of ${substantial.length} fork lines present, the rest changed`;
    // A resolution that keeps the fork's line and adds to it (a longer comment, an extra argument).
    const extended = substantial.filter((l) => {
      const n = normalize(l);
      return n.length >= 8 && s.index.lines.some((r) => normalize(r).startsWith(n));
    }).length;
    if (extended * 2 >= substantial.length)
      return `${extended} of ${substantial.length} fork lines present with text added to them`;
  }
  return null;
}

function dropDetail(h: ForkHunk, result: Side): string {
  if (h.kind === 'deleted-file') return 'the file the fork deleted is back';
  if (h.kind === 'renamed-file') return `the file is no longer at ${h.path}`;
  if (!result.exists) return 'the file is missing from the sync result';
  if (h.added.length === 0) return `the ${h.removed.length} line(s) the fork deleted are back`;
  return `${h.added.length} fork line(s) missing from the sync result`;
}

export function classifyHunk(h: ForkHunk, upstream: Side, result: Side): { fate: HunkFate; detail: string } {
  const inUpstream = applied(h, upstream);
  if (applied(h, result)) return { fate: inUpstream ? 'absorbed' : 'kept', detail: '' };
  if (inUpstream) return { fate: 'adapted', detail: 'upstream carries the change, but the sync result altered it' };
  const how = adaptation(h, result);
  if (how) return { fate: 'adapted', detail: how };
  return { fate: 'dropped', detail: dropDetail(h, result) };
}

export function classifyFile(file: LedgerFileInput): LedgerEntry[] {
  const hunks = forkHunks(file);
  if (hunks.length === 0) return [];
  const upstream = side(file.upstream);
  const result = side(file.result);
  return hunks.map((h) => ({ ...h, ...classifyHunk(h, upstream, result) }));
}

export function buildLedger(files: readonly LedgerFileInput[]): Ledger {
  const entries = files.flatMap(classifyFile);
  return { entries, counts: countFates(entries) };
}

export function countFates(entries: readonly { fate: HunkFate }[]): Record<HunkFate, number> {
  const counts = Object.fromEntries(HUNK_FATES.map((f) => [f, 0])) as Record<HunkFate, number>;
  for (const e of entries) counts[e.fate]++;
  return counts;
}
