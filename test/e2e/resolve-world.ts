import { afterEach } from 'vitest';
import { createGitHubAdapter } from '../../src/adapters/github/github-adapter.js';
import { loadEnv } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { createServices, type Services } from '../../src/main.js';
import type { Actor, SyncDetail, SyncNotifier, SyncRef, SyncUpdate } from '../../src/ports.js';
import { AnthropicSandbox } from '../../src/sandbox/anthropic/anthropic-sandbox.js';
import { GitHubSandbox, SANDBOX_CLIENT_TUNING } from '../../src/sandbox/github/github-sandbox.js';
import { jobIdentity, type ResolveJobData } from '../../src/jobs/job-kinds.js';
import type { ResolveJobResult } from '../../src/workflows/resolve/resolve.js';
import type { HunkDecision } from '../../src/ports.js';
import { tempDir } from '../helpers/tmp.js';

// BerriAI/litellm and its fork CartoDB/litellm on the GitHub stand-in, an Anthropic stand-in, and
// the real services (SQLite, git cache, runner, Octokit and Anthropic SDK adapters) pointed at them.

export const UPSTREAM = 'BerriAI/litellm';
export const FORK = 'CartoDB/litellm';
export const BOT = { name: 'Cartofante', email: 'cartofante@carto.com' };
export const ALLOWED_SLACK = 'U0ALLOWED1';

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (open.length) await open.pop()!();
});

const pyproject = (v: string) => `[tool.poetry]\nname = "litellm"\nversion = "${v}"\n`;

export interface ResolveWorld {
  sandbox: GitHubSandbox;
  anthropic: AnthropicSandbox;
  services: Services;
  notes: Array<{ ref: SyncRef; update: SyncUpdate }>;
  details: SyncDetail[];
  /** Runs the queue until idle and returns the result of the latest resolve job. */
  runResolve(requestedBy?: Actor, decisions?: HunkDecision[]): Promise<ResolveJobResult>;
  sync(): Promise<void>;
  latestResolve(): Promise<ResolveJobResult>;
}

/** Base, fork and upstream versions of the files the scenario conflicts on. */
export interface Scenario {
  base: Record<string, string>;
  fork: Record<string, string | null>;
  upstream: Record<string, string | null>;
}

/** Upstream at v1.80.0 and v1.81.0 (stable releases), the fork's carto/main on top of the first: the conflicts of `scenario`. */
export async function seedScenario(sandbox: GitHubSandbox, scenario: Scenario): Promise<void> {
  sandbox.registerUser({ login: 'carto-dev', name: 'Carto Dev', email: 'dev@carto.com' });
  await sandbox.createRepo(UPSTREAM);
  const base = await sandbox.pushCommit(UPSTREAM, {
    branch: 'main',
    files: { 'pyproject.toml': pyproject('1.80.0'), ...scenario.base },
    message: 'release 1.80.0',
  });
  await sandbox.addRelease(UPSTREAM, { tag: 'v1.80.0-stable', publishedAt: '2026-01-01T00:00:00Z' });
  await sandbox.createRepo(FORK, { forkOf: UPSTREAM });
  await sandbox.git(FORK, ['update-ref', 'refs/heads/main', base]);
  await sandbox.pushCommit(FORK, {
    branch: 'carto/main',
    from: base,
    files: scenario.fork,
    message: 'feat: carto customisations',
    as: 'carto-dev',
  });
  const tagSha = await sandbox.pushCommit(UPSTREAM, {
    branch: 'main',
    files: { 'pyproject.toml': pyproject('1.81.0'), ...scenario.upstream },
    message: 'release 1.81.0',
  });
  await sandbox.addRelease(UPSTREAM, { tag: 'v1.81.0-stable', target: tagSha, publishedAt: '2026-02-01T00:00:00Z' });
}

export async function resolveWorld(
  scenario: Scenario,
  options: { pipeline?: Record<string, unknown>; jobKinds?: string[] } = {},
): Promise<ResolveWorld> {
  const sandbox = await GitHubSandbox.start({ root: await tempDir('resolve-gh-') });
  const anthropic = await new AnthropicSandbox().listen();
  open.push(
    () => sandbox.close(),
    () => anthropic.close(),
  );
  await seedScenario(sandbox, scenario);

  const config = parseConfig({
    git: { author: BOT },
    access: { resolve: [ALLOWED_SLACK, 'github:carto-dev'] },
    llm: { model: 'claude-test', maxRetries: 1, timeoutMs: 5000, confidenceThreshold: 0.8 },
    pipelines: [
      {
        id: 'litellm',
        upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
        fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
        ...options.pipeline,
      },
    ],
  });
  const dataDir = await tempDir('resolve-data-');
  const env = loadEnv({
    GITHUB_TOKEN: sandbox.token,
    GITHUB_API_URL: sandbox.url,
    UPSTREAM_SYNC_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...anthropic.env(),
  });
  const github = createGitHubAdapter({ token: sandbox.token, baseUrl: sandbox.url, tuning: SANDBOX_CLIENT_TUNING });
  const notes: ResolveWorld['notes'] = [];
  const details: SyncDetail[] = [];
  const notifier: SyncNotifier = {
    syncChanged: async (ref, update) => void notes.push({ ref, update }),
    syncDetail: async (_ref, detail) => void details.push(detail),
    releasePublished: async () => undefined,
    pullMerged: async () => undefined,
  };
  const services = createServices({
    config,
    env,
    logger: silentLogger(),
    github,
    notifier,
    jobKinds: options.jobKinds ?? ['sync', 'resolve'],
    runner: { pollMs: 10, backoff: { baseMs: 10, maxMs: 50 } },
  });
  open.push(() => services.close());

  const latestResolve = async () => {
    const [job] = await services.runner.list({ kind: 'resolve', limit: 1 });
    if (!job) throw new Error('no resolve job');
    if (job.state !== 'succeeded') throw new Error(`resolve job ${job.state}: ${JSON.stringify(job.error)}`);
    return job.result as ResolveJobResult;
  };
  return {
    sandbox,
    anthropic,
    services,
    notes,
    details,
    latestResolve,
    async sync() {
      await services.runner.enqueue({
        ...jobIdentity.sync('litellm'),
        data: { pipeline: 'litellm' },
        requestedBy: { kind: 'cli', id: 'test' },
      });
      await services.runner.runUntilIdle({ timeoutMs: 60_000 });
    },
    async runResolve(requestedBy = { kind: 'cli', id: 'test' }, decisions) {
      const pr = sandbox.pulls(FORK).at(-1)!.number;
      const data: ResolveJobData = { pipeline: 'litellm', repo: FORK, pr, ...(decisions ? { decisions } : {}) };
      await services.runner.enqueue({ ...jobIdentity.resolve('litellm', FORK, pr), data, requestedBy });
      await services.runner.runUntilIdle({ timeoutMs: 60_000 });
      return latestResolve();
    },
  };
}
