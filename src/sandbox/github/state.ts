import type { BareGit } from './bare-git.js';

// What the stand-in keeps besides git: the things GitHub stores in its database. Git data
// (branches, tags, commits, files) is never copied here; it is read from the bare repository.

export interface ReleaseRecord {
  id: number;
  tag: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  author: string;
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface PullRecord {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  /** "owner/name" of the head repository (the same repository for same-repo PRs). */
  headRepo: string;
  headRef: string;
  /** Last head commit seen: the live branch head is read from git while the PR is open. */
  headSha: string;
  baseRef: string;
  user: string;
  labels: string[];
  assignees: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Tests make GitHub "still computing" mergeability for this many reads. */
  unknownMergeableReads: number;
}

export interface CommentRecord {
  id: number;
  issue: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  detailsUrl: string | null;
  startedAt: string;
  completedAt: string | null;
  output: { title: string | null; summary: string | null };
  /** The Actions job's log (GET /actions/jobs/{id}/logs; a check run's id is its job's id). */
  log?: string | null;
}

export interface StatusRecord {
  id: number;
  sha: string;
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MergeRecord {
  repo: string;
  number: number;
  method: MergeMethod;
  /** Login that merged: the token's user for API merges, the named person for test actions. */
  by: string;
  sha: string | null;
  ok: boolean;
  status: number;
}

export interface DispatchRecord {
  repo: string;
  kind: 'workflow' | 'repository';
  /** Workflow id or file name, or the repository_dispatch event type. */
  name: string;
  ref: string | null;
  payload: Record<string, unknown>;
  by: string;
  /** Workflow dispatches only: the run GitHub starts for it (listed by GET /actions/runs). */
  run?: { id: number; createdAt: string; displayTitle: string };
}

export interface BranchProtection {
  /** Check run names or status contexts that must pass on the head before a merge. */
  requiredChecks: string[];
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  parent: string | null;
  /** Absolute path of the bare repository. */
  path: string;
  git: BareGit;
  releases: ReleaseRecord[];
  pulls: PullRecord[];
  comments: CommentRecord[];
  checkRuns: CheckRunRecord[];
  statuses: StatusRecord[];
  /** Branch name → protection: no direct pushes or ref updates, merges only through pull requests. */
  protectedBranches: Map<string, BranchProtection>;
  /** Issue numbers and pull numbers share one sequence, as on GitHub. */
  nextIssueNumber: number;
}
