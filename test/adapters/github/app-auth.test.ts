import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../src/config/env.js';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/log.js';
import { createServices, type Services } from '../../../src/main.js';
import { enqueueSync } from '../../../src/pipelines/release-sync/sync-run.js';
import { GitHubSandbox } from '../../../src/sandbox/github/github-sandbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { FORK, UPSTREAM, publishRelease, seedRepos } from '../../pipelines/release-sync/harness.js';

// GitHub App authentication: installation tokens from the stand-in, which expire by its clock.
// A sync that outlives one token keeps working, for the REST API and for git over HTTPS, because
// tokens are replaced before they expire (no request is ever sent with an expired one).

const HOUR = 3600_000;
let open: { services: Services; sandbox: GitHubSandbox } | null = null;
afterEach(async () => {
  await open?.services.close();
  await open?.sandbox.close();
  open = null;
});

async function world() {
  let now = Date.parse('2026-12-04T12:00:00Z');
  const sandbox = await GitHubSandbox.start({ root: await tempDir('app-gh-'), clock: () => new Date(now) });
  const app = sandbox.enableApp({ tokenTtlMs: HOUR });
  await seedRepos(sandbox);
  const config = parseConfig({
    git: { author: { name: 'Cartofante', email: 'cartofante@carto.com' } },
    pipelines: [
      {
        id: 'litellm',
        upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
        fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
      },
    ],
  });
  const env = loadEnv({
    GITHUB_API_URL: sandbox.url,
    GITHUB_APP_ID: String(app.appId),
    // As it often arrives from a secret store: one line, newlines escaped.
    GITHUB_APP_PRIVATE_KEY: app.privateKey.replace(/\n/g, '\\n'),
    UPSTREAM_SYNC_DATA_DIR: await tempDir('app-data-'),
  });
  const services = createServices({
    config,
    env,
    logger: silentLogger(),
    githubTokenNow: () => now,
    runner: { pollMs: 10, backoff: { baseMs: 10, maxMs: 50 } },
  });
  open = { services, sandbox };
  return { sandbox, app, services, advance: (ms: number) => (now += ms) };
}

describe('GitHub App authentication', () => {
  it('a sync that outlives its installation token keeps working, REST and git, with no expired token sent', async () => {
    const w = await world();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    // Hold the PR request: the token's hour passes while it is in flight.
    const at = { method: 'POST', path: '/repos/CartoDB/litellm/pulls' };
    w.sandbox.faults.inject({ ...at, latencyMs: 300, times: 1 });
    await enqueueSync(w.services.runner, { pipeline: 'litellm' }, { kind: 'cli', id: 'test', via: 'test' });
    const run = w.services.runner.runUntilIdle({ timeoutMs: 60_000 });
    const held = (async () => {
      while (!w.sandbox.requests.some((r) => r.method === at.method && r.path === at.path))
        await new Promise((r) => setTimeout(r, 5));
      w.advance(HOUR + 60_000);
    })();
    await Promise.all([run, held]);

    const [job] = await w.services.runner.list({ kind: 'sync' });
    expect(job?.state).toBe('succeeded');
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
    expect(w.app.issued.length).toBeGreaterThanOrEqual(2);
    // The installation was looked up with the App's JWT (no GITHUB_APP_INSTALLATION_ID).
    expect(w.sandbox.requests.some((r) => r.path === `/repos/${FORK}/installation`)).toBe(true);
    expect(w.sandbox.requests.filter((r) => r.status === 401 && r.kind === 'rest')).toEqual([]);
    const labelled = w.sandbox.requests.filter((r) => r.method === 'POST' && /\/labels$/.test(r.path));
    expect(labelled.every((r) => r.login === w.app.login)).toBe(true);

    // Git over HTTPS after another hour: a fetch with a fresh token (the old ones are expired).
    w.advance(HOUR + 60_000);
    const issued = w.app.issued.length;
    const pushesBefore = w.sandbox.requests.filter((r) => r.kind === 'git-fetch' && r.status === 200).length;
    const repo = await w.services.github.getRepo(FORK);
    await w.services.git.fetch({ repo: FORK, cloneUrl: repo.cloneUrl }, [
      '+refs/heads/carto/main:refs/heads/carto/main',
    ]);
    expect(w.app.issued.length).toBe(issued + 1);
    expect(w.sandbox.requests.filter((r) => r.kind === 'git-fetch' && r.status === 200).length).toBeGreaterThan(
      pushesBefore,
    );
    expect(w.sandbox.requests.filter((r) => r.kind !== 'rest' && r.status === 401 && r.login !== null)).toEqual([]);
  });

  it('repositories in different installations each get their own token, REST and git; each installation looked up once', async () => {
    const OTHER = 'OtherOrg/proxy';
    const sandbox = await GitHubSandbox.start({ root: await tempDir('apps-gh-') });
    const app = sandbox.enableApp({ installations: { CartoDB: 7001, OtherOrg: 7002 } });
    await seedRepos(sandbox);
    await sandbox.createRepo(OTHER);
    const base = await sandbox.pushCommit(OTHER, { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'init' });
    const pipeline = (id: string, fork: string) => ({
      id,
      upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
      fork: { repo: fork, productionBranch: 'main' },
      version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
    });
    const config = parseConfig({ pipelines: [pipeline('litellm', FORK), pipeline('proxy', OTHER)] });
    const env = loadEnv({
      GITHUB_API_URL: sandbox.url,
      GITHUB_APP_ID: String(app.appId),
      GITHUB_APP_PRIVATE_KEY: app.privateKey,
      UPSTREAM_SYNC_DATA_DIR: await tempDir('apps-data-'),
    });
    const services = createServices({ config, env, logger: silentLogger() });
    open = { services, sandbox };

    // REST: each repository with its installation's token; upstream (no installation) with the default one.
    expect((await services.github.getRepo(FORK)).fullName).toBe(FORK);
    const other = await services.github.getRepo(OTHER);
    expect(other.fullName).toBe(OTHER);
    expect((await services.github.getRepo(UPSTREAM)).fullName).toBe(UPSTREAM);
    await services.github.getRepo(OTHER);
    // git over HTTPS: a fetch and a push to the other installation's repository.
    await services.git.fetch({ repo: OTHER, cloneUrl: other.cloneUrl }, ['+refs/heads/main:refs/heads/main']);
    await services.git.push({ repo: OTHER, cloneUrl: other.cloneUrl }, { branch: 'copy', sha: base, expected: null });
    expect((await sandbox.git(OTHER, ['rev-parse', 'refs/heads/copy'])).trim()).toBe(base);

    expect(sandbox.requests.filter((r) => r.status === 404 || r.status === 401).map((r) => r.path)).toEqual([
      `/repos/${UPSTREAM}/installation`,
    ]);
    expect(new Set(app.issued.map((t) => t.installationId))).toEqual(new Set([7001, 7002]));
    expect(app.issued).toHaveLength(2);
    const lookups = sandbox.requests.filter((r) => r.path.endsWith('/installation')).map((r) => r.path);
    expect(lookups.sort()).toEqual(
      [`/repos/${FORK}/installation`, `/repos/${OTHER}/installation`, `/repos/${UPSTREAM}/installation`].sort(),
    );
  });

  it('GITHUB_TOKEN still works (no App settings)', async () => {
    const sandbox = await GitHubSandbox.start({ root: await tempDir('tok-gh-') });
    await seedRepos(sandbox);
    const env = loadEnv({ ...sandbox.env(), UPSTREAM_SYNC_DATA_DIR: await tempDir('tok-data-') });
    const config = parseConfig({
      pipelines: [
        {
          id: 'litellm',
          upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
          fork: { repo: FORK, productionBranch: 'carto/main' },
          version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
        },
      ],
    });
    const services = createServices({ config, env, logger: silentLogger() });
    open = { services, sandbox };
    expect((await services.github.getRepo(FORK)).fullName).toBe(FORK);
    expect(sandbox.requests.at(-1)?.login).toBe(sandbox.login);
  });
});
