// GitHub, as the workflows need it. The adapter (src/adapters/github) maps Octokit errors to
// AppError codes; there is deliberately no way to squash or rebase a merge through this port.

export interface RepoInfo {
  fullName: string;
  /** HTTPS clone URL as the API reports it (never built from a host name). */
  cloneUrl: string;
  htmlUrl: string;
  defaultBranch: string;
  fork: boolean;
  /** "owner/name" of the repository this one was forked from, when it is a fork. */
  parent: string | null;
}

export interface Release {
  id: number;
  tag: string;
  name: string | null;
  draft: boolean;
  prerelease: boolean;
  publishedAt: string | null;
  htmlUrl: string;
  body: string | null;
}

export interface PullRequest {
  number: number;
  htmlUrl: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  headRef: string;
  headSha: string;
  /** "owner/name" of the head repository; null when the fork was deleted. */
  headRepo: string | null;
  baseRef: string;
  labels: string[];
  /** null while GitHub is still computing it. */
  mergeable: boolean | null;
  mergeableState: string | null;
  user: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Comment {
  id: number;
  body: string;
  user: string | null;
  htmlUrl: string;
  createdAt: string;
}

export interface CommitSummary {
  sha: string;
  parents: string[];
  message: string;
  /** GitHub login of the author; null when the author email maps to no account. */
  authorLogin: string | null;
  authorName: string;
  authorEmail: string;
  authorDate: string;
}

export interface ChangedFile {
  path: string;
  /** added | removed | modified | renamed | copied | changed | unchanged */
  status: string;
  additions: number;
  deletions: number;
  previousPath: string | null;
}

export interface Comparison {
  /** Commits in head not in base. */
  aheadBy: number;
  /** Commits in base not in head. */
  behindBy: number;
  status: 'identical' | 'ahead' | 'behind' | 'diverged';
  htmlUrl: string;
  /** As GitHub returns them in one response: oldest first, at most 250. */
  commits: CommitSummary[];
  /** As GitHub returns them in one response: at most 300. */
  files: ChangedFile[];
}

export interface Tag {
  name: string;
  /** The commit the tag points at (peeled). */
  sha: string;
}

export type CheckState = 'success' | 'failure' | 'pending' | 'none';

export interface ChecksSummary {
  state: CheckState;
  total: number;
  failing: string[];
  pending: string[];
}

/** A GitHub Actions run, as much as finding our own earlier dispatch needs. */
export interface WorkflowRun {
  id: number;
  /** The workflow's name. */
  name: string;
  /** The run-name (the workflow's `run-name:`), or the workflow's name when it sets none. */
  displayTitle: string;
  /** Workflow file, e.g. .github/workflows/carto-ghcr-deploy.yaml. */
  path: string;
  headBranch: string | null;
  event: string;
  createdAt: string;
  htmlUrl: string;
}

export interface GitHubPort {
  getRepo(repo: string): Promise<RepoInfo>;
  /** Every release, all pages, newest first as the API returns them. */
  listReleases(repo: string): Promise<Release[]>;
  getReleaseByTag(repo: string, tag: string): Promise<Release | null>;
  createRelease(
    repo: string,
    input: { tag: string; name: string; body: string; targetCommitish?: string },
  ): Promise<Release>;
  /** Text of a file at a ref, or null when the file or ref does not exist. */
  getFileText(repo: string, path: string, ref: string): Promise<string | null>;
  /** Head commit of a branch, or null when it does not exist. */
  getBranchSha(repo: string, branch: string): Promise<string | null>;
  deleteBranch(repo: string, branch: string): Promise<void>;
  /** Refs whose full name starts with `prefix` (e.g. `refs/upstream-sync/backup/main/`), all pages. */
  listRefs(repo: string, prefix: string): Promise<Array<{ ref: string; sha: string }>>;
  /** Creates a full ref in any namespace; one already at `sha` is success, elsewhere AppError conflict. */
  createRef(repo: string, ref: string, sha: string): Promise<void>;
  /** Deletes a full ref; one already gone is success. */
  deleteRef(repo: string, ref: string): Promise<void>;
  compare(repo: string, base: string, head: string): Promise<Comparison>;
  /** Every commit in head not in base (all pages of the comparison), oldest first. */
  listCommitsBetween(repo: string, base: string, head: string): Promise<CommitSummary[]>;
  /** Every tag, all pages. */
  listTags(repo: string): Promise<Tag[]>;
  /** Logins of the organization's members visible to the token, all pages. */
  listOrgMembers(org: string): Promise<string[]>;

  listPulls(repo: string, query: { state: 'open' | 'closed' | 'all'; base?: string }): Promise<PullRequest[]>;
  getPull(repo: string, number: number): Promise<PullRequest>;
  createPull(
    repo: string,
    input: { title: string; head: string; base: string; body: string; draft?: boolean },
  ): Promise<PullRequest>;
  updatePull(
    repo: string,
    number: number,
    input: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<PullRequest>;
  /** Every commit of the pull request, all pages (GitHub stops at 250). */
  listPullCommits(repo: string, number: number): Promise<CommitSummary[]>;
  /** Every changed file of the pull request, all pages (GitHub stops at 3000). */
  listPullFiles(repo: string, number: number): Promise<ChangedFile[]>;
  /** Always a merge commit: this port has no way to squash or rebase. */
  mergePull(
    repo: string,
    number: number,
    input: { sha: string; commitTitle?: string; commitMessage?: string },
  ): Promise<{ sha: string }>;
  addLabels(repo: string, issue: number, labels: string[]): Promise<void>;
  removeLabel(repo: string, issue: number, label: string): Promise<void>;
  requestReviewers(repo: string, pull: number, input: { reviewers: string[]; teamReviewers: string[] }): Promise<void>;
  addAssignees(repo: string, issue: number, assignees: string[]): Promise<void>;
  listComments(repo: string, issue: number): Promise<Comment[]>;
  createComment(repo: string, issue: number, body: string): Promise<Comment>;
  updateComment(repo: string, commentId: number, body: string): Promise<Comment>;

  /** Combined check runs and commit statuses for a commit. */
  getChecks(repo: string, ref: string): Promise<ChecksSummary>;
  dispatchWorkflow(repo: string, workflow: string, ref: string, inputs: Record<string, string>): Promise<void>;
  /** GET /repos/{repo}/actions/runs?event=workflow_dispatch&created=>=…: dispatched runs since a time. */
  listDispatchedRuns(
    repo: string,
    query: { createdSince: string; branch?: string; event?: 'workflow_dispatch' | 'repository_dispatch' },
  ): Promise<WorkflowRun[]>;
  /** POST /repos/{repo}/dispatches: a `repository_dispatch` event downstream workflows listen to. */
  dispatchRepository(repo: string, eventType: string, payload: Record<string, unknown>): Promise<void>;
}
