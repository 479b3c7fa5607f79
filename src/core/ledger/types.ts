// The fork-patch ledger: what happened to each of the fork's own changes in a sync.

export type HunkFate = 'kept' | 'absorbed' | 'adapted' | 'dropped';

export const HUNK_FATES: readonly HunkFate[] = ['kept', 'absorbed', 'adapted', 'dropped'];

/**
 * One fork file and its four versions. Text is null where that side has no file. `basePath` is
 * the path at the merge base when the fork renamed the file (git's rename detection).
 */
export interface LedgerFileInput {
  path: string;
  basePath?: string;
  /** At the upstream commit production was last synced to (the merge base). */
  base: string | null;
  /** At the production head. */
  fork: string | null;
  /** At the upstream commit being synced to. */
  upstream: string | null;
  /** In the sync branch that was built. */
  result: string | null;
}

export type HunkKind = 'added-file' | 'deleted-file' | 'renamed-file' | 'modified';

export interface ForkHunk {
  /** Stable across runs for the same change: `<path>#<n>@<digest>`. */
  id: string;
  path: string;
  basePath: string | null;
  kind: HunkKind;
  /** 1-based line in the merge-base file where the change applies (0 for a new file). */
  baseLine: number;
  /** 1-based line in the production file. */
  forkLine: number;
  removed: string[];
  added: string[];
  /** Up to CONTEXT unchanged lines around the change, from the merge base. */
  before: string[];
  after: string[];
}

export interface LedgerEntry extends ForkHunk {
  fate: HunkFate;
  /** For adapted (how it was altered) and dropped (what is gone); empty otherwise. */
  detail: string;
}

export interface Ledger {
  entries: LedgerEntry[];
  counts: Record<HunkFate, number>;
}
