import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createGitHubAdapter } from '../../src/adapters/github/github-adapter.js';
import { loadEnv } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { jobIdentity } from '../../src/jobs/job-kinds.js';
import { silentLogger } from '../../src/log.js';
import { createServices, type Services } from '../../src/main.js';
import { GitHubSandbox, SANDBOX_CLIENT_TUNING } from '../../src/sandbox/github/github-sandbox.js';
import type { SyncSnapshot } from '../../src/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { spawnFixture, type Fixture } from '../jobs/fixtures/child.js';
import { FORK, UPSTREAM, publishRelease, seedRepos } from '../pipelines/release-sync/harness.js';

// A sync PR with its card in SQLite (the real Slack notifier, no Slack connection), and a worker
// process on the same data dir that the test kills at a named moment; the test's own runner then
// takes the job over once the dead worker's lease runs out.

export const TAG = 'v1.81.0-stable';
const LEASE_MS = 400;

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (open.length) await open.pop()!();
});

export interface CrashWorld {
  sandbox: GitHubSandbox;
  services: Services;
  config: Config;
  pr: number;
  card(): SyncSnapshot | null;
  /** Starts the worker for `kinds`; kills it once `at` is true; resolves after it died. */
  killWorkerWhen(kinds: string[], at: () => boolean): Promise<void>;
  /** Starts the CI watcher in its own process; kills it once `at` is true; resolves after it died. */
  killWatcherWhen(at: () => boolean): Promise<void>;
  until(check: () => boolean | Promise<boolean>, what: string): Promise<void>;
}

export async function crashWorld(): Promise<CrashWorld> {
  const sandbox = await GitHubSandbox.start({ root: await tempDir('crash-gh-') });
  open.push(() => sandbox.close());
  await seedRepos(sandbox);
  await publishRelease(sandbox, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
  const raw = {
    git: { author: { name: 'Cartofante', email: 'cartofante@carto.com' } },
    access: { approve: ['U012ABCDEF'] },
    pipelines: [
      {
        id: 'litellm',
        upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
        fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
        slack: { channel: 'C09K0M5MP7V' },
        pr: { readyLabel: 'sync-ready' },
      },
    ],
  };
  const config = parseConfig(raw);
  const dir = await tempDir('crash-');
  const configFile = join(dir, 'upstream-sync.yml');
  await writeFile(configFile, JSON.stringify(raw));
  const dataDir = join(dir, 'data');
  const services = createServices({
    config,
    env: loadEnv({
      GITHUB_TOKEN: sandbox.token,
      GITHUB_API_URL: sandbox.url,
      UPSTREAM_SYNC_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-1-crash-test',
      SLACK_APP_TOKEN: 'xapp-1-crash-test',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    }),
    logger: silentLogger(),
    github: createGitHubAdapter({ token: sandbox.token, baseUrl: sandbox.url, tuning: SANDBOX_CLIENT_TUNING }),
    jobKinds: ['sync', 'merge', 'learn', 'recheck'],
    runner: { pollMs: 10, leaseMs: LEASE_MS, backoff: { baseMs: 10, maxMs: 50 } },
  });
  open.push(() => services.close());

  await services.runner.enqueue({
    ...jobIdentity.sync('litellm'),
    data: { pipeline: 'litellm' },
    requestedBy: { kind: 'cli', id: 'test' },
  });
  await services.runner.runUntilIdle({ timeoutMs: 60_000 });
  const card = () => services.store.syncCards.get({ pipeline: 'litellm', tag: TAG })?.snapshot ?? null;
  const pr = card()?.pr?.number;
  if (!pr) {
    const jobs = (await services.runner.list({})).map((j) => ({ kind: j.kind, state: j.state, error: j.error }));
    throw new Error(`no sync PR on the card: ${JSON.stringify(card())}; jobs: ${JSON.stringify(jobs)}`);
  }

  const until = async (check: () => boolean | Promise<boolean>, what: string) => {
    for (let i = 0; i < 3000; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`gave up waiting for ${what}`);
  };
  return {
    sandbox,
    services,
    config,
    pr,
    card,
    until,
    killWorkerWhen: (kinds, at) =>
      killWhen(
        spawnFixture('../../e2e/fixtures/job-worker.ts', [
          configFile,
          dataDir,
          sandbox.url,
          sandbox.token,
          String(LEASE_MS),
          kinds.join(','),
        ]),
        at,
      ),
    killWatcherWhen: (at) =>
      killWhen(
        spawnFixture('../../e2e/fixtures/ci-watch-worker.ts', [configFile, dataDir, sandbox.url, sandbox.token]),
        at,
      ),
  };

  async function killWhen(child: Fixture, at: () => boolean): Promise<void> {
    try {
      await until(at, 'the named moment');
    } finally {
      child.process.kill('SIGKILL');
    }
    const exit = await child.exited;
    if (exit.signal !== 'SIGKILL') throw new Error(`the worker was not killed: ${JSON.stringify(exit)}`);
  }
}
