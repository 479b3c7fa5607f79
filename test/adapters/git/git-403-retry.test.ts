import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitCache } from '../../../src/adapters/git/git-cache.js';
import { isAppError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import { startGitHub } from '../../sandbox/github/fixture.js';
import { tempDir } from '../../helpers/tmp.js';

// Issue 13 item 9: GitHub answers a rate-limited git request with a bare 403. The REST client
// rides that out (plugin-throttling); git transport must too, with the same bounds (1 + 3 retries).

async function world() {
  const { sandbox } = await startGitHub();
  await sandbox.createRepo('CartoDB/litellm');
  const head = await sandbox.pushCommit('CartoDB/litellm', { branch: 'main', files: { 'a.txt': '1\n' }, message: 'a' });
  const waits: number[] = [];
  const git = new GitCache({
    dataDir: join(await tempDir(), 'data'),
    logger: silentLogger(),
    token: sandbox.token,
    sleep: async (ms) => void waits.push(ms),
  });
  const remote = { repo: 'CartoDB/litellm', cloneUrl: `${sandbox.url}/CartoDB/litellm.git` };
  return { sandbox, git, remote, head, waits };
}

describe('git transport and 403s', () => {
  it('retries a fetch answered with a rate-limit 403 and succeeds', async () => {
    const w = await world();
    w.sandbox.faults.primaryRateLimit({ path: '/CartoDB/litellm.git/info/refs', times: 2 });
    await w.git.fetch(w.remote, ['+refs/heads/main:refs/fork/heads/main']);
    expect(await w.git.resolve('CartoDB/litellm', 'refs/fork/heads/main')).toBe(w.head);
    expect(w.waits).toEqual([1000, 4000]);
  });

  it('gives up after the REST bounds with a forbidden error', async () => {
    const w = await world();
    w.sandbox.faults.inject({ path: '/CartoDB/litellm.git/info/refs', status: 403, times: Infinity });
    const err = await w.git.fetch(w.remote, ['+refs/heads/main:refs/fork/heads/main']).catch((e: unknown) => e);
    expect(isAppError(err, 'forbidden')).toBe(true);
    expect(w.waits).toEqual([1000, 4000, 9000]);
    w.sandbox.faults.clear();
  });
});
