import type { Actor } from './actor.js';
import type { AttemptOutcome } from '../core/ci-fix/fix-bounds.js';
import type { PatchRefusal } from '../core/ci-fix/patch-check.js';

// The CI fixer's attempts on each sync PR (one row per attempt: the head commit it tried, the
// patch the LLM proposed, why it was refused or which commit it pushed), and the extra attempts
// people granted with "Try the CI fixer again". Stored in SQLite (migration 119).

export interface CiFixAttempt {
  id: number;
  pipeline: string;
  tag: string;
  repo: string;
  pr: number;
  headSha: string;
  /** 1-based among the PR's counted attempts. */
  n: number;
  /** maxAttemptsPerPr plus grants, when the attempt started. */
  of: number;
  jobId: number | null;
  granted: boolean;
  outcome: AttemptOutcome;
  /** The failing checks the attempt was about. */
  checks: string[];
  patch: string | null;
  paths: string[];
  lines: number | null;
  summary: string | null;
  rationale: string | null;
  refused: PatchRefusal | null;
  /** pre-existing / llm-unavailable / failed: what happened, for the card and `status`. */
  note: string | null;
  commitSha: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export type CiFixStart = Pick<
  CiFixAttempt,
  'pipeline' | 'tag' | 'repo' | 'pr' | 'headSha' | 'n' | 'of' | 'jobId' | 'granted' | 'checks'
>;

export type CiFixFinish = Partial<
  Pick<
    CiFixAttempt,
    'outcome' | 'patch' | 'paths' | 'lines' | 'summary' | 'rationale' | 'refused' | 'note' | 'commitSha'
  >
>;

export interface CiFixRecords {
  /** Starts an attempt (outcome `running`); the same job starting again gets its own row back. */
  begin(input: CiFixStart): CiFixAttempt;
  update(id: number, change: CiFixFinish & { finished?: boolean }): CiFixAttempt;
  get(id: number): CiFixAttempt | null;
  /** Oldest first. */
  attempts(repo: string, pr: number): CiFixAttempt[];
  /** Newest first, across the pipeline's PRs (`status`). */
  recent(pipeline: string, limit?: number): CiFixAttempt[];
  /** A person's extra attempt, once per job that carries it. */
  grant(repo: string, pr: number, jobId: number, by: Actor): void;
  grants(repo: string, pr: number): { total: number; unused: number };
  /** Marks the oldest unused grant used by `attemptId`; false when none is left. */
  useGrant(repo: string, pr: number, attemptId: number): boolean;
}
