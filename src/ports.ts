// The interfaces the core and the jobs depend on. Real implementations live in src/adapters/,
// built only in main.ts; tests use the sandbox stand-ins behind the same real adapters, or small
// in-memory fakes of these interfaces. Repositories are always "owner/name" slugs.

import type { PullCardData } from './core/release/changelog-card.js';
import type { ReleaseCardData } from './core/release/release-card.js';

// ---------------------------------------------------------------------------------------------
// Clock

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

// ---------------------------------------------------------------------------------------------
// Who asked

export type ActorKind = 'slack' | 'cli' | 'cron' | 'webhook' | 'bot' | 'github';

export interface Actor {
  kind: ActorKind;
  /** Slack user id, GitHub login, OS user, pipeline id for cron… */
  id: string;
  /** Where the request came from: Slack channel id, webhook delivery id, host name. */
  via?: string;
}

// ---------------------------------------------------------------------------------------------
// GitHub

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

export interface GitHubPort {
  getRepo(repo: string): Promise<RepoInfo>;
  /** Every release, all pages, newest first as the API returns them. */
  listReleases(repo: string): Promise<Release[]>;
  getReleaseByTag(repo: string, tag: string): Promise<Release | null>;
  createRelease(repo: string, input: { tag: string; name: string; body: string; targetCommitish?: string }): Promise<Release>;
  /** Text of a file at a ref, or null when the file or ref does not exist. */
  getFileText(repo: string, path: string, ref: string): Promise<string | null>;
  /** Head commit of a branch, or null when it does not exist. */
  getBranchSha(repo: string, branch: string): Promise<string | null>;
  deleteBranch(repo: string, branch: string): Promise<void>;
  compare(repo: string, base: string, head: string): Promise<Comparison>;
  /** Every commit in head not in base (all pages of the comparison), oldest first. */
  listCommitsBetween(repo: string, base: string, head: string): Promise<CommitSummary[]>;
  /** Every tag, all pages. */
  listTags(repo: string): Promise<Tag[]>;
  /** Logins of the organization's members visible to the token, all pages. */
  listOrgMembers(org: string): Promise<string[]>;

  listPulls(repo: string, query: { state: 'open' | 'closed' | 'all'; base?: string }): Promise<PullRequest[]>;
  getPull(repo: string, number: number): Promise<PullRequest>;
  createPull(repo: string, input: { title: string; head: string; base: string; body: string; draft?: boolean }): Promise<PullRequest>;
  updatePull(repo: string, number: number, input: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<PullRequest>;
  /** Every commit of the pull request, all pages (GitHub stops at 250). */
  listPullCommits(repo: string, number: number): Promise<CommitSummary[]>;
  /** Every changed file of the pull request, all pages (GitHub stops at 3000). */
  listPullFiles(repo: string, number: number): Promise<ChangedFile[]>;
  /** Always a merge commit: this port has no way to squash or rebase. */
  mergePull(repo: string, number: number, input: { sha: string; commitTitle?: string; commitMessage?: string }): Promise<{ sha: string }>;
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
  /** POST /repos/{repo}/dispatches: a `repository_dispatch` event downstream workflows listen to. */
  dispatchRepository(repo: string, eventType: string, payload: Record<string, unknown>): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Git (a persistent bare cache per repository; work trees only when files must be edited)
//
// `cache` arguments name a cache by "owner/name" (`<dataDir>/git/<owner>/<name>.git`). One cache
// can hold objects from several remotes (the sync fetches the upstream tag into the fork's cache
// under refs/upstream/tags/), so merges and pushes need no second clone. Revisions are full
// object ids or full, validated ref names; anything else is refused with AppError invalid_ref.

export interface Remote {
  /** "owner/name"; also names the cache directory. */
  repo: string;
  /** From RepoInfo.cloneUrl. */
  cloneUrl: string;
}

export interface Signature {
  name: string;
  email: string;
  /** ISO date; defaults to now. */
  date?: string;
}

export type ConflictKind =
  | 'content'
  | 'add/add'
  | 'modify/delete'
  | 'rename/delete'
  | 'rename/rename'
  | 'rename/add'
  | 'file/directory'
  | 'binary'
  | 'submodule'
  | 'other';

/** One index stage of a conflicted path: 1 merge base, 2 the first side (merged into), 3 the second side. */
export interface ConflictStage {
  stage: 1 | 2 | 3;
  mode: string;
  oid: string;
}

export interface ConflictedPath {
  path: string;
  kind: ConflictKind;
  /** git's own message for this path, for people. */
  message: string;
  /** Missing stages mean that side has no file at this path (e.g. deleted). */
  stages: ConflictStage[];
  /** Other paths git named in the same conflict (rename sources, file/directory moves). */
  relatedPaths: string[];
}

export interface MergeTreeResult {
  clean: boolean;
  /** The written tree (with conflict markers in conflicted files when not clean). */
  tree: string;
  conflicts: ConflictedPath[];
}

export interface CommitInfo {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorDate: string;
  subject: string;
  body: string;
}

export interface TagInfo {
  /** Short name, e.g. v1.81.9-carto.1.0.0 (below the listed prefix). */
  name: string;
  /** Object the ref points to: the tag object for annotated tags, else the commit. */
  sha: string;
  /** The commit the tag finally points to. */
  commit: string;
  annotated: boolean;
  tagger: Signature | null;
  /** Full annotation message; empty for lightweight tags. */
  message: string;
}

/** A change applied on top of a tree by writeTree. Paths are repository-relative. */
export type TreeChange =
  | { path: string; content: string | Buffer; mode?: '100644' | '100755' }
  | { path: string; delete: true }
  /** Take whatever `rev` has at `path` (file or whole directory); removes the path when `rev` has none. */
  | { path: string; fromRev: string };

/** A temporary work tree on the cache; it exists only inside withWorktree's callback. */
export interface Worktree {
  readonly dir: string;
  readFile(path: string): Promise<Buffer | null>;
  writeFile(path: string, content: string | Buffer): Promise<void>;
  removeFile(path: string): Promise<void>;
  /** Replaces index and files with a tree or commit, e.g. a mergeTree result with conflict markers. */
  checkout(treeish: string): Promise<void>;
  /** Stages every change and writes the tree. */
  writeTree(): Promise<string>;
  /** Stages every change and commits with exactly these parents (first parent first). Moves no ref. */
  commit(input: { message: string; parents: string[]; author: Signature }): Promise<string>;
}

export interface BranchUpdate {
  sha: string;
  branch: string;
  /** null: create the branch only if it does not exist; else fast-forward only from this value. */
  expected: string | null;
}

export interface BranchPushResult {
  branch: string;
  ok: boolean;
  /** git's reason for a rejection (e.g. "stale info"), null when accepted. */
  reason: string | null;
}

export interface GitPort {
  /** Throws AppError invalid_ref unless `name` passes our rules and `git check-ref-format`. */
  checkRefName(name: string): Promise<void>;
  /**
   * Creates the cache if missing and fetches the refspecs (`[+]refs/…:refs/…`) into it, incrementally.
   * `into` names another cache to fetch into, e.g. an upstream tag into the fork's cache.
   */
  fetch(remote: Remote, refspecs: string[], options?: { into?: string }): Promise<void>;
  /** Full sha of the commit a revision names (tags peeled), or null. */
  resolve(repo: string, rev: string): Promise<string | null>;
  isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean>;
  /** Commits reachable from `to` and not from `from` (`from..to`). */
  countCommits(repo: string, from: string, to: string): Promise<number>;
  log(repo: string, from: string | null, to: string, options?: { firstParent?: boolean; noMerges?: boolean; limit?: number }): Promise<CommitInfo[]>;
  mergeBase(repo: string, a: string, b: string): Promise<string | null>;
  /** Paths whose content differs between two trees (`git diff --name-only from to`). */
  changedPaths(repo: string, from: string, to: string): Promise<string[]>;
  /** `git merge-tree --write-tree`: no work tree is touched. The first side is the one merged into. */
  mergeTree(repo: string, first: string, second: string): Promise<MergeTreeResult>;
  /** A commit with exactly these parents, authored and committed by `author` (never the machine's identity). */
  commitTree(repo: string, input: { tree: string; parents: string[]; message: string; author: Signature }): Promise<string>;
  /** `base` (tree or commit) with `changes` applied, written with a private index: no work tree. */
  writeTree(repo: string, base: string, changes: TreeChange[]): Promise<string>;
  readFile(repo: string, rev: string, path: string): Promise<Buffer | null>;
  /** Runs `fn` in a detached work tree at `rev`; the work tree is removed afterwards, whatever happens. */
  withWorktree<T>(repo: string, rev: string, fn: (worktree: Worktree) => Promise<T>): Promise<T>;
  /** Sets a local ref in the cache (compare-and-swap when `expected` is given; null = must not exist). */
  updateRef(repo: string, ref: string, sha: string, expected?: string | null): Promise<void>;
  /**
   * Pushes a commit to a branch without force: creates it when `expected` is null (rejected if it
   * exists), else fast-forwards from `expected` (rejected if the remote moved or `sha` does not
   * descend from it). A rejection is AppError push_rejected. Pushing a sha the branch already has
   * succeeds (idempotent retries).
   */
  push(remote: Remote, input: BranchUpdate): Promise<void>;
  /** Several branch updates in one `git push` (one pack, one round trip), a verdict per branch. */
  pushBranches(remote: Remote, updates: readonly BranchUpdate[]): Promise<BranchPushResult[]>;
  /** Annotated tag in the cache (refs/tags/<name>); returns the tag object's sha. Idempotent for the same target. */
  createTag(repo: string, input: { name: string; sha: string; message: string; tagger: Signature }): Promise<string>;
  /** Pushes refs/tags/<name> from the cache; never moves an existing remote tag. */
  pushTag(remote: Remote, name: string): Promise<void>;
  listTags(repo: string, options?: { mergedInto?: string }): Promise<string[]>;
  /** Tags below `prefix` (default refs/tags/) with their targets and annotations. */
  listTagDetails(repo: string, options?: { mergedInto?: string; prefix?: string }): Promise<TagInfo[]>;
  /** git processes started so far (benchmarks). */
  readonly stats: { calls: number };
}

// ---------------------------------------------------------------------------------------------
// Sync records (src/adapters/store/sync-store.ts, migration 002): what the sync remembers between
// runs. Synchronous like the rest of the store.

export type SyncOutcome = 'up-to-date' | 'pr-created' | 'pr-exists' | 'queued' | 'superseded' | 'refused' | 'failed';

export interface SkipEntry {
  pipeline: string;
  tag: string;
  /** person: skipped from Slack or the CLI; pr-closed: its sync PR was closed without merging. */
  reason: 'person' | 'pr-closed';
  prNumber: number | null;
  by: Actor | null;
  note: string | null;
  at: string;
}

export interface SyncedTag {
  pipeline: string;
  tag: string;
  version: string;
  prNumber: number | null;
  mergeSha: string | null;
  at: string;
}

export interface SyncRunRecord {
  id: number;
  pipeline: string;
  jobId: number | null;
  dryRun: boolean;
  outcome: SyncOutcome;
  currentVersion: string | null;
  latestTag: string | null;
  pr: { number: number; url: string } | null;
  conflicts: string[];
  skipped: Array<{ tag: string; reason: string }>;
  error: { code: string; message: string } | null;
  requestedBy: Actor;
  finishedAt: string;
}

export interface SyncRecords {
  /** Puts a tag on the skip list (again, if it was unskipped). */
  skip(pipeline: string, tag: string, input: { reason: SkipEntry['reason']; prNumber?: number | null; by?: Actor | null; note?: string | null }): SkipEntry;
  /** Takes a tag off the skip list; false when it was not on it. */
  unskip(pipeline: string, tag: string, by: Actor): boolean;
  activeSkips(pipeline: string): SkipEntry[];
  /** Sync PRs whose closure is already accounted for: any skip row's PR and PRs the bot closed. */
  handledClosures(pipeline: string): Set<number>;
  /** Sync PRs the bot closed when superseding them (their cards say `superseded`). */
  botClosedPulls(pipeline: string): Set<number>;
  recordBotClosed(pipeline: string, repo: string, number: number, tag: string): void;
  /** Idempotent per (pipeline, tag). */
  recordSynced(entry: Omit<SyncedTag, 'at'>): void;
  /** The synced tag with the highest version. */
  lastSynced(pipeline: string): SyncedTag | null;
  /** Idempotent per job: a resumed job gets the first record back. */
  recordRun(run: Omit<SyncRunRecord, 'id' | 'finishedAt'>): SyncRunRecord;
  lastRun(pipeline: string, options?: { includeDryRuns?: boolean }): SyncRunRecord | null;
  saveFacts(pipeline: string, facts: Record<string, unknown>): void;
  facts(pipeline: string): { facts: Record<string, unknown>; updatedAt: string } | null;
}

// ---------------------------------------------------------------------------------------------
// LLM: one forced tool call, nothing else. The model gets data and a single tool whose input is
// the structured answer; it has no shell, no files and no other tools.

export interface LlmToolRequest {
  model: string;
  system: string;
  /** The user turn. File contents inside it are untrusted data, never instructions. */
  prompt: string;
  tool: { name: string; description: string; inputSchema: Record<string, unknown> };
  maxTokens: number;
  timeoutMs: number;
}

export interface LlmToolResult {
  /** The tool input the model produced; the caller validates it, it is not trusted. */
  input: unknown;
  model: string;
  stopReason: string | null;
  usage: { inputTokens: number; outputTokens: number };
}

export interface LlmPort {
  /**
   * Sends one request forcing `tool`. Throws AppError: rate_limited / unavailable / timeout once
   * the adapter's own retries are spent (transient), validation when no tool call came back.
   */
  callTool(request: LlmToolRequest, signal?: AbortSignal): Promise<LlmToolResult>;
}

// ---------------------------------------------------------------------------------------------
// Chat (Slack). Every call is a plain JSON-serializable request so the outbox can keep it in
// SQLite and replay it after an outage. Adapters throw AppError: rate_limited (with
// retryAfterMs), unavailable or network (transient); anything else (invalid_blocks,
// channel_not_found, not_in_channel) is final and is logged, never retried.

/** A Block Kit block; views build them (src/slack/views), the port only carries them. */
export interface ChatBlock {
  readonly type: string;
}

export interface ChatView {
  readonly type: 'modal' | 'home';
}

export interface ChatPostMessage {
  channel: string;
  /** Fallback text for notifications and screen readers. */
  text: string;
  blocks?: readonly ChatBlock[];
  threadTs?: string;
  /** Thread reply also shown in the channel (reply_broadcast). */
  broadcast?: boolean;
}

export interface ChatUpdateMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: readonly ChatBlock[];
}

export interface ChatEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: readonly ChatBlock[];
  threadTs?: string;
}

export interface ChatPort {
  postMessage(msg: ChatPostMessage): Promise<{ channel: string; ts: string }>;
  updateMessage(msg: ChatUpdateMessage): Promise<void>;
  postEphemeral(msg: ChatEphemeral): Promise<void>;
  /** views.open; trigger ids expire after 3 s, so this is never queued. */
  openModal(triggerId: string, view: ChatView): Promise<{ viewId: string }>;
  updateModal(viewId: string, view: ChatView): Promise<void>;
  publishHome(userId: string, view: ChatView): Promise<void>;
  /** User ids in a user group (usergroups.users.list). */
  usergroupMembers(groupId: string): Promise<string[]>;
}

// What the workflows tell Slack. One card per sync (pipeline + upstream tag): jobs report the
// stage and facts as they learn them; the notifier stores the merged snapshot in SQLite and
// returns, and the outbox posts or updates the card and thread when Slack answers. A notifier
// never throws because Slack is down, and never waits for Slack.

export type SyncStage =
  | 'queued' // a newer release waits for the open sync PR (blockedBy)
  | 'up-to-date'
  | 'detected'
  | 'mirror-updated'
  | 'pr-open'
  | 'resolving'
  | 'needs-person'
  | 'ci'
  | 'ready'
  | 'merged'
  | 'released'
  | 'failed'
  | 'skipped'
  | 'superseded';

export interface SyncRef {
  pipeline: string;
  /** The upstream tag the sync is for. */
  tag: string;
}

export interface SyncConflictCounts {
  files: number;
  byRule: number;
  byStructure: number;
  byMemory: number;
  byLlm: number;
  byPerson: number;
  /** Files with hunks waiting for a person. */
  waiting: number;
}

export interface SyncFacts {
  /** Production version before the sync, e.g. "1.79.1". */
  fromVersion: string | null;
  /** Upstream version of the tag, e.g. "1.81.12". */
  toVersion: string | null;
  commitsBehind: number | null;
  pr: { number: number; url: string; title: string } | null;
  mergeable: boolean | null;
  conflicts: SyncConflictCounts | null;
  ci: ChecksSummary | null;
  /** queued: the open sync PR this release waits for. */
  blockedBy: { tag: string; pr: number; url: string } | null;
  supersededBy: string | null;
  mergeSha: string | null;
  release: { tag: string; url: string } | null;
  /** failed: what broke, already scrubbed of secrets. */
  error: { code: string; message: string; step: string | null } | null;
  /** failed: the stage it failed in; Retry puts the card back there. */
  failedStage: SyncStage | null;
  /** The job the card's Retry button retries. */
  jobId: number | null;
  requestedBy: Actor | null;
  /** Upstream compare URL (previous stable tag … this tag). */
  compareUrl: string | null;
  /** `sync --silent`: nothing is posted for this sync. */
  silent: boolean;
}

export type SyncUpdate = { stage: SyncStage } & Partial<SyncFacts>;

export interface SyncSnapshot extends SyncRef, SyncFacts {
  stage: SyncStage;
  updatedAt: string;
}

export type ConflictDecider = 'rule' | 'structure' | 'memory' | 'llm' | 'person';

export interface ConflictFileOutcome {
  path: string;
  kind: ConflictKind;
  /** What the file ended up as; `waiting` = some hunks wait for a person. */
  decision: 'upstream' | 'fork' | 'merged' | 'waiting';
  by: ConflictDecider | null;
  reason: string | null;
}

export interface WaitingHunk {
  /** Opaque id the resolver recognises when a person decides (≤ 200 chars). */
  id: string;
  path: string;
  /** 1-based position among the file's hunks. */
  index: number;
  of: number;
  upstream: string;
  fork: string;
  /** Where to look at it on GitHub. */
  url: string | null;
}

export type SyncDetail =
  | { kind: 'conflicts'; files: ConflictFileOutcome[] }
  | { kind: 'waiting'; pr: number; hunks: WaitingHunk[] }
  | { kind: 'failure'; step: string | null; error: { code: string; message: string }; jobId: number | null }
  | { kind: 'ci'; checks: ChecksSummary; url: string | null }
  | { kind: 'note'; text: string };

export interface ReleasePublished {
  pipeline: string;
  /** From releaseCardData() in src/core/release/release-card.ts. */
  card: ReleaseCardData;
}

export interface PullMerged {
  pipeline: string;
  /** From pullCardData() in src/core/release/changelog-card.ts. */
  card: PullCardData;
}

export interface SyncNotifier {
  /** Merges `update` into the sync's snapshot; its card is posted once and then updated in place. */
  syncChanged(ref: SyncRef, update: SyncUpdate): Promise<void>;
  /**
   * A reply in the sync's thread. `key` makes it idempotent: a resumed job that sends the same
   * key again posts nothing new.
   */
  syncDetail(ref: SyncRef, detail: SyncDetail, options: { key: string }): Promise<void>;
  /** A release card in the pipeline's channel; a merged sync card moves to `released`. */
  releasePublished(event: ReleasePublished): Promise<void>;
  /** A changelog card for a PR merged into production (when the pipeline's slack.changelog is on). */
  pullMerged(event: PullMerged): Promise<void>;
}

/** For pipelines without Slack, CLI runs and tests that do not look at Slack. */
export const silentNotifier: SyncNotifier = {
  syncChanged: async () => {},
  syncDetail: async () => {},
  releasePublished: async () => {},
  pullMerged: async () => {},
};

/**
 * A person's answer to a hunk the resolver could not decide, from the thread's "Take upstream" /
 * "Take fork" buttons. Carried in the `resolve` job's data as `decisions`.
 */
export interface HunkDecision {
  hunkId: string;
  take: 'upstream' | 'fork';
  by: Actor;
}

// ---------------------------------------------------------------------------------------------
// Store: small repositories over SQLite (src/adapters/store). Synchronous, because better-sqlite3
// is and a local write has nothing to wait for. Everything written is scrubbed of secrets.

export type AuditOutcome = 'allowed' | 'refused' | 'done' | 'failed';

export interface AuditEntry {
  id: number;
  at: string;
  actor: Actor;
  /** e.g. "approve", "release", "sync", "job.retry". */
  action: string;
  pipeline: string | null;
  /** What was acted on, e.g. "pr:CartoDB/litellm#12", "tag:v1.2.3", "job:42". */
  target: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown> | null;
}

export interface AuditLog {
  record(entry: { actor: Actor; action: string; pipeline?: string | null; target?: string | null; outcome: AuditOutcome; details?: Record<string, unknown> }): AuditEntry;
  /** Newest first. */
  list(query?: { pipeline?: string; action?: string; limit?: number }): AuditEntry[];
}

export interface SlackMessageRef {
  pipeline: string;
  /** What the message is about, e.g. the sync's upstream tag. */
  key: string;
  /** e.g. "sync-card", "release-card". */
  kind: string;
  channel: string;
  ts: string;
  threadTs: string | null;
  state: string | null;
  updatedAt: string;
}

export interface SlackMessages {
  get(pipeline: string, key: string, kind: string): SlackMessageRef | null;
  upsert(ref: Omit<SlackMessageRef, 'updatedAt'>): SlackMessageRef;
  list(query?: { pipeline?: string; kind?: string }): SlackMessageRef[];
}

export interface WebhookDeliveries {
  /** true the first time a delivery id is seen, false for a redelivery. */
  recordOnce(deliveryId: string, event: string): boolean;
  /** Forgets a delivery whose handling failed, so GitHub's redelivery of it is processed. */
  forget(deliveryId: string): void;
}

export interface ScheduleStateRecord {
  pipeline: string;
  lastRunAt: string | null;
  lastScheduledAt: string | null;
}

export interface ScheduleState {
  get(pipeline: string): ScheduleStateRecord | null;
  /** Sets the given fields, keeps the others. */
  set(pipeline: string, patch: { lastRunAt?: string | null; lastScheduledAt?: string | null }): ScheduleStateRecord;
}

// ---------------------------------------------------------------------------------------------
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
  recordRun(run: ResolveRunRecord): void;
  lastRun(repo: string, pr: number): ResolveRunRecord | null;
}
