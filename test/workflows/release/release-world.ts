import { afterEach } from 'vitest';
import type { GitCache } from '../../../src/adapters/git/git-cache.js';
import { openStore, type Store } from '../../../src/adapters/store/open-store.js';
import type { Config } from '../../../src/config/schema.js';
import { releaseJob, type ReleaseJobDeps } from '../../../src/workflows/release/release.js';
import { JobRunner } from '../../../src/jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import type { GitHubPort, LlmPort } from '../../../src/ports.js';
import { GitHubSandbox } from '../../../src/sandbox/github/github-sandbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { cartoConfig, RecordingNotifier, releaseDeps } from './release-fixture.js';

export * from './release-fixture.js';

// One stand-in, store, git cache and runner per test, closed after it.

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

export interface ReleaseWorld {
  sandbox: GitHubSandbox;
  github: GitHubPort;
  git: GitCache;
  store: Store;
  runner: JobRunner;
  notifier: RecordingNotifier;
  deps: ReleaseJobDeps;
  dir: string;
}

export async function releaseWorld(options: { config?: Config; llm?: LlmPort } = {}): Promise<ReleaseWorld> {
  const dir = await tempDir('release-');
  const sandbox = await GitHubSandbox.start({ root: `${dir}/github` });
  cleanups.push(() => sandbox.close());
  const log = silentLogger();
  const store = openStore(`${dir}/data`);
  cleanups.push(() => store.close());
  const notifier = new RecordingNotifier();
  const deps = releaseDeps({
    url: sandbox.url,
    token: sandbox.token,
    dataDir: `${dir}/data`,
    store,
    log,
    config: options.config ?? cartoConfig(),
    llm: options.llm ?? null,
    notifier,
  });
  const { git, github } = deps;
  const runner = new JobRunner({
    store: store.jobs,
    audit: store.audit,
    log,
    pollMs: 10,
    backoff: { baseMs: 1, maxMs: 4 },
  });
  runner.register(releaseJob(deps));
  cleanups.push(() => runner.stop());
  return { sandbox, github, git, store, runner, notifier, deps, dir };
}
