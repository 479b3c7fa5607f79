import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGitHubAdapter } from '../../../src/adapters/github/github-adapter.js';
import { AppError, isAppError } from '../../../src/errors.js';
import { SANDBOX_CLIENT_TUNING } from '../../../src/sandbox/github/github-sandbox.js';
import { startGitHub } from '../../sandbox/github/fixture.js';

const REPO = 'BerriAI/litellm';

async function withRepo() {
  const started = await startGitHub();
  await started.sandbox.createRepo(REPO);
  await started.sandbox.pushCommit(REPO, {
    branch: 'main',
    files: { 'pyproject.toml': 'version = "1.0.0"\n' },
    message: 'init',
  });
  return started;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('GitHubAdapter resilience and error mapping', () => {
  it('reads every page of more than 100 releases', async () => {
    const { sandbox, github } = await withRepo();
    await sandbox.addReleases(
      REPO,
      Array.from({ length: 205 }, (_, i) => ({
        tag: `v1.${i}.0-stable`,
        publishedAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
      })),
    );
    const releases = await github.listReleases(REPO);
    expect(releases).toHaveLength(205);
    expect(releases[0]!.tag).toBe('v1.204.0-stable');
    expect(releases[204]!.tag).toBe('v1.0.0-stable');
    const pages = sandbox.requests
      .filter((r) => r.route === 'GET /repos/:owner/:repo/releases')
      .map((r) => new URLSearchParams(r.query).get('page') ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
  });

  it('rides out injected 5xx answers (plugin-retry) and counts every attempt', async () => {
    const { sandbox, github } = await withRepo();
    sandbox.faults.inject({ method: 'GET', path: `/repos/${REPO}`, status: 502, times: 2 });
    expect((await github.getRepo(REPO)).fullName).toBe(REPO);
    expect(sandbox.requests.map((r) => r.status)).toEqual([502, 502, 200]);
    expect(github.requests).toBe(3);
  });

  it('does not retry a creating call after a 5xx (GitHub may have done it): one request, a transient error', async () => {
    const { sandbox, github } = await withRepo();
    sandbox.faults.inject({ method: 'POST', path: /\/dispatches$/, status: 502, times: 1 });
    const err = await failure(github.dispatchRepository(REPO, 'upstream_sync_ready', {}));
    expect([err.code, err.transient]).toEqual(['unavailable', true]);
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.dispatches).toEqual([]);
  });

  it('waits out a secondary rate limit (plugin-throttling) and succeeds', async () => {
    const { sandbox, github } = await withRepo();
    sandbox.faults.secondaryRateLimit({ method: 'POST', path: /\/dispatches$/, retryAfter: 1, times: 2 });
    await github.dispatchRepository(REPO, 'sync', {});
    expect(sandbox.requests.map((r) => r.status)).toEqual([403, 403, 204]);
    expect(sandbox.dispatches).toHaveLength(1);
  });

  it('gives up on a persistent secondary rate limit with rate_limited and the retry-after', async () => {
    const { sandbox, github } = await withRepo();
    sandbox.faults.secondaryRateLimit({ path: `/repos/${REPO}/pulls`, retryAfter: 1, times: Infinity });
    const err = await failure(github.listPulls(REPO, { state: 'open' }));
    expect(err.code).toBe('rate_limited');
    expect(err.transient).toBe(true);
    expect(err.retryAfterMs).toBe(1000);
    expect(err.message).toMatch(/list pull requests on BerriAI\/litellm/);
    // The first attempt plus the bounded retries.
    expect(sandbox.requests).toHaveLength(3);
  });

  it('waits once for a primary rate limit that resets soon, and not twice', async () => {
    const { sandbox, github } = await withRepo();
    sandbox.faults.primaryRateLimit({ resetInSeconds: 1, times: 1 });
    expect((await github.getRepo(REPO)).fullName).toBe(REPO);
    expect(sandbox.requests.map((r) => r.status)).toEqual([403, 200]);
    sandbox.faults.primaryRateLimit({ resetInSeconds: 1, times: 2 });
    expect((await failure(github.getRepo(REPO))).code).toBe('rate_limited');
    expect(sandbox.requests.map((r) => r.status)).toEqual([403, 200, 403, 403]);
  });

  it('fails fast on a primary rate limit whose reset is far away', async () => {
    const { sandbox, github } = await withRepo();
    sandbox.faults.primaryRateLimit({ resetInSeconds: 1800, times: Infinity });
    const err = await failure(github.getRepo(REPO));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThan(1_700_000);
    expect(sandbox.requests).toHaveLength(1);
  });

  it('maps 429 to rate_limited', async () => {
    const { sandbox } = await withRepo();
    const github = createGitHubAdapter({
      token: sandbox.token,
      baseUrl: sandbox.url,
      tuning: { ...SANDBOX_CLIENT_TUNING, retries: 0 },
    });
    sandbox.faults.inject({ path: `/repos/${REPO}`, status: 429, retryAfter: 7, times: Infinity });
    const err = await failure(github.getRepo(REPO));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(7000);
  });

  it.each([
    [401, 'unauthorized', false],
    [403, 'forbidden', false],
    [404, 'not_found', false],
    [409, 'conflict', false],
    [422, 'validation', false],
    [503, 'unavailable', true],
  ] as const)('maps HTTP %i to %s', async (status, code, transient) => {
    const { sandbox, github } = await withRepo();
    sandbox.faults.inject({
      method: 'POST',
      path: /\/comments$/,
      status,
      times: Infinity,
      body: { message: 'injected failure' },
    });
    await sandbox.createBranch(REPO, 'feature', 'main');
    await sandbox.pushCommit(REPO, { branch: 'feature', files: { b: 'b' }, message: 'b' });
    const pr = await github.createPull(REPO, { title: 't', head: 'feature', base: 'main', body: '' });
    const err = await failure(github.createComment(REPO, pr.number, 'hello'));
    expect([err.code, err.transient]).toEqual([code, transient]);
    expect(err.message).toMatch(
      new RegExp(`comment on #${pr.number} on BerriAI/litellm failed: ${status} injected failure`),
    );
    expect(err.details).toMatchObject({ status, repo: REPO });
  });

  it('keeps the token out of errors, their details and their cause', async () => {
    const { sandbox, github } = await withRepo();
    sandbox.faults.inject({
      path: `/repos/${REPO}`,
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const err = await failure(github.getRepo(REPO));
    expect(err.code).toBe('forbidden');
    const cause = err.cause as { request?: { headers?: Record<string, string> } };
    const everything = [
      err.message,
      JSON.stringify(err.details),
      JSON.stringify(cause.request ?? {}),
      String(err.stack),
    ].join('\n');
    expect(cause.request?.headers?.authorization).toMatch(/REDACTED/);
    expect(everything).not.toContain(sandbox.token);
  });

  it('maps a wrong token to unauthorized', async () => {
    const { sandbox } = await withRepo();
    const github = createGitHubAdapter({
      token: 'ghs_wrongwrongwrongwrongwrongwrong',
      baseUrl: sandbox.url,
      tuning: SANDBOX_CLIENT_TUNING,
    });
    expect((await failure(github.getRepo(REPO))).code).toBe('unauthorized');
  });

  it('maps an unreachable API to network after retrying', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const seen: string[] = [];
    const github = createGitHubAdapter({
      token: 't',
      baseUrl: `http://127.0.0.1:${port}`,
      tuning: { ...SANDBOX_CLIENT_TUNING, retries: 2 },
      onRequest: (r) => seen.push(r.method),
    });
    const err = await failure(github.getRepo(REPO));
    expect(err.code).toBe('network');
    expect(err.transient).toBe(true);
    expect(err.message).toMatch(/get repository on BerriAI\/litellm failed: cannot reach GitHub/);
    expect(seen).toEqual(['GET', 'GET', 'GET']);
  });

  it('rejects a malformed repository slug before any request', async () => {
    const { sandbox, github } = await withRepo();
    expect(isAppError(await failure(github.getRepo('not a slug')), 'validation')).toBe(true);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('times out a hung attempt, retries it, and reports timeout when every attempt hangs', async () => {
    const { sandbox } = await withRepo();
    const github = createGitHubAdapter({
      token: sandbox.token,
      baseUrl: sandbox.url,
      tuning: { ...SANDBOX_CLIENT_TUNING, retries: 1, timeoutMs: 100 },
    });
    sandbox.faults.latency(2_000, { path: `/repos/${REPO}`, times: 1 });
    expect((await github.getRepo(REPO)).fullName).toBe(REPO);
    sandbox.faults.latency(2_000, { path: `/repos/${REPO}`, times: 2 });
    const err = await failure(github.getRepo(REPO));
    expect([err.code, err.transient]).toEqual(['timeout', true]);
    expect(err.message).toBe('GitHub get repository on BerriAI/litellm timed out');
  });

  it('applies latency without failing', async () => {
    const { sandbox, github } = await withRepo();
    sandbox.faults.latency(50, { path: `/repos/${REPO}`, times: 1 });
    expect((await github.getRepo(REPO)).defaultBranch).toBe('main');
    expect(sandbox.requests[0]!.faulted).toBe(false);
  });
});
