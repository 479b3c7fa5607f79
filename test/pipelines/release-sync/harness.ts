import { afterEach } from 'vitest';
import { createGitHubAdapter, type GitHubAdapter } from '../../../src/adapters/github/github-adapter.js';
import { loadEnv } from '../../../src/config/env.js';
import { parseConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log.js';
import { createServices, type Services } from '../../../src/main.js';
import type { SyncNotifier, SyncRef, SyncUpdate } from '../../../src/ports.js';
import { GitHubSandbox, SANDBOX_CLIENT_TUNING } from '../../../src/sandbox/github/github-sandbox.js';
import { jobIdentity } from '../../../src/jobs/job-kinds.js';
import { dryRunSync } from '../../../src/pipelines/release-sync/sync-run.js';
import type { SyncResult } from '../../../src/pipelines/release-sync/sync-types.js';
import { tempDir } from '../../helpers/tmp.js';
import { FORK, UPSTREAM, publishRelease, seedRepos } from '../../helpers/litellm-repos.js';

// A GitHub stand-in with BerriAI/litellm and its fork CartoDB/litellm, and the real services
// (SQLite, git cache, runner, Octokit adapter) pointed at it.

export { FORK, UPSTREAM, publishRelease, pyproject, seedRepos } from '../../helpers/litellm-repos.js';
export const BOT = { name: 'Cartofante', email: 'cartofante@carto.com' };

const open: Array<{ services: Services; sandbox: GitHubSandbox }> = [];
afterEach(async () => {
  while (open.length) {
    const w = open.pop()!;
    await w.services.close();
    await w.sandbox.close();
  }
});

export interface SyncWorld {
  sandbox: GitHubSandbox;
  github: GitHubAdapter;
  services: Services;
  config: Config;
  /** The services' data dir (git caches under `git/`). */
  dataDir: string;
  notes: Array<{ ref: SyncRef; update: SyncUpdate }>;
  /** Upstream commits a release (pyproject version + files) and publishes `v<version>-stable`. */
  release(
    version: string,
    files?: Record<string, string | null>,
    options?: { tag?: string; publishedAt?: string; prerelease?: boolean; draft?: boolean },
  ): Promise<string>;
  /** Enqueues a sync as the cron would (or, with `tag`, as `sync <tag>` does) and runs the queue until idle. */
  sync(tag?: string): Promise<SyncResult>;
  dryRun(tag?: string): Promise<SyncResult>;
}

export interface WorldOptions {
  pipeline?: Record<string, unknown>;
  top?: Record<string, unknown>;
}

export async function syncWorld(options: WorldOptions = {}): Promise<SyncWorld> {
  const sandbox = await GitHubSandbox.start({ root: await tempDir('sync-gh-') });
  await seedRepos(sandbox);

  const config = parseConfig({
    git: { author: BOT },
    ...options.top,
    pipelines: [
      {
        id: 'litellm',
        upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
        fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
        pr: {
          title: '🔄 Upstream Sync: LiteLLM {tag}',
          reviewers: ['mateo-di'],
          conflictReviewers: ['carto-dev'],
          assignees: ['mateo-di'],
        },
        ...options.pipeline,
      },
    ],
  });
  const dataDir = await tempDir('sync-data-');
  const env = loadEnv({
    GITHUB_TOKEN: sandbox.token,
    GITHUB_API_URL: sandbox.url,
    UPSTREAM_SYNC_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const github = createGitHubAdapter({ token: sandbox.token, baseUrl: sandbox.url, tuning: SANDBOX_CLIENT_TUNING });
  const notes: SyncWorld['notes'] = [];
  const notifier: SyncNotifier = {
    syncChanged: async (ref, update) => void notes.push({ ref, update }),
    syncDetail: async () => undefined,
    releasePublished: async () => undefined,
    pullMerged: async () => undefined,
  };
  const services = createServices({
    config,
    env,
    logger: silentLogger(),
    github,
    notifier,
    jobKinds: ['sync'],
    runner: { pollMs: 10, backoff: { baseMs: 10, maxMs: 50 } },
  });
  open.push({ services, sandbox });

  return {
    sandbox,
    github,
    services,
    config,
    dataDir,
    notes,
    release: (version, files, opts) => publishRelease(sandbox, version, files, opts),
    async sync(tag) {
      const data = { pipeline: 'litellm', ...(tag === undefined ? {} : { tag }) };
      const { job } = await services.runner.enqueue({
        ...jobIdentity.sync('litellm'),
        data,
        requestedBy: { kind: 'cli', id: 'test' },
      });
      await services.runner.runUntilIdle({ timeoutMs: 60_000 });
      const done = (await services.runner.get(job.id))!;
      if (done.state !== 'succeeded') throw new Error(`sync job ${done.state}: ${JSON.stringify(done.error)}`);
      return done.result as SyncResult;
    },
    async dryRun(tag) {
      const dry = createServices({ config, env, logger: silentLogger(), github, dryRun: true, jobKinds: [] });
      try {
        return await dryRunSync(dry, 'litellm', silentLogger(), { kind: 'cli', id: 'test' }, tag);
      } finally {
        await dry.close();
      }
    },
  };
}
