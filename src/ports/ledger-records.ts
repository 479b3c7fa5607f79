import type { Actor } from './actor.js';
import type { HunkFate, LedgerEntry } from '../core/ledger/types.js';
import type { GuardResult } from '../core/ledger/guards.js';

// The fork-patch ledger of each sync, kept per sync branch head, and the drops people accepted.

export interface LedgerRecord {
  pipeline: string;
  tag: string;
  prNumber: number | null;
  headSha: string;
  /** The revisions the ledger compared: merge base, production head and upstream commit. */
  baseSha: string;
  productionSha: string;
  upstreamSha: string;
  builtAt: string;
  counts: Record<HunkFate, number>;
  entries: LedgerEntry[];
  pendingPaths: string[];
  guards: GuardResult[];
}

export interface LedgerAcceptance {
  hunkId: string;
  acceptedBy: Actor;
  at: string;
}

export interface LedgerRecords {
  /** Idempotent for the same (pipeline, tag, head). */
  save(record: Omit<LedgerRecord, 'builtAt'>): void;
  setPr(pipeline: string, tag: string, prNumber: number): void;
  /** The newest ledger of a pipeline, of one of its tags, or of one of its PRs. */
  latest(pipeline: string, filter?: { tag?: string; pr?: number }): LedgerRecord | null;
  /** The newest ledger of any pipeline for a PR number (the CLI without --pipeline). */
  latestForPr(pr: number): LedgerRecord | null;
  accept(pipeline: string, tag: string, hunkId: string, actor: Actor): void;
  acceptances(pipeline: string, tag: string): LedgerAcceptance[];
}
