import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubAdapter } from '../../../src/adapters/github/github-adapter.js';
import { SqliteHttpCache } from '../../../src/adapters/store/http-cache-store.js';
import { privateStore } from '../../helpers/test-store.js';
import { type Store } from '../../../src/adapters/store/open-store.js';
import { systemClock } from '../../../src/ports.js';
import { GitHubSandbox, SANDBOX_CLIENT_TUNING } from '../../../src/sandbox/github/github-sandbox.js';
import { tempDir } from '../../helpers/tmp.js';

// Conditional requests end to end: the stand-in sends ETags and answers 304; the client's hook
// sends If-None-Match from the SQLite cache and replays the cached body, and only non-304
// answers count against the rate limit.

let sandbox: GitHubSandbox | null = null;
let store: Store | null = null;
afterEach(async () => {
  sandbox?.assertNoUnexpectedRequests();
  await sandbox?.close();
  store?.close();
  sandbox = null;
  store = null;
});

async function world() {
  sandbox = await GitHubSandbox.start({ root: await tempDir('cond-gh-') });
  sandbox.trackRateLimit(5000);
  await sandbox.createRepo('acme/lib');
  await sandbox.pushCommit('acme/lib', { branch: 'main', files: { VERSION: '1.0.0\n' }, message: 'one' });
  await sandbox.addRelease('acme/lib', { tag: 'v1.0.0', publishedAt: '2026-01-01T00:00:00Z' });
  store = privateStore();
  const remaining: number[] = [];
  const github = createGitHubAdapter({
    token: sandbox.token,
    baseUrl: sandbox.url,
    tuning: SANDBOX_CLIENT_TUNING,
    conditionalCache: new SqliteHttpCache(store.db, systemClock),
    onResponse: (r) => r.rateRemaining !== null && remaining.push(r.rateRemaining),
  });
  return { sandbox, github, remaining };
}

describe('conditional requests', () => {
  it('a repeated read is a free 304 answered from the cache; a change is read anew', async () => {
    const w = await world();
    const read = () =>
      Promise.all([
        w.github.getRepo('acme/lib'),
        w.github.listReleases('acme/lib'),
        w.github.getFileText('acme/lib', 'VERSION', 'main'),
        w.github.getBranchSha('acme/lib', 'main'),
        w.github.listPulls('acme/lib', { state: 'all', base: 'main' }),
      ]);
    const first = await read();
    expect(w.sandbox.countedRequests()).toHaveLength(5);
    const second = await read();
    expect(second).toEqual(first);
    expect(w.sandbox.countedRequests()).toHaveLength(5);
    expect(w.sandbox.requests.filter((r) => r.status === 304)).toHaveLength(5);
    // The budget GitHub reports did not move for the 304s.
    expect(w.remaining.at(-1)).toBe(4995);

    await w.sandbox.pushCommit('acme/lib', { branch: 'main', files: { VERSION: '1.1.0\n' }, message: 'two' });
    await w.sandbox.addRelease('acme/lib', { tag: 'v1.1.0', publishedAt: '2026-02-01T00:00:00Z' });
    const third = await read();
    expect(third[2]).toBe('1.1.0\n');
    expect(third[1].map((r) => r.tag)).toContain('v1.1.0');
    expect(third[3]).not.toBe(first[3]);
    // Releases, contents and the ref changed; the repository and the pulls did not.
    expect(w.sandbox.countedRequests()).toHaveLength(8);
  });

  it('without a cache nothing is conditional and every read counts', async () => {
    const w = await world();
    const plain = createGitHubAdapter({
      token: w.sandbox.token,
      baseUrl: w.sandbox.url,
      tuning: SANDBOX_CLIENT_TUNING,
    });
    await plain.listReleases('acme/lib');
    await plain.listReleases('acme/lib');
    expect(w.sandbox.countedRequests()).toHaveLength(2);
    expect(w.sandbox.requests.every((r) => r.status === 200)).toBe(true);
  });
});
