import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { emitPush, syncPullHeads } from './pull-ops.js';
import { GIT_PATH, credentialsToken, gitService, serveGit } from './smart-http.js';
import { HttpError, type Json, type Router } from './router.js';
import type { Faults } from './faults.js';
import type { Hub } from './hub.js';
import type { RepoState } from './state.js';
import type { AppInstallations } from './app-installations.js';
import { RateLimits, conditionalReply } from './conditional.js';

// One entry point for every request: fault injection, token check, then either git's smart HTTP
// or the REST router. Every request is logged; an unknown route is answered 404 like GitHub and
// also recorded as unexpected, so a test can fail on a call the bot should never have made.

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  query: string;
  /** "GET /repos/:owner/:repo/pulls" style name of the matched route; null when none matched. */
  route: string | null;
  kind: 'rest' | 'git-fetch' | 'git-push';
  status: number;
  /** Parsed JSON body of REST requests. */
  body: unknown;
  /** Login of the token used; null when the request had no valid token. */
  login: string | null;
  /** True when an injected fault answered the request. */
  faulted: boolean;
}

export interface Problem {
  method: string;
  path: string;
  reason: string;
}

export class RequestHandler {
  readonly requests: RequestLogEntry[] = [];
  readonly problems: Problem[] = [];
  /** Classic-token scopes by token, sent back as `x-oauth-scopes` (fine-grained and app tokens send none). */
  readonly scopes = new Map<string, string[]>();
  private readonly scopeHeader = new WeakMap<RequestLogEntry, string>();
  /** The GitHub App, when the stand-in has one (see AppInstallations). */
  app: AppInstallations | null = null;
  readonly rateLimits: RateLimits;

  constructor(
    private readonly hub: Hub,
    private readonly router: Router,
    private readonly faults: Faults,
    private readonly tokens: Map<string, string>,
    now: () => Date = () => new Date(),
  ) {
    this.rateLimits = new RateLimits(now);
  }

  /** REST requests GitHub would charge to the rate limit: every answer but a 304 (git is not counted). */
  countedRequests(): RequestLogEntry[] {
    return this.requests.filter((r) => r.kind === 'rest' && r.status !== 304);
  }

  mutatingRequests(): RequestLogEntry[] {
    return this.requests.filter(
      (r) => (r.kind === 'rest' && r.method !== 'GET' && r.method !== 'HEAD') || r.kind === 'git-push',
    );
  }

  assertNoProblems(): void {
    if (this.problems.length) {
      throw new Error(
        `GitHub stand-in got unexpected requests:\n${this.problems.map((p) => `  ${p.method} ${p.path}: ${p.reason}`).join('\n')}`,
      );
    }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.hub.shapes.baseUrl);
    const method = req.method ?? 'GET';
    const gitMatch = GIT_PATH.exec(url.pathname);
    const entry: RequestLogEntry = {
      seq: this.requests.length + 1,
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      route: null,
      kind: gitMatch ? (gitService(url.pathname, url.searchParams) === 'push' ? 'git-push' : 'git-fetch') : 'rest',
      status: 0,
      body: undefined,
      login: null,
      faulted: false,
    };
    this.requests.push(entry);
    const fault = this.faults.take(method, url.pathname);
    // Credentials are judged on arrival, as GitHub does: a held request keeps the token it came with.
    const expiredOnArrival = this.app?.expired(credentialsToken(req.headers.authorization) ?? '') ?? false;
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.gate) await fault.gate.catch(() => undefined);
    if (fault?.status) {
      entry.faulted = true;
      req.resume();
      return this.send(res, entry, { status: fault.status, headers: fault.headers, body: fault.body });
    }
    const token = credentialsToken(req.headers.authorization) ?? '';
    if (this.app && !gitMatch) {
      const reply = this.appRoute(method, url.pathname, token);
      if (reply) {
        req.resume();
        return this.send(res, entry, reply);
      }
    }
    const login = expiredOnArrival ? null : (this.tokens.get(token) ?? null);
    entry.login = login;
    // An installation token sees only its own installation's repositories (and uninstalled public ones).
    const owner = gitMatch ? gitMatch[1] : /^\/repos\/([^/]+)\/[^/]+/.exec(url.pathname)?.[1];
    if (login && owner && this.app && !this.app.mayAccess(token, owner)) {
      req.resume();
      return this.send(res, entry, new HttpError(404, 'Not Found').reply());
    }
    const scopes = this.scopes.get(token);
    if (login && scopes) this.scopeHeader.set(entry, scopes.join(', '));
    if (gitMatch) return this.handleGit(req, res, entry, url, gitMatch, login);

    const raw = await readBody(req);
    let body: Json;
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as Json) : {};
      entry.body = body;
    } catch {
      return this.send(res, entry, new HttpError(400, 'Problems parsing JSON').reply());
    }
    if (!login) {
      const message = req.headers.authorization ? 'Bad credentials' : 'Requires authentication';
      return this.send(res, entry, new HttpError(401, message).reply());
    }
    const match = this.router.match(method, url.pathname);
    if (!match) {
      this.problems.push({ method, path: url.pathname, reason: 'no such route in the stand-in' });
      return this.send(res, entry, new HttpError(404, 'Not Found').reply());
    }
    entry.route = match.name;
    try {
      const reply = await match.handler({ params: match.params, query: url.searchParams, body, login, url });
      if (fault?.holdResponseMs) await sleep(fault.holdResponseMs);
      const ifNoneMatch = req.headers['if-none-match'];
      return this.send(
        res,
        entry,
        conditionalReply(method, Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch, reply),
      );
    } catch (err) {
      if (err instanceof HttpError) return this.send(res, entry, err.reply());
      this.problems.push({
        method,
        path: url.pathname,
        reason: `stand-in error: ${err instanceof Error ? err.stack : String(err)}`,
      });
      return this.send(res, entry, { status: 500, body: { message: 'Server Error' } });
    }
  }

  private async handleGit(
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
    url: URL,
    match: RegExpExecArray,
    login: string | null,
  ): Promise<void> {
    if (!login) {
      req.resume();
      // git sends the credentials from the URL (or a helper) only after a Basic challenge.
      return this.send(res, entry, {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="GitHub"' },
        body: { message: 'Bad credentials' },
      });
    }
    const repo = this.hub.store.get(`${match[1]}/${match[2]}`);
    if (!repo) {
      req.resume();
      return this.send(res, entry, { status: 404, body: { message: 'Repository not found.' } });
    }
    entry.route = entry.kind;
    const isPush = entry.kind === 'git-push' && url.pathname.endsWith('/git-receive-pack');
    const before = isPush ? await repo.git.listRefs('refs/') : [];
    entry.status = await serveGit(req, res, {
      projectRoot: this.hub.store.root,
      pathname: url.pathname,
      query: entry.query,
      remoteUser: login,
      beforeEnd: isPush ? () => this.afterPush(repo, before, login) : undefined,
    });
  }

  /** Emits push events for every ref the push changed, then synchronize for affected pull requests. */
  private async afterPush(repo: RepoState, before: { ref: string; sha: string }[], login: string): Promise<void> {
    const after = await repo.git.listRefs('refs/');
    const old = new Map(before.map((r) => [r.ref, r.sha]));
    for (const ref of after) {
      if (ref.ref.startsWith('refs/pull/')) continue;
      if (old.get(ref.ref) !== ref.sha) emitPush(this.hub, repo, ref.ref, old.get(ref.ref) ?? null, ref.sha, login);
      old.delete(ref.ref);
    }
    for (const [ref, sha] of old) if (!ref.startsWith('refs/pull/')) emitPush(this.hub, repo, ref, sha, null, login);
    await syncPullHeads(this.hub, repo, login);
  }

  /** The two App routes the bot uses, authenticated with the app's JWT. */
  private appRoute(method: string, path: string, jwt: string): { status: number; body: unknown } | null {
    const app = this.app!;
    const tokenRoute = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    const lookupRoute = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(path);
    if (!(method === 'POST' && tokenRoute) && !(method === 'GET' && lookupRoute)) return null;
    if (!app.verifyJwt(jwt)) return { status: 401, body: { message: 'A JSON web token could not be decoded' } };
    if (lookupRoute) {
      const id = app.installationFor(lookupRoute[1]!);
      if (!this.hub.store.get(`${lookupRoute[1]}/${lookupRoute[2]}`) || id === null)
        return { status: 404, body: { message: 'Not Found' } };
      return { status: 200, body: { id, app_id: app.appId, account: { login: lookupRoute[1] } } };
    }
    const installationId = Number(tokenRoute![1]);
    if (!app.hasInstallation(installationId)) return { status: 404, body: { message: 'Not Found' } };
    const issued = app.issue(installationId);
    this.tokens.set(issued.token, app.login);
    return {
      status: 201,
      body: {
        ...issued,
        permissions: { contents: 'write', pull_requests: 'write', workflows: 'write' },
        repository_selection: 'all',
      },
    };
  }

  private send(
    res: ServerResponse,
    entry: RequestLogEntry,
    reply: { status: number; body?: unknown; headers?: Record<string, string> },
  ): void {
    entry.status = reply.status;
    if (entry.kind === 'rest' && entry.login && reply.status !== 304) this.rateLimits.charge(entry.login);
    const headers: Record<string, string> = {
      'x-github-request-id': randomUUID(),
      ...this.rateLimits.headers(entry.kind === 'rest' ? entry.login : null),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
      ...(this.scopeHeader.has(entry) ? { 'x-oauth-scopes': this.scopeHeader.get(entry)! } : {}),
      ...reply.headers,
    };
    if (reply.body === undefined || reply.status === 204 || reply.status === 304) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    // Job logs are plain text, as GitHub's log storage serves them.
    if (typeof reply.body === 'string' && headers['content-type']?.startsWith('text/')) {
      res.writeHead(reply.status, headers).end(reply.body);
      return;
    }
    res
      .writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify(reply.body));
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
