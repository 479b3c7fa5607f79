import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubSandbox } from '../src/sandbox/github/github-sandbox.js';
import { fastHistory } from './lib/fast-history.js';
import { startSyncHarness } from './lib/sync-harness.js';

// Sync-to-PR time on generated upstream histories: the first run (empty git cache: the whole
// history is fetched) against the next release (the persistent cache fetches only what is new).
// Warm runs should cost in proportion to the new commits, not to the history.
//
//   npm run bench -- sync [--sizes 1000,10000,50000] [--new 200]

const UPSTREAM = 'BerriAI/litellm';
const FORK = 'CartoDB/litellm';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const pyproject = (version: string) => `[tool.poetry]\nname = "litellm"\nversion = "${version}"\n`;

async function benchSize(commits: number, fresh: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sync-bench-'));
  const sandbox = await GitHubSandbox.start({ root: join(root, 'github') });
  try {
    // Upstream: `commits` commits; the fork branched `fresh` commits before the first release.
    await sandbox.createRepo(UPSTREAM);
    const upstreamDir = sandbox.barePath(UPSTREAM);
    const base = commits - fresh;
    await fastHistory({
      dir: upstreamDir,
      branch: 'main',
      commits: base,
      extra: (i) => (i === base - 1 ? { 'pyproject.toml': pyproject('1.0.0') } : null),
    });
    await sandbox.addRelease(UPSTREAM, { tag: 'v1.0.0-stable', target: 'main', publishedAt: '2026-01-01T00:00:00Z' });
    await sandbox.createRepo(FORK, { forkOf: UPSTREAM });
    for (const tag of ['v1.0.0-stable']) await sandbox.git(FORK, ['update-ref', '-d', `refs/tags/${tag}`]);
    const baseSha = (await sandbox.branchSha(UPSTREAM, 'main'))!;
    await sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      from: baseSha,
      files: { 'carto_feature.py': 'x = 1\n', 'CARTO_README.md': 'carto\n' },
      message: 'feat: carto feature',
    });
    const head = async () => (await sandbox.branchSha(UPSTREAM, 'main'))!;
    await fastHistory({
      dir: upstreamDir,
      branch: 'main',
      commits: fresh,
      from: await head(),
      start: base,
      extra: (i) => (i === fresh - 1 ? { 'pyproject.toml': pyproject('1.1.0') } : null),
    });
    await sandbox.addRelease(UPSTREAM, { tag: 'v1.1.0-stable', target: 'main', publishedAt: '2026-02-01T00:00:00Z' });

    const harness = startSyncHarness({
      sandbox,
      dataDir: join(root, 'data'),
      pipelines: [
        {
          id: 'bench',
          upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
          fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
          version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
        },
      ],
    });
    const measure = () => harness.measure('bench');

    try {
      const cold = await measure();
      if (cold.result.outcome !== 'pr-created') throw new Error(`cold run: ${cold.result.outcome}`);
      // People merge the PR with a merge commit; upstream ships the next release.
      await sandbox.mergePullAs(FORK, cold.result.pr!.number, 'mateo-di');
      await fastHistory({
        dir: upstreamDir,
        branch: 'main',
        commits: fresh,
        from: await head(),
        start: commits,
        extra: (i) => (i === fresh - 1 ? { 'pyproject.toml': pyproject('1.2.0') } : null),
      });
      await sandbox.addRelease(UPSTREAM, { tag: 'v1.2.0-stable', target: 'main', publishedAt: '2026-03-01T00:00:00Z' });
      const warm = await measure();
      if (warm.result.outcome !== 'pr-created') throw new Error(`warm run: ${warm.result.outcome}`);
      const f = (n: number) => n.toFixed(0);
      process.stderr.write(
        `  commits=${commits} cold git: ${cold.gitBreakdown}\n  commits=${commits} warm git: ${warm.gitBreakdown}\n`,
      );
      return `sync-bench commits=${commits} cold_ms=${f(cold.ms)} warm_ms=${f(warm.ms)} warm_over_cold=${(warm.ms / cold.ms).toFixed(3)} git_calls=${warm.gitCalls} http_calls=${warm.httpCalls} cold_git_calls=${cold.gitCalls} cold_http_calls=${cold.httpCalls} new_commits=${fresh}`;
    } finally {
      await harness.close();
    }
  } finally {
    await sandbox.close();
    await rm(root, { recursive: true, force: true });
  }
}

const sizes = arg('sizes', '1000,10000,50000').split(',').map(Number);
const fresh = Number(arg('new', '200'));
process.stderr.write(
  `sync bench: sizes ${sizes.join(', ')}; ${fresh} new upstream commits per release (git_calls/http_calls: warm run)\n`,
);
for (const size of sizes) process.stdout.write(`${await benchSize(size, fresh)}\n`);
