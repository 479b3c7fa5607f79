import { describe, expect, it } from 'vitest';
import { startGitHub } from './fixture.js';

describe('stand-in harness', () => {
  it('answers an unknown route 404 and makes assertNoUnexpectedRequests throw', async () => {
    const { sandbox, github } = await startGitHub();
    await sandbox.createRepo('CartoDB/litellm');
    sandbox.assertNoUnexpectedRequests();
    const err = await github.octokit
      .request('GET /repos/{owner}/{repo}/actions/artifacts', { owner: 'CartoDB', repo: 'litellm' })
      .catch((e: { status: number }) => e);
    expect((err as { status: number }).status).toBe(404);
    expect(() => sandbox.assertNoUnexpectedRequests()).toThrow(
      /GET \/repos\/CartoDB\/litellm\/actions\/artifacts: no such route/,
    );
    expect(sandbox.unexpectedRequests()).toHaveLength(1);
    sandbox.clearUnexpectedRequests();
  });

  it('a 404 for a known route on a missing object is not unexpected', async () => {
    const { sandbox, github } = await startGitHub();
    await sandbox.createRepo('CartoDB/litellm');
    expect(await github.getReleaseByTag('CartoDB/litellm', 'v0-missing')).toBeNull();
    sandbox.assertNoUnexpectedRequests();
  });

  it('logs every request with its route, status, body and login; mutatingRequests keeps only writes', async () => {
    const { sandbox, github } = await startGitHub();
    await sandbox.createRepo('CartoDB/litellm');
    const sha = await sandbox.pushCommit('CartoDB/litellm', { branch: 'main', files: { a: 'a' }, message: 'a' });
    await github.getRepo('CartoDB/litellm');
    await github.dispatchWorkflow('CartoDB/litellm', 'carto-release.yaml', 'main', { release_type: 'patch' });
    expect(sandbox.requests.map((r) => [r.method, r.route, r.status, r.login])).toEqual([
      ['GET', 'GET /repos/:owner/:repo', 200, sandbox.login],
      ['POST', 'POST /repos/:owner/:repo/actions/workflows/:workflow/dispatches', 204, sandbox.login],
    ]);
    expect(sandbox.mutatingRequests()).toHaveLength(1);
    expect(sandbox.mutatingRequests()[0]!.body).toEqual({ ref: 'main', inputs: { release_type: 'patch' } });
    expect(sandbox.dispatches).toEqual([
      {
        repo: 'CartoDB/litellm',
        kind: 'workflow',
        name: 'carto-release.yaml',
        ref: 'main',
        payload: { release_type: 'patch' },
        by: sandbox.login,
        run: { id: expect.any(Number), createdAt: expect.any(String), displayTitle: 'carto-release' },
      },
    ]);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('rejects REST calls without a valid token', async () => {
    const { sandbox } = await startGitHub();
    await sandbox.createRepo('CartoDB/litellm');
    const anonymous = await fetch(`${sandbox.url}/repos/CartoDB/litellm`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: 'Requires authentication' });
    const wrong = await fetch(`${sandbox.url}/repos/CartoDB/litellm`, {
      headers: { authorization: 'token ghs_not-the-token' },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('injects faults a given number of times, matched by method and path', async () => {
    const { sandbox } = await startGitHub();
    await sandbox.createRepo('CartoDB/litellm');
    sandbox.faults.inject({ method: 'GET', path: /^\/repos\/CartoDB\/litellm$/, status: 502, times: 2 });
    sandbox.faults.secondaryRateLimit({ path: '/repos/CartoDB/litellm/pulls', retryAfter: 3 });
    const headers = { authorization: `token ${sandbox.token}` };
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await fetch(`${sandbox.url}/repos/CartoDB/litellm`, { headers })).status);
    expect(statuses).toEqual([502, 502, 200]);
    const limited = await fetch(`${sandbox.url}/repos/CartoDB/litellm/pulls`, { headers });
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(((await limited.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    expect((await fetch(`${sandbox.url}/repos/CartoDB/litellm/pulls`, { headers })).status).toBe(200);
    expect(sandbox.requests.filter((r) => r.faulted)).toHaveLength(3);
  });
});
