import { AppError } from '../../errors.js';
import type {
  ChangedFile,
  ChecksSummary,
  Comment,
  CommitSummary,
  Comparison,
  GitHubPort,
  PullRequest,
  Release,
  RepoInfo,
  Tag,
  WorkflowRun,
} from '../../ports.js';
import { summarizeChecks } from './checks-summary.js';
import { createOctokit, type GitHubClientOptions, type RetryingOctokit } from './github-client.js';
import { httpStatus, toAppError } from './github-error.js';
import { toChangedFile, toComment, toCommit, toPullRequest, toRelease } from './github-mappers.js';

// GitHubPort over the REST API. Every call goes through `call`, which turns Octokit errors into
// AppErrors naming the operation and the repository. Lists marked "all pages" in the port use
// octokit.paginate with 100 per page.

const SLUG = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

// Creating calls are not retried after a 5xx or a timeout: GitHub may have done the work before
// failing, and a blind retry would post a second comment or start a second workflow run. The
// error stays transient, so the job step runs again and looks before it creates. (Rate-limit
// retries still happen: a limited request was not processed.)
const ONCE = { request: { retries: 0 } };

function split(repo: string): { owner: string; repo: string } {
  const m = SLUG.exec(repo);
  if (!m) throw new AppError('validation', `not an "owner/name" repository: ${JSON.stringify(repo)}`);
  return { owner: m[1]!, repo: m[2]! };
}

export class GitHubAdapter implements GitHubPort {
  private requestCount = 0;
  readonly octokit: RetryingOctokit;

  constructor(options: GitHubClientOptions) {
    this.octokit = createOctokit({
      ...options,
      onRequest: (request) => {
        this.requestCount += 1;
        options.onRequest?.(request);
      },
    });
  }

  /** HTTP attempts made so far, retries included. */
  get requests(): number {
    return this.requestCount;
  }

  private async call<T>(operation: string, repo: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toAppError(err, operation, repo);
    }
  }

  /** Like `call`, but the listed statuses mean "absent" and give null. */
  private async orNull<T>(
    operation: string,
    repo: string,
    statuses: number[],
    fn: () => Promise<T>,
  ): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      const status = httpStatus(err);
      if (status !== null && statuses.includes(status)) return null;
      throw toAppError(err, operation, repo);
    }
  }

  getRepo(repo: string): Promise<RepoInfo> {
    return this.call('get repository', repo, async () => {
      const { data } = await this.octokit.rest.repos.get(split(repo));
      return {
        fullName: data.full_name,
        cloneUrl: data.clone_url,
        htmlUrl: data.html_url,
        defaultBranch: data.default_branch,
        fork: data.fork,
        parent: data.parent?.full_name ?? null,
      };
    });
  }

  listReleases(repo: string): Promise<Release[]> {
    return this.call('list releases', repo, async () =>
      (await this.octokit.paginate(this.octokit.rest.repos.listReleases, { ...split(repo), per_page: 100 })).map(
        toRelease,
      ),
    );
  }

  getReleaseByTag(repo: string, tag: string): Promise<Release | null> {
    return this.orNull(`get release ${tag}`, repo, [404], async () =>
      toRelease((await this.octokit.rest.repos.getReleaseByTag({ ...split(repo), tag })).data),
    );
  }

  createRelease(
    repo: string,
    input: { tag: string; name: string; body: string; targetCommitish?: string },
  ): Promise<Release> {
    return this.call(`create release ${input.tag}`, repo, async () => {
      const { data } = await this.octokit.rest.repos.createRelease({
        ...split(repo),
        ...ONCE,
        tag_name: input.tag,
        name: input.name,
        body: input.body,
        draft: false,
        prerelease: false,
        ...(input.targetCommitish ? { target_commitish: input.targetCommitish } : {}),
      });
      return toRelease(data);
    });
  }

  getFileText(repo: string, path: string, ref: string): Promise<string | null> {
    return this.orNull(`read ${path}@${ref}`, repo, [404], async () => {
      const { data } = await this.octokit.rest.repos.getContent({ ...split(repo), path, ref });
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return null;
      if (data.encoding !== 'base64')
        throw new AppError(
          'validation',
          `${path}@${ref} on ${repo} is too large for the contents API (${data.size} bytes)`,
        );
      return Buffer.from(data.content, 'base64').toString('utf8');
    });
  }

  getBranchSha(repo: string, branch: string): Promise<string | null> {
    return this.orNull(
      `read branch ${branch}`,
      repo,
      [404],
      async () => (await this.octokit.rest.git.getRef({ ...split(repo), ref: `heads/${branch}` })).data.object.sha,
    );
  }

  async deleteBranch(repo: string, branch: string): Promise<void> {
    // Deleting a branch that is already gone is success: the step may be re-run after a crash.
    await this.orNull(`delete branch ${branch}`, repo, [404, 422], () =>
      this.octokit.rest.git.deleteRef({ ...split(repo), ref: `heads/${branch}` }),
    );
  }

  async listRefs(repo: string, prefix: string): Promise<Array<{ ref: string; sha: string }>> {
    if (!prefix.startsWith('refs/')) throw new AppError('invalid_ref', `expected a full ref prefix: ${prefix}`);
    const refs = await this.orNull(`list refs ${prefix}`, repo, [404], () =>
      this.octokit.paginate(this.octokit.rest.git.listMatchingRefs, {
        ...split(repo),
        ref: prefix.slice('refs/'.length),
        per_page: 100,
      }),
    );
    return (refs ?? []).map((r) => ({ ref: r.ref, sha: r.object.sha }));
  }

  async createRef(repo: string, ref: string, sha: string): Promise<void> {
    const created = await this.orNull(`create ref ${ref}`, repo, [422], () =>
      this.octokit.rest.git.createRef({ ...split(repo), ref, sha }),
    );
    if (created) return;
    // 422: it exists already (a step re-run after a crash) or the name is refused.
    const existing = (await this.listRefs(repo, ref)).find((r) => r.ref === ref);
    if (existing?.sha === sha) return;
    throw new AppError('conflict', `cannot create ${ref} in ${repo}: it exists at another commit or is refused`, {
      details: { ref },
    });
  }

  async deleteRef(repo: string, ref: string): Promise<void> {
    if (!ref.startsWith('refs/')) throw new AppError('invalid_ref', `expected a full ref: ${ref}`);
    await this.orNull(`delete ref ${ref}`, repo, [404, 422], () =>
      this.octokit.rest.git.deleteRef({ ...split(repo), ref: ref.slice('refs/'.length) }),
    );
  }

  compare(repo: string, base: string, head: string): Promise<Comparison> {
    return this.call(`compare ${base}...${head}`, repo, async () => {
      const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
        ...split(repo),
        basehead: `${base}...${head}`,
      });
      return {
        aheadBy: data.ahead_by,
        behindBy: data.behind_by,
        status: data.status,
        htmlUrl: data.html_url,
        commits: data.commits.map(toCommit),
        files: (data.files ?? []).map(toChangedFile),
      };
    });
  }

  listCommitsBetween(repo: string, base: string, head: string): Promise<CommitSummary[]> {
    return this.call(`list commits ${base}...${head}`, repo, async () => {
      const commits: CommitSummary[] = [];
      // The comparison is not a list endpoint, so octokit.paginate cannot walk it: page by hand.
      for (let page = 1; ; page++) {
        const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
          ...split(repo),
          basehead: `${base}...${head}`,
          per_page: 100,
          page,
        });
        commits.push(...data.commits.map(toCommit));
        if (data.commits.length < 100 || commits.length >= data.total_commits) return commits;
      }
    });
  }

  listTags(repo: string): Promise<Tag[]> {
    return this.call('list tags', repo, async () =>
      (await this.octokit.paginate(this.octokit.rest.repos.listTags, { ...split(repo), per_page: 100 })).map((t) => ({
        name: t.name,
        sha: t.commit.sha,
      })),
    );
  }

  listOrgMembers(org: string): Promise<string[]> {
    return this.call('list members', org, async () =>
      (await this.octokit.paginate(this.octokit.rest.orgs.listMembers, { org, per_page: 100 })).map((m) => m.login),
    );
  }

  listPulls(repo: string, query: { state: 'open' | 'closed' | 'all'; base?: string }): Promise<PullRequest[]> {
    return this.call('list pull requests', repo, async () => {
      const params = { ...split(repo), state: query.state, per_page: 100, ...(query.base ? { base: query.base } : {}) };
      return (await this.octokit.paginate(this.octokit.rest.pulls.list, params)).map(toPullRequest);
    });
  }

  getPull(repo: string, number: number): Promise<PullRequest> {
    return this.call(`get pull request #${number}`, repo, async () =>
      toPullRequest((await this.octokit.rest.pulls.get({ ...split(repo), pull_number: number })).data),
    );
  }

  createPull(
    repo: string,
    input: { title: string; head: string; base: string; body: string; draft?: boolean },
  ): Promise<PullRequest> {
    return this.call(`open pull request ${input.head} → ${input.base}`, repo, async () => {
      const { data } = await this.octokit.rest.pulls.create({
        ...split(repo),
        ...ONCE,
        title: input.title,
        head: input.head,
        base: input.base,
        body: input.body,
        draft: input.draft ?? false,
      });
      return toPullRequest(data);
    });
  }

  updatePull(
    repo: string,
    number: number,
    input: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<PullRequest> {
    return this.call(`update pull request #${number}`, repo, async () =>
      toPullRequest((await this.octokit.rest.pulls.update({ ...split(repo), pull_number: number, ...input })).data),
    );
  }

  listPullCommits(repo: string, number: number): Promise<CommitSummary[]> {
    return this.call(`list commits of #${number}`, repo, async () =>
      (
        await this.octokit.paginate(this.octokit.rest.pulls.listCommits, {
          ...split(repo),
          pull_number: number,
          per_page: 100,
        })
      ).map(toCommit),
    );
  }

  listPullFiles(repo: string, number: number): Promise<ChangedFile[]> {
    return this.call(`list files of #${number}`, repo, async () =>
      (
        await this.octokit.paginate(this.octokit.rest.pulls.listFiles, {
          ...split(repo),
          pull_number: number,
          per_page: 100,
        })
      ).map(toChangedFile),
    );
  }

  mergePull(
    repo: string,
    number: number,
    input: { sha: string; commitTitle?: string; commitMessage?: string },
  ): Promise<{ sha: string }> {
    return this.call(`merge pull request #${number}`, repo, async () => {
      // Invariant 1: a merge commit, never squash or rebase; the sha guards against a moved head.
      const { data } = await this.octokit.rest.pulls.merge({
        ...split(repo),
        ...ONCE,
        pull_number: number,
        merge_method: 'merge',
        sha: input.sha,
        ...(input.commitTitle !== undefined ? { commit_title: input.commitTitle } : {}),
        ...(input.commitMessage !== undefined ? { commit_message: input.commitMessage } : {}),
      });
      return { sha: data.sha };
    });
  }

  async addLabels(repo: string, issue: number, labels: string[]): Promise<void> {
    if (labels.length === 0) return;
    await this.call(`label #${issue}`, repo, () =>
      this.octokit.rest.issues.addLabels({ ...split(repo), issue_number: issue, labels }),
    );
  }

  async removeLabel(repo: string, issue: number, label: string): Promise<void> {
    // A label that is not there is already removed.
    await this.orNull(`remove label ${label} from #${issue}`, repo, [404], () =>
      this.octokit.rest.issues.removeLabel({ ...split(repo), issue_number: issue, name: label }),
    );
  }

  async requestReviewers(
    repo: string,
    pull: number,
    input: { reviewers: string[]; teamReviewers: string[] },
  ): Promise<void> {
    if (input.reviewers.length === 0 && input.teamReviewers.length === 0) return;
    await this.call(`request reviewers on #${pull}`, repo, () =>
      this.octokit.rest.pulls.requestReviewers({
        ...split(repo),
        pull_number: pull,
        reviewers: input.reviewers,
        team_reviewers: input.teamReviewers,
      }),
    );
  }

  async addAssignees(repo: string, issue: number, assignees: string[]): Promise<void> {
    if (assignees.length === 0) return;
    await this.call(`assign #${issue}`, repo, () =>
      this.octokit.rest.issues.addAssignees({ ...split(repo), issue_number: issue, assignees }),
    );
  }

  listComments(repo: string, issue: number): Promise<Comment[]> {
    return this.call(`list comments of #${issue}`, repo, async () =>
      (
        await this.octokit.paginate(this.octokit.rest.issues.listComments, {
          ...split(repo),
          issue_number: issue,
          per_page: 100,
        })
      ).map(toComment),
    );
  }

  createComment(repo: string, issue: number, body: string): Promise<Comment> {
    return this.call(`comment on #${issue}`, repo, async () =>
      toComment(
        (await this.octokit.rest.issues.createComment({ ...split(repo), ...ONCE, issue_number: issue, body })).data,
      ),
    );
  }

  updateComment(repo: string, commentId: number, body: string): Promise<Comment> {
    return this.call(`update comment ${commentId}`, repo, async () =>
      toComment((await this.octokit.rest.issues.updateComment({ ...split(repo), comment_id: commentId, body })).data),
    );
  }

  getChecks(repo: string, ref: string): Promise<ChecksSummary> {
    return this.call(`read checks of ${ref}`, repo, async () => {
      const runs = await this.octokit.paginate(this.octokit.rest.checks.listForRef, {
        ...split(repo),
        ref,
        per_page: 100,
      });
      const { data } = await this.octokit.rest.repos.getCombinedStatusForRef({ ...split(repo), ref, per_page: 100 });
      return summarizeChecks(runs, data.statuses);
    });
  }

  async dispatchWorkflow(repo: string, workflow: string, ref: string, inputs: Record<string, string>): Promise<void> {
    await this.call(`dispatch workflow ${workflow}`, repo, () =>
      this.octokit.rest.actions.createWorkflowDispatch({ ...split(repo), ...ONCE, workflow_id: workflow, ref, inputs }),
    );
  }

  async listDispatchedRuns(
    repo: string,
    query: { createdSince: string; branch?: string; event?: 'workflow_dispatch' | 'repository_dispatch' },
  ): Promise<WorkflowRun[]> {
    return this.call('list dispatched workflow runs', repo, async () => {
      const { data } = await this.octokit.rest.actions.listWorkflowRunsForRepo({
        ...split(repo),
        event: query.event ?? 'workflow_dispatch',
        created: `>=${query.createdSince}`,
        ...(query.branch ? { branch: query.branch } : {}),
        per_page: 100,
      });
      return data.workflow_runs.map((r) => ({
        id: r.id,
        name: r.name ?? '',
        displayTitle: r.display_title,
        path: r.path,
        headBranch: r.head_branch ?? null,
        event: r.event,
        createdAt: r.created_at,
        htmlUrl: r.html_url,
      }));
    });
  }

  async dispatchRepository(repo: string, eventType: string, payload: Record<string, unknown>): Promise<void> {
    await this.call(`dispatch ${eventType}`, repo, () =>
      this.octokit.rest.repos.createDispatchEvent({
        ...split(repo),
        ...ONCE,
        event_type: eventType,
        client_payload: payload,
      }),
    );
  }
}

/** The composition root's factory: main.ts passes GITHUB_TOKEN and GITHUB_API_URL. */
export function createGitHubAdapter(options: GitHubClientOptions): GitHubAdapter {
  return new GitHubAdapter(options);
}
