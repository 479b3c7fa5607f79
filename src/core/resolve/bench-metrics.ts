import { landedResolutions } from './learn.js';
import { acceptableKey, type FileResolution } from './resolve-file.js';
import type { HunkOutcome } from './types.js';

// How `bench conflicts` grades a case and credits each layer, the way the corpora's own scorers
// grade: strict exact (byte for byte), acceptable (equal after CRLF→LF, trailing whitespace
// stripped and blank lines dropped), not acceptable (decided, but not acceptable), unresolved.

export type Grade = 'exact' | 'acceptable' | 'not-acceptable' | 'unresolved';

export type Answer = { deleted: true } | { deleted: false; text: string; bytes: Uint8Array };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** output: the written content (undefined: unresolved, null: delete), with its bytes. */
export function gradeCase(
  output: { text: string; bytes: Uint8Array } | null | undefined,
  truth: Answer,
): Exclude<Grade, never> {
  if (output === undefined) return 'unresolved';
  if (output === null) return truth.deleted ? 'exact' : 'not-acceptable';
  if (truth.deleted) return 'not-acceptable';
  if (sameBytes(output.bytes, truth.bytes)) return 'exact';
  return acceptableKey(output.text) === acceptableKey(truth.text) ? 'acceptable' : 'not-acceptable';
}

/** The layer a decided hunk is credited to in the bench tables. */
export function layerOf(o: HunkOutcome): string | null {
  if (o.layer === null) return null;
  if (o.layer === 'structure' && o.by?.startsWith('stale-fork')) return 'history';
  if (o.layer === 'structure' && o.by === 'key-merge') return 'key-merge';
  return o.layer;
}

/** The strategy a decided hunk is credited to ("non-overlapping+list-union" → non-overlapping). */
export function strategyOf(o: HunkOutcome): string | null {
  if (o.layer === null) return null;
  if (o.layer === 'rule') return 'rule';
  if (o.layer === 'memory') return 'memory';
  if (o.layer !== 'structure') return o.layer;
  return (o.by ?? 'structure').split('+')[0] as string;
}

export interface HunkCredit {
  layer: string;
  strategy: string;
  /** true: the hunk's text is what the answer kept; null: the answer cannot be lined up with the hunks. */
  right: boolean | null;
}

/**
 * Each decided hunk against the answer. Where the answer lines up with the hunks (its clean text
 * found in order), a hunk is right when its text is acceptable-equal to the answer's text there.
 * Where it does not (a whole-file decision, or people edited clean text too) the file's grade
 * stands for all its decided hunks when the file was written, and nothing is credited otherwise.
 */
export function creditHunks(resolution: FileResolution, truth: Answer | null, grade: Grade | null): HunkCredit[] {
  const decided = resolution.outcomes.filter((o) => o.layer !== null && o.layer !== 'person');
  const aligned =
    truth && !truth.deleted && !resolution.deletedBy ? landedResolutions(resolution.segments, truth.text) : null;
  return decided.map((o) => {
    const layer = layerOf(o) as string;
    const strategy = strategyOf(o) as string;
    let right: boolean | null = null;
    if (aligned && o.text !== undefined && (grade === 'unresolved' || grade === null || !isWhole(o)))
      right = acceptableKey(o.text) === acceptableKey(aligned[o.hunk] ?? '');
    else if (grade && grade !== 'unresolved') right = grade !== 'not-acceptable';
    return { layer, strategy, right };
  });
}

/** Whole-file decisions are judged by the whole file they wrote. */
function isWhole(o: HunkOutcome): boolean {
  return o.layer === 'rule' || o.by === 'stale-fork-side';
}
