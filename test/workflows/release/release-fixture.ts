import { GitCache } from '../../../src/adapters/git/git-cache.js';
import { createGitHubAdapter } from '../../../src/adapters/github/github-adapter.js';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { parseConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { allowReleaseWith, type ReleaseJobDeps } from '../../../src/workflows/release/release.js';
import type { Logger } from '../../../src/log.js';
import {
  systemClock,
  type GitHubPort,
  type LlmPort,
  type PullMerged,
  type ReleasePublished,
  type SyncNotifier,
} from '../../../src/ports.js';
import { SANDBOX_CLIENT_TUNING, type GitHubSandbox } from '../../../src/sandbox/github/github-sandbox.js';
import { Authorizer } from '../../../src/slack/authorizer.js';

// CARTO's fork on the GitHub stand-in, with the history of February 2026: a release cut while the
// version file wrongly said 1.81.6, the correction re-tagged as v1.81.3-carto.1.18.6, then a
// feature PR and the v1.81.9 upstream sync merged. Real git, real SQLite, real Octokit. No vitest
// here: the crash test's child process builds its job from the same pieces.

export const UPSTREAM = 'BerriAI/litellm';
export const FORK = 'CartoDB/litellm';
export const RELEASER = 'U0RELEASER';
export const OPS_GROUP = 'S0OPSGROUP';
export const GROUP_MEMBER = 'U0OPSMEMBER';

export function cartoConfig(
  overrides: { release?: Record<string, unknown>; pipeline?: Record<string, unknown> } = {},
): Config {
  return parseConfig(cartoConfigInput(overrides));
}

/** The configuration as it would be written in the YAML file (JSON is YAML too). */
export function cartoConfigInput(
  overrides: { release?: Record<string, unknown>; pipeline?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    access: { release: [RELEASER, OPS_GROUP] },
    git: { author: { name: 'Cartofante', email: 'cartofante@carto.com' } },
    pipelines: [
      {
        id: 'litellm',
        upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
        fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
        pr: { labels: ['upstream-sync', 'automated'] },
        release: {
          tagFormat: 'v{upstream}-carto.{major}.{minor}.{patch}',
          legacyTagFormats: ['carto-v{upstream}-{major}.{minor}.{patch}'],
          imageWorkflow: {
            workflow: 'carto-ghcr-deploy.yaml',
            input: 'release_tag',
            image: 'ghcr.io/cartodb/litellm-non_root',
            tags: ['{tag}', 'carto-stable', 'carto-v{upstream}-latest'],
          },
          ...overrides.release,
        },
        ...overrides.pipeline,
      },
    ],
  };
}

const pyproject = (version: string) => `[tool.poetry]\nname = "litellm"\nversion = "${version}"\n`;

export interface History {
  contaminated: string;
  corrected: string;
  featurePr: number;
  syncPr: number;
  head: string;
}

export async function seedCartoHistory(sandbox: GitHubSandbox, github: GitHubPort): Promise<History> {
  await sandbox.createRepo(UPSTREAM);
  const u1 = await sandbox.pushCommit(UPSTREAM, {
    branch: 'main',
    files: { 'pyproject.toml': pyproject('1.81.3'), 'litellm/router.py': 'v1\n' },
    message: 'release 1.81.3',
  });
  await sandbox.addRelease(UPSTREAM, { tag: 'v1.81.3-stable', target: u1, publishedAt: '2026-02-01T00:00:00Z' });
  await sandbox.pushCommit(UPSTREAM, {
    branch: 'main',
    files: { 'litellm/router.py': 'v2\n' },
    message: 'feat(router): upstream adaptive router',
  });
  const u2 = await sandbox.pushCommit(UPSTREAM, {
    branch: 'main',
    files: { 'pyproject.toml': pyproject('1.81.9') },
    message: 'release 1.81.9',
  });
  await sandbox.addRelease(UPSTREAM, { tag: 'v1.81.9-stable', target: u2, publishedAt: '2026-03-01T00:00:00Z' });

  await sandbox.createRepo(FORK, { forkOf: UPSTREAM });
  await sandbox.git(FORK, ['update-ref', 'refs/heads/main', u1]);
  const contaminated = await sandbox.pushCommit(FORK, {
    branch: 'carto/main',
    from: u1,
    files: { 'pyproject.toml': pyproject('1.81.6'), 'carto_auth.py': 'hook\n' },
    message: 'feat: carto auth hook',
    as: 'carto-dev',
  });
  await sandbox.createTag(FORK, 'v1.81.6-carto.1.18.3', contaminated, { message: 'Release v1.81.6-carto.1.18.3' });
  await sandbox.addRelease(FORK, { tag: 'v1.81.6-carto.1.18.3', publishedAt: '2026-02-12T01:21:00Z' });
  const corrected = await sandbox.pushCommit(FORK, {
    branch: 'carto/main',
    files: { 'pyproject.toml': pyproject('1.81.3') },
    message: 'fix: correct pyproject version to 1.81.3',
    as: 'carto-dev',
  });
  await sandbox.createTag(FORK, 'v1.81.3-carto.1.18.6', corrected, { message: 'Release v1.81.3-carto.1.18.6' });
  await sandbox.addRelease(FORK, { tag: 'v1.81.3-carto.1.18.6', publishedAt: '2026-02-12T02:11:00Z' });

  await sandbox.pushCommit(FORK, {
    branch: 'feature/oci-tools',
    from: corrected,
    files: { 'litellm/llms/oci/chat.py': 'tools\n' },
    message: 'feat(oci): tool calls',
    as: 'carto-dev',
  });
  await sandbox.pushCommit(FORK, {
    branch: 'feature/oci-tools',
    files: { 'tests/test_oci.py': 'ok\n' },
    message: 'test: oci tool calls',
    as: 'carto-dev',
  });
  const feature = await github.createPull(FORK, {
    title: 'OCI tool calls',
    head: 'feature/oci-tools',
    base: 'carto/main',
    body: '',
  });
  await sandbox.mergePullAs(FORK, feature.number, 'carto-dev');

  await sandbox.git(FORK, ['update-ref', 'refs/heads/main', u2]);
  await sandbox.createBranch(FORK, 'upstream-sync/v1.81.9-stable', u2);
  const sync = await github.createPull(FORK, {
    title: '🔄 Upstream Sync: LiteLLM v1.81.9-stable',
    head: 'upstream-sync/v1.81.9-stable',
    base: 'carto/main',
    body: '',
  });
  await sandbox.labelPullAs(FORK, sync.number, 'Cartofante', 'upstream-sync');
  await sandbox.mergePullAs(FORK, sync.number, 'carto-dev');
  const head = await sandbox.pushCommit(FORK, {
    branch: 'carto/main',
    files: { 'carto_auth.py': 'hook v2\n' },
    message: 'fix: keep the auth hook after the sync',
    as: 'carto-dev',
  });
  return { contaminated, corrected, featurePr: feature.number, syncPr: sync.number, head };
}

export class RecordingNotifier implements SyncNotifier {
  readonly releases: ReleasePublished[] = [];
  async syncChanged(): Promise<void> {}
  async syncDetail(): Promise<void> {}
  async releasePublished(event: ReleasePublished): Promise<void> {
    this.releases.push(event);
  }
  readonly pulls: PullMerged[] = [];
  async pullMerged(event: PullMerged): Promise<void> {
    this.pulls.push(event);
  }
}

/** The release job's dependencies on a GitHub stand-in at `url`, with the git cache in `dataDir`. */
export function releaseDeps(input: {
  url: string;
  token: string;
  dataDir: string;
  store: Store;
  log: Logger;
  config: Config;
  llm?: LlmPort | null;
  notifier?: SyncNotifier;
}): ReleaseJobDeps & { git: GitCache } {
  const github = createGitHubAdapter({
    token: input.token,
    baseUrl: input.url,
    tuning: { ...SANDBOX_CLIENT_TUNING, retries: 0 },
  });
  const git = new GitCache({ dataDir: input.dataDir, logger: input.log, token: input.token, sleep: async () => {} });
  const authorizer = new Authorizer(
    input.config,
    async (group) => (group === OPS_GROUP ? [GROUP_MEMBER] : []),
    systemClock,
  );
  return {
    config: input.config,
    git,
    github,
    log: input.log,
    llm: input.llm ?? null,
    audit: input.store.audit,
    notifier: input.notifier ?? new RecordingNotifier(),
    allow: allowReleaseWith(authorizer),
  };
}
