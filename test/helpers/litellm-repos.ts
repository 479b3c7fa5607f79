import type { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';

// The litellm upstream and CARTO fork the release-sync tests and benches start from. No vitest
// here, so a bench run outside the test runner can seed the same world.

export const UPSTREAM = 'BerriAI/litellm';
export const FORK = 'CartoDB/litellm';

export function pyproject(version: string): string {
  return `[tool.black]\nversion = "ignore-me"\n\n[tool.poetry]\nname = "litellm"\nversion = "${version}"\n`;
}

/** BerriAI/litellm at v1.80.0-stable; CartoDB/litellm forked from it: main at the tag, carto/main one CARTO commit ahead. */
export async function seedRepos(sandbox: GitHubSandbox): Promise<void> {
  sandbox.registerUser({ login: 'carto-dev', name: 'Carto Dev', email: 'dev@carto.com' });
  await sandbox.createRepo(UPSTREAM);
  const base = await sandbox.pushCommit(UPSTREAM, {
    branch: 'main',
    files: {
      'pyproject.toml': pyproject('1.80.0'),
      'litellm/app.py': 'a = 1\nb = 2\nc = 3\n',
      'README.md': 'litellm\n',
    },
    message: 'release 1.80.0',
  });
  await sandbox.addRelease(UPSTREAM, { tag: 'v1.80.0-stable', publishedAt: '2026-01-01T00:00:00Z' });
  await sandbox.createRepo(FORK, { forkOf: UPSTREAM });
  await sandbox.git(FORK, ['update-ref', 'refs/heads/main', base]);
  await sandbox.pushCommit(FORK, {
    branch: 'carto/main',
    from: base,
    files: { 'carto_feature.py': 'x = 1\n' },
    message: 'feat: carto feature',
    as: 'carto-dev',
  });
}

let releaseCount = 0;

/** Upstream commits a release (pyproject version + files) and publishes it, `v<version>-stable` by default. */
export async function publishRelease(
  sandbox: GitHubSandbox,
  version: string,
  files: Record<string, string | null> = {},
  opts: { tag?: string; publishedAt?: string; prerelease?: boolean; draft?: boolean } = {},
): Promise<string> {
  releaseCount += 1;
  const sha = await sandbox.pushCommit(UPSTREAM, {
    branch: 'main',
    files: { 'pyproject.toml': pyproject(version), ...files },
    message: `release ${version}`,
  });
  const tag = opts.tag ?? `v${version}-stable`;
  const publishedAt =
    opts.publishedAt ?? new Date(Date.parse('2026-02-01T00:00:00Z') + releaseCount * 3_600_000).toISOString();
  await sandbox.addRelease(UPSTREAM, {
    tag,
    target: sha,
    publishedAt,
    prerelease: opts.prerelease ?? false,
    draft: opts.draft ?? false,
  });
  return sha;
}
