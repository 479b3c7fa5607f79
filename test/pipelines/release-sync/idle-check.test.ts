import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../src/config/env.js';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/log.js';
import { createServices, type Services } from '../../../src/main.js';
import { jobIdentity } from '../../../src/jobs/job-kinds.js';
import type { SyncResult } from '../../../src/pipelines/release-sync/sync-types.js';
import { GitHubSandbox, SANDBOX_CLIENT_TUNING } from '../../../src/sandbox/github/github-sandbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { BOT, FORK, UPSTREAM, publishRelease, seedRepos } from './harness.js';

// What a scheduled check of an up-to-date release-sync pipeline costs, counted by the GitHub
// stand-in: REST requests GitHub would charge (every answer but a 304) and git fetches. The
// services build their own GitHub client here, as `start` does, so the conditional-request cache
// in SQLite is the real one.

let open: { services: Services; sandbox: GitHubSandbox } | null = null;
afterEach(async () => {
  open?.sandbox.assertNoUnexpectedRequests();
  await open?.services.close();
  await open?.sandbox.close();
  open = null;
});

async function world() {
  const sandbox = await GitHubSandbox.start({ root: await tempDir('idle-gh-') });
  sandbox.trackRateLimit(5000);
  await seedRepos(sandbox);
  const config = parseConfig({
    git: { author: BOT },
    pipelines: [
      {
        id: 'litellm',
        upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
        fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
      },
    ],
  });
  const env = loadEnv({ ...sandbox.env(), UPSTREAM_SYNC_DATA_DIR: await tempDir('idle-data-'), LOG_LEVEL: 'silent' });
  const services = createServices({
    config,
    env,
    logger: silentLogger(),
    jobKinds: ['sync'],
    githubTuning: SANDBOX_CLIENT_TUNING,
    runner: { pollMs: 10, backoff: { baseMs: 10, maxMs: 50 } },
  });
  open = { services, sandbox };
  const check = async () => {
    const before = { counted: sandbox.countedRequests().length, all: sandbox.requests.length };
    const { job } = await services.runner.enqueue({
      ...jobIdentity.sync('litellm'),
      data: { pipeline: 'litellm' },
      requestedBy: { kind: 'cron', id: 'litellm' },
    });
    await services.runner.runUntilIdle({ timeoutMs: 60_000 });
    const done = (await services.runner.get(job.id))!;
    if (done.state !== 'succeeded') throw new Error(`sync ${done.state}: ${JSON.stringify(done.error)}`);
    const made = sandbox.requests.slice(before.all);
    return {
      result: done.result as SyncResult,
      counted: sandbox.countedRequests().length - before.counted,
      rest: made.filter((r) => r.kind === 'rest').length,
      gitFetches: made.filter((r) => r.kind === 'git-fetch').length,
    };
  };
  return { sandbox, services, check };
}

describe('an idle release-sync check', () => {
  it('costs at most 2 counted REST requests and no git fetch once nothing changed upstream or on the fork', async () => {
    const w = await world();
    const first = await w.check();
    expect(first.result.outcome).toBe('up-to-date');
    expect(first.gitFetches).toBeGreaterThan(0);
    expect(first.counted).toBeGreaterThan(2);

    const idle = await w.check();
    expect(idle.result.outcome).toBe('up-to-date');
    expect(idle.rest).toBeGreaterThan(0);
    expect(idle.counted).toBeLessThanOrEqual(2);
    expect(idle.gitFetches).toBe(0);
    expect((await w.check()).counted).toBeLessThanOrEqual(2);
  });

  it('a new release is seen at once: the next check reads it, fetches and opens the sync PR', async () => {
    const w = await world();
    await w.check();
    await w.check();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
    const active = await w.check();
    expect(active.result.outcome).toBe('pr-created');
    expect(active.gitFetches).toBeGreaterThan(0);
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).not.toBeNull();
  });

  it('a change on the fork alone (production moved) is fetched, not taken from the cache', async () => {
    const w = await world();
    await w.check();
    const moved = await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'carto_other.py': 'y = 2\n' },
      message: 'feat: another carto change',
      as: 'carto-dev',
    });
    const next = await w.check();
    expect(next.result.outcome).toBe('up-to-date');
    expect(next.gitFetches).toBeGreaterThan(0);
    expect(await w.services.git.resolve(FORK, 'refs/fork/heads/carto/main')).toBe(moved);
  });
});
