import { createHash } from 'node:crypto';
import type { GitCommit, GitFileChange } from './bare-git.js';
import type { CheckRunRecord, CommentRecord, PullRecord, ReleaseRecord, RepoState, StatusRecord } from './state.js';

// JSON bodies in the shapes GitHub's REST API returns (the fields clients read, with their real
// names and nesting). URLs point back at the stand-in so that following one stays local.

type Json = Record<string, unknown>;

export interface SandboxUser {
  login: string;
  name: string;
  email: string;
  type: 'User' | 'Bot' | 'Organization';
}

function stableId(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0) % 100_000_000;
}

export class Shapes {
  constructor(
    readonly baseUrl: string,
    private readonly userByEmail: (email: string) => SandboxUser | undefined,
  ) {}

  api(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  cloneUrl(fullName: string): string {
    return `${this.baseUrl}/${fullName}.git`;
  }

  user(login: string, type: SandboxUser['type'] = 'User'): Json {
    return {
      login,
      id: stableId(login),
      node_id: `U_${login}`,
      type,
      site_admin: false,
      avatar_url: this.api(`/avatars/${login}`),
      url: this.api(`/users/${login}`),
      html_url: this.api(`/${login}`),
    };
  }

  repo(repo: RepoState, parent?: RepoState): Json {
    const base = {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: repo.fullName,
      private: false,
      owner: this.user(repo.owner, 'Organization'),
      html_url: this.api(`/${repo.fullName}`),
      url: this.api(`/repos/${repo.fullName}`),
      clone_url: this.cloneUrl(repo.fullName),
      git_url: this.cloneUrl(repo.fullName),
      default_branch: repo.defaultBranch,
      fork: repo.parent !== null,
      archived: false,
      disabled: false,
      visibility: 'public',
      permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    };
    return parent ? { ...base, parent: this.repo(parent), source: this.repo(parent) } : base;
  }

  commit(repo: RepoState, c: GitCommit, extra: Json = {}): Json {
    const author = this.userByEmail(c.authorEmail);
    const committer = this.userByEmail(c.committerEmail);
    return {
      sha: c.sha,
      node_id: `C_${c.sha}`,
      url: this.api(`/repos/${repo.fullName}/commits/${c.sha}`),
      html_url: this.api(`/${repo.fullName}/commit/${c.sha}`),
      commit: {
        author: { name: c.authorName, email: c.authorEmail, date: c.authorDate },
        committer: { name: c.committerName, email: c.committerEmail, date: c.committerDate },
        message: c.message,
        tree: { sha: c.tree, url: this.api(`/repos/${repo.fullName}/git/trees/${c.tree}`) },
        comment_count: 0,
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
      },
      author: author ? this.user(author.login, author.type) : null,
      committer: committer ? this.user(committer.login, committer.type) : null,
      parents: c.parents.map((sha) => ({ sha, url: this.api(`/repos/${repo.fullName}/commits/${sha}`) })),
      ...extra,
    };
  }

  file(repo: RepoState, f: GitFileChange, headSha: string): Json {
    return {
      sha: null,
      filename: f.path,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      blob_url: this.api(`/${repo.fullName}/blob/${headSha}/${f.path}`),
      raw_url: this.api(`/${repo.fullName}/raw/${headSha}/${f.path}`),
      contents_url: this.api(`/repos/${repo.fullName}/contents/${f.path}?ref=${headSha}`),
      ...(f.previousPath ? { previous_filename: f.previousPath } : {}),
    };
  }

  ref(repo: RepoState, ref: string, sha: string, type: string): Json {
    return {
      ref,
      node_id: `REF_${ref}`,
      url: this.api(`/repos/${repo.fullName}/git/${ref}`),
      object: { sha, type, url: this.api(`/repos/${repo.fullName}/git/${type}s/${sha}`) },
    };
  }

  release(repo: RepoState, r: ReleaseRecord): Json {
    return {
      id: r.id,
      node_id: `RE_${r.id}`,
      tag_name: r.tag,
      target_commitish: r.targetCommitish,
      name: r.name,
      body: r.body,
      draft: r.draft,
      prerelease: r.prerelease,
      created_at: r.createdAt,
      published_at: r.publishedAt,
      author: this.user(r.author),
      assets: [],
      url: this.api(`/repos/${repo.fullName}/releases/${r.id}`),
      html_url: this.api(`/${repo.fullName}/releases/tag/${encodeURIComponent(r.tag)}`),
      tarball_url: this.api(`/repos/${repo.fullName}/tarball/${r.tag}`),
      zipball_url: this.api(`/repos/${repo.fullName}/zipball/${r.tag}`),
      upload_url: this.api(`/repos/${repo.fullName}/releases/${r.id}/assets{?name,label}`),
    };
  }

  label(repo: RepoState, name: string): Json {
    const color = createHash('sha1').update(name).digest('hex').slice(0, 6);
    return {
      id: stableId(`${repo.fullName}:${name}`),
      node_id: `LA_${name}`,
      url: this.api(`/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`),
      name,
      color,
      default: false,
      description: null,
    };
  }

  pull(
    repo: RepoState,
    pr: PullRecord,
    headRepo: RepoState | undefined,
    live: { headSha: string; baseSha: string; mergeable?: boolean | null; mergeableState?: string },
  ): Json {
    const side = (r: RepoState | undefined, ref: string, sha: string) => ({
      label: `${r?.owner ?? 'unknown'}:${ref}`,
      ref,
      sha,
      user: r ? this.user(r.owner, 'Organization') : null,
      repo: r ? this.repo(r) : null,
    });
    return {
      id: repo.id * 100_000 + pr.number,
      node_id: `PR_${repo.id}_${pr.number}`,
      number: pr.number,
      url: this.api(`/repos/${repo.fullName}/pulls/${pr.number}`),
      html_url: this.api(`/${repo.fullName}/pull/${pr.number}`),
      issue_url: this.api(`/repos/${repo.fullName}/issues/${pr.number}`),
      state: pr.state,
      locked: false,
      title: pr.title,
      body: pr.body,
      draft: pr.draft,
      user: this.user(pr.user),
      labels: pr.labels.map((l) => this.label(repo, l)),
      assignees: pr.assignees.map((a) => this.user(a)),
      assignee: pr.assignees[0] ? this.user(pr.assignees[0]) : null,
      requested_reviewers: pr.requestedReviewers.map((r) => this.user(r)),
      requested_teams: pr.requestedTeams.map((t) => ({ slug: t, name: t, id: stableId(t) })),
      head: side(headRepo, pr.headRef, live.headSha),
      base: side(repo, pr.baseRef, live.baseSha),
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: pr.closedAt,
      merged_at: pr.mergedAt,
      merged: pr.merged,
      merged_by: pr.mergedBy ? this.user(pr.mergedBy) : null,
      merge_commit_sha: pr.mergeCommitSha,
      mergeable: live.mergeable ?? null,
      mergeable_state: live.mergeableState ?? 'unknown',
      rebaseable: null,
      author_association: 'MEMBER',
      auto_merge: null,
      maintainer_can_modify: false,
    };
  }

  issue(repo: RepoState, pr: PullRecord): Json {
    return {
      id: repo.id * 100_000 + pr.number,
      number: pr.number,
      title: pr.title,
      body: pr.body,
      state: pr.state,
      user: this.user(pr.user),
      labels: pr.labels.map((l) => this.label(repo, l)),
      assignees: pr.assignees.map((a) => this.user(a)),
      html_url: this.api(`/${repo.fullName}/pull/${pr.number}`),
      url: this.api(`/repos/${repo.fullName}/issues/${pr.number}`),
      pull_request: { url: this.api(`/repos/${repo.fullName}/pulls/${pr.number}`) },
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
    };
  }

  comment(repo: RepoState, c: CommentRecord): Json {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      url: this.api(`/repos/${repo.fullName}/issues/comments/${c.id}`),
      html_url: this.api(`/${repo.fullName}/pull/${c.issue}#issuecomment-${c.id}`),
      issue_url: this.api(`/repos/${repo.fullName}/issues/${c.issue}`),
      author_association: 'MEMBER',
    };
  }

  checkRun(repo: RepoState, c: CheckRunRecord): Json {
    return {
      id: c.id,
      node_id: `CR_${c.id}`,
      head_sha: c.headSha,
      name: c.name,
      status: c.status,
      conclusion: c.conclusion,
      started_at: c.startedAt,
      completed_at: c.completedAt,
      details_url: c.detailsUrl,
      external_id: null,
      url: this.api(`/repos/${repo.fullName}/check-runs/${c.id}`),
      html_url: this.api(`/${repo.fullName}/runs/${c.id}`),
      output: { ...c.output, text: null, annotations_count: 0, annotations_url: '' },
      app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' },
      pull_requests: [],
    };
  }

  status(repo: RepoState, s: StatusRecord): Json {
    return {
      id: s.id,
      node_id: `SC_${s.id}`,
      state: s.state,
      context: s.context,
      description: s.description,
      target_url: s.targetUrl,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      url: this.api(`/repos/${repo.fullName}/statuses/${s.sha}`),
      creator: this.user('ci-bot', 'Bot'),
    };
  }
}
