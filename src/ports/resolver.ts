import type { ConflictDecider, HunkDecision } from './notifier.js';

// Resolver records (src/adapters/store/resolver-store.ts, migration 003): resolution memory shared
// by the team (keyed by what a conflict looks like, so it is replayed at every later sync), the
// decision log of each PR head, a person's choices from Slack, and attempt counts.

/** How a remembered resolution relates to its hunk; sides are replayed with the current bytes. */
export type RememberedShape = 'upstream' | 'fork' | 'upstream+fork' | 'fork+upstream' | 'text';

export interface RememberedResolution {
  /** hunkKey(): sha256 of the normalized base, upstream and fork texts. */
  key: string;
  shape: RememberedShape;
  text: string;
  /** Where it was learned, e.g. "CartoDB/litellm#12 litellm/main.py". */
  source: string;
  learnedAt: string;
}

export interface ResolutionMemory {
  recall(repo: string, keys: readonly string[]): Map<string, RememberedResolution>;
  /** Upserts by (repo, key): the latest landed resolution wins. Returns how many were written. */
  remember(repo: string, entries: ReadonlyArray<Omit<RememberedResolution, 'learnedAt'>>): number;
}

/** One hunk of the decision log. */
export interface HunkRecord {
  path: string;
  hunk: number;
  hunkKey: string;
  /** null while it waits for a person. */
  layer: ConflictDecider | null;
  by: string | null;
  rationale: string;
  confidence: number;
  text: string | null;
}

/** The commits one resolution was made from, so that what lands can be learned later. */
export interface ResolveRunRecord {
  pipeline: string;
  repo: string;
  pr: number;
  headSha: string;
  productionSha: string;
  mergeBase: string | null;
  /** Paths whose hunks went through the layers (content conflicts). */
  paths: string[];
  /** The merge commit the resolver pushed, or null while hunks wait. */
  resolvedSha: string | null;
  at: string;
}

export interface ResolverLog {
  /** Counts one LLM-spending resolver attempt for this PR head; returns the new count. */
  countAttempt(repo: string, pr: number, headSha: string): number;
  attempts(repo: string, pr: number, headSha: string): number;
  /** Replaces the decision log of a PR head as a whole. */
  saveDecisions(repo: string, pr: number, headSha: string, rows: readonly HunkRecord[]): void;
  decisions(repo: string, pr: number, headSha: string): HunkRecord[];
  /** A person's "take upstream / take fork"; a later choice for the same hunk replaces it. */
  recordChoice(repo: string, pr: number, decision: HunkDecision): void;
  choices(repo: string, pr: number): HunkDecision[];
  /** The recorded choice for one hunk, with when it was made; null when nobody chose yet. */
  choice(repo: string, pr: number, hunkId: string): (HunkDecision & { at: string }) | null;
  recordRun(run: ResolveRunRecord): void;
  lastRun(repo: string, pr: number): ResolveRunRecord | null;
}
