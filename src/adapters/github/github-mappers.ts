import type { ChangedFile, Comment, CommitSummary, PullRequest, Release } from '../../ports.js';

// GitHub JSON → port types. The inputs are the few fields we read, typed structurally so that
// list and single-item responses (which differ in optional fields) map through the same code.

interface UserJson {
  login: string;
}

interface LabelJson {
  name?: string;
}

export interface ReleaseJson {
  id: number;
  tag_name: string;
  name: string | null;
  draft: boolean;
  prerelease: boolean;
  published_at: string | null;
  html_url: string;
  body?: string | null;
}

export interface PullJson {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  state: string;
  merged?: boolean;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  base: { ref: string };
  labels: (LabelJson | string)[];
  mergeable?: boolean | null;
  mergeable_state?: string;
  user: UserJson | null;
  created_at: string;
  updated_at: string;
}

export interface CommentJson {
  id: number;
  body?: string;
  user: UserJson | null;
  html_url: string;
  created_at: string;
}

export interface CommitJson {
  sha: string;
  parents: { sha: string }[];
  author: UserJson | null | Record<string, never>;
  commit: { message: string; author: { name?: string; email?: string; date?: string } | null };
}

export interface FileJson {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  previous_filename?: string;
}

export function toRelease(r: ReleaseJson): Release {
  return {
    id: r.id,
    tag: r.tag_name,
    name: r.name,
    draft: r.draft,
    prerelease: r.prerelease,
    publishedAt: r.published_at,
    htmlUrl: r.html_url,
    body: r.body ?? null,
  };
}

export function toPullRequest(p: PullJson): PullRequest {
  return {
    number: p.number,
    htmlUrl: p.html_url,
    title: p.title,
    body: p.body,
    state: p.state === 'closed' ? 'closed' : 'open',
    // List responses have no `merged`; merged_at is set exactly when the PR was merged.
    merged: p.merged ?? p.merged_at !== null,
    mergedAt: p.merged_at,
    mergeCommitSha: p.merge_commit_sha,
    headRef: p.head.ref,
    headSha: p.head.sha,
    headRepo: p.head.repo?.full_name ?? null,
    baseRef: p.base.ref,
    labels: p.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
    mergeable: p.mergeable ?? null,
    mergeableState: p.mergeable_state ?? null,
    user: p.user?.login ?? null,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

export function toComment(c: CommentJson): Comment {
  return { id: c.id, body: c.body ?? '', user: c.user?.login ?? null, htmlUrl: c.html_url, createdAt: c.created_at };
}

export function toCommit(c: CommitJson): CommitSummary {
  const login = c.author && 'login' in c.author ? c.author.login : null;
  return {
    sha: c.sha,
    parents: c.parents.map((p) => p.sha),
    message: c.commit.message,
    authorLogin: login ?? null,
    authorName: c.commit.author?.name ?? '',
    authorEmail: c.commit.author?.email ?? '',
    authorDate: c.commit.author?.date ?? '',
  };
}

export function toChangedFile(f: FileJson): ChangedFile {
  return {
    path: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    previousPath: f.previous_filename ?? null,
  };
}
