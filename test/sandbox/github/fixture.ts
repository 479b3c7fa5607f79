import { afterEach } from 'vitest';
import { createGitHubAdapter, type GitHubAdapter } from '../../../src/adapters/github/github-adapter.js';
import {
  GitHubSandbox,
  SANDBOX_CLIENT_TUNING,
  type GitHubSandboxOptions,
} from '../../../src/sandbox/github/github-sandbox.js';
import { tempDir } from '../../helpers/tmp.js';

// A GitHub stand-in per test with the real adapter pointed at it; closed after the test.

const running: GitHubSandbox[] = [];

// Every test also fails when the bot made a request the stand-in does not know.
afterEach(async () => {
  const sandboxes = running.splice(0);
  for (const sandbox of sandboxes) await sandbox.close();
  for (const sandbox of sandboxes) sandbox.assertNoUnexpectedRequests();
});

export async function startGitHub(
  options: GitHubSandboxOptions = {},
): Promise<{ sandbox: GitHubSandbox; github: GitHubAdapter }> {
  const sandbox = await GitHubSandbox.start({ root: await tempDir('github-sandbox-'), ...options });
  running.push(sandbox);
  const github = createGitHubAdapter({ token: sandbox.token, baseUrl: sandbox.url, tuning: SANDBOX_CLIENT_TUNING });
  return { sandbox, github };
}

/** upstream BerriAI/litellm with two stable releases, and CartoDB/litellm forked from it with carto/main. */
export async function seedLitellm(sandbox: GitHubSandbox): Promise<{ v1: string; v2: string; cartoMain: string }> {
  await sandbox.createRepo('BerriAI/litellm');
  const v1 = await sandbox.pushCommit('BerriAI/litellm', {
    branch: 'main',
    files: { 'pyproject.toml': 'version = "1.80.0"\n', 'README.md': 'litellm\n' },
    message: 'release 1.80.0',
  });
  await sandbox.addRelease('BerriAI/litellm', { tag: 'v1.80.0-stable', publishedAt: '2026-01-01T00:00:00Z' });
  const v2 = await sandbox.pushCommit('BerriAI/litellm', {
    branch: 'main',
    files: { 'pyproject.toml': 'version = "1.81.0"\n' },
    message: 'release 1.81.0',
  });
  await sandbox.addRelease('BerriAI/litellm', { tag: 'v1.81.0-stable', publishedAt: '2026-02-01T00:00:00Z' });
  await sandbox.createRepo('CartoDB/litellm', { forkOf: 'BerriAI/litellm' });
  await sandbox.git('CartoDB/litellm', ['update-ref', 'refs/heads/main', v1]);
  const cartoMain = await sandbox.pushCommit('CartoDB/litellm', {
    branch: 'carto/main',
    from: v1,
    files: { 'carto_feature.py': 'x = 1\n' },
    message: 'feat: carto feature',
    as: 'carto-dev',
  });
  return { v1, v2, cartoMain };
}
