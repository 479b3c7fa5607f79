import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Faults } from './faults.js';
import { Hub } from './hub.js';
import {
  createBranch,
  createTag,
  pushCommit,
  pushCommits,
  type CommitSpec,
  type PushCommitInput,
} from './person-actions.js';
import { addComment, addLabel, closePull, mergePull } from './pull-ops.js';
import { RepoStore, type CreateRepoOptions } from './repo-store.js';
import { AppInstallations, type AppInstallationOptions } from './app-installations.js';
import { RequestHandler, type Problem, type RequestLogEntry } from './request-handler.js';
import { addStatus, upsertCheckRun, type CheckRunInput } from './routes-checks.js';
import { sortedReleases } from './routes-releases.js';
import { buildRouter, closeServer, listenLoopback } from './sandbox-server.js';
import { addReleases, type AddReleaseInput } from './seed-releases.js';
import { Shapes, type SandboxUser } from './shapes.js';
import type {
  CommentRecord,
  DispatchRecord,
  MergeMethod,
  MergeRecord,
  PullRecord,
  ReleaseRecord,
  RepoState,
  StatusRecord,
} from './state.js';

import { WebhookEmitter, type Delivery, type WebhookConfig } from './webhook-emitter.js';

export type { AddReleaseInput } from './seed-releases.js';
export type { CommitSpec, PushCommitInput } from './person-actions.js';
export type { Problem, RequestLogEntry } from './request-handler.js';

// A local GitHub for tests, benchmarks and the demo: REST on 127.0.0.1:<random port>, git over
// smart HTTP on the same port, real bare repositories underneath. The methods below are the
// test's hands (set up repositories, play people and CI) and eyes (request log, merges, dispatches).

export interface GitHubSandboxOptions {
  /** Directory for the bare repositories; a fresh temporary one (removed on close) when omitted. */
  root?: string;
  /** Token the bot uses; generated when omitted. */
  token?: string;
  /** Login the token belongs to. */
  login?: string;
  webhook?: WebhookConfig;
  clock?: () => Date;
  /**
   * Reads of a new or just-pushed pull request that report mergeable null / "unknown" before the
   * answer, as GitHub does while it computes it (0: answer at once).
   */
  unknownMergeableReads?: number;
}

export class GitHubSandbox {
  readonly token: string;
  readonly login: string;
  readonly faults = new Faults();
  private readonly tokens = new Map<string, string>();
  private readonly hub: Hub;
  private readonly handler: RequestHandler;
  private readonly webhooks = new WebhookEmitter();
  private readonly clock: () => Date;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly root: string,
    private readonly ownsRoot: boolean,
    options: GitHubSandboxOptions,
  ) {
    this.token = options.token ?? `ghs_${randomBytes(18).toString('hex')}`;
    this.login = options.login ?? 'upstream-sync-bot';
    this.tokens.set(this.token, this.login);
    const store = new RepoStore(root);
    this.clock = options.clock ?? (() => new Date());
    this.hub = new Hub(store, new Shapes(url, (email) => this.hub.userByEmail(email)), this.webhooks, this.clock);
    this.hub.users.set(this.login, {
      login: this.login,
      name: this.login,
      email: `${this.login}@users.noreply.sandbox.test`,
      type: 'Bot',
    });
    this.handler = new RequestHandler(this.hub, buildRouter(this.hub), this.faults, this.tokens);
    if (options.webhook) this.webhooks.configure(options.webhook);
    this.hub.unknownMergeableReads = options.unknownMergeableReads ?? 0;
  }

  static async start(options: GitHubSandboxOptions = {}): Promise<GitHubSandbox> {
    const root = options.root ?? (await mkdtemp(join(tmpdir(), 'github-sandbox-')));
    const box: { sandbox?: GitHubSandbox } = {};
    const { server, url } = await listenLoopback(() => (req, res) => box.sandbox!.handler.handle(req, res));
    box.sandbox = new GitHubSandbox(server, url, root, !options.root, options);
    return box.sandbox;
  }

  async close(): Promise<void> {
    await this.webhooks.settled();
    await closeServer(this.server);
    if (this.ownsRoot) await rm(this.root, { recursive: true, force: true });
  }

  // ---- repositories and people -------------------------------------------------------------

  async createRepo(
    fullName: string,
    options: CreateRepoOptions = {},
  ): Promise<{ fullName: string; path: string; cloneUrl: string }> {
    const repo = await this.hub.store.create(fullName, options);
    return { fullName: repo.fullName, path: repo.path, cloneUrl: this.hub.shapes.cloneUrl(repo.fullName) };
  }

  barePath(fullName: string): string {
    return this.repo(fullName).path;
  }

  /** Clone URL with the token embedded (what a person's git would use); another token may be given. */
  authenticatedCloneUrl(fullName: string, token = this.token): string {
    const url = new URL(this.hub.shapes.cloneUrl(this.repo(fullName).fullName));
    url.username = 'x-access-token';
    url.password = token;
    return url.toString();
  }

  /** Adds a token for another login (e.g. a person whose pushes or API calls a test makes). */
  addToken(token: string, login: string): void {
    this.tokens.set(token, login);
  }

  /**
   * Turns on the GitHub App: installation tokens from POST /app/installations/:id/access_tokens
   * (expiring after `tokenTtlMs` of the stand-in's clock) and GET /repos/:o/:r/installation.
   */
  enableApp(options: AppInstallationOptions = {}): AppInstallations {
    this.handler.app = new AppInstallations(options, this.clock);
    this.registerUser({ login: this.handler.app.login, type: 'Bot' });
    return this.handler.app;
  }

  /** Makes `token` a classic token with these scopes (GitHub then sends `x-oauth-scopes`). */
  setTokenScopes(token: string, scopes: string[]): void {
    this.handler.scopes.set(token, [...scopes]);
  }

  registerUser(user: { login: string; name?: string; email?: string; type?: SandboxUser['type'] }): void {
    this.hub.users.set(user.login, {
      login: user.login,
      name: user.name ?? user.login,
      email: user.email ?? `${user.login}@users.noreply.sandbox.test`,
      type: user.type ?? 'User',
    });
  }

  setOrgMembers(org: string, logins: string[]): void {
    this.hub.orgMembers.set(org.toLowerCase(), new Set(logins));
  }

  /** Runs git in the bare repository (argument array, no shell). */
  git(fullName: string, args: string[]): Promise<string> {
    return this.repo(fullName).git.run(args);
  }

  async branchSha(fullName: string, branch: string): Promise<string | null> {
    return this.repo(fullName).git.resolve(`refs/heads/${branch}`);
  }

  /** A person pushes one commit (emits push and synchronize). Returns its sha. */
  pushCommit(fullName: string, input: PushCommitInput): Promise<string> {
    return pushCommit(this.hub, this.repo(fullName), input);
  }

  /** Many commits in one go (one push event): for long histories in tests and benchmarks. Returns the tip. */
  pushCommits(
    fullName: string,
    branch: string,
    commits: CommitSpec[],
    options: { from?: string; as?: string } = {},
  ): Promise<string> {
    return pushCommits(this.hub, this.repo(fullName), branch, commits, options);
  }

  createBranch(fullName: string, branch: string, rev: string): Promise<string> {
    return createBranch(this.repo(fullName), branch, rev);
  }

  /**
   * Branch protection: direct pushes and REST ref updates are refused (GH006), merges go through
   * pull requests only, and only once every required check has passed on the head.
   */
  protectBranch(fullName: string, branch: string, options: { requiredChecks?: string[] } = {}): Promise<void> {
    return this.hub.store.protect(this.repo(fullName), branch, options.requiredChecks ?? []);
  }

  /** Lightweight tag, or annotated when a message is given. */
  createTag(fullName: string, tag: string, rev: string, options: { message?: string } = {}): Promise<void> {
    return createTag(this.repo(fullName), tag, rev, options.message);
  }

  async addRelease(fullName: string, input: AddReleaseInput): Promise<ReleaseRecord> {
    return (await addReleases(this.hub, this.repo(fullName), [input]))[0]!;
  }

  /** Many releases at once (tags created in one git call): for pagination tests and benchmarks. */
  addReleases(fullName: string, inputs: AddReleaseInput[]): Promise<ReleaseRecord[]> {
    return addReleases(this.hub, this.repo(fullName), inputs);
  }

  // ---- CI --------------------------------------------------------------------------------------

  async setCheckRun(fullName: string, ref: string, input: CheckRunInput): Promise<void> {
    const repo = this.repo(fullName);
    upsertCheckRun(this.hub, repo, await this.sha(repo, ref), input, 'github-actions[bot]');
  }

  async setStatus(
    fullName: string,
    ref: string,
    input: { context?: string; state: StatusRecord['state']; description?: string; targetUrl?: string },
  ): Promise<void> {
    const repo = this.repo(fullName);
    addStatus(this.hub, repo, await this.sha(repo, ref), input, 'ci-bot');
  }

  // ---- people acting on pull requests ----------------------------------------------------------

  /** A person merges in the GitHub UI, with any method (tests use squash to play the past's mistakes). */
  mergePullAs(
    fullName: string,
    number: number,
    login: string,
    options: { method?: MergeMethod } = {},
  ): Promise<{ sha: string }> {
    const repo = this.repo(fullName);
    return mergePull(this.hub, repo, this.hub.pull(repo, number), { method: options.method ?? 'merge', by: login });
  }

  closePullAs(fullName: string, number: number, login: string): Promise<void> {
    const repo = this.repo(fullName);
    return closePull(this.hub, repo, this.hub.pull(repo, number), login);
  }

  async labelPullAs(fullName: string, number: number, login: string, label: string): Promise<void> {
    const repo = this.repo(fullName);
    await addLabel(this.hub, repo, this.hub.pull(repo, number), label, login);
  }

  commentAs(fullName: string, number: number, login: string, body: string): CommentRecord {
    const repo = this.repo(fullName);
    return addComment(this.hub, repo, this.hub.pull(repo, number), body, login);
  }

  /** The next `reads` GETs of this PR report mergeable null / "unknown", as while GitHub computes it. */
  mergeableUnknown(fullName: string, number: number, reads: number): void {
    this.hub.pull(this.repo(fullName), number).unknownMergeableReads = reads;
  }

  // ---- what happened -----------------------------------------------------------------------------

  /** Every repository with what GitHub keeps beside git (the demo page shows them). */
  repositories(): readonly RepoState[] {
    return this.hub.store.all();
  }

  pulls(fullName: string): readonly PullRecord[] {
    return this.repo(fullName).pulls;
  }

  pull(fullName: string, number: number): PullRecord {
    return this.hub.pull(this.repo(fullName), number);
  }

  comments(fullName: string, number: number): CommentRecord[] {
    return this.repo(fullName).comments.filter((c) => c.issue === number);
  }

  releases(fullName: string): ReleaseRecord[] {
    return sortedReleases(this.repo(fullName));
  }

  get merges(): readonly MergeRecord[] {
    return this.hub.merges;
  }

  /** The workflow's `run-name:` (its runs' display title) from the dispatch inputs. */
  setRunName(workflow: string, runName: (inputs: Record<string, unknown>) => string): void {
    this.hub.runNames.set(workflow, runName);
  }

  /**
   * `repo` has a workflow `on: repository_dispatch` of `eventType` whose `run-name:` is built from
   * the client_payload: each such dispatch then starts a run (listed with event=repository_dispatch).
   */
  setDispatchRunName(repo: string, eventType: string, runName: (payload: Record<string, unknown>) => string): void {
    this.hub.runNames.set(`${repo}\u0000${eventType}`, runName);
  }

  get dispatches(): readonly DispatchRecord[] {
    return this.hub.dispatches;
  }

  get requests(): readonly RequestLogEntry[] {
    return this.handler.requests;
  }

  /** Requests that change something: every non-GET REST call and every git push (fetches excluded). */
  mutatingRequests(): RequestLogEntry[] {
    return this.handler.mutatingRequests();
  }

  /** Requests that hit no route or made the stand-in itself fail. */
  unexpectedRequests(): readonly Problem[] {
    return this.handler.problems;
  }

  /** Throws when any request hit no route or made the stand-in itself fail. */
  assertNoUnexpectedRequests(): void {
    this.handler.assertNoProblems();
  }

  /** Forgets unexpected requests a test provoked on purpose (so an afterEach assertion passes). */
  clearUnexpectedRequests(): void {
    this.handler.problems.length = 0;
  }

  /** Environment for a bot process pointed at this stand-in. */
  env(): { GITHUB_TOKEN: string; GITHUB_API_URL: string } {
    return { GITHUB_TOKEN: this.token, GITHUB_API_URL: this.url };
  }

  // ---- webhooks ----------------------------------------------------------------------------------

  configureWebhook(config: WebhookConfig | null): void {
    this.webhooks.configure(config);
  }

  get deliveries(): readonly Delivery[] {
    return this.webhooks.deliveries;
  }

  /** Resolves when every delivery queued so far has been answered. */
  webhooksSettled(): Promise<void> {
    return this.webhooks.settled();
  }

  redeliver(id: string): void {
    this.webhooks.redeliver(id);
  }

  private repo(fullName: string): RepoState {
    const repo = this.hub.store.get(fullName);
    if (!repo) throw new Error(`no sandbox repository ${fullName}`);
    return repo;
  }

  private async sha(repo: RepoState, ref: string): Promise<string> {
    const sha = await repo.git.resolve(ref);
    if (!sha) throw new Error(`unknown ref ${ref} in ${repo.fullName}`);
    return sha;
  }
}

/**
 * Client tuning for the stand-in (pass as the adapter's `tuning`): GitHub's one-second spacing
 * of writes and second-scale backoffs only make tests and the demo slow here.
 */
export const SANDBOX_CLIENT_TUNING = { retryBaseMs: 5, writeIntervalMs: 0 } as const;
