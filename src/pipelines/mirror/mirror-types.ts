import type { MirrorOutcome, MirrorState } from '../../core/mirror/mirror-state.js';
import type { KindResult } from '../pipeline-kind.js';

/** A commit only on one side, as the sync report keeps it. */
export interface ReportCommit {
  sha: string;
  subject: string;
  author: string;
}

/** The sync report stored for each run that found the sides different (README: kind mirror). */
export interface SyncReport {
  sourceOnly: ReportCommit[];
  targetOnly: ReportCommit[];
  /** Paths touched on either side since the merge base, sorted. */
  files: string[];
  /** Paths a merge of the source into the target would conflict on; [] when it would merge cleanly. */
  conflicts: string[];
}

/** The JSON line of `sync --json` for a mirror pipeline (the contract). */
export interface MirrorResult extends KindResult {
  kind: 'mirror';
  outcome: MirrorOutcome;
  sourceSha: string | null;
  targetSha: string | null;
  targetShaAfter: string | null;
  ahead: number;
  behind: number;
  tags: { pushed: string[]; conflicting: string[] };
  /** A force (or rollback) only: where the head it replaced is kept (refs/upstream-sync/backup/…). */
  backupRef?: string;
  /** Merge into target only (`merge-pr`, `conflicts`): the PR into the target branch (null while hunks wait). */
  pr?: { number: number; url: string } | null;
  /** Merge into target only: the branch upstream-sync/mirror-<short source sha> in the target. */
  mergeBranch?: string | null;
  /** Merge into target only: the two-parent merge commit (target head first); null while hunks wait. */
  mergeSha?: string | null;
  /** Merge into target only: paths that conflicted merging the source (decided ones included). */
  conflicts?: string[];
  report: {
    sourceOnly: Array<{ sha: string; subject: string }>;
    targetOnly: Array<{ sha: string; subject: string }>;
    files: string[];
  } | null;
}

/** What the cache showed about both sides (memoized by the job as one step). */
export interface MirrorInspection {
  sourceSha: string;
  targetSha: string | null;
  state: MirrorState;
  /** Commits on the source not on the target. */
  ahead: number;
  /** Commits on the target not on the source. */
  behind: number;
  report: SyncReport | null;
  /** `objects`: the source's tag object of each tag to push. */
  tags: { push: string[]; conflicting: string[]; objects: Record<string, string> };
}

/** A stored run, as `status`, the card and a force read it. */
export interface MirrorRunRecord {
  id: number;
  pipeline: string;
  at: string;
  outcome: MirrorOutcome;
  state: MirrorState;
  sourceSha: string | null;
  targetSha: string | null;
  targetShaAfter: string | null;
  ahead: number;
  behind: number;
  report: SyncReport | null;
  tags: { pushed: string[]; conflicting: string[] };
  durationMs: number | null;
  backupRef: string | null;
}
